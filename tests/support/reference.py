"""Slack's own reference data (method specs, event specs, manifest schema), kept in
`../shared/slack-reference/` beside the repository."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = Path(
    os.environ.get("MENTORBOT_SLACK_REFERENCE", REPO.parent / "shared" / "slack-reference")
)


def require_reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(
            f"Slack reference data not found at {REFERENCE}: set MENTORBOT_SLACK_REFERENCE "
            "to a checkout of shared/slack-reference"
        )
    return REFERENCE


@cache
def method_spec(method: str) -> dict[str, Any]:
    return json.loads((require_reference() / "methods" / f"{method}.json").read_text())


@cache
def event_spec(event: str) -> dict[str, Any]:
    return json.loads((require_reference() / "events" / f"{event}.json").read_text())


def manifest_schema() -> dict[str, Any]:
    path = require_reference() / "manifest-schema" / "manifest.schema.1.0.0.json"
    return json.loads(path.read_text())
