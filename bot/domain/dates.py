"""Understanding the dates students type, in English and Danish, without ever guessing.

Built on dateparser, with what it needs around it:

1. Each language's words are mapped onto one canonical English form (`LANGUAGES`): Danish
   weekdays, months and relative words ("i morgen", "næste", "på"), clock markers ("kl.",
   "klokken"), "d."/"den" before a date, "16.30", ranges ("15:00-17:00", "fra 14 til 16")
   whose start counts. Adding a language is adding one `Language` entry.
2. The canonical text is checked before dateparser sees it: every word must be known (so
   "tomorrow unless it rains" or "Do you have a car" is refused, not half-read), there must
   be a day and a time of day, and a typed day and month must exist (31/11 does not).
3. dateparser (day-first, relative to the term's local now) turns it into a datetime; then
   the result is checked: a stated weekday must match the date, the moment must be on the
   right side of now and within a year. With several languages, every reading must agree.

Every refusal is a `DateNotUnderstood` whose message says what to type instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

MAX_AHEAD = timedelta(days=365)
EXAMPLE = "“thu 16:00” or “2/12 16:30”"
UTC = ZoneInfo("UTC")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
SMALLEST_UNAMBIGUOUS_HOUR = 8
"""In English "at 4" could be 4 in the morning or the afternoon; from 8 on, it reads as
the 24-hour clock in the schemes we serve."""


class DateNotUnderstood(ValueError):
    """The text is not a date and time we can be sure of; the message says what to type."""


@dataclass(frozen=True)
class Language:
    code: str
    weekdays: tuple[tuple[str, ...], ...]
    """Per weekday from Monday: every spelling people use (full name, abbreviations)."""
    months: tuple[tuple[str, ...], ...]
    phrases: dict[str, str] = field(default_factory=dict)
    """Expressions → canonical English, applied longest first ("i morgen" → "tomorrow")."""
    clock_words: tuple[str, ...] = ()
    """Words that announce a time: the number after them is an hour ("kl. 9" is 09:00)."""
    clock_is_24h: bool = True
    """Whether a bare hour after a clock word is on the 24-hour clock (Danish "kl. 4" is
    4 in the morning; English "at 4" is unclear and refused)."""
    filler_words: tuple[str, ...] = ()
    """Words that carry no date information ("d.", "den", "on", "the")."""
    short_weekdays: tuple[str, ...] = ()
    short_months: tuple[str, ...] = ()
    day_dot: str = ""
    """What follows the day number in the echo ("19." in Danish)."""


ENGLISH = Language(
    code="en",
    weekdays=(
        ("monday", "mon"),
        ("tuesday", "tue", "tues"),
        ("wednesday", "wed", "weds"),
        ("thursday", "thu", "thur", "thurs"),
        ("friday", "fri"),
        ("saturday", "sat"),
        ("sunday", "sun"),
    ),
    months=(
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    phrases={
        "the day after tomorrow": "in 2 days",
        "day after tomorrow": "in 2 days",
        "this coming": "next",
        "coming": "next",
    },
    clock_words=("at", "@"),
    clock_is_24h=False,
    filler_words=("on", "the", "of", "-"),
    short_weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    short_months=(
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
)

DANISH = Language(
    code="da",
    weekdays=(
        ("mandag", "man"),
        ("tirsdag", "tirs", "tir"),
        ("onsdag", "ons"),
        ("torsdag", "tors", "tor"),
        ("fredag", "fre"),
        ("lørdag", "lør", "lordag"),
        ("søndag", "søn", "sondag"),
    ),
    months=(
        ("januar", "jan"),
        ("februar", "feb"),
        ("marts", "mar"),
        ("april", "apr"),
        ("maj",),
        ("juni", "jun"),
        ("juli", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "okt"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    phrases={
        "i overmorgen": "in 2 days",
        "i morgen": "tomorrow",
        "imorgen": "tomorrow",
        "i dag": "today",
        "idag": "today",
        "i går": "yesterday",
        "igår": "yesterday",
        "i forgårs": "2 days ago",
        "næste": "next",
        "kommende": "next",
        "på": "",
        "om eftermiddagen": "pm",
        "om formiddagen": "am",
        "om morgenen": "am",
    },
    clock_words=("kl.", "kl", "klokken"),
    clock_is_24h=True,
    filler_words=("d", "den", "-"),
    short_weekdays=("man", "tir", "ons", "tor", "fre", "lør", "søn"),
    short_months=(
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ),
    day_dot=".",
)

LANGUAGES: dict[str, Language] = {language.code: language for language in (ENGLISH, DANISH)}

# Canonical text may hold only these words besides numbers, times and dates.
_CANONICAL_WORDS = frozenset(
    {*WEEKDAYS, *MONTHS, "today", "tomorrow", "yesterday", "next", "this", "in", "days", "day",
     "ago", "am", "pm", "noon", "midnight"}
)  # fmt: skip
_NUMBERISH = re.compile(
    r"\d{1,2}:\d{2}(am|pm)?|\d{1,2}(am|pm)|\d{1,4}|\d{1,2}/\d{1,2}(/\d{2,4})?|\d{4}-\d{2}-\d{2}"
)
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(am|pm)\b|\bnoon\b|\bmidnight\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RELATIVE_DAY = re.compile(r"\b(today|tomorrow|yesterday|in \d+ days?|\d+ days? ago)\b")


@dataclass(frozen=True)
class Reading:
    """What a text says, in canonical English, and which parts it states."""

    canonical: str
    weekday: int | None
    calendar_day: tuple[int, int, int | None] | None
    """(day, month, year or None) when the text names a calendar date."""
    has_time: bool
    has_day: bool


def read(text: str, language: Language) -> Reading:
    canonical = _canonical(text, language)
    return Reading(
        canonical=canonical,
        weekday=next(
            (i for i, name in enumerate(WEEKDAYS) if re.search(rf"\b{name}\b", canonical)), None
        ),
        calendar_day=_calendar_day(canonical),
        has_time=_TIME.search(canonical) is not None,
        has_day=(
            any(re.search(rf"\b{name}\b", canonical) for name in WEEKDAYS)
            or _calendar_day(canonical) is not None
            or _RELATIVE_DAY.search(canonical) is not None
        ),
    )


def _canonical(text: str, language: Language) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # every dash is a hyphen
    text = " " + re.sub(r"[,;!?()\"'’]", " ", text) + " "
    for phrase in sorted(language.phrases, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", f" {language.phrases[phrase]} ", text)
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\3/\2/\1", text)  # ISO → day first
    text = _dotted_and_dashed(text)
    text = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th|\.)(?=\s)", r"\1", text)  # 7th, 7.
    text = _clock_hours(text, language)
    text = _range_starts(text)
    words = [_canonical_word(word, language) for word in text.replace(".", " ").split()]
    return " ".join(word for word in words if word)


_CLEAR_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\d\s*(?:am|pm)\b|(?:kl|klokken|at|@)\.?\s*\d")


def _dotted_and_dashed(text: str) -> str:
    """Decide what "2.12", "16.30", "2.12.", "30-11-2026" and "14-16" are.

    A trailing dot or a year makes a date ("2.12.", "30.11.2026"). Otherwise, when the text
    already has a clear time ("16:00", "4pm", "kl. 9"), a pair that can be a day and month is
    the date; without one, "16.30" is a time and "14-16" a range of hours.
    """
    has_time = _CLEAR_TIME.search(text) is not None

    def is_day_month(day: str, month: str) -> bool:
        return 1 <= int(day) <= 31 and 1 <= int(month) <= 12

    def dotted(match: re.Match[str]) -> str:
        day, month, year, final_dot = match[1], match[2], match[3], match[4]
        if is_day_month(day, month) and (year or final_dot or has_time):
            return "/".join(part for part in (day, month, year) if part)
        if year is None and len(month) == 2 and int(day) <= 24 and int(month) <= 59:
            return f"{day}:{month}"
        return match[0]

    text = re.sub(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?(\.)?(?=\s)", dotted, text)

    def dashed(match: re.Match[str]) -> str:
        day, month, year = match[1], match[2], match[3]
        if is_day_month(day, month) and (year or has_time):
            return "/".join(part for part in (day, month, year) if part)
        return match[0]

    text = re.sub(r"(?<![\d-])(\d{1,2})-(\d{1,2})(?:-(\d{4}|\d{2}))?(?=\s)", dashed, text)
    text = re.sub(r"\b(\d{1,2})h(\d{2})\b", r"\1:\2", text)  # 16h30
    return re.sub(r"\b(\d{1,2})h\b", r"\1:00", text)  # 16h


def _clock_hours(text: str, language: Language) -> str:
    """ "kl. 9" → 9:00; "at 16" → 16:00; "at 4" (English, no am/pm) is refused as unclear."""
    words = "|".join(re.escape(word.rstrip(".")) for word in language.clock_words)
    if not words:
        return text

    def hour(match: re.Match[str]) -> str:
        value = int(match[1])
        if not language.clock_is_24h and 0 < value < SMALLEST_UNAMBIGUOUS_HOUR:
            raise DateNotUnderstood(
                f"Is “{match[0].strip()}” in the morning or the afternoon? "
                f"Write “{value}pm” or “{value + 12}:00”"
            )
        return f" {value}:00 "

    text = re.sub(rf"(?<!\w)(?:{words})\.?\s*(\d{{1,2}})(?![\d:/])(?!\s*(?:am|pm))", hour, text)
    return re.sub(rf"(?<!\w)(?:{words})\.?(?=\s)", " ", text)


def _range_starts(text: str) -> str:
    """ "15:00-17:00", "2-4pm", "fra 14 til 16", "from 2 to 4pm": only the start counts, and a
    trailing am/pm belongs to it too."""

    def start(match: re.Match[str]) -> str:
        begin, suffix = match["start"], (match["suffix"] or "").strip()
        if suffix:
            return f" {begin}{suffix} "
        return f" {begin if ':' in begin else begin + ':00'} "

    time = r"\d{1,2}(?::\d{2})?"
    text = re.sub(
        rf"\b(?:fra|from)\s+(?P<start>{time})\s+(?:til|to|until|-)\s+{time}(?P<suffix>\s*(?:am|pm))?",
        start,
        text,
    )
    return re.sub(
        rf"(?<![/\d-])(?P<start>{time})\s*-\s*{time}(?P<suffix>\s*(?:am|pm))?(?![\d/])", start, text
    )


def _canonical_word(word: str, language: Language) -> str:
    for table in (language, ENGLISH):
        for index, spellings in enumerate(table.weekdays):
            if word in spellings:
                return WEEKDAYS[index]
        for index, spellings in enumerate(table.months):
            if word in spellings:
                return MONTHS[index]
        if word in table.filler_words:
            return ""
    if word in _CANONICAL_WORDS or _NUMBERISH.fullmatch(word):
        return word
    raise DateNotUnderstood(
        f"I don't know what “{word}” means in a date: write a day and a time, like {EXAMPLE}"
    )


def _calendar_day(canonical: str) -> tuple[int, int, int | None] | None:
    if (iso := _ISO_DATE.search(canonical)) is not None:
        return int(iso[3]), int(iso[2]), int(iso[1])
    if (numeric := _NUMERIC_DATE.search(canonical)) is not None:
        year = numeric[3]
        full_year = (int(year) + 2000 if len(year) == 2 else int(year)) if year else None
        return int(numeric[1]), int(numeric[2]), full_year
    for index, month in enumerate(MONTHS, start=1):
        named = re.search(
            rf"\b(\d{{1,2}})\s+{month}(?:\s+(\d{{4}}))?\b|\b{month}\s+(\d{{1,2}})\b(?!:)", canonical
        )
        if named is not None:
            return int(named[1] or named[3]), index, int(named[2]) if named[2] else None
    return None


def understand_datetime(
    text: str,
    *,
    now: datetime,
    zone: ZoneInfo,
    languages: Sequence[str] = ("en",),
    direction: Literal["future", "past"] = "future",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> datetime:
    """The moment `text` names, in `zone`, or DateNotUnderstood saying what to type instead.

    `direction="future"` (poll options) refuses the past and more than a year ahead;
    `"past"` (logging a meeting) refuses the future. `not_before`/`not_after` bound the
    result further, e.g. to the term.
    """
    if not text or not text.strip():
        raise DateNotUnderstood(f"there is no date: write a day and a time, like {EXAMPLE}")
    if len(text) > 100:
        raise DateNotUnderstood(f"that is too long for a date: write it like {EXAMPLE}")
    local_now = now.astimezone(zone)
    moments = {
        _moment(reading, text, local_now=local_now, zone=zone, direction=direction)
        for reading in _readings(text, languages)
    }
    if len(moments) > 1:
        raise DateNotUnderstood(
            f"“{text}” can be read in more than one way: write it in full, like “2 Dec 16:30”"
        )
    moment = moments.pop()
    _check_bounds(moment, text, now=now, direction=direction, not_before=not_before,
                  not_after=not_after)  # fmt: skip
    return moment


def _readings(text: str, languages: Sequence[str]) -> list[Reading]:
    readings: list[Reading] = []
    problems: list[DateNotUnderstood] = []
    for code in dict.fromkeys(languages or ("en",)):
        language = LANGUAGES.get(code)
        if language is None:
            raise DateNotUnderstood(f"I don't read dates in the language “{code}” yet")
        try:
            readings.append(read(text, language))
        except DateNotUnderstood as problem:
            problems.append(problem)
    if readings:
        return readings
    raise problems[0]


def _with_a_time(typed: str) -> str:
    """`typed` with a time added, for a hint: a trailing bare hour made a clock time (an
    afternoon one below 8, as "at 4" means here: "thu 4" → "thu 16:00"), else 16:00, the
    time every other example uses."""
    bare_hour = re.search(r"\s(\d{1,2})$", typed)
    if bare_hour is None:
        return f"{typed} 16:00"
    hour = int(bare_hour[1])
    hour += 12 if 0 < hour < SMALLEST_UNAMBIGUOUS_HOUR else 0
    return f"{typed[: bare_hour.start()]} {hour}:00" if hour < 24 else f"{typed} 16:00"


def _moment(
    reading: Reading, text: str, *, local_now: datetime, zone: ZoneInfo, direction: str
) -> datetime:
    typed = text.strip()
    if not reading.has_day and not reading.has_time:
        raise DateNotUnderstood(
            f"I couldn't find a date in “{typed}”: write a day and a time, like {EXAMPLE}"
        )
    if not reading.has_time:
        example = _with_a_time(typed)
        raise DateNotUnderstood(
            f"I couldn't find a time of day in “{typed}”: add one, like “{example}”"
        )
    if not reading.has_day:
        raise DateNotUnderstood(f"“{typed}” has a time but no day: add one, like “thu {typed}”")
    if reading.calendar_day is not None:
        _check_day_exists(reading.calendar_day, typed, local_now.year)
    base = local_now.replace(tzinfo=None)
    # Imported on first use: dateparser and its locale data take about 10 MB, which the bot
    # process, which reads a date only when a poll form is submitted, would carry idle.
    from dateparser.date import DateDataParser

    parsed = DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": direction,
            "RETURN_TIME_AS_PERIOD": True,
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": base,
        },
    ).get_date_data(reading.canonical)
    if parsed.date_obj is None or parsed.period != "time":
        raise DateNotUnderstood(
            f"I couldn't read “{typed}” as a date: write a day and a time, like {EXAMPLE}"
        )
    naive = parsed.date_obj.replace(tzinfo=None, second=0, microsecond=0)
    naive = _nearest_year(naive, reading, base)
    naive = _today_if_meant(naive, reading, base, direction)
    moment = _localise(naive, zone)
    if (
        reading.weekday is not None
        and reading.calendar_day is not None
        and moment.weekday() != reading.weekday
    ):
        actual, stated = WEEKDAYS[moment.weekday()], WEEKDAYS[reading.weekday]
        raise DateNotUnderstood(
            f"{moment.day} {MONTHS[moment.month - 1].title()} is a {actual.title()}, "
            f"not a {stated.title()}: check the day or the date"
        )
    return moment


def _check_day_exists(
    day_month_year: tuple[int, int, int | None], typed: str, this_year: int
) -> None:
    day, month, year = day_month_year
    if not 1 <= month <= 12:
        raise DateNotUnderstood(
            f"“{typed}” has no month {month}: write the day first, like 2/12 for 2 December"
        )
    for candidate in (year,) if year else (this_year, this_year + 1):
        try:
            date(candidate, month, day)
        except ValueError:
            continue
        return
    raise DateNotUnderstood(f"{day} {MONTHS[month - 1].title()} doesn't exist: check the date")


def _nearest_year(naive: datetime, reading: Reading, base: datetime) -> datetime:
    """A day and month without a year mean their nearest occurrence: "2 Jan" in November is
    next January, but "24/11" three days after it is that day, now past (and refused as
    such), never a guess a year ahead."""
    if reading.calendar_day is None or reading.calendar_day[2] is not None:
        return naive
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(naive.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(candidates, key=lambda candidate: abs(candidate - base))


def _today_if_meant(naive: datetime, reading: Reading, base: datetime, direction: str) -> datetime:
    """ "wed 14:00" typed on a Wednesday morning means today; dateparser jumps a week."""
    if (
        direction == "future"
        and reading.weekday is not None
        and reading.calendar_day is None
        and "next" not in reading.canonical.split()
        and naive.date() == base.date() + timedelta(days=7)
        and naive - timedelta(days=7) > base
    ):
        return naive - timedelta(days=7)
    return naive


def _localise(naive: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock time in `zone`. On the night the clocks go back, an hour that happens
    twice is taken the first time; one that does not exist (clocks forward) is refused."""
    moment = naive.replace(tzinfo=zone, fold=0)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise DateNotUnderstood(
            f"{naive:%H:%M} doesn't exist on {naive:%-d %b}, the night the clocks change: "
            "give another time, like 10:00"
        )
    return moment


