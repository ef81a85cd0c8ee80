"""Slack's own reference data (method specs, event specs, manifest schema), kept in the
repository at `tests/data/slack-reference/` (see its README for sources and licences)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
REFERENCE = Path(
    os.environ.get("MENTORBOT_SLACK_REFERENCE", REPO / "tests" / "data" / "slack-reference")
)


def require_reference() -> Path:
    """The folder, which a checkout always has; an explicit MENTORBOT_SLACK_REFERENCE that
    points nowhere is a mistake to report, not a reason to skip."""
    assert REFERENCE.is_dir(), f"no Slack reference data at {REFERENCE}"
    return REFERENCE


def _reference_file(relative: str) -> dict[str, Any]:
    path = require_reference() / relative
    assert path.is_file(), (
        f"{path} is missing: copy {relative} from shared/slack-reference "
        "(see tests/data/slack-reference/README.md)"
    )
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def method_spec(method: str) -> dict[str, Any]:
    return _reference_file(f"methods/{method}.json")


@cache
def event_spec(event: str) -> dict[str, Any]:
    return _reference_file(f"events/{event}.json")


def manifest_schema() -> dict[str, Any]:
    return _reference_file("manifest-schema/manifest.schema.1.0.0.json")
