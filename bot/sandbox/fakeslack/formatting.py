"""Slack's date tokens as people see them: `<!date^UNIX^TOKENS^LINK|FALLBACK>` in mrkdwn.

Slack's clients replace the token with the moment formatted in the reader's own time zone
(their profile's `tz`), with "today"/"yesterday"/"tomorrow" for the `_pretty` tokens; where
the date cannot be formatted (notifications, clients that do not know a token) the fallback
is shown. Only mrkdwn is parsed: in plain-text objects the token stays raw text.
(https://api.slack.com/reference/surfaces/formatting#date-formatting)

The fake's choices: English wording only, and the 24-hour clock ({time} as Slack shows it
with "Display times with 24-hour clock" on); an unknown token makes the whole date show the
fallback, as a client that cannot format it would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

DATE_TOKEN = re.compile(
    r"<!date\^(?P<unix>-?\d+)\^(?P<tokens>[^^|>]*)(?:\^[^|>]*)?\|(?P<fallback>[^>]*)>"
)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_TOKEN = re.compile(r"\{([a-z_]+)\}")


class UnknownToken(ValueError):
    pass


def _unescape(text: str) -> str:
    return re.sub(r"&(amp|lt|gt);", lambda m: _ENTITIES[m.group(0)], text)


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _relative_day(local: datetime, today: datetime) -> str | None:
    names = {-1: "yesterday", 0: "today", 1: "tomorrow"}
    return names.get((local.date() - today.date()).days)


def format_moment(moment: datetime, tokens: str, *, zone: ZoneInfo, now: datetime) -> str:
    """`tokens` ("{date_short_pretty} {time}") filled in for a reader in `zone` at `now`."""
    local, today = moment.astimezone(zone), now.astimezone(zone)
    relative = _relative_day(local, today)
    plain = {
        "date_num": f"{local:%Y-%m-%d}",
        "date_slash": f"{local:%d/%m/%Y}",
        "date": f"{local:%B} {_ordinal(local.day)}, {local.year}",
        "date_short": f"{local:%b} {local.day}, {local.year}",
        "date_long": f"{local:%A}, {local:%B} {_ordinal(local.day)}, {local.year}",
        "date_long_full": f"{local:%B} {local.day}, {local.year}",
        "time": f"{local:%H:%M}",
        "time_secs": f"{local:%H:%M:%S}",
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in plain:
            return plain[name]
        if name.endswith("_pretty") and name[: -len("_pretty")] in plain:
            if relative is None:
                return plain[name[: -len("_pretty")]]
            # Capitalised when it starts the token string (as jsx-slack's emulation of the
            # clients does), wherever the token stands in the message.
            return relative.capitalize() if match.start() == 0 else relative
        raise UnknownToken(name)

    return _TOKEN.sub(fill, tokens)


def read_as(text: str, *, zone: ZoneInfo, now: datetime) -> str:
    """Mrkdwn `text` with each date token shown as a reader in `zone` sees it at `now`;
    the rest (markup, escapes) is left as it is."""

    def show(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group("unix")), UTC)
        try:
            return format_moment(moment, match.group("tokens"), zone=zone, now=now)
        except UnknownToken:
            return _unescape(match.group("fallback"))

    return DATE_TOKEN.sub(show, text)


def as_notified(text: str) -> str:
    """A message's `text` as a notification shows it: each date token as its fallback."""
    return DATE_TOKEN.sub(lambda match: _unescape(match.group("fallback")), text)


def reader_clock(clock: Callable[[], float]) -> datetime:
    """The fake's clock as an aware moment."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=clock())
