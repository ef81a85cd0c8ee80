"""Terms: reading `/mentor term new` and the rules a term must satisfy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.dates import LANGUAGES as DATE_LANGUAGES
from bot.domain.errors import UserError
from bot.domain.limits import MAX_TERM_NAME
from bot.domain.options import split_options
from bot.domain.text import Mrkdwn, shorten
from bot.i18n import phrase

DEFAULT_MIN_MEETINGS = 3
LANGUAGES = {
    "en": "English",
    "da": "Danish",
    "de": "German",
    "pt": "Portuguese",
    "pl": "Polish",
}
"""English names, for the CLI (whose output stays English); messages name a language in
the reader's own (`Translator.language_name`)."""
MAX_TERM_LENGTH = timedelta(days=366)
# TRANSLATORS: a command to copy: keep it as it is, except the example term's name in quotes.
TERM_EXAMPLE = phrase('`/mentor term new "Spring 2027" 2027-02-01 2027-06-30 min=3`')
"""The command that opens a term, with an example name in the reader's language: a value
filled into messages."""


@dataclass(frozen=True)
class TermSpec:
    name: str
    starts_on: date
    ends_on: date
    min_meetings: int
    timezone: str
    language: str


def parse_term_new(words: tuple[str, ...], *, default_timezone: str, today: date) -> TermSpec:
    options = split_options(words, allowed={"min", "tz", "lang"})
    if len(options.positional) != 3:
        raise UserError(
            phrase(
                "A new term needs a name, a start date and an end date, e.g. {example}. "
                "Put quotes around a name with spaces.",
                example=TERM_EXAMPLE,
            )
        )
    name, start_text, end_text = options.positional
    name = " ".join(name.split())
    if not name or len(name) > MAX_TERM_NAME:
        raise UserError(
            phrase(
                'Give the term a name of 1 to {most} characters, e.g. "Spring 2027".',
                most=MAX_TERM_NAME,
            )
        )
    starts_on = _parse_day(start_text, start=True)
    ends_on = _parse_day(end_text, start=False)
    if ends_on <= starts_on:
        raise UserError(
            phrase(
                "The term must end after it starts ({start} → {end}).",
                start=start_text,
                end=end_text,
            )
        )
    if ends_on - starts_on > MAX_TERM_LENGTH:
        raise UserError(phrase("A term runs at most a year; split longer schemes into terms."))
    if ends_on < today:
        raise UserError(
            phrase(
                "That term ended on {day}; give an end date from today on.",
                day=ends_on.isoformat(),
            )
        )
    return TermSpec(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        min_meetings=_parse_minimum(options.named.get("min")),
        timezone=_parse_timezone(options.named.get("tz", default_timezone)),
        language=_parse_language(options.named.get("lang", "en")),
    )


def _parse_day(text: str, *, start: bool) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        if start:
            refusal = phrase(
                "I couldn't read the start date “{typed}”: "
                "write it as YYYY-MM-DD, e.g. 2027-02-01.",
                typed=shorten(text),
            )
        else:
            refusal = phrase(
                "I couldn't read the end date “{typed}”: write it as YYYY-MM-DD, e.g. 2027-06-30.",
                typed=shorten(text),
            )
        raise UserError(refusal) from None


def _parse_minimum(text: str | None) -> int:
    if text is None:
        return DEFAULT_MIN_MEETINGS
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 20:
        raise UserError(
            phrase(
                "`min={typed}` should be the least number of meetings, from 1 to 20.",
                typed=shorten(text, 10),
            )
        )
    return int(text)


def _parse_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(
            phrase(
                "“{typed}” is not a time zone: use a name like `tz=Europe/Copenhagen`.",
                typed=shorten(name),
            )
        ) from None
    return name


def _parse_language(code: str) -> str:
    """A term's language is one the bot reads dates in: the languages are those of
    `bot.domain.dates.LANGUAGES`, listed once."""
    code = code.lower()
    if code not in DATE_LANGUAGES:
        known = Mrkdwn(", ".join(f"`lang={c}`" for c in DATE_LANGUAGES))
        raise UserError(
            phrase(
                "I don't speak `lang={typed}` yet. Choose one of {known}.",
                typed=shorten(code, 10),
                known=known,
            )
        )
    return code
