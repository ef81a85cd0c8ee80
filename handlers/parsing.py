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
