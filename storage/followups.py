"""The follow-up queue: work a Slack request left for the worker process.

A row is written before the request is acknowledged and deleted once the work is done.
Workers take rows with one conditional update (`claimed_at IS NULL` is checked again on the
row itself, so of two workers racing for a row only one gets it, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert
from sqlmodel import Session, col, delete, select, update

from storage.models import FollowUp, table_of


@dataclass(frozen=True)
class ClaimedFollowUp:
    id: int
    kind: str
    payload: str
    created_at: datetime


def add_follow_up(session: Session, *, kind: str, payload: str, now: datetime) -> int:
    # Core, not the ORM's add and flush: this is on the path of nearly every acknowledgement.
    return int(
        session.execute(
            _add_statement(), {"kind": kind, "payload": payload, "created_at": now}
        ).scalar_one()
    )


@functools.cache
def _add_statement() -> Any:
    # The Core table: an insert of the ORM class goes through the ORM's bulk path, slower.
    table = table_of(FollowUp)
    return (
        insert(table)
        .values(
            kind=bindparam("kind"),
            payload=bindparam("payload"),
            created_at=bindparam("created_at"),
        )
        .returning(table.c.id)
    )


def claim_follow_ups(
    session: Session, *, worker: str, now: datetime, limit: int
) -> list[ClaimedFollowUp]:
    """Take up to `limit` waiting follow-ups, oldest first."""
    waiting = (
        select(FollowUp.id)
        .where(col(FollowUp.claimed_at).is_(None))
        .order_by(col(FollowUp.id))
        .limit(limit)
    )
    rows = session.execute(
        update(FollowUp)
        .where(col(FollowUp.id).in_(waiting.scalar_subquery()), col(FollowUp.claimed_at).is_(None))
        .values(claimed_at=now, claimed_by=worker)
        .returning(
            col(FollowUp.id), col(FollowUp.kind), col(FollowUp.payload), col(FollowUp.created_at)
        )
    ).all()
    claimed = [ClaimedFollowUp(*row) for row in rows]
    return sorted(claimed, key=lambda follow_up: follow_up.id)


def finish_follow_up(session: Session, follow_up_id: int) -> None:
    session.execute(delete(FollowUp).where(col(FollowUp.id) == follow_up_id))


def abandoned_follow_ups(session: Session, *, claimed_before: datetime) -> list[ClaimedFollowUp]:
    """Follow-ups a worker took long ago and never finished: its process died doing them."""
    rows = session.exec(
        select(FollowUp.id, FollowUp.kind, FollowUp.payload, FollowUp.created_at).where(
            col(FollowUp.claimed_at) < claimed_before
        )
    ).all()
    return [ClaimedFollowUp(*row) for row in rows]


def oldest_waiting_follow_up(session: Session) -> datetime | None:
    """When the longest-waiting follow-up nobody has taken was stored; None if none waits."""
    return session.exec(
        select(FollowUp.created_at)
        .where(col(FollowUp.claimed_at).is_(None))
        .order_by(col(FollowUp.id))
        .limit(1)
    ).first()
