"""Deduplication of Events API deliveries."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete

from storage.db import rows_changed
from storage.models import ProcessedEvent
from storage.upsert import insert_if_absent


def claim_event(session: Session, *, event_id: str, event_type: str, now: datetime) -> bool:
    """Record that `event_id` is being handled; False if an earlier delivery already claimed it."""
    return insert_if_absent(
        session,
        ProcessedEvent,
        {"event_id": event_id, "event_type": event_type, "received_at": now},
        key=["event_id"],
    )


def forget_events_before(session: Session, *, cutoff: datetime) -> int:
    """Drop dedupe records older than Slack's retry window; returns how many went."""
    return rows_changed(
        session, delete(ProcessedEvent).where(col(ProcessedEvent.received_at) < cutoff)
    )
