"""Counters behind the flood limit: one row per person, kind of action and window, raised by
a single atomic upsert so that concurrent requests (or processes) each count once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete

from storage.models import RateCount
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
        set_={"count": RateCount.__table__.c["count"] + 1},  # type: ignore[attr-defined]
    ).returning(RateCount.__table__.c["count"])  # type: ignore[attr-defined]
    return int(session.execute(statement).scalar_one())


def forget_counts_before(session: Session, *, cutoff: datetime) -> int:
    """Drop the counters of windows that started before `cutoff`; returns how many went."""
    result = session.execute(delete(RateCount).where(col(RateCount.window_start) < cutoff))
    return int(result.rowcount or 0)