def _check_bounds(
    moment: datetime, text: str, *, now: datetime, direction: str,
    not_before: datetime | None, not_after: datetime | None,
) -> None:  # fmt: skip
    problem = bounds_problem(
        moment, now=now, direction=direction, not_before=not_before, not_after=not_after
    )
    if problem is not None:
        raise DateNotUnderstood(f"“{text.strip()}” ({describe_datetime(moment)}) {problem}")


def bounds_problem(
    moment: datetime,
    *,
    now: datetime,
    direction: str,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> str | None:
    """What puts `moment` outside the rules for dates, whether typed or picked, or None:
    `"future"` refuses the past and more than a year ahead, `"past"` the future, and
    `not_before`/`not_after` bound it further (to the term)."""
    if direction == "future" and moment <= now:
        return "has already passed: give a time ahead"
    if direction == "future" and moment - now > MAX_AHEAD:
        return "is more than a year ahead: give a date within twelve months"
    if direction == "past" and moment > now:
        return "is in the future: log a meeting once it has happened"
    if not_before is not None and moment < not_before:
        return f"is before {describe_datetime(not_before)}"
    if not_after is not None and moment > not_after:
        return "is after the term ends"
    return None


def check_picked_datetime(
    moment: datetime,
    *,
    now: datetime,
    zone: ZoneInfo,
    language: str = "en",
    direction: Literal["future", "past"] = "future",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> None:
    """The rules of `understand_datetime` for a date picked in a form (a date picker's value
    is client data: a forged one can be any moment); DateNotUnderstood says what is wrong."""
    problem = bounds_problem(
        moment, now=now, direction=direction, not_before=not_before, not_after=not_after
    )
    if problem is not None:
        local = moment.astimezone(zone)
        # The year too when it is not this one: a forged 2090 should read as 2090.
        year = f" {local.year}" if local.year != now.astimezone(zone).year else ""
        raise DateNotUnderstood(f"{describe_datetime(local, language)}{year} {problem}")


def describe_datetime(value: datetime, language: str = "en") -> str:
    """How the bot echoes what it understood: "Thu 19 Nov, 16:00" / "tor 19. nov, 16:00"."""
    table = LANGUAGES.get(language, ENGLISH)
    weekday, month = table.short_weekdays[value.weekday()], table.short_months[value.month - 1]
    return f"{weekday} {value.day}{table.day_dot} {month}, {value:%H:%M}"
