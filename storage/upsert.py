"""Dialect-aware `INSERT … ON CONFLICT`: the one way the bot makes repeated deliveries
harmless. Both SQLite (3.24+) and PostgreSQL resolve the conflict atomically in the database,
so two threads or two processes racing on the same key cannot both win."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

from storage.models import table_of


def dialect_insert(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT of the session's dialect, which knows ON CONFLICT."""
    return insert_for(session.get_bind().dialect.name, model)


def insert_for(dialect: str, model: type[SQLModel]) -> Any:
    """An INSERT of `dialect` ("sqlite" or "postgresql"), which knows ON CONFLICT."""
    # The Core table, not the ORM class: an ORM-enabled insert goes through the bulk path,
    # which drops RETURNING rows on PostgreSQL.
    table = table_of(model)
    if dialect == "sqlite":
        return sqlite.insert(table)
    if dialect == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} dialect")


def insert_if_absent(
    session: Session,
    model: type[SQLModel],
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    any_conflict: bool = False,
) -> bool:
    """Insert a row unless one with the same `key` columns exists; True if this call inserted.

    With `any_conflict`, a clash on any unique key of the table counts as "exists".
    """
    table = table_of(model)
    statement = dialect_insert(session, model).values(**values)
    statement = statement.on_conflict_do_nothing(index_elements=None if any_conflict else list(key))
    # rowcount is not reliable across drivers (psycopg reports -1); RETURNING is.
    statement = statement.returning(*(table.c[column] for column in key))
    return session.execute(statement).first() is not None
