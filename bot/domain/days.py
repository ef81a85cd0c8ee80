"""Reading a calendar day (not a time) as people type it: 2027-03-15, 15/3, 15.3.2027."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.errors import UserError
from bot.domain.text import shorten
from bot.i18n import phrase

_DAY_MONTH = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?$")


def parse_day(text: str, *, today: date) -> date:
    """A day on or after `today`; day-first as in the European schemes we serve."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DAY_MONTH.match(text)
    if match is None:
        raise UserError(
            phrase(
                "I couldn't read “{typed}” as a day: write it like 2027-03-15 or 15/3.",
                typed=shorten(text),
            )
        )
    day, month, year_text = int(match[1]), int(match[2]), match[3]
    year = (
        today.year if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    )
    try:
        result = date(year, month, day)
    except ValueError:
        raise UserError(phrase("“{typed}” is not a real date.", typed=shorten(text))) from None
    if year_text is None and result < today:
        result = result.replace(year=year + 1)
    return result


UNTIL_WORDS = ("until", "indtil", "til", "bis", "até", "ate", "do")
"""The word before a day in `/mentor snooze until DAY` and `/mentor pause until DAY`: the
command's own English word, or the one each language's people type out of habit."""
