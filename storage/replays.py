"""Signed HTTP requests already seen, by their signature: the same request sent again inside
the five minutes Slack's signature stays valid (a replay) is not handled twice.

The record is written on the acknowledgement path of every request, so it is one Core
`INSERT … ON CONFLICT DO NOTHING` built once per dialect, executed on the connection of the
caller's transaction (the web process's group commit) without the ORM."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, delete

from storage.db import rows_changed
from storage.models import SeenRequest, table_of
from storage.upsert import insert_for


def remember_request(connection: Connection, *, signature: str, seen_at: datetime) -> bool:
    """Record `signature`; False if it was recorded before (the request is a replay).

    Atomic in the database: of two deliveries racing with the same signature, in two threads
    or two processes, exactly one gets True."""
    inserted = connection.execute(
        _remember_statement(connection.dialect.name),
        {"signature": signature, "seen_at": seen_at},
    ).first()
    return inserted is not None


@functools.cache
def _remember_statement(dialect: str) -> Any:
    # Built once: building the statement costs more than running it.
    table = table_of(SeenRequest)
    return (
        insert_for(dialect, SeenRequest)
        .values(
            signature=bindparam("signature", type_=table.c.signature.type),
            seen_at=bindparam("seen_at", type_=table.c.seen_at.type),
        )
        .on_conflict_do_nothing(index_elements=["signature"])
        # rowcount is not reliable across drivers (psycopg reports -1); RETURNING is.
        .returning(table.c.signature)
    )


def forget_requests_before(session: Session, *, cutoff: datetime) -> int:
    """Drop the records of requests signed before `cutoff`; returns how many went."""
    statement = delete(SeenRequest).where(col(SeenRequest.seen_at) < cutoff)
    return rows_changed(session, statement)
