"""Understanding the dates students type, in English, Danish, German, Portuguese and Polish,
without ever guessing.

Built on dateparser, with what it needs around it:

1. Each language's words are mapped onto one canonical English form (`LANGUAGES`): weekdays
   and months in every form people type (Polish "we wtorek", "26 listopada"), relative words
   ("i morgen", "übermorgen", "depois de amanhã", "pojutrze"), clock markers ("kl.", "um",
   "às", "godz."), "16 Uhr" and "16h30", ranges ("15:00-17:00", "3pm-5pm", "von 14 bis 16")
   whose start counts, offsets ("in 3 days", "om en uge", "za tydzień"), "next week" with a
   weekday, and parts of the day ("tonight", "heute Abend", "à noite") that make "at 8" 20:00.
   Accents are optional, as people type them. Adding a language is adding one `Language`.
2. The canonical text is checked before anything is resolved: every word must be known (so
   "tomorrow unless it rains" or "Do you have a car" is refused, not half-read), there must
   be a day and exactly one time of day, and a typed day and month must exist (31/11 does not).
3. Days counted from today ("tomorrow", "in 3 days") and weekdays of next week are resolved
   here; weekdays and calendar dates are read by dateparser (day-first, relative to the term's
   local now). Then the result is checked: a stated weekday must match the date, the moment
   must be on the right side of now and within a year. With several languages, every reading
   must agree.

Every refusal is a `DateNotUnderstood` whose phrase says what to type instead, in the
reader's language (the listener that answers knows who reads it), with an example in the
language the text was read in: the person typed in it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time

from bot.domain.errors import UserError
from bot.domain.text import Mrkdwn, escape
from bot.i18n import ENGLISH as ENGLISH_CODE
from bot.i18n import Phrase, Translator, phrase, translator

MAX_AHEAD = timedelta(days=365)
UTC = ZoneInfo("UTC")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
DAYPARTS = ("morning", "afternoon", "evening")
SMALLEST_UNAMBIGUOUS_HOUR = 8
"""In English "at 4" could be 4 in the morning or the afternoon; from 8 on, it reads as
the 24-hour clock in the schemes we serve."""
LARGEST_OFFSET = 999
"""More days or weeks ahead than this is not a date anyone means (and is past the year)."""


class DateNotUnderstood(UserError, ValueError):
    """The text is not a date and time we can be sure of; the phrase says what to type.

    A `UserError`, so a refusal is said like any other: `error.say(t)` in the reader's
    language, or `error.phrase` (also its one argument) as a value of the caller's own
    phrase (`FieldError(WHEN, error.phrase)`). `str(error)` is the same in English as plain
    text, what was typed shown as typed: for the CLI, whose output stays English, and for
    the callers that still put it into their own words (they escape it, as any text).
    """

    phrase: Phrase

    def __init__(self, message: Phrase) -> None:
        super().__init__(message)
        self.args = (message,)

    def __str__(self) -> str:
        return _plain_english(self.phrase)


def _plain_english(said: Phrase) -> str:
    """`said` in English, its values unescaped (`Phrase.say` escapes them for mrkdwn). The
    refusals here count nothing, so there is no plural form to pick."""
    if isinstance(said, _InReadersWords):
        return said.render(translator(ENGLISH_CODE))
    values = {
        name: _plain_english(value) if isinstance(value, Phrase) else value
        for name, value in said.values.items()
    }
    return said.message.format(**values)


@dataclass(frozen=True, kw_only=True)
class _InReadersWords(Phrase):
    """A day, weekday, month or time of day named as the reader's language names it, by
    CLDR ("28 November", "28. november", "28 listopada"): a value of a refusal, said with
    the rest of it in the reader's language, whatever language the date was typed in. Its
    message is empty: CLDR has the words, there is nothing for translators."""

    render: Callable[[Translator], str]

    def say(self, t: Translator) -> Mrkdwn:
        return Mrkdwn(escape(self.render(t)))


def _day_named(day: date) -> Phrase:
    """ "28 November", "28. november", "28 de novembro", "28 listopada"."""
    return _InReadersWords("", render=lambda t: format_skeleton("MMMMd", day, locale=t.locale))


_A_MONDAY = date(2024, 1, 1)


def _weekday_named(weekday: int) -> Phrase:
    """ "Saturday", "lørdag", "Samstag", "sábado", "sobota" (0 is Monday)."""
    day = _A_MONDAY + timedelta(days=weekday)
    return _InReadersWords("", render=lambda t: format_date(day, "cccc", locale=t.locale))


def _month_named(month: int) -> Phrase:
    """A month's name as it follows a day's number ("31 November", Polish "31 listopada")."""
    return _InReadersWords("", render=lambda t: t.locale.months["format"]["wide"][month])


def _clock_named(hour: int, minute: int) -> Phrase:
    """ "02:30", Danish "02.30": a wall-clock time, whether or not it exists on a day."""
    moment = time(hour, minute)
    return _InReadersWords("", render=lambda t: format_time(moment, "short", locale=t.locale))


def _moment_named(moment: datetime) -> Phrase:
    """ "Mon 23 Nov, 10:00", "man. 23. nov. kl. 10.00", in the moment's own zone."""
    return _InReadersWords("", render=lambda t: t.moment(moment))


