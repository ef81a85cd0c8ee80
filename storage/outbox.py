"""The outbox: each message the bot sends on its own is claimed under a unique key first.

Claiming is the database's decision (a unique key, or a conditional update of a failed row),
so of two processes or two runs only one ever sends. A send that failed is retried by a later
run; a claim whose process died before recording the outcome stays pending and is not sent
again (at most once: a duplicate reminder is worse than a missing one).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, update

from storage.models import Outbox, OutboxStatus
from storage.upsert import insert_if_absent


def claim(session: Session, *, kind: str, key: str, now: datetime) -> bool:
    """True if this caller should send the message `kind`/`key` now."""
    if insert_if_absent(
        session,
        Outbox,
        {
            "kind": kind,
            "key": key,
            "status": OutboxStatus.PENDING.value,
            "attempts": 1,
            "created_at": now,
        },
        key=["kind", "key"],
    ):
        return True
    retried = session.execute(
        update(Outbox)
        .where(
            col(Outbox.kind) == kind,
            col(Outbox.key) == key,
            col(Outbox.status) == OutboxStatus.FAILED.value,
        )
        .values(status=OutboxStatus.PENDING.value, attempts=Outbox.attempts + 1)
    )
    return bool(retried.rowcount)


def mark_sent(session: Session, *, kind: str, key: str, now: datetime) -> None:
    session.execute(
        update(Outbox)
        .where(col(Outbox.kind) == kind, col(Outbox.key) == key)
        .values(status=OutboxStatus.SENT.value, sent_at=now, last_error=None)
    )


def mark_failed(session: Session, *, kind: str, key: str, error: str) -> None:
    session.execute(
        update(Outbox)
        .where(col(Outbox.kind) == kind, col(Outbox.key) == key)
        .values(status=OutboxStatus.FAILED.value, last_error=error[:500])
    )
