"""Counters behind the flood limit: one row per person, kind of action and window, raised by
a single atomic upsert so that concurrent requests (or processes) each count once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete

from storage.db import rows_changed
from storage.models import RateCount, table_of
from storage.upsert import dialect_insert


def count_action(
    session: Session, *, slack_user_id: str, action: str, window_start: datetime
) -> int:
    """Count one more `action` by this person in the window; returns the new count."""
    insert = dialect_insert(session, RateCount).values(
        slack_user_id=slack_user_id, action=action, window_start=window_start, count=1
    )
    statement = insert.on_conflict_do_update(
        index_elements=["slack_user_id", "action", "window_start"],
        set_={"count": table_of(RateCount).c["count"] + 1},
    ).returning(table_of(RateCount).c["count"])
    return int(session.execute(statement).scalar_one())


def forget_counts_before(session: Session, *, cutoff: datetime) -> int:
    """Drop the counters of windows that started before `cutoff`; returns how many went."""
    return rows_changed(session, delete(RateCount).where(col(RateCount.window_start) < cutoff))
