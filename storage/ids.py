"""Primary keys as the layers above use them: an `int`, never "an int, or None"."""

from __future__ import annotations

from typing import Protocol, cast

from sqlalchemy.orm import Mapped


class Stored(Protocol):
    """A table row: SQLModel types its key as optional, since a new object has none until
    its session flushes it."""

    @property
    def id(self) -> int | None: ...


def stored_id(row: Stored) -> int:
    """The primary key of a row read from the database or flushed into it.

    A row without one here is a fault (an object used before its session flushed it), not a
    case to handle: this says so by name instead of carrying None on."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it before using its id")
    return row.id


def key_column(column: int | None) -> Mapped[int]:
    """A table's `id` column, to select or compare: `key_column(Poll.id)`.

    SQLModel types the attribute as `int | None` (see `stored_id`), so a select of it would
    promise rows of `int | None`; a stored row's primary key is never NULL, which the
    attribute's type cannot say."""
    return cast(Mapped[int], column)