def _either(first: str, second: str) -> Phrase:
    """Two things to type, as they are typed: "“thu 16:00” or “2/12 16:30”"."""
    # TRANSLATORS: two examples of what to type; put them in your language's quotes.
    return phrase("“{first}” or “{second}”", first=first, second=second)


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    """The language's English name, as coordinators choose it (`lang=de` is German)."""
    examples: tuple[str, str]
    """What a refusal suggests typing instead, a weekday and a calendar date with a time,
    written as people write in this language."""
    weekdays: tuple[tuple[str, ...], ...]
    """Per weekday from Monday: every spelling people use (full name, abbreviations, cases)."""
    months: tuple[tuple[str, ...], ...]
    phrases: dict[str, str] = field(default_factory=dict)
    """Expressions → canonical English, applied longest first ("i morgen" → "tomorrow").
    Parts of the day become "morning", "afternoon" or "evening"; "next week" "nextweek"."""
    clock_words: tuple[str, ...] = ()
    """Words that announce a time: the number after them is an hour ("kl. 9" is 09:00)."""
    clock_is_24h: bool = True
    """Whether a bare hour after a clock word is on the 24-hour clock (Danish "kl. 4" is
    4 in the morning; English "at 4" is unclear and refused)."""
    hour_hints: tuple[str, ...] = ("{hour24}:{minutes}",)
    """How to write an afternoon hour unambiguously, for the refusal of "at 4": one way,
    or two (English "4pm" and "16:00")."""
    hour_words: tuple[str, ...] = ()
    """Words after an hour that make it a time ("16 Uhr", "16 horas"); "16h" is everywhere."""
    filler_words: tuple[str, ...] = ()
    """Words that carry no date information ("d.", "den", "on", "the")."""
    number_words: dict[str, int] = field(default_factory=dict)
    """Counts in words, for offsets ("in three days", "om en uge")."""
    units: dict[str, int] = field(default_factory=dict)
    """Day and week nouns in every form, with their length in days."""
    offsets: tuple[tuple[str, int], ...] = ()
    """Offset patterns with {n} and {unit}, and their direction: ("in {n} {unit}", 1)."""
    ranges: tuple[tuple[str, str], ...] = ()
    """Words around a range of times ("from", "to"): only its start counts."""
    short_weekdays: tuple[str, ...] = ()
    short_months: tuple[str, ...] = ()
    echo: str = "{weekday} {day} {month}, {time}"
    """How the bot echoes a moment it understood."""

    @property
    def example(self) -> Phrase:
        """The examples as a refusal's value: "“tor kl. 16” or “2/12 kl. 16.30”" in Danish,
        the "or" in the reader's language."""
        return _either(*self.examples)


def _counted(spec: str) -> dict[str, int]:
    """Number words from one up, alternatives for one number joined by "/":
    _counted("en/et to") is {"en": 1, "et": 1, "to": 2}."""
    return {
        word: value
        for value, words in enumerate(spec.split(), start=1)
        for word in words.split("/")
    }


def _names(spec: str) -> tuple[str, ...]:
    return tuple(spec.split())


ENGLISH = Language(
    code="en",
    name="English",
    examples=("thu 16:00", "2/12 16:30"),
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
        "tmrw": "tomorrow",
        "tmr": "tomorrow",
        "tmrrw": "tomorrow",
        "tomorow": "tomorrow",
        "next week": "nextweek",
        "next wk": "nextweek",
        "the week after": "",
        "tonight": "today evening",
        "this evening": "today evening",
        "this afternoon": "today afternoon",
        "this morning": "today morning",
        "in the evening": "evening",
        "in the afternoon": "afternoon",
        "in the morning": "morning",
        "night": "evening",
        "midday": "noon",
    },
    clock_words=("at", "@"),
    clock_is_24h=False,
    hour_hints=("{hour}{colon_minutes}pm", "{hour24}:{minutes}"),
    filler_words=("on", "the", "of", "-"),
    number_words=_counted("a/an/one two three four five six seven eight nine ten"),
    units={"day": 1, "days": 1, "week": 7, "weeks": 7, "wk": 7, "wks": 7},
    offsets=(
        ("in {n} {unit}", 1),
        ("{n} {unit} from now", 1),
        ("{n} {unit} from today", 1),
        ("{n} {unit} ago", -1),
    ),
    ranges=(("from", "to"), ("from", "until"), ("from", "till"), ("between", "and")),
    short_weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    short_months=_names("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
)

DANISH = Language(
    code="da",
    name="Danish",
    examples=("tor kl. 16", "2/12 kl. 16.30"),
    weekdays=(
        ("mandag", "man"),
        ("tirsdag", "tirs", "tir"),
        ("onsdag", "ons"),
        ("torsdag", "tors", "tor"),
        ("fredag", "fre"),
        ("lørdag", "lør", "loerdag"),
        ("søndag", "søn", "soendag"),
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
        "overmorgen": "in 2 days",
        "i morgen": "tomorrow",
        "imorgen": "tomorrow",
        "i dag": "today",
        "idag": "today",
        "i går": "yesterday",
        "igår": "yesterday",
        "i forgårs": "2 daysago",
        "i næste uge": "nextweek",
        "næste uge": "nextweek",
        "i den kommende uge": "nextweek",
        "kommende uge": "nextweek",
        "næste": "next",
        "kommende": "next",
        "på": "",
        "i aften": "today evening",
        "i eftermiddag": "today afternoon",
        "i formiddag": "today morning",
        "om aftenen": "evening",
        "om eftermiddagen": "afternoon",
        "om formiddagen": "morning",
        "om morgenen": "morning",
        "aften": "evening",
        "eftermiddag": "afternoon",
        "formiddag": "morning",
        "tidlig": "morning",
        "middag": "noon",
    },
    clock_words=("kl.", "kl", "klokken"),
    clock_is_24h=True,
    filler_words=("d", "den", "-"),
    number_words=_counted("en/et to tre fire fem seks syv otte ni ti"),
    units={"dag": 1, "dage": 1, "dags": 1, "uge": 7, "uger": 7},
    offsets=(("om {n} {unit}", 1), ("for {n} {unit} siden", -1)),
    ranges=(("fra", "til"), ("mellem", "og")),
    short_weekdays=("man", "tir", "ons", "tor", "fre", "lør", "søn"),
    short_months=_names("jan feb mar apr maj jun jul aug sep okt nov dec"),
    echo="{weekday} {day}. {month}, {time}",
)

