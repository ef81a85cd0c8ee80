"""The check that nothing stored still identifies someone: every column of every table, from
the models' metadata, so a table added later is walked too."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel


def cells_holding(engine: Engine, *values: str) -> list[str]:
    """Every "table.column" whose value contains one of `values` (any case)."""
    wanted = [value.lower() for value in values if value]
    found = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                for column, value in row.items():
                    text = str(value).lower() if value is not None else ""
                    found += [f"{table.name}.{column}" for v in wanted if v in text]
    return found


def assert_nothing_identifies(engine: Engine, *values: str) -> None:
    assert cells_holding(engine, *values) == []
