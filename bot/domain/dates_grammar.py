"""Every way a short text can be read as date and time pieces, in one language.

The text is cut into tokens and matched against a small grammar built from the language's word
table (`dates_languages`). A *reading* is a sequence of pieces (a weekday, a calendar date, a time
of day, ...) that uses every token: a text with a word we do not know has no reading at all, so
"Do you have a car" or "tomorrow unless it rains" is never half-read. `bot.domain.dates` decides
what the readings mean and refuses when they disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum, auto

from bot.domain.dates_languages import Language, PartOfDay, WeekdayModifier

_TOKEN = re.compile(r"\d+|[^\W\d_]+|\S")
_FILLER_SYMBOLS = frozenset(",;:!?()[]{}\"'*~|")
# Enough for any sensible text; a pathological one stops early and is refused.
_MAX_READINGS = 64


@dataclass(frozen=True)
class Token:
    text: str
    glued: bool  # written right after the previous token, with no space between

    @property
    def is_number(self) -> bool:
        return self.text.isdigit()


def normalise(text: str) -> str:
    """Fold the many ways of typing the same thing into one, before cutting into tokens."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"\bo\s?'?\s?clock\b", " oclock", text)
    text = re.sub(r"(?<=\d)\s*([ap])\.?\s?m\b\.?", r" \1m", text)
    return re.sub(r"-ish\b", " ish", text)


def tokenise(text: str) -> list[Token]:
    tokens = []
    previous_end = -1
    for match in _TOKEN.finditer(normalise(text)):
        tokens.append(Token(match.group(), glued=match.start() == previous_end))
        previous_end = match.end()
    return tokens


# --- The pieces a reading is made of --------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """One time of day as written. `hour` is as typed (4 in "4pm"); meridiem applies later."""

    hour: int
    minute: int
    meridiem: str | None = None  # "am" or "pm"
    twenty_four_hour: bool = False  # "07:30", "0:15", "16": cannot be a 12-hour reading
    bare: bool = False  # just a number ("16"): a time only right after a day
    word: bool = False  # "ten": a time only with "at"/"kl." or "pm"
    noon: bool = False
    # Written like a Danish date too: "10.12" is 10 December as well as 10:12.
    date_like: bool = False
    ambiguous_hint: str | None = None  # "midnight": refused with this hint


@dataclass(frozen=True)
class TimeOfDay:
    start: Clock
    end: Clock | None  # "15-17": the start counts, the end only has to come after it
    bare: bool  # no "at"/"kl.", no minutes, no am/pm: "fredag 16"
    # The range "10-12" could also be the date 10/12 (day-month).
    dash_date: tuple[int, int] | None = None
    trailing_dot: bool = False  # "fredag 14." may be "Friday the 14th"


@dataclass(frozen=True)
class Weekday:
    index: int  # Monday is 0
    modifier: WeekdayModifier | None


@dataclass(frozen=True)
class RelativeDay:
    days: int  # tomorrow is 1
    text: str


@dataclass(frozen=True)
class DayOffset:
    days: int  # "in 3 days"
    text: str


@dataclass(frozen=True)
class WeekShift:
    weeks: int  # "next week" is 1


@dataclass(frozen=True)
class WeekNumber:
    number: int  # ISO week, as Danes say "uge 49"


@dataclass(frozen=True)
class CalendarDate:
    day: int
    month: int | None  # None: "the 4th", "den 4."
    year: int | None
    numeric_dot: bool = False  # "10.12": could be 10:12 as well


@dataclass(frozen=True)
class DayPart:
    part: PartOfDay
    text: str


Piece = (
    TimeOfDay | Weekday | RelativeDay | DayOffset | WeekShift | WeekNumber | CalendarDate | DayPart
)
Reading = tuple[Piece, ...]
_DAY_PIECES = (Weekday, RelativeDay, DayOffset, WeekShift, WeekNumber, CalendarDate, DayPart)