GERMAN = Language(
    code="de",
    name="German",
    examples=("Do 16 Uhr", "2.12. 16:30"),
    weekdays=(
        ("montag", "mo", "mon"),
        ("dienstag", "di", "die"),
        ("mittwoch", "mi", "mit"),
        ("donnerstag", "do", "don"),
        ("freitag", "fr", "fre"),
        ("samstag", "sa", "sam", "sonnabend"),
        ("sonntag", "so", "son"),
    ),
    months=(
        ("januar", "jan", "jänner"),
        ("februar", "feb"),
        ("märz", "maerz", "mär", "mrz"),
        ("april", "apr"),
        ("mai",),
        ("juni", "jun"),
        ("juli", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "okt"),
        ("november", "nov"),
        ("dezember", "dez"),
    ),
    phrases={
        "übermorgen": "in 2 days",
        "uebermorgen": "in 2 days",
        "vorgestern": "2 daysago",
        "heute morgen": "today morning",
        "morgen früh": "tomorrow morning",
        "morgen frueh": "tomorrow morning",
        "am morgen": "morning",
        "morgen": "tomorrow",
        "heute": "today",
        "gestern": "yesterday",
        "nächste woche": "nextweek",
        "nächster woche": "nextweek",
        "naechste woche": "nextweek",
        "naechster woche": "nextweek",
        "kommende woche": "nextweek",
        "kommender woche": "nextweek",
        "in der nächsten woche": "nextweek",
        "in der naechsten woche": "nextweek",
        "nächsten": "next",
        "nächster": "next",
        "nächste": "next",
        "naechsten": "next",
        "naechster": "next",
        "naechste": "next",
        "kommenden": "next",
        "kommender": "next",
        "kommende": "next",
        "diesen": "this",
        "dieser": "this",
        "diesem": "this",
        "am abend": "evening",
        "abends": "evening",
        "abend": "evening",
        "am nachmittag": "afternoon",
        "nachmittags": "afternoon",
        "nachmittag": "afternoon",
        "am vormittag": "morning",
        "vormittags": "morning",
        "vormittag": "morning",
        "morgens": "morning",
        "früh": "morning",
        "frueh": "morning",
    },
    clock_words=("um", "gegen", "ab"),
    clock_is_24h=False,
    hour_hints=("{hour24}:{minutes} Uhr",),
    hour_words=("uhr",),
    filler_words=("am", "den", "der", "dem", "im", "-"),
    number_words=_counted(
        "ein/eine/einem/einer/einen/eins zwei drei vier fünf sechs sieben acht neun zehn"
    ),
    units={"tag": 1, "tage": 1, "tagen": 1, "woche": 7, "wochen": 7},
    offsets=(("in {n} {unit}", 1), ("vor {n} {unit}", -1)),
    ranges=(("von", "bis"), ("zwischen", "und")),
    short_weekdays=("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    short_months=_names("Jan Feb März Apr Mai Juni Juli Aug Sept Okt Nov Dez"),
    echo="{weekday} {day}. {month}, {time}",
)

PORTUGUESE = Language(
    code="pt",
    name="Portuguese",
    examples=("qui 16h", "2/12 16h30"),
    weekdays=(
        ("segunda-feira", "segunda", "seg", "2a", "2ª"),
        ("terça-feira", "terça", "ter", "3a", "3ª"),
        ("quarta-feira", "quarta", "qua", "4a", "4ª"),
        ("quinta-feira", "quinta", "qui", "5a", "5ª"),
        ("sexta-feira", "sexta", "sex", "6a", "6ª"),
        ("sábado", "sáb"),
        ("domingo", "dom"),
    ),
    months=(
        ("janeiro", "jan"),
        ("fevereiro", "fev"),
        ("março", "mar"),
        ("abril", "abr"),
        ("maio", "mai"),
        ("junho", "jun"),
        ("julho", "jul"),
        ("agosto", "ago"),
        ("setembro", "set"),
        ("outubro", "out"),
        ("novembro", "nov"),
        ("dezembro", "dez"),
    ),
    phrases={
        "depois de amanhã": "in 2 days",
        "anteontem": "2 daysago",
        "amanhã": "tomorrow",
        "hoje": "today",
        "ontem": "yesterday",
        "semana que vem": "nextweek",
        "próxima semana": "nextweek",
        "na próxima semana": "nextweek",
        "da próxima semana": "nextweek",
        "na semana que vem": "nextweek",
        "da semana que vem": "nextweek",
        "que vem": "next",
        "próxima": "next",
        "próximo": "next",
        "nesta": "this",
        "neste": "this",
        "esta noite": "today evening",
        "logo à noite": "today evening",
        "de manhã": "morning",
        "da manhã": "morning",
        "pela manhã": "morning",
        "manhã": "morning",
        "de tarde": "afternoon",
        "da tarde": "afternoon",
        "à tarde": "afternoon",
        "pela tarde": "afternoon",
        "tarde": "afternoon",
        "à noite": "evening",
        "de noite": "evening",
        "da noite": "evening",
        "pela noite": "evening",
        "noite": "evening",
        "meio-dia": "noon",
        "meio dia": "noon",
        "meia-noite": "midnight",
        "meia noite": "midnight",
    },
    clock_words=("às", "ás", "pelas", "por volta das"),
    clock_is_24h=False,
    hour_hints=("{hour24}h{minutes}",),
    hour_words=("hs", "hrs", "horas", "hora"),
    filler_words=("de", "do", "da", "dia", "na", "no", "ao", "em", "feira", "-"),
    number_words=_counted("um/uma dois/duas três quatro cinco seis sete oito nove dez"),
    units={"dia": 1, "dias": 1, "semana": 7, "semanas": 7},
    offsets=(
        ("daqui a {n} {unit}", 1),
        ("daqui {n} {unit}", 1),
        ("dentro de {n} {unit}", 1),
        ("em {n} {unit}", 1),
        ("há {n} {unit}", -1),
        ("faz {n} {unit}", -1),
        ("{n} {unit} atrás", -1),
    ),
    ranges=(("das", "às"), ("das", "até"), ("de", "às"), ("de", "até"), ("entre", "e")),
    short_weekdays=("seg", "ter", "qua", "qui", "sex", "sáb", "dom"),
    short_months=_names("jan fev mar abr mai jun jul ago set out nov dez"),
    echo="{weekday}, {day} de {month}, {time}",
)

POLISH = Language(
    code="pl",
    name="Polish",
    examples=("czw 16:00", "2.12 o 16:30"),
    weekdays=(
        ("poniedziałek", "pon", "pn"),
        ("wtorek", "wt", "wtor"),
        ("środa", "środę", "śr", "sr"),
        ("czwartek", "czw", "cz"),
        ("piątek", "pt", "pią"),
        ("sobota", "sobotę", "sob", "sb"),
        ("niedziela", "niedzielę", "niedz", "ndz", "nd"),
    ),
    months=(
        ("stycznia", "styczeń", "sty"),
        ("lutego", "luty", "lut"),
        ("marca", "marzec", "mar"),
        ("kwietnia", "kwiecień", "kwi"),
        ("maja", "maj"),
        ("czerwca", "czerwiec", "cze"),
        ("lipca", "lipiec", "lip"),
        ("sierpnia", "sierpień", "sie"),
        ("września", "wrzesień", "wrz"),
        ("października", "październik", "paź"),
        ("listopada", "listopad", "lis"),
        ("grudnia", "grudzień", "gru"),
    ),
    phrases={
        "pojutrze": "in 2 days",
        "przedwczoraj": "2 daysago",
        "jutro": "tomorrow",
        "dzisiaj": "today",
        "dziś": "today",
        "wczoraj": "yesterday",
        "za tydzień": "in 7 days",
        "za dzień": "in 1 days",
        "w przyszłym tygodniu": "nextweek",
        "w następnym tygodniu": "nextweek",
        "w kolejnym tygodniu": "nextweek",
        "przyszły tydzień": "nextweek",
        "przyszły": "next",
        "przyszłą": "next",
        "następny": "next",
        "następną": "next",
        "najbliższy": "next",
        "najbliższą": "next",
        "kolejny": "next",
        "kolejną": "next",
        "ten": "this",
        "tę": "this",
        "wieczorem": "evening",
        "wieczór": "evening",
        "po południu": "afternoon",
        "popołudniu": "afternoon",
        "przed południem": "morning",
        "rano": "morning",
        "z rana": "morning",
        "w południe": "noon",
        "o północy": "midnight",
    },
    clock_words=("o godzinie", "o godz.", "o godz", "godzinie", "godz.", "godz", "o"),
    clock_is_24h=False,
    filler_words=("w", "we", "dnia", "r", "-"),
    number_words=_counted(
        "jeden/jedną/jedna dwa/dwie trzy cztery pięć sześć siedem osiem dziewięć dziesięć"
    ),
    units={
        "dzień": 1,
        "dni": 1,
        "dnia": 1,
        "tydzień": 7,
        "tygodnie": 7,
        "tygodni": 7,
    },
    offsets=(("za {n} {unit}", 1), ("{n} {unit} temu", -1)),
    ranges=(("od", "do"), ("między", "a")),
    short_weekdays=("pon", "wt", "śr", "czw", "pt", "sob", "niedz"),
    short_months=_names("sty lut mar kwi maj cze lip sie wrz paź lis gru"),
)

LANGUAGES: dict[str, Language] = {
    language.code: language for language in (ENGLISH, DANISH, GERMAN, PORTUGUESE, POLISH)
}

# Canonical text may hold only these words besides numbers, times and dates.
_CANONICAL_WORDS = frozenset(
    {*WEEKDAYS, *MONTHS, *DAYPARTS, "today", "tomorrow", "yesterday", "next", "nextweek",
     "this", "in", "days", "day", "daysago", "am", "pm", "noon", "midnight"}
)  # fmt: skip
_NUMBERISH = re.compile(
    r"\d{1,2}:\d{2}(am|pm)?|\d{1,2}(am|pm)|\d{1,4}|\d{1,2}/\d{1,2}(/\d{2,4})?|\d{4}-\d{2}-\d{2}"
)
_TIME_TOKEN = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)|(\d{1,2}):(\d{2})|noon|midnight")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RELATIVE_DAY = re.compile(r"\b(today|tomorrow|yesterday|in (\d+) days?|(\d+) daysago)\b")
_DATEPARSER_WORDS = frozenset({*WEEKDAYS, *MONTHS, "next", "this"})
"""What may reach dateparser besides numbers: a counted day ("in 3 days") is resolved here,
and a stray "days" or "in" would make dateparser count from something else."""
_RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1}


