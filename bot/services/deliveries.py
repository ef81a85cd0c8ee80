"""Handling each Events API delivery once, however often Slack retries it."""

from __future__ import annotations

from bot.runtime import Runtime
from storage.events import claim_event


def first_delivery(runtime: Runtime, *, event_id: str, event_type: str) -> bool:
    """True the first time `event_id` is seen; the database's unique key decides races."""
    now = runtime.now()
    return runtime.write(
        lambda session: claim_event(session, event_id=event_id, event_type=event_type, now=now)
    )