class _Kind(Enum):
    WEEKDAY = auto()
    MONTH = auto()
    RELATIVE_DAY = auto()
    WEEKDAY_MODIFIER = auto()
    WEEKDAY_PHRASE = auto()
    WEEK_SHIFT = auto()
    WEEK_NUMBER = auto()
    OFFSET_PREFIX = auto()
    OFFSET_SUFFIX = auto()
    DAY_UNIT = auto()
    WEEK_UNIT = auto()
    COUNT = auto()
    HOUR_WORD = auto()
    HOUR_FRACTION = auto()
    TIME_PREFIX = auto()
    RANGE_START = auto()
    RANGE_JOINER = auto()
    DATE_PREFIX = auto()
    OF = auto()
    ORDINAL = auto()
    OCLOCK = auto()
    NOON = auto()
    AMBIGUOUS_TIME = auto()
    PART_OF_DAY = auto()
    FILLER = auto()
    MERIDIEM = auto()


# Understood whatever the language: "4pm", "@ 16:00".
_NEUTRAL_WORDS: dict[str, tuple[_Kind, object]] = {
    "am": (_Kind.MERIDIEM, "am"),
    "pm": (_Kind.MERIDIEM, "pm"),
    "@": (_Kind.TIME_PREFIX, None),
}


class _Lexicon:
    """The language's words and phrases, found by their first word."""

    def __init__(self, language: Language) -> None:
        self._by_first_word: dict[str, list[tuple[tuple[str, ...], _Kind, object]]] = {}
        for phrase, (kind, value) in _NEUTRAL_WORDS.items():
            self._add(phrase, kind, value)
        for index, spellings in enumerate(language.weekdays):
            for spelling in spellings:
                self._add(spelling, _Kind.WEEKDAY, index)
        for index, spellings in enumerate(language.months, start=1):
            for spelling in spellings:
                self._add(spelling, _Kind.MONTH, index)
        tables: list[tuple[_Kind, object]] = [
            (_Kind.RELATIVE_DAY, language.relative_days),
            (_Kind.WEEKDAY_MODIFIER, language.weekday_modifiers),
            (_Kind.WEEKDAY_PHRASE, language.weekday_phrases),
            (_Kind.WEEK_SHIFT, language.week_shifts),
            (_Kind.COUNT, language.counts),
            (_Kind.HOUR_WORD, language.hour_words),
            (_Kind.HOUR_FRACTION, language.hour_fractions),
            (_Kind.AMBIGUOUS_TIME, language.ambiguous_time_words),
            (_Kind.PART_OF_DAY, language.parts_of_day),
            (_Kind.WEEK_NUMBER, dict.fromkeys(language.week_number_words)),
            (_Kind.OFFSET_PREFIX, dict.fromkeys(language.offset_prefixes)),
            (_Kind.OFFSET_SUFFIX, dict.fromkeys(language.offset_suffixes)),
            (_Kind.DAY_UNIT, dict.fromkeys(language.day_units)),
            (_Kind.WEEK_UNIT, dict.fromkeys(language.week_units)),
            (_Kind.TIME_PREFIX, dict.fromkeys(language.time_prefixes)),
            (_Kind.RANGE_START, dict.fromkeys(language.range_starts)),
            (_Kind.RANGE_JOINER, dict.fromkeys(language.range_joiners)),
            (_Kind.DATE_PREFIX, dict.fromkeys(language.date_prefixes)),
            (_Kind.OF, dict.fromkeys(language.of_words)),
            (_Kind.ORDINAL, dict.fromkeys(language.ordinal_suffixes)),
            (_Kind.OCLOCK, dict.fromkeys(language.oclock_words)),
            (_Kind.NOON, dict.fromkeys(language.noon_words)),
            (_Kind.FILLER, dict.fromkeys(language.fillers)),
        ]
        for kind, table in tables:
            for phrase, value in table.items():  # type: ignore[attr-defined]
                self._add(phrase, kind, value)
        self.words = frozenset(
            word for entries in self._by_first_word.values() for p, _, _ in entries for word in p
        )

    def _add(self, phrase: str, kind: _Kind, value: object) -> None:
        words = tuple(_token.text for _token in tokenise(phrase))
        self._by_first_word.setdefault(words[0], []).append((words, kind, value))

    def match(
        self, tokens: Sequence[Token], start: int, kind: _Kind
    ) -> Iterator[tuple[object, int]]:
        """Each (value, end) of a `kind` phrase at `start`; an abbreviation's dot is part of it."""
        if start >= len(tokens):
            return
        for words, entry_kind, value in self._by_first_word.get(tokens[start].text, ()):
            end = start + len(words)
            if entry_kind is not kind or end > len(tokens):
                continue
            if any(tokens[start + n].text != word for n, word in enumerate(words)):
                continue
            if end < len(tokens) and tokens[end].text == "." and tokens[end].glued:
                end += 1
            yield value, end