def fold(text: str) -> str:
    """`text` without accents, as people type without their own keyboard ("amanha",
    "przyszly", "uebermorgen" is listed besides "übermorgen" where it is the usual spelling)."""
    text = text.replace("ł", "l").replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class _Vocabulary:
    """A language's tables with accents folded, as the text is folded before reading."""

    words: dict[str, str]
    phrases: dict[str, str]
    phrase_pattern: re.Pattern[str] | None
    """Every phrase at once, longest first, so one pass replaces them all."""
    offsets: tuple[tuple[re.Pattern[str], int], ...]
    clock_words: str
    numbers: dict[str, int]
    units: dict[str, int]


_VOCABULARIES: dict[str, _Vocabulary] = {}


def _vocabulary(language: Language) -> _Vocabulary:
    known = _VOCABULARIES.get(language.code)
    if known is not None:
        return known
    words: dict[str, str] = {}
    for table in (ENGLISH, language) if language is not ENGLISH else (ENGLISH,):
        # The language's own words win over English ones spelt alike (German "am").
        for index, spellings in enumerate(table.weekdays):
            words.update({fold(spelling): WEEKDAYS[index] for spelling in spellings})
        for index, spellings in enumerate(table.months):
            words.update({fold(spelling): MONTHS[index] for spelling in spellings})
        words.update({fold(word): "" for word in table.filler_words})
    phrases = {fold(phrase): canonical for phrase, canonical in language.phrases.items()}
    longest_first = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len)[::-1])
    clock = sorted({fold(word).rstrip(".") for word in language.clock_words}, key=len)
    numbers = {fold(word): value for word, value in language.number_words.items()}
    units = {fold(word): days for word, days in language.units.items()}
    vocabulary = _Vocabulary(
        words=words,
        phrases=phrases,
        phrase_pattern=re.compile(rf"(?<!\w)(?:{longest_first})(?!\w)") if phrases else None,
        offsets=_offset_patterns(language, numbers, units),
        clock_words="|".join(re.escape(word) for word in reversed(clock)),
        numbers=numbers,
        units=units,
    )
    _VOCABULARIES[language.code] = vocabulary
    return vocabulary


@dataclass(frozen=True)
class Reading:
    """What a text says, in canonical English, and which parts it states."""

    canonical: str
    weekday: int | None
    calendar_day: tuple[int, int, int | None] | None
    """(day, month, year or None) when the text names a calendar date."""
    has_time: bool
    has_day: bool
    time_of_day: time | None = None
    relative_days: int | None = None
    """Days from today when the text counts them ("tomorrow", "in 3 days")."""
    next_week: bool = False
    """A weekday of the calendar week after this one ("tuesday next week")."""
    language: Language = ENGLISH


def read(text: str, language: Language) -> Reading:
    canonical = _canonical(text, language)
    tokens = canonical.split()
    daypart = _daypart(tokens, language)
    tokens = [token for token in tokens if token not in DAYPARTS]
    next_week = "nextweek" in tokens
    tokens = _next_before_weekday([token for token in tokens if token != "nextweek"])
    time_of_day, tokens = _time_of_day(tokens, daypart, text, language)
    canonical = " ".join(tokens)
    weekdays = [WEEKDAYS.index(token) for token in tokens if token in WEEKDAYS]
    if len(set(weekdays)) > 1:
        raise DateNotUnderstood(_more_than_one_day(text, language))
    relative = _relative_days(canonical, text, language)
    calendar_day = _calendar_day(canonical)
    if next_week and (relative is not None or not weekdays):
        raise DateNotUnderstood(
            phrase(
                "Which day next week? Give a weekday and a time, like {example}",
                example=language.example,
            )
        )
    return Reading(
        canonical=canonical,
        weekday=weekdays[0] if weekdays else None,
        calendar_day=calendar_day,
        has_time=time_of_day is not None,
        has_day=bool(weekdays) or calendar_day is not None or relative is not None,
        time_of_day=time_of_day,
        relative_days=relative,
        next_week=next_week,
        language=language,
    )


