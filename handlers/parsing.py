"""Reading fields out of interaction payloads, which are client data and may be forged."""

from __future__ import annotations

import re
from typing import Any

from bot.domain.errors import UserError
from bot.i18n import phrase

_SLACK_ID = re.compile(r"^[A-Z0-9]{2,32}\Z")
"""Slack's IDs of users, channels and teams: capitals and digits (U012AB3CD)."""

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
        raise UserError(phrase("That button is out of date; please use a fresh message."))
    return number


def poll_option_value(action: dict[str, Any]) -> tuple[int, int]:
    """A vote button's `value`, "POLL_ID:OPTION_ID"; the IDs are checked against the database."""
    poll, _, option = str(action.get("value") or "").partition(":")
    poll_id, option_id = database_id(poll), database_id(option)
    if poll_id is None or option_id is None:
        raise UserError(phrase("That button is out of date; please use the poll message."))
    return poll_id, option_id


def malformed(body: Any) -> str | None:
    """What is wrong with a payload's shape, or None if listeners may read it: the user as
    an object with a string ID; actions as objects with string IDs and values; a view with a
    string callback ID and metadata, and its state as block → element → value objects.
    Slack never sends anything else, so anything else was forged or broken on the way."""
    if not isinstance(body, dict):
        return "not an object"
    if "command" in body:
        # A slash command's form fields are text by construction; the user must be one.
        return None if _SLACK_ID.match(str(body.get("user_id", ""))) else "no user"
    kind = body.get("type")
    if not isinstance(kind, str):
        return "no type"
    for field in ("user", "view", "team", "channel", "container", "message", "event"):
        if field in body and not isinstance(body[field], dict):
            return f"{field} is not an object"
    if kind not in ("block_actions", "view_submission", "view_closed"):
        return None
    user = body.get("user")
    if not isinstance(user, dict) or not _SLACK_ID.match(str(user.get("id", ""))):
        return "no user"
    for field in ("response_url", "trigger_id"):
        if field in body and not isinstance(body[field], str):
            return f"{field} is not text"
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "no actions"
        for action in actions:
            if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
                return "an action without an action_id"
            if any(
                key in action and not isinstance(action[key], str) for key in ("value", "block_id")
            ):
                return "an action value that is not text"
        return None
    view = body.get("view")
    if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
        return "no view"
    if not isinstance(view.get("private_metadata", ""), str):
        return "view metadata that is not text"
    state = view.get("state", {})
    values = state.get("values", {}) if isinstance(state, dict) else None
    if not isinstance(values, dict) or not all(
        isinstance(elements, dict) and all(isinstance(v, dict) for v in elements.values())
        for elements in values.values()
    ):
        return "a view state that is not block → element → value"
    return None


def state_entry(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The value object of a view input block (`malformed` checked the shape up to here)."""
    entry = (values.get(block_id) or {}).get("value")
    return entry if isinstance(entry, dict) else {}


def selected_values(entry: dict[str, Any]) -> list[str]:
    """The values of the options ticked in a checkbox or multi-select entry."""
    options = entry.get("selected_options")
    if not isinstance(options, list):
        return []
    return [str(o.get("value")) for o in options if isinstance(o, dict) and o.get("value")]


def selected_value(entry: dict[str, Any]) -> str:
    """The value of the option chosen in a select entry, or ""."""
    option = entry.get("selected_option")
    return str(option.get("value") or "") if isinstance(option, dict) else ""


def text_value(entry: dict[str, Any]) -> str:
    """What was typed in a text input entry, or ""."""
    value = entry.get("value")
    return value if isinstance(value, str) else ""


def picked_moment(entry: dict[str, Any]) -> int | None:
    """A datetime picker's Unix time, or None if nothing (sensible) was picked."""
    picked = entry.get("selected_date_time")
    if isinstance(picked, bool) or not isinstance(picked, int | str):
        return None
    text = str(picked)
    if not text.isascii() or not text.isdigit() or len(text) > 11:
        return None
    return int(text)
