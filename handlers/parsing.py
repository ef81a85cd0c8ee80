"""Reading fields out of interaction payloads, which are client data and may be forged."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import UserError

MAX_ID = 2**31 - 1
"""Database IDs are 32-bit integers on PostgreSQL; a bigger number cannot name a row."""


def database_id(text: str) -> int | None:
    """The ID in `text` if it can name a row, else None (forged or stale values)."""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def int_value(action: dict[str, Any]) -> int:
    """A button's `value` holding a database ID; anything else is refused."""
    number = database_id(str(action.get("value") or ""))
    if number is None:
        raise UserError("That button is out of date; please use a fresh message.")
    return number


def poll_option_value(action: dict[str, Any]) -> tuple[int, int]:
    """A vote button's `value`, "POLL_ID:OPTION_ID"; the IDs are checked against the database."""
    poll, _, option = str(action.get("value") or "").partition(":")
    poll_id, option_id = database_id(poll), database_id(option)
    if poll_id is None or option_id is None:
        raise UserError("That button is out of date; please use the poll message.")
    return poll_id, option_id