def _canonical(text: str, language: Language) -> str:
    vocabulary = _vocabulary(language)
    text = fold(unicodedata.normalize("NFKC", text).lower())
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # every dash is a hyphen
    text = " " + re.sub(r"[,;!?()\"'’]", " ", text) + " "
    if vocabulary.phrase_pattern is not None:
        text = vocabulary.phrase_pattern.sub(lambda m: f" {vocabulary.phrases[m[0]]} ", text)
    daypart = any(re.search(rf"\b{part}\b", text) for part in DAYPARTS)
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\3/\2/\1", text)  # ISO → day first
    text = _hour_words(text, language)
    text = _dotted_and_dashed(text, vocabulary)
    text = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th|\.)(?=\s)", r"\1", text)  # 7th, 7.
    text = _offsets(text, vocabulary)
    text = _range_starts(text, language, vocabulary, daypart=daypart)
    text = _clock_hours(text, language, vocabulary, daypart=daypart)
    text = re.sub(r"\b(\d{1,2}(?::\d{2})?)\s+(am|pm)\b", r"\1\2", text)  # "4 pm" → "4pm"
    words = [_canonical_word(word, language, vocabulary) for word in text.replace(".", " ").split()]
    return " ".join(word for word in words if word)


def _hour_words(text: str, language: Language) -> str:
    """ "16 Uhr", "16h", "16h30", "16:30h", "16 horas" → 16:00 / 16:30."""
    words = "|".join(re.escape(fold(word)) for word in ("h", *language.hour_words))
    text = re.sub(r"\b(\d{1,2})h(\d{2})(?:min)?\b", r"\1:\2", text)
    text = re.sub(rf"\b(\d{{1,2}})[:.](\d{{2}})\s*(?:{words})(?!\w)", r"\1:\2", text)
    return re.sub(rf"(?<![\d.:])(\d{{1,2}})\s*(?:{words})(?!\w)", r"\1:00", text)


