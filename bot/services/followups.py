"""Leaving work for the worker process, stored before Slack is answered."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.runtime import Runtime
from storage.followups import add_follow_up


def defer(runtime: Runtime, kind: str, payload: Mapping[str, Any]) -> None:
    """Store `payload` for the follow-up `kind` and wake the worker. Called before the
    acknowledgement, so a request Slack saw acknowledged is never forgotten."""
    text = json.dumps(payload, separators=(",", ":"))
    now = runtime.now()
    runtime.write(lambda session: add_follow_up(session, kind=kind, payload=text, now=now))
    runtime.wake_worker()
