"""Terms: reading `/mentor term new` and the rules a term must satisfy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.dates import LANGUAGES as DATE_LANGUAGES
from bot.domain.errors import UserError
from bot.domain.limits import MAX_TERM_NAME
from bot.domain.options import split_options
from bot.domain.text import shorten

DEFAULT_MIN_MEETINGS = 3
LANGUAGES = {"en": "English", "da": "Danish"}
MAX_TERM_LENGTH = timedelta(days=366)
TERM_EXAMPLE = '`/mentor term new "Spring 2027" 2027-02-01 2027-06-30 min=3`'


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
            f"A new term needs a name, a start date and an end date, e.g. {TERM_EXAMPLE}. "
            "Put quotes around a name with spaces."
        )
    name, start_text, end_text = options.positional
    name = " ".join(name.split())
    if not name or len(name) > MAX_TERM_NAME:
        raise UserError(
            f'Give the term a name of 1 to {MAX_TERM_NAME} characters, e.g. "Spring 2027".'
        )
    starts_on = _parse_day(start_text, "start")
    ends_on = _parse_day(end_text, "end")
    if ends_on <= starts_on:
        raise UserError(f"The term must end after it starts ({start_text} → {end_text}).")
    if ends_on - starts_on > MAX_TERM_LENGTH:
        raise UserError("A term runs at most a year; split longer schemes into terms.")
    if ends_on < today:
        raise UserError(
            f"That term ended on {ends_on.isoformat()}; give an end date from today on."
        )
    return TermSpec(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        min_meetings=_parse_minimum(options.named.get("min")),
        timezone=_parse_timezone(options.named.get("tz", default_timezone)),
        language=_parse_language(options.named.get("lang", "en")),
    )


def _parse_day(text: str, which: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"I couldn't read the {which} date “{shorten(text)}”: "
            "write it as YYYY-MM-DD, e.g. 2027-02-01."
        ) from None


def _parse_minimum(text: str | None) -> int:
    if text is None:
        return DEFAULT_MIN_MEETINGS
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 20:
        raise UserError(
            f"`min={shorten(text, 10)}` should be the least number of meetings, from 1 to 20."
        )
    return int(text)


def _parse_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(
            f"“{shorten(name)}” is not a time zone: use a name like `tz=Europe/Copenhagen`."
        ) from None
    return name


def _parse_language(code: str) -> str:
    """A term's language is one the bot reads dates in: the languages are those of
    `bot.domain.dates.LANGUAGES`, listed once."""
    code = code.lower()
    if code not in DATE_LANGUAGES:
        known = ", ".join(f"`{c}` ({language.name})" for c, language in DATE_LANGUAGES.items())
        raise UserError(f"I don't speak `lang={shorten(code, 10)}` yet. Choose one of {known}.")
    return code