def _dotted_and_dashed(text: str, vocabulary: _Vocabulary) -> str:
    """Decide what "2.12", "16.30", "2.12.", "30-11-2026" and "14-16" are.

    A trailing dot or a year makes a date ("2.12.", "30.11.2026"). Otherwise, when the text
    already has a clear time ("16:00", "4pm", "kl. 9"), a pair that can be a day and month is
    the date; without one, "16.30" is a time and "14-16" a range of hours.
    """

    def is_day_month(day: str, month: str) -> bool:
        return 1 <= int(day) <= 31 and 1 <= int(month) <= 12

    def only_a_time(match: re.Match[str]) -> str:
        hour, minutes = match[1], match[2]
        if not is_day_month(hour, minutes) and int(hour) <= 23 and int(minutes) <= 59:
            return f"{hour}:{minutes}"
        return match[0]

    # "16.00" and "14.30" cannot be dates: times first, so "tirs 1.12 16.00" has a time
    # when "1.12" is decided, and "16.00-17.00" is a range.
    text = re.sub(r"(?<![\d.])(\d{1,2})\.(\d{2})(?!\.?\d)(?=[.\s-])", only_a_time, text)
    clock = vocabulary.clock_words or "at"
    has_time = (
        re.search(rf"\b\d{{1,2}}:\d{{2}}\b|\d\s*(?:am|pm)\b|(?<!\w)(?:{clock})\.?\s*\d", text)
        is not None
    )

    has_day = re.search(r"\b(?:today|tomorrow|yesterday)\b", text) is not None

    def dotted(match: re.Match[str]) -> str:
        day, month, year, final_dot = match[1], match[2], match[3], match[4]
        if is_day_month(day, month) and (year or final_dot or has_time):
            return "/".join(part for part in (day, month, year) if part)
        if year is None and len(month) == 2 and int(day) <= 23 and int(month) <= 59:
            if is_day_month(day, month) and not has_day:
                # "Di 1.12" is 1 December or 01:12: the text has neither another time nor
                # another day to tell.
                raise DateNotUnderstood(
                    phrase(
                        "Is “{typed}” a date or a time? Write {date} for the date or {time} "
                        "for the time",
                        typed=match[0].strip(),
                        date=f"{day}/{int(month)}",
                        time=f"{day}:{month}",
                    )
                )
            return f"{day}:{month}"
        return match[0]

    text = re.sub(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?(\.)?(?=\s)", dotted, text)

    after_clock = re.compile(rf"(?<!\w)(?:{clock})\.?\s*$")

    def dashed(match: re.Match[str]) -> str:
        day, month, year = match[1], match[2], match[3]
        # "kl. 10-12" is a range of hours, whatever else the text holds.
        is_hours = after_clock.search(match.string, 0, match.start()) is not None
        if is_day_month(day, month) and (year or has_time) and not is_hours:
            return "/".join(part for part in (day, month, year) if part)
        return match[0]

    return re.sub(r"(?<![\d-])(\d{1,2})-(\d{1,2})(?:-(\d{4}|\d{2}))?(?=\s)", dashed, text)


def _offset_patterns(
    language: Language, numbers: dict[str, int], units: dict[str, int]
) -> tuple[tuple[re.Pattern[str], int], ...]:
    if not units:
        return ()
    number_words = "".join(f"|{re.escape(word)}" for word in sorted(numbers, key=len)[::-1])
    unit_words = "|".join(re.escape(word) for word in sorted(units, key=len)[::-1])
    patterns = []
    for pattern, direction in language.offsets:
        words = re.escape(fold(pattern)).replace(r"\ ", r"\s+")
        words = words.replace(r"\{n\}", rf"(?P<n>\d{{1,3}}{number_words})")
        words = words.replace(r"\{unit\}", rf"(?P<unit>{unit_words})")
        patterns.append((re.compile(rf"(?<!\w){words}(?!\w)"), direction))
    return tuple(patterns)


def _offsets(text: str, vocabulary: _Vocabulary) -> str:
    """ "in 3 days", "om en uge", "in zwei Wochen", "daqui a 3 dias", "za 2 tygodnie" →
    "in N days"; "3 days ago", "vor 3 Tagen" → "N daysago" (one word: Portuguese "ago" is
    August)."""
    for pattern, direction in vocabulary.offsets:

        def offset(match: re.Match[str], direction: int = direction) -> str:
            n = match["n"]
            count = int(n) if n.isdigit() else vocabulary.numbers[n]
            days = count * vocabulary.units[match["unit"]]
            if days > LARGEST_OFFSET:
                raise DateNotUnderstood(
                    phrase(
                        "“{typed}” is too far off: give a date within twelve months",
                        typed=match[0].strip(),
                    )
                )
            return f" in {days} days " if direction > 0 else f" {days} daysago "

        text = pattern.sub(offset, text)
    return text


def _bare_hour(
    value: int, typed: str, language: Language, *, daypart: bool, minutes: str = "00"
) -> str:
    """A bare hour as a clock time; "at 4" in English (or "um 4", "às 4") is refused as
    unclear unless a part of the day says which ("tonight at 8" is then made 20:00)."""
    if not language.clock_is_24h and not daypart and 0 < value < SMALLEST_UNAMBIGUOUS_HOUR:
        hints = [
            hint.format(
                hour=value,
                hour24=value + 12,
                minutes=minutes,
                colon_minutes=f":{minutes}" if minutes != "00" else "",
            )
            for hint in language.hour_hints
        ]
        if len(hints) > 1:
            raise DateNotUnderstood(
                # TRANSLATORS: {hints} is two ways to write the hour, already quoted
                # ("“4pm” or “16:00”").
                phrase(
                    "Is “{typed}” in the morning or the afternoon? Write {hints}",
                    typed=typed.strip(),
                    hints=_either(*hints[:2]),
                )
            )
        raise DateNotUnderstood(
            phrase(
                "Is “{typed}” in the morning or the afternoon? Write “{hint}”",
                typed=typed.strip(),
                hint=hints[0],
            )
        )
    return f"{value}:00"


def _clock_hours(text: str, language: Language, vocabulary: _Vocabulary, *, daypart: bool) -> str:
    """ "kl. 9" → 9:00; "at 16" → 16:00; "at 4" (English, no am/pm) is refused as unclear."""
    words = vocabulary.clock_words
    if not words:
        return text

    def hour(match: re.Match[str]) -> str:
        return f" {_bare_hour(int(match[1]), match[0], language, daypart=daypart)} "

    def hour_and_minutes(match: re.Match[str]) -> str:
        # "at 4:30" is as unclear as "at 4".
        _bare_hour(int(match[1]), match[0], language, daypart=daypart, minutes=match[2])
        return f" {match[1]}:{match[2]} "

    text = re.sub(
        rf"(?<!\w)(?:{words})\.?\s*(\d{{1,2}}):(\d{{2}})(?![\d:/.])(?!\s*(?:am|pm))",
        hour_and_minutes,
        text,
    )

    text = re.sub(rf"(?<!\w)(?:{words})\.?\s*(\d{{1,2}})(?![\d:/.])(?!\s*(?:am|pm))", hour, text)
    return re.sub(rf"(?<!\w)(?:{words})\.?(?=\s)", " ", text)


def _range_starts(text: str, language: Language, vocabulary: _Vocabulary, *, daypart: bool) -> str:
    """ "15:00-17:00", "2-4pm", "3pm-5pm", "fra 14 til 16", "das 14h às 16h": only the start
    counts; a trailing am/pm belongs to it too, unless the start is before the end's noon
    ("11-1pm" starts at 11am)."""

    def start(match: re.Match[str]) -> str:
        begin, own = match["start"], (match["own"] or "").strip()
        suffix = (match["suffix"] or "").strip()
        if own:
            return f" {begin}{own} "
        if suffix:
            begin_hour, end_hour = int(begin.split(":")[0]), int(match["end"].split(":")[0])
            if begin_hour > end_hour and begin_hour != 12:
                suffix = "am" if suffix == "pm" else "pm"
            return f" {begin}{suffix} "
        if ":" in begin:
            return f" {begin} "
        return f" {_bare_hour(int(begin), match[0], language, daypart=daypart)} "

    time = r"\d{1,2}(?::\d{2})?"
    clock = rf"(?:(?:{vocabulary.clock_words})\.?\s*)?" if vocabulary.clock_words else ""
    start_part = rf"{clock}(?P<start>{time})(?P<own>\s*(?:am|pm))?"
    end_part = rf"{clock}(?P<end>{time})(?P<suffix>\s*(?:am|pm))?"
    for before, after in language.ranges:
        text = re.sub(
            rf"(?<!\w){re.escape(fold(before))}\s+{start_part}\s+{re.escape(fold(after))}"
            rf"\s+{end_part}(?![\d/])",
            start,
            text,
        )
    return re.sub(rf"(?<![/\d-])(?P<start>{time})(?P<own>\s*(?:am|pm))?\s*-\s*"
                  rf"{end_part}(?![\d/])", start, text)  # fmt: skip


def _canonical_word(word: str, language: Language, vocabulary: _Vocabulary) -> str:
    canonical = vocabulary.words.get(word)
    if canonical is not None:
        return canonical
    if word in _CANONICAL_WORDS or _NUMBERISH.fullmatch(word):
        return word
    raise DateNotUnderstood(
        phrase(
            "I don't know what “{word}” means in a date: write a day and a time, like {example}",
            word=word,
            example=language.example,
        )
    )


def _daypart(tokens: list[str], language: Language) -> str | None:
    parts = {token for token in tokens if token in DAYPARTS}
    if len(parts) > 1:
        raise DateNotUnderstood(
            phrase(
                "Morning, afternoon or evening? Give one time, like {example}",
                example=language.example,
            )
        )
    return parts.pop() if parts else None


def _next_before_weekday(tokens: list[str]) -> list[str]:
    """ "terça que vem" reads "tuesday next": the canonical order is "next tuesday"."""
    for index in range(len(tokens) - 1):
        if tokens[index] in WEEKDAYS and tokens[index + 1] == "next":
            tokens[index], tokens[index + 1] = "next", tokens[index]
    return tokens


_DAYPART_HOURS = {"morning": range(5, 12), "afternoon": range(12, 20), "evening": range(17, 24)}
"""The hours each part of the day holds: a bare hour outside is moved by twelve when that
lands inside ("tonight at 8" is 20:00), else the text is refused as contradicting itself."""


def _time_of_day(
    tokens: list[str], daypart: str | None, typed: str, language: Language
) -> tuple[time | None, list[str]]:
    """The one time of day in `tokens` (24-hour, a part of the day applied), and the tokens
    with it written as HH:MM for dateparser."""
    found = [(index, match) for index, token in enumerate(tokens)
             if (match := _TIME_TOKEN.fullmatch(token)) is not None]  # fmt: skip
    if not found:
        return None, tokens
    if len(found) > 1:
        raise DateNotUnderstood(
            phrase(
                "“{typed}” has more than one time: give one, like {example}",
                typed=typed.strip(),
                example=language.example,
            )
        )
    index, match = found[0]
    if match[0] in ("noon", "midnight"):
        hour, minute, suffix = (12 if match[0] == "noon" else 0), 0, None
    elif match[3]:
        hour, minute, suffix = int(match[1]), int(match[2] or 0), match[3]
        if not 1 <= hour <= 12:
            raise DateNotUnderstood(
                phrase("“{typed}” is not a time: write it like “4pm” or “16:00”", typed=match[0])
            )
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    else:
        hour, minute, suffix = int(match[4]), int(match[5]), None
    if hour > 23 or minute > 59:
        raise DateNotUnderstood(
            phrase("“{typed}” is not a time of day: write it like 16:00", typed=match[0])
        )
    if daypart is not None:
        hours = _DAYPART_HOURS[daypart]
        if hour not in hours and suffix is None and hour + 12 in hours:
            hour += 12
        if hour not in hours:
            raise DateNotUnderstood(_not_in_daypart(daypart, typed, hour, minute, language))
    return time(hour, minute), [*tokens[:index], f"{hour:02d}:{minute:02d}", *tokens[index + 1 :]]


def _relative_days(canonical: str, typed: str, language: Language) -> int | None:
    matches = list(_RELATIVE_DAY.finditer(canonical))
    if not matches:
        return None
    if len(matches) > 1:
        raise DateNotUnderstood(_more_than_one_day(typed, language))
    match = matches[0]
    if match[2] is not None:
        return int(match[2])
    if match[3] is not None:
        return -int(match[3])
    return _RELATIVE_DAYS[match[1]]


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
    example = _first_language(languages).example
    if not text or not text.strip():
        raise DateNotUnderstood(
            phrase("there is no date: write a day and a time, like {example}", example=example)
        )
    if len(text) > 100:
        raise DateNotUnderstood(
            phrase("that is too long for a date: write it like {example}", example=example)
        )
    local_now = now.astimezone(zone)
    moments = {
        _moment(reading, text, local_now=local_now, zone=zone, direction=direction)
        for reading in _readings(text, languages)
    }
    if len(moments) > 1:
        raise DateNotUnderstood(
            phrase(
                "“{typed}” can be read in more than one way: write it in full, like {example}",
                typed=text,
                example=example,
            )
        )
    moment = moments.pop()
    _check_bounds(moment, text, now=now, direction=direction, not_before=not_before,
                  not_after=not_after)  # fmt: skip
    return moment


def _first_language(languages: Sequence[str]) -> Language:
    return next((LANGUAGES[code] for code in languages if code in LANGUAGES), ENGLISH)


def _readings(text: str, languages: Sequence[str]) -> list[Reading]:
    readings: list[Reading] = []
    problems: list[DateNotUnderstood] = []
    for code in dict.fromkeys(languages or ("en",)):
        language = LANGUAGES.get(code)
        if language is None:
            raise DateNotUnderstood(
                phrase("I don't read dates in the language “{code}” yet", code=code)
            )
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
    example = reading.language.example
    if not reading.has_day and not reading.has_time:
        raise DateNotUnderstood(
            phrase(
                "I couldn't find a date in “{typed}”: write a day and a time, like {example}",
                typed=typed,
                example=example,
            )
        )
    if reading.time_of_day is None:
        raise DateNotUnderstood(
            phrase(
                "I couldn't find a time of day in “{typed}”: add one, like “{suggestion}”",
                typed=typed,
                suggestion=_with_a_time(typed),
            )
        )
    if not reading.has_day:
        day = reading.language.short_weekdays[3]
        raise DateNotUnderstood(
            phrase(
                "“{typed}” has a time but no day: add one, like “{suggestion}”",
                typed=typed,
                suggestion=f"{day} {typed}",
            )
        )
    if reading.calendar_day is not None:
        _check_day_exists(reading.calendar_day, typed, local_now.year)
    base = local_now.replace(tzinfo=None)
    if reading.relative_days is not None or reading.next_week:
        naive = datetime.combine(_counted_day(reading, base.date(), typed), reading.time_of_day)
    else:
        naive = _parsed(reading, typed, base, direction)
        naive = _nearest_year(naive, reading, base)
        naive = _today_if_meant(naive, reading, base, direction)
    moment = _localise(naive, zone)
    if reading.weekday is not None and moment.weekday() != reading.weekday:
        raise DateNotUnderstood(
            # TRANSLATORS: "28 November is a Saturday, not a Tuesday"; {actual} and {stated}
            # are weekday names as your language says them on their own.
            phrase(
                "{date} is a {actual}, not a {stated}: check the day or the date",
                date=_day_named(moment.date()),
                actual=_weekday_named(moment.weekday()),
                stated=_weekday_named(reading.weekday),
            )
        )
    return moment


def _counted_day(reading: Reading, today: date, typed: str) -> date:
    """The day of "tomorrow", "in 3 days" or "tuesday next week" (the calendar week from
    Monday after this one), which must also be any calendar date the text names."""
    leftover = _RELATIVE_DAY.sub(" ", reading.canonical)
    leftover = re.sub(rf"\b(?:{'|'.join(WEEKDAYS)})\b|\b\d{{2}}:\d{{2}}\b", " ", leftover)
    leftover = re.sub(rf"{_NUMERIC_DATE.pattern}|{_ISO_DATE.pattern}", " ", leftover)
    leftover = re.sub(rf"\b\d{{1,2}}\s+(?:{'|'.join(MONTHS)})(?:\s+\d{{4}})?\b", " ", leftover)
    leftover = re.sub(rf"\b(?:{'|'.join(MONTHS)})\s+\d{{1,2}}\b", " ", leftover)
    if leftover.split():
        raise DateNotUnderstood(_not_a_date(typed, reading.language))
    if reading.next_week and reading.weekday is not None:
        day = today + timedelta(days=7 - today.weekday() + reading.weekday)
    else:
        day = today + timedelta(days=reading.relative_days or 0)
    stated = reading.calendar_day
    if stated is not None and (stated[0], stated[1]) != (day.day, day.month):
        raise DateNotUnderstood(
            phrase(
                "“{typed}” names two different days ({day} and {date}): check the day or the date",
                typed=typed,
                day=_day_named(day),
                date=f"{stated[0]}/{stated[1]}",
            )
        )
    return day


def _parsed(reading: Reading, typed: str, base: datetime, direction: str) -> datetime:
    """The weekday or calendar date dateparser reads in the canonical text, at the time of
    day the text states."""
    # Imported on first use: dateparser and its locale data take about 10 MB, which the bot
    # process, which reads a date only when a poll form is submitted, would carry idle.
    from dateparser.date import DateDataParser

    canonical = reading.canonical
    stray = [word for word in canonical.split()
             if not (word in _DATEPARSER_WORDS or _NUMBERISH.fullmatch(word))]  # fmt: skip
    if stray:
        raise DateNotUnderstood(_not_a_date(typed, reading.language))
    if reading.calendar_day is not None:
        # The weekday is checked against the date afterwards; dateparser would trip on both.
        canonical = " ".join(
            word for word in canonical.split() if word not in WEEKDAYS and word != "next"
        )
    parsed = DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": direction,
            "RETURN_TIME_AS_PERIOD": True,
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": base,
        },
    ).get_date_data(canonical)
    if parsed.date_obj is None or reading.time_of_day is None:
        raise DateNotUnderstood(_not_a_date(typed, reading.language))
    # The time of day is the one read here: dateparser reports a time equal to now's as no
    # time at all ("period: day"), and its date is all that is needed from it.
    return datetime.combine(parsed.date_obj.date(), reading.time_of_day)


