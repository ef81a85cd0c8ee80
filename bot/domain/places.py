"""Where a group meets: a room or a video link, as the mentor typed it.

Checked on entry (its length, and Slack's `<https://…|label>` link markup taken back to the
address typed); a place that is a web address is also a link in the calendar file.
"""

from __future__ import annotations

import re

from bot.domain.errors import UserError
from bot.domain.limits import MAX_MEETING_PLACE
from bot.domain.said import number_said
from bot.domain.text import clean
from bot.i18n import phrase

# Slack turns an address typed in a command into `<https://…>` or `<https://…|shown text>`.
_SLACK_LINK = re.compile(r"<(https?://[^<>|\s]+)(?:\|[^<>]*)?>")
_WEB_ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)


def clean_place(text: str | None) -> str | None:
    """The place as stored: trimmed, Slack's link markup unwrapped, None when empty.
    Refuses a place over MAX_MEETING_PLACE characters (counted before anything else)."""
    if text is None:
        return None
    if len(text) > MAX_MEETING_PLACE:
        raise UserError(
            phrase(
                "The place can be at most {limit} characters (yours has {length}); "
                "give a room or a link.",
                limit=number_said(MAX_MEETING_PLACE),
                length=number_said(len(text)),
            )
        )
    place = " ".join(_SLACK_LINK.sub(r"\1", clean(text)).split())
    return place or None


def place_url(place: str | None) -> str | None:
    """The place as a web address (http or https), when it is one."""
    if place and _WEB_ADDRESS.match(place):
        return place
    return None
