"""The words of each language the date reader understands: one `Language` entry per language.

Adding a language means adding one entry to `LANGUAGES`; nothing else changes. Every word list is
lower case. Phrases of several words are written with single spaces ("day after tomorrow"); an
abbreviation may always be followed by a dot ("tue.", "kl."), so the dot is not written here.
Digits, "14:00", "16.30", "am"/"pm", "16h" and "@" are understood in every language.

The hour ranges of parts of the day (`parts_of_day`) decide how a bare hour is read after them:
"evening 7" is 19:00 because 7 is outside 17–23 and 19 is inside.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

_Value = TypeVar("_Value")


class WeekdayModifier(StrEnum):
    """What a word before a weekday says about which one is meant."""

    UPCOMING = "upcoming"  # "on fri", "på fredag", "coming fri": the next one, not today
    THIS = "this"  # "this fri": today if today is Friday, else the next one
    NEXT = "next"  # "next fri": ambiguous when the next one falls in this week
    LAST = "last"  # "last fri", "sidste fredag"
    MOST_RECENT = "most recent"  # Danish "i fredags": the latest Friday before today


@dataclass(frozen=True)
class PartOfDay:
    """A part of the day; `first_hour`..`last_hour` is where its hours may fall (24-hour)."""

    first_hour: int
    last_hour: int
    is_today: bool = False  # "tonight", "i aften": also says the day


@dataclass(frozen=True)
class Language:
    code: str
    # Numeric dates: True reads 02/12 as 2 December (European), False as February 12th.
    day_first: bool
    # Monday first; each entry lists every spelling of that weekday, the full name first.
    weekdays: tuple[tuple[str, ...], ...]
    months: tuple[tuple[str, ...], ...]
    # How the echo writes them ("Thu", "tor.") and the pattern of the echo itself.
    weekday_short: tuple[str, ...]
    month_short: tuple[str, ...]
    echo_format: str
    relative_days: Mapping[str, int]  # "tomorrow": 1, "i går": -1
    weekday_modifiers: Mapping[str, WeekdayModifier]
    # Phrases that name a weekday and say which one, e.g. Danish "i fredags".
    weekday_phrases: Mapping[str, tuple[int, WeekdayModifier]] = field(default_factory=dict)
    week_shifts: Mapping[str, int] = field(default_factory=dict)  # "next week": 1
    week_number_words: tuple[str, ...] = ()  # "week" as in "week 49"
    offset_prefixes: tuple[str, ...] = ()  # "in" as in "in 3 days"
    offset_suffixes: tuple[str, ...] = ()  # "from now" as in "3 days from now"
    day_units: tuple[str, ...] = ()
    week_units: tuple[str, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # "a", "two" as in "in two days"
    hour_words: Mapping[str, int] = field(default_factory=dict)  # "ten" as in "at ten"
    # Minutes to add to the named hour: "half past 4" is +30, Danish "halv 5" is -30 (4:30).
    hour_fractions: Mapping[str, int] = field(default_factory=dict)
    time_prefixes: tuple[str, ...] = ()  # "at", "kl": what follows is a time of day
    range_starts: tuple[str, ...] = ()  # "from", "between"
    range_joiners: tuple[str, ...] = ()  # "to", "and"; "-" works everywhere
    date_prefixes: tuple[str, ...] = ()  # "the", "den": what follows is a day of the month
    of_words: tuple[str, ...] = ()  # "of" as in "7th of December"
    ordinal_suffixes: tuple[str, ...] = ()  # "th" as in "7th"; "7." works everywhere
    oclock_words: tuple[str, ...] = ()
    noon_words: tuple[str, ...] = ()  # unambiguously 12:00
    # Words that sound like a time but are ambiguous; the value says what to type instead.
    ambiguous_time_words: Mapping[str, str] = field(default_factory=dict)
    parts_of_day: Mapping[str, PartOfDay] = field(default_factory=dict)
    fillers: tuple[str, ...] = ()  # words that add nothing: "around", "ca."


def _with_ascii_spellings(words: tuple[str, ...]) -> tuple[str, ...]:
    """Danish letters as people type them on foreign keyboards: ø as oe or o, å as aa or a."""
    spellings = list(words)
    for word in words:
        for table in (
            str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}),
            str.maketrans({"æ": "a", "ø": "o", "å": "a"}),
        ):
            variant = word.translate(table)
            if variant not in spellings:
                spellings.append(variant)
    return tuple(spellings)


def _ascii_keys(mapping: Mapping[str, _Value]) -> dict[str, _Value]:
    return {
        spelling: value
        for key, value in mapping.items()
        for spelling in _with_ascii_spellings((key,))
    }


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _numbered(words: str) -> dict[str, int]:
    return {word: number for number, word in enumerate(words.split(), start=1)}


ENGLISH = Language(
    code="en",
    day_first=True,  # the project runs European programmes: 02/12 is 2 December
    weekdays=(
        ("monday", "mon"),
        ("tuesday", "tue", "tues", "teusday"),
        ("wednesday", "wed", "weds", "wensday", "wednsday", "wedensday"),
        ("thursday", "thu", "thur", "thurs", "thursady", "thurday"),
        ("friday", "fri", "firday"),
        ("saturday", "sat"),
        ("sunday", "sun"),
    ),
    months=(
        ("january", "jan"),
        ("february", "feb", "febuary"),
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
    weekday_short=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    month_short=_words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
    echo_format="{weekday} {day} {month}{year}, {hour:02d}:{minute:02d}",
    relative_days={
        "today": 0,
        "tdy": 0,
        "tomorrow": 1,
        "tmrw": 1,
        "tmr": 1,
        "tmw": 1,
        "tomorow": 1,
        "tommorow": 1,
        "tommorrow": 1,
        "tomorrrow": 1,
        "day after tomorrow": 2,
        "the day after tomorrow": 2,
        "overmorrow": 2,
        "yesterday": -1,
        "day before yesterday": -2,
        "the day before yesterday": -2,
    },
    weekday_modifiers={
        "on": WeekdayModifier.UPCOMING,
        "coming": WeekdayModifier.UPCOMING,
        "upcoming": WeekdayModifier.UPCOMING,
        "this coming": WeekdayModifier.UPCOMING,
        "on the coming": WeekdayModifier.UPCOMING,
        "this": WeekdayModifier.THIS,
        "on this": WeekdayModifier.THIS,
        "next": WeekdayModifier.NEXT,
        "nxt": WeekdayModifier.NEXT,
        "on next": WeekdayModifier.NEXT,
        "last": WeekdayModifier.LAST,
        "on last": WeekdayModifier.LAST,
        "past": WeekdayModifier.LAST,
        "previous": WeekdayModifier.LAST,
    },
    week_shifts={
        "this week": 0,
        "next week": 1,
        "last week": -1,
        "the week after next": 2,
    },
    week_number_words=("week", "wk", "in week"),
    offset_prefixes=("in",),
    offset_suffixes=("from now", "from today"),
    day_units=("day", "days"),
    week_units=("week", "weeks"),
    counts={"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6},
    hour_words=_numbered("one two three four five six seven eight nine ten eleven twelve"),
    hour_fractions={"half past": 30, "quarter past": 15, "a quarter past": 15, "quarter to": -15},
    time_prefixes=("at", "around", "about", "approx", "approximately", "ca", "starting at"),
    range_starts=("from", "between"),
    range_joiners=("to", "till", "til", "until", "and"),
    date_prefixes=("the", "on", "on the"),
    of_words=("of",),
    ordinal_suffixes=("st", "nd", "rd", "th"),
    oclock_words=("oclock",),
    noon_words=("noon", "midday"),
    ambiguous_time_words={
        "midnight": "type the day and “00:00” for the start of a day, or “23:59” for its end",
    },
    parts_of_day={
        "morning": PartOfDay(5, 11),
        "in the morning": PartOfDay(5, 11),
        "afternoon": PartOfDay(12, 18),
        "in the afternoon": PartOfDay(12, 18),
        "evening": PartOfDay(17, 23),
        "in the evening": PartOfDay(17, 23),
        "night": PartOfDay(18, 23),
        "at night": PartOfDay(18, 23),
        "this morning": PartOfDay(5, 11, is_today=True),
        "this afternoon": PartOfDay(12, 18, is_today=True),
        "this evening": PartOfDay(17, 23, is_today=True),
        "tonight": PartOfDay(17, 23, is_today=True),
        "tonite": PartOfDay(17, 23, is_today=True),
    },
    fillers=("ish",),
)


_DANISH_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

DANISH = Language(
    code="da",
    day_first=True,
    weekdays=tuple(
        _with_ascii_spellings((name, *short, name + "en"))
        for name, short in zip(
            _DANISH_WEEKDAYS,
            (("man",), ("tir", "tirs"), ("ons",), ("tor", "tors"), ("fre",), ("lør",), ("søn",)),
            strict=True,
        )
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
    weekday_short=("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn."),
    month_short=_words("jan. feb. mar. apr. maj jun. jul. aug. sep. okt. nov. dec."),
    echo_format="{weekday} {day}. {month}{year} kl. {hour:02d}:{minute:02d}",
    relative_days=_ascii_keys(
        {
            "i dag": 0,
            "idag": 0,
            "i morgen": 1,
            "imorgen": 1,
            "i mrg": 1,
            "imrg": 1,
            "i overmorgen": 2,
            "iovermorgen": 2,
            "overmorgen": 2,
            "i går": -1,
            "igår": -1,
            "i forgårs": -2,
            "iforgårs": -2,
        }
    ),
    weekday_modifiers=_ascii_keys(
        {
            "på": WeekdayModifier.UPCOMING,
            "kommende": WeekdayModifier.UPCOMING,
            "på kommende": WeekdayModifier.UPCOMING,
            "denne": WeekdayModifier.THIS,
            "næste": WeekdayModifier.NEXT,
            "på næste": WeekdayModifier.NEXT,
            "sidste": WeekdayModifier.LAST,
            "forrige": WeekdayModifier.LAST,
        }
    ),
    weekday_phrases=_ascii_keys(
        {
            f"i {name}s": (index, WeekdayModifier.MOST_RECENT)
            for index, name in enumerate(_DANISH_WEEKDAYS)
        }
    ),
    week_shifts=_ascii_keys(
        {
            "denne uge": 0,
            "i denne uge": 0,
            "næste uge": 1,
            "i næste uge": 1,
            "i den kommende uge": 1,
            "sidste uge": -1,
            "i sidste uge": -1,
            "i forrige uge": -1,
        }
    ),
    week_number_words=("uge", "i uge"),
    offset_prefixes=("om",),
    offset_suffixes=(),
    day_units=("dag", "dage"),
    week_units=("uge", "uger"),
    counts={"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6},
    hour_words=_numbered("et to tre fire fem seks syv otte ni ti elleve tolv"),
    hour_fractions={"halv": -30, "kvart over": 15, "kvart i": -15},
    time_prefixes=("kl", "klokken", "ved", "omkring", "ca", "cirka"),
    range_starts=("fra", "mellem"),
    range_joiners=("til", "og"),
    date_prefixes=("den", "d", "på den"),
    of_words=(),
    ordinal_suffixes=(),
    oclock_words=(),
    noon_words=(),
    ambiguous_time_words={
        "middag": "“middag” can mean noon or dinner time: type a time like “kl. 12” or “kl. 18”",
        "midnat": "type the day and “00:00” for the start of a day, or “23:59” for its end",
    },
    parts_of_day=_ascii_keys(
        {
            "morgen": PartOfDay(5, 11),
            "tidlig": PartOfDay(5, 11),
            "om morgenen": PartOfDay(5, 11),
            "formiddag": PartOfDay(8, 12),
            "om formiddagen": PartOfDay(8, 12),
            "eftermiddag": PartOfDay(12, 18),
            "om eftermiddagen": PartOfDay(12, 18),
            "aften": PartOfDay(17, 23),
            "om aftenen": PartOfDay(17, 23),
            "i formiddag": PartOfDay(8, 12, is_today=True),
            "i eftermiddag": PartOfDay(12, 18, is_today=True),
            "i aften": PartOfDay(17, 23, is_today=True),
            "iaften": PartOfDay(17, 23, is_today=True),
        }
    ),
    fillers=("cirka",),
)

LANGUAGES: Mapping[str, Language] = {language.code: language for language in (ENGLISH, DANISH)}