def _check_day_exists(
    day_month_year: tuple[int, int, int | None], typed: str, this_year: int
) -> None:
    day, month, year = day_month_year
    if not 1 <= month <= 12:
        raise DateNotUnderstood(
            phrase(
                "“{typed}” has no month {month}: write the day first, like 2/12 for 2 December",
                typed=typed,
                month=month,
            )
        )
    for candidate in (year,) if year else (this_year, this_year + 1):
        try:
            date(candidate, month, day)
        except ValueError:
            continue
        return
    raise DateNotUnderstood(
        # TRANSLATORS: "31 November doesn't exist"; {month} is the month's name as it follows
        # a day's number in your language (Polish "listopada").
        phrase("{day} {month} doesn't exist: check the date", day=day, month=_month_named(month))
    )


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
            phrase(
                "{time} doesn't exist on {day}, the night the clocks change: give another "
                "time, like 10:00",
                time=_clock_named(naive.hour, naive.minute),
                day=_day_named(naive.date()),
            )
        )
    return moment


def _check_bounds(
    moment: datetime, text: str, *, now: datetime, direction: str,
    not_before: datetime | None, not_after: datetime | None,
) -> None:  # fmt: skip
    # TRANSLATORS: what was typed and the moment it was read as, the subject of a refusal
    # ("“mon 10:00” (Mon 23 Nov, 10:00) has already passed").
    typed = phrase("“{typed}” ({moment})", typed=text.strip(), moment=_moment_named(moment))
    problem = bounds_problem(
        moment, typed, now=now, direction=direction, not_before=not_before, not_after=not_after
    )
    if problem is not None:
        raise DateNotUnderstood(problem)


