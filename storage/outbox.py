"""The outbox: each message the bot sends on its own is claimed under a unique key first.

Claiming is the database's decision (a unique key, or a conditional update of a failed or
stale row), so of two processes or two runs only one ever sends. A send that failed is
retried by a later run. A claim still pending long after it was made belongs to a process
that died while sending (killed, or the machine lost): a later run takes it over and sends
the message. That is the one case where a message can go twice, if the process died after
Slack took it and before the outcome was recorded; a poll's date or a digest that never
comes is worse than that.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, update

from storage.db import rows_changed
from storage.models import Outbox, OutboxStatus
from storage.upsert import insert_if_absent


def claim(session: Session, *, kind: str, key: str, now: datetime, stale_before: datetime) -> bool:
    """True if this caller should send the message `kind`/`key` now: nobody claimed it,
    its last attempt failed, or its claim was made before `stale_before` and never ended."""
    if insert_if_absent(
        session,
        Outbox,
        {
            "kind": kind,
            "key": key,
            "status": OutboxStatus.PENDING,
            "attempts": 1,
            "created_at": now,
            "claimed_at": now,
        },
        key=["kind", "key"],
    ):
        return True
    retried = rows_changed(
        session,
        update(Outbox)
        .where(
            col(Outbox.kind) == kind,
            col(Outbox.key) == key,
            or_(
                col(Outbox.status) == OutboxStatus.FAILED,
                and_(
                    col(Outbox.status) == OutboxStatus.PENDING,
                    col(Outbox.claimed_at) < stale_before,
                ),
            ),
        )
        .values(status=OutboxStatus.PENDING, attempts=Outbox.attempts + 1, claimed_at=now),
    )
    return bool(retried)


def mark_sent(session: Session, *, kind: str, key: str, now: datetime) -> None:
    session.execute(
        update(Outbox)
        .where(col(Outbox.kind) == kind, col(Outbox.key) == key)
        .values(status=OutboxStatus.SENT, sent_at=now, last_error=None)
    )


def mark_failed(session: Session, *, kind: str, key: str, error: str) -> None:
    session.execute(
        update(Outbox)
        .where(col(Outbox.kind) == kind, col(Outbox.key) == key)
        .values(status=OutboxStatus.FAILED, last_error=error[:500])
    )