class Grammar:
    """All readings of a text in one language."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._lexicon = _Lexicon(language)

    def unknown_words(self, tokens: Sequence[Token]) -> list[str]:
        return [
            token.text
            for token in tokens
            if not token.is_number
            and token.text not in self._lexicon.words
            and token.text not in _FILLER_SYMBOLS
            and token.text not in {".", "-", "/", "h", "t", "tiden"}
        ]

    def readings(self, tokens: Sequence[Token]) -> list[Reading]:
        found: list[Reading] = []
        self._walk(tokens, 0, (), found)
        return [reading for reading in dict.fromkeys(found) if _is_complete(reading)]

    # The search: at each position skip a filler or take any piece that fits there.

    def _walk(
        self, tokens: Sequence[Token], position: int, pieces: Reading, found: list[Reading]
    ) -> None:
        if len(found) >= _MAX_READINGS:
            return
        if position == len(tokens):
            found.append(pieces)
            return
        if self._is_filler(tokens, position):
            self._walk(tokens, position + 1, pieces, found)
        for _, end in self._lexicon.match(tokens, position, _Kind.FILLER):
            self._walk(tokens, end, pieces, found)
        for piece, end in self._pieces_at(tokens, position):
            if _may_follow(pieces, piece):
                self._walk(tokens, end, (*pieces, piece), found)

    @staticmethod
    def _is_filler(tokens: Sequence[Token], position: int) -> bool:
        token = tokens[position]
        if token.text in _FILLER_SYMBOLS or token.text == ".":
            return True
        # A dash standing alone between words ("fri - 14:00"), not a range like "15-17".
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        return token.text == "-" and not token.glued and (following is None or not following.glued)

    def _pieces_at(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[Piece, int]]:
        token = tokens[position]
        if token.is_number and token.glued and tokens[position - 1].text in {".", "/", ":", "-"}:
            return  # "10.12" is one thing, never "10." followed by "12"
        yield from self._times(tokens, position)
        yield from self._weekdays(tokens, position)
        yield from self._calendar_dates(tokens, position)
        match = self._lexicon.match
        for days, end in match(tokens, position, _Kind.RELATIVE_DAY):
            yield RelativeDay(int(days), _text(tokens, position, end)), end  # type: ignore[call-overload]
        for weeks, end in match(tokens, position, _Kind.WEEK_SHIFT):
            yield WeekShift(int(weeks)), end  # type: ignore[call-overload]
        for part, end in match(tokens, position, _Kind.PART_OF_DAY):
            assert isinstance(part, PartOfDay)
            yield DayPart(part, _text(tokens, position, end)), end
        for _, end in match(tokens, position, _Kind.WEEK_NUMBER):
            number = _number(tokens, end, digits=(1, 2))
            if number is not None and 1 <= number <= 53:
                yield WeekNumber(number), end + 1
        yield from self._day_offsets(tokens, position)

    # --- days ---------------------------------------------------------------------------

    def _weekdays(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[Piece, int]]:
        match = self._lexicon.match
        for index, end in match(tokens, position, _Kind.WEEKDAY):
            yield Weekday(int(index), None), end  # type: ignore[call-overload]
        for modifier, after in match(tokens, position, _Kind.WEEKDAY_MODIFIER):
            for index, end in match(tokens, after, _Kind.WEEKDAY):
                yield Weekday(int(index), WeekdayModifier(modifier)), end  # type: ignore[call-overload]
        for value, end in match(tokens, position, _Kind.WEEKDAY_PHRASE):
            index, modifier = value  # type: ignore[misc]
            yield Weekday(index, modifier), end

    def _day_offsets(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[Piece, int]]:
        match = self._lexicon.match
        for _, after_prefix in match(tokens, position, _Kind.OFFSET_PREFIX):
            for count, after_count in self._counts(tokens, after_prefix):
                for days, end in self._units(tokens, after_count):
                    yield DayOffset(count * days, _text(tokens, position, end)), end
        for count, after_count in self._counts(tokens, position):
            for days, after_unit in self._units(tokens, after_count):
                for _, end in match(tokens, after_unit, _Kind.OFFSET_SUFFIX):
                    yield DayOffset(count * days, _text(tokens, position, end)), end

    def _counts(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[int, int]]:
        number = _number(tokens, position, digits=(1, 3))
        if number is not None:
            yield number, position + 1
        for count, end in self._lexicon.match(tokens, position, _Kind.COUNT):
            yield int(count), end  # type: ignore[call-overload]

    def _units(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[int, int]]:
        for _, end in self._lexicon.match(tokens, position, _Kind.DAY_UNIT):
            yield 1, end
        for _, end in self._lexicon.match(tokens, position, _Kind.WEEK_UNIT):
            yield 7, end

    def _calendar_dates(
        self, tokens: Sequence[Token], position: int
    ) -> Iterator[tuple[Piece, int]]:
        starts = [(position, False)]
        starts += [
            (end, True) for _, end in self._lexicon.match(tokens, position, _Kind.DATE_PREFIX)
        ]
        for start, prefixed in starts:
            yield from self._day_then_month(tokens, start, prefixed)
            yield from self._numeric_dates(tokens, start)
            if not prefixed:
                yield from self._month_then_day(tokens, start)
                yield from self._iso_dates(tokens, start)

    def _day_number(
        self, tokens: Sequence[Token], position: int
    ) -> Iterator[tuple[int, int, bool]]:
        """(day, end, has an ordinal mark) for "7", "7th", "7."."""
        day = _number(tokens, position, digits=(1, 2))
        if day is None or not 1 <= day <= 31:
            return
        end = position + 1
        yield day, end, False
        if _glued_text(tokens, end) == ".":
            yield day, end + 1, True
        elif end < len(tokens) and tokens[end].glued:
            for _, after in self._lexicon.match(tokens, end, _Kind.ORDINAL):
                yield day, after, True

    def _day_then_month(
        self, tokens: Sequence[Token], position: int, prefixed: bool
    ) -> Iterator[tuple[Piece, int]]:
        match = self._lexicon.match
        for day, after_day, ordinal in self._day_number(tokens, position):
            if prefixed or ordinal:
                yield CalendarDate(day, None, None), after_day  # "the 4th", "den 4."
            month_starts = [after_day]
            month_starts += [end for _, end in match(tokens, after_day, _Kind.OF)]
            for month_start in month_starts:
                for month, after_month in match(tokens, month_start, _Kind.MONTH):
                    for year, end in _optional_year(tokens, after_month):
                        yield CalendarDate(day, int(month), year), end  # type: ignore[call-overload]

    def _month_then_day(
        self, tokens: Sequence[Token], position: int
    ) -> Iterator[tuple[Piece, int]]:
        for month, after_month in self._lexicon.match(tokens, position, _Kind.MONTH):
            day_starts = [after_month]
            day_starts += [
                end for _, end in self._lexicon.match(tokens, after_month, _Kind.DATE_PREFIX)
            ]
            for day_start in day_starts:
                for day, after_day, _ in self._day_number(tokens, day_start):
                    for year, end in _optional_year(tokens, after_day):
                        yield CalendarDate(day, int(month), year), end  # type: ignore[call-overload]

    def _numeric_dates(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[Piece, int]]:
        """24/11, 24.11., 24-11, 24/11/2026, 24.11.26, and the Danish 24/11-2026."""
        first = _number(tokens, position, digits=(1, 2))
        separator = _glued_text(tokens, position + 1)
        second = _glued_number(tokens, position + 2, digits=(1, 2))
        if first is None or separator not in {"/", ".", "-"} or second is None:
            return
        day, month = (first, second) if self.language.day_first else (second, first)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return
        end = position + 3
        year_separator = _glued_text(tokens, end)
        year = _glued_number(tokens, end + 1, digits=(2, 4))
        dotted = separator == "."
        if (
            year_separator in {separator, "-"}
            and year is not None
            and len(tokens[end + 1].text) != 3
        ):
            full_year = year if year >= 100 else 2000 + year
            year_end = end + 2
            if dotted and _glued_text(tokens, year_end) == ".":
                year_end += 1
            yield CalendarDate(day, month, full_year), year_end
            return
        if dotted and year_separator == ".":
            yield CalendarDate(day, month, None), end + 1  # "2.12." with its closing dot
            return
        yield CalendarDate(day, month, None, numeric_dot=dotted), end

    def _iso_dates(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[Piece, int]]:
        """2026-12-02 (and 2026/12/02), optionally glued to a time by "T"."""
        year = _number(tokens, position, digits=(4, 4))
        separator = _glued_text(tokens, position + 1)
        month = _glued_number(tokens, position + 2, digits=(1, 2))
        day = _glued_number(tokens, position + 4, digits=(1, 2))
        if year is None or separator not in {"-", "/"} or month is None or day is None:
            return
        if _glued_text(tokens, position + 3) != separator:
            return
        end = position + 5
        if _glued_text(tokens, end) == "t":
            end += 1
        yield CalendarDate(day, month, year), end

    # --- times of day -------------------------------------------------------------------

    def _times(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[Piece, int]]:
        for clock_start, prefixed in self._time_prefixes(tokens, position):
            for start, after_start in self._clocks(tokens, clock_start):
                yield from self._time_of_day(tokens, start, None, after_start, prefixed)
                for joiner_end, by_dash in self._range_joiners(tokens, after_start):
                    for end_start, _ in self._time_prefixes(tokens, joiner_end):
                        for end, after_end in self._clocks(tokens, end_start):
                            dash_glued = by_dash and tokens[joiner_end - 1].glued
                            dash_glued = dash_glued and tokens[end_start].glued
                            yield from self._time_of_day(
                                tokens, start, end, after_end, prefixed, dash_glued=dash_glued
                            )

    def _time_of_day(
        self,
        tokens: Sequence[Token],
        start: Clock,
        end: Clock | None,
        after: int,
        prefixed: bool,
        *,
        dash_glued: bool = False,
    ) -> Iterator[tuple[Piece, int]]:
        clocks = [start] if end is None else [start, end]
        anchored = prefixed or any(
            not (clock.bare or clock.word) or clock.meridiem for clock in clocks
        )
        if not anchored and any(clock.word for clock in clocks):
            return  # "two" alone is a number, not a time
        bare = not anchored
        dash_date = None
        if bare and dash_glued and end is not None and 1 <= end.hour <= 12 and start.hour >= 1:
            dash_date = (start.hour, end.hour)
        trailing_dot = bare and _glued_text(tokens, after) == "."
        if bare and after < len(tokens):
            following = tokens[after]
            if any(True for _ in self._lexicon.match(tokens, after, _Kind.MONTH)):
                return  # "fredag 9 december": 9 is the day
            if following.glued and following.text not in {".", ","}:
                return
        yield TimeOfDay(start, end, bare, dash_date, trailing_dot), after

    def _time_prefixes(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[int, bool]]:
        """Where the clock starts after "at", "kl.", "fra kl." and the like; if any were read."""
        yield position, False
        match = self._lexicon.match
        firsts = [end for _, end in match(tokens, position, _Kind.RANGE_START)]
        firsts += [end for _, end in match(tokens, position, _Kind.TIME_PREFIX)]
        for first in firsts:
            yield first, True
            for _, second in match(tokens, first, _Kind.TIME_PREFIX):
                yield second, True

    def _range_joiners(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[int, bool]]:
        """Where the end of a range starts, and whether a dash joined it."""
        if position < len(tokens) and tokens[position].text == "-":
            yield position + 1, True
        for _, end in self._lexicon.match(tokens, position, _Kind.RANGE_JOINER):
            yield end, False

    def _clocks(self, tokens: Sequence[Token], position: int) -> Iterator[tuple[Clock, int]]:
        if position >= len(tokens):
            return
        match = self._lexicon.match
        for clock, end in self._plain_clocks(tokens, position):
            yield from self._with_suffixes(tokens, clock, end)
        for offset, after in match(tokens, position, _Kind.HOUR_FRACTION):
            for clock, end in self._plain_clocks(tokens, after, whole_hours_only=True):
                total = clock.hour * 60 + int(offset)  # type: ignore[call-overload]
                if clock.hour <= 12 and total < 60:
                    total += 12 * 60  # Danish "halv et" is 12:30
                shifted = Clock(
                    total // 60,
                    total % 60,
                    twenty_four_hour=total // 60 >= 13,
                    bare=False,
                )
                yield from self._with_suffixes(tokens, shifted, end)
        for _, end in match(tokens, position, _Kind.NOON):
            yield Clock(12, 0, noon=True, twenty_four_hour=True), end
        for hint, end in match(tokens, position, _Kind.AMBIGUOUS_TIME):
            yield Clock(0, 0, ambiguous_hint=str(hint)), end

    def _plain_clocks(
        self, tokens: Sequence[Token], position: int, *, whole_hours_only: bool = False
    ) -> Iterator[tuple[Clock, int]]:
        token = tokens[position] if position < len(tokens) else None
        if token is None:
            return
        for hour, end in self._lexicon.match(tokens, position, _Kind.HOUR_WORD):
            yield Clock(int(hour), 0, word=True), end  # type: ignore[call-overload]
        if not token.is_number:
            return
        if len(token.text) in (3, 4) and not whole_hours_only:
            # "930am", "1600h": only with a mark saying it is a time (checked by the caller).
            hour, minute = divmod(int(token.text), 100)
            twenty_four = hour == 0 or hour >= 13 or token.text.startswith("0")
            if hour <= 23 and minute <= 59:
                yield Clock(hour, minute, twenty_four_hour=twenty_four, word=True), position + 1
            return
        if len(token.text) > 2:
            return
        hour = int(token.text)
        if hour > 24:
            return
        twenty_four = hour == 0 or hour >= 13 or token.text.startswith("0")
        yield Clock(hour, 0, twenty_four_hour=twenty_four, bare=True), position + 1
        if whole_hours_only:
            return
        separator = _glued_text(tokens, position + 1)
        minute = _glued_number(tokens, position + 2, digits=(2, 2))
        if separator in {":", "."} and minute is not None and minute <= 59:
            end = position + 3
            if separator == ":" and _glued_text(tokens, end) == ":":
                if _glued_text(tokens, end + 1) != "00":
                    return  # seconds other than :00 are not a meeting time
                end += 2
            date_like = separator == "." and 1 <= hour <= 31 and 1 <= minute <= 12
            yield Clock(hour, minute, twenty_four_hour=twenty_four, date_like=date_like), end
        if _glued_text(tokens, position + 1) == "h":
            minute = _glued_number(tokens, position + 2, digits=(2, 2))
            if minute is not None and minute <= 59:
                yield Clock(hour, minute, twenty_four_hour=True), position + 3
            else:
                yield Clock(hour, 0, twenty_four_hour=True), position + 2

    def _with_suffixes(
        self, tokens: Sequence[Token], clock: Clock, position: int
    ) -> Iterator[tuple[Clock, int]]:
        yield clock, position
        match = self._lexicon.match
        for meridiem, end in match(tokens, position, _Kind.MERIDIEM):
            yield _marked(clock, meridiem=str(meridiem)), end
        for _, end in match(tokens, position, _Kind.OCLOCK):
            yield _marked(clock), end
        if clock.hour == 12 and clock.minute == 0:
            for _, end in match(tokens, position, _Kind.NOON):
                yield _marked(clock, twenty_four_hour=True), end
        # Danish "14-tiden": around 14.
        if _glued_text(tokens, position) == "-" and _glued_text(tokens, position + 1) == "tiden":
            yield _marked(clock), position + 2


def _marked(clock: Clock, **changes: object) -> Clock:
    """The clock with a mark (am/pm, o'clock) that makes it certainly a time."""
    fields = {**clock.__dict__, "bare": False, "word": False, **changes}
    return Clock(**fields)  # type: ignore[arg-type]


def _text(tokens: Sequence[Token], start: int, end: int) -> str:
    return " ".join(token.text for token in tokens[start:end])


def _number(tokens: Sequence[Token], position: int, *, digits: tuple[int, int]) -> int | None:
    if position >= len(tokens) or not tokens[position].is_number:
        return None
    if not digits[0] <= len(tokens[position].text) <= digits[1]:
        return None
    return int(tokens[position].text)


def _glued_number(tokens: Sequence[Token], position: int, *, digits: tuple[int, int]) -> int | None:
    if position >= len(tokens) or not tokens[position].glued:
        return None
    return _number(tokens, position, digits=digits)


def _glued_text(tokens: Sequence[Token], position: int) -> str | None:
    if position >= len(tokens) or not tokens[position].glued:
        return None
    return tokens[position].text


def _optional_year(tokens: Sequence[Token], position: int) -> Iterator[tuple[int | None, int]]:
    yield None, position
    start = position + 1 if position < len(tokens) and tokens[position].text == "," else position
    year = _number(tokens, start, digits=(4, 4))
    if year is not None:
        yield year, start + 1


def _may_follow(pieces: Reading, piece: Piece) -> bool:
    """Prune readings that can never make sense: two times, two weekdays, a stray number."""
    if isinstance(piece, TimeOfDay):
        if any(isinstance(p, TimeOfDay) for p in pieces):
            return False
        # A bare number is a time only right after a day: "fredag 16", "24. nov 17".
        return not piece.bare or (bool(pieces) and isinstance(pieces[-1], _DAY_PIECES))
    for single in (Weekday, DayPart, WeekShift, WeekNumber, CalendarDate):
        if isinstance(piece, single) and any(isinstance(p, single) for p in pieces):
            return False
    return True


def _is_complete(reading: Reading) -> bool:
    """Week words need a weekday ("next week" alone is not a day)."""
    has_week = any(isinstance(p, WeekShift | WeekNumber) for p in reading)
    has_weekday = any(isinstance(p, Weekday) for p in reading)
    others = any(isinstance(p, RelativeDay | DayOffset | CalendarDate) for p in reading)
    if has_week and (not has_weekday or others):
        return False
    return bool(reading)
