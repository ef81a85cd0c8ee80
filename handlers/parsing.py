"""Reading fields out of interaction payloads, which are client data and may be forged."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import UserError


def int_value(action: dict[str, Any]) -> int:
    """A button's `value` holding a database ID; anything else is refused."""
    value = str(action.get("value") or "")
    if not value.isdigit() or len(value) > 12:
        raise UserError("That button is out of date; please use a fresh message.")
    return int(value)


def poll_option_value(action: dict[str, Any]) -> tuple[int, int]:
    """A vote button's `value`, "POLL_ID:OPTION_ID"; the IDs are checked against the database."""
    poll, _, option = str(action.get("value") or "").partition(":")
    if not (poll.isdigit() and option.isdigit()) or len(poll) > 12 or len(option) > 12:
        raise UserError("That button is out of date; please use the poll message.")
    return int(poll), int(option)