def bounds_problem(
    moment: datetime,
    what: Phrase,
    *,
    now: datetime,
    direction: str,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Phrase | None:
    """What puts `moment` outside the rules for dates, whether typed or picked, or None:
    `"future"` refuses the past and more than a year ahead, `"past"` the future, and
    `not_before`/`not_after` bound it further (to the term). `what` names the moment as the
    refusal's subject (what was typed, or the moment picked)."""
    if direction == "future" and moment <= now:
        return phrase("{what} has already passed: give a time ahead", what=what)
    if direction == "future" and moment - now > MAX_AHEAD:
        return phrase(
            "{what} is more than a year ahead: give a date within twelve months", what=what
        )
    if direction == "past" and moment > now:
        return phrase("{what} is in the future: log a meeting once it has happened", what=what)
    if not_before is not None and moment < not_before:
        return phrase("{what} is before {limit}", what=what, limit=_moment_named(not_before))
    if not_after is not None and moment > not_after:
        return phrase("{what} is after the term ends", what=what)
    return None


def check_picked_datetime(
    moment: datetime,
    *,
    now: datetime,
    zone: ZoneInfo,
    direction: Literal["future", "past"] = "future",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> None:
    """The rules of `understand_datetime` for a date picked in a form (a date picker's value
    is client data: a forged one can be any moment); DateNotUnderstood says what is wrong,
    naming the moment in the reader's language when it is said."""
    local = moment.astimezone(zone)
    what = _moment_named(local)
    if local.year != now.astimezone(zone).year:
        # The year too when it is not this one: a forged 2090 should read as 2090.
        # TRANSLATORS: a moment and its year, the subject of a refusal ("Fri 5 Jan, 16:00 in
        # 2090 is more than a year ahead").
        what = phrase("{moment} in {year}", moment=what, year=str(local.year))
    problem = bounds_problem(
        moment, what, now=now, direction=direction, not_before=not_before, not_after=not_after
    )
    if problem is not None:
        raise DateNotUnderstood(problem)


def _more_than_one_day(typed: str, language: Language) -> Phrase:
    return phrase(
        "“{typed}” names more than one day: give one, like {example}",
        typed=typed.strip(),
        example=language.example,
    )


def _not_a_date(typed: str, language: Language) -> Phrase:
    return phrase(
        "I couldn't read “{typed}” as a date: write a day and a time, like {example}",
        typed=typed,
        example=language.example,
    )


def _not_in_daypart(daypart: str, typed: str, hour: int, minute: int, language: Language) -> Phrase:
    """ "“tonight at 10am”: 10:00 is not in the evening", one whole sentence per part."""
    values = {
        "typed": typed.strip(),
        "time": _clock_named(hour, minute),
        "example": language.example,
    }
    if daypart == "morning":
        return phrase(
            "“{typed}”: {time} is not in the morning: check the time, like {example}", **values
        )
    if daypart == "afternoon":
        return phrase(
            "“{typed}”: {time} is not in the afternoon: check the time, like {example}",
            **values,
        )
    return phrase(
        "“{typed}”: {time} is not in the evening: check the time, like {example}", **values
    )


def describe_datetime(value: datetime, language: str = "en") -> str:
    """How the bot echoes what it understood: "Thu 19 Nov, 16:00", "tor 19. nov, 16:00",
    "Do 19. Nov, 16:00", "qui, 19 de nov, 16:00", "czw 19 lis, 16:00"."""
    table = LANGUAGES.get(language, ENGLISH)
    return table.echo.format(
        weekday=table.short_weekdays[value.weekday()],
        day=value.day,
        month=table.short_months[value.month - 1],
        time=f"{value:%H:%M}",
    )
