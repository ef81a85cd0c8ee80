"""Conversation themes: the default catalogue drawn from the schemes we serve, and which
themes to suggest to a group next."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.text import Mrkdwn, shorten
from bot.i18n import Phrase, phrase

SUGGESTION_COUNT = 3


@dataclass(frozen=True)
class ThemeSeed:
    name: str
    prompts: tuple[str, ...]


_ENGLISH_CATALOGUE: tuple[ThemeSeed, ...] = (
    ThemeSeed(
        "Motivation",
        (
            "What made you choose this programme, and is that still what keeps you going?",
            "When did studying feel most worth it this term, and when least?",
            "What gives you energy on a hard week?",
        ),
    ),
    ThemeSeed(
        "Balance between study and private life",
        (
            "What does a good week look like for you, study and everything else?",
            "What do you say no to so you can keep up, and what do you never give up?",
            "How do you switch off after a long day of studying?",
        ),
    ),
    ThemeSeed(
        "Prioritisation and time management",
        (
            "How do you plan a week with lectures, reading, work and friends?",
            "What do you do when everything is due at once?",
            "Which habit saved you the most time so far?",
        ),
    ),
    ThemeSeed(
        "How I study and prepare for exams",
        (
            "How do you prepare in the weeks before an exam?",
            "Alone or together: how do you learn best?",
            "What would you do differently next exam period?",
        ),
    ),
    ThemeSeed(
        "Challenges during study",
        (
            "What has been harder than you expected, and what helped?",
            "Where can you turn when things go wrong, at the university and outside it?",
            "What did you wish someone had told you in your first term?",
        ),
    ),
    ThemeSeed(
        "Belonging and finding your people",
        (
            "Where at the university do you feel at home?",
            "How did you meet the people you study with?",
            "What would make it easier for new students to feel they belong?",
        ),
    ),
)

_DANISH_CATALOGUE: tuple[ThemeSeed, ...] = (
    ThemeSeed(
        "Motivation",
        (
            "Hvad fik dig til at vælge studiet, og er det stadig det, der driver dig?",
            "Hvornår har studiet føltes mest meningsfuldt i dette semester, og hvornår mindst?",
            "Hvad giver dig energi i en hård uge?",
        ),
    ),
    ThemeSeed(
        "Balance mellem studieliv og privatliv",
        (
            "Hvordan ser en god uge ud for dig, med studiet og alt det andet?",
            "Hvad siger du nej til for at følge med, og hvad giver du aldrig slip på?",
            "Hvordan kobler du af efter en lang studiedag?",
        ),
    ),
    ThemeSeed(
        "Prioritering og tidsstyring",
        (
            "Hvordan planlægger du en uge med forelæsninger, læsning, arbejde og venner?",
            "Hvad gør du, når alle afleveringer falder på samme tid?",
            "Hvilken vane har sparet dig mest tid indtil nu?",
        ),
    ),
    ThemeSeed(
        "Sådan studerer jeg og forbereder mig til eksamen",
        (
            "Hvordan forbereder du dig i ugerne op til en eksamen?",
            "Alene eller sammen med andre: hvordan lærer du bedst?",
            "Hvad vil du gøre anderledes til næste eksamensperiode?",
        ),
    ),
    ThemeSeed(
        "Udfordringer i studiet",
        (
            "Hvad har været sværere, end du havde regnet med, og hvad hjalp?",
            "Hvor kan du søge hjælp, når det går skævt, både på universitetet og udenfor?",
            "Hvad ville du ønske, nogen havde fortalt dig på dit første semester?",
        ),
    ),
    ThemeSeed(
        "At høre til og finde sine folk",
        (
            "Hvor på universitetet føler du dig hjemme?",
            "Hvordan mødte du dem, du læser sammen med?",
            "Hvad kunne gøre det lettere for nye studerende at føle, at de hører til?",
        ),
    ),
)

_GERMAN_CATALOGUE: tuple[ThemeSeed, ...] = (
    ThemeSeed(
        "Motivation",
        (
            "Warum hast du dich für dieses Studium entschieden, und treibt dich das noch an?",
            "Wann hat sich das Studium in diesem Semester am meisten gelohnt, wann am wenigsten?",
            "Was gibt dir Energie in einer anstrengenden Woche?",
        ),
    ),
    ThemeSeed(
        "Balance zwischen Studium und Privatleben",
        (
            "Wie sieht für dich eine gute Woche aus, mit Studium und allem anderen?",
            "Wozu sagst du Nein, um mitzukommen, und worauf verzichtest du nie?",
            "Wie schaltest du nach einem langen Unitag ab?",
        ),
    ),
    ThemeSeed(
        "Prioritäten setzen und Zeitmanagement",
        (
            "Wie planst du eine Woche mit Vorlesungen, Lesen, Job und Freunden?",
            "Was machst du, wenn alles auf einmal fällig ist?",
            "Welche Gewohnheit hat dir bisher am meisten Zeit gespart?",
        ),
    ),
    ThemeSeed(
        "Wie ich lerne und mich auf Prüfungen vorbereite",
        (
            "Wie bereitest du dich in den Wochen vor einer Prüfung vor?",
            "Allein oder zusammen: Wie lernst du am besten?",
            "Was würdest du in der nächsten Prüfungsphase anders machen?",
        ),
    ),
    ThemeSeed(
        "Herausforderungen im Studium",
        (
            "Was war schwerer als gedacht, und was hat geholfen?",
            "An wen kannst du dich wenden, wenn etwas schiefläuft, an der Uni und außerhalb?",
            "Was hätte dir im ersten Semester gern jemand gesagt?",
        ),
    ),
    ThemeSeed(
        "Dazugehören und deine Leute finden",
        (
            "Wo an der Uni fühlst du dich zu Hause?",
            "Wie hast du die Leute kennengelernt, mit denen du lernst?",
            "Was würde neuen Studierenden helfen, sich zugehörig zu fühlen?",
        ),
    ),
)

_PORTUGUESE_CATALOGUE: tuple[ThemeSeed, ...] = (
    ThemeSeed(
        "Motivação",
        (
            "O que te levou a escolher este curso, e é isso que ainda te faz continuar?",
            "Quando é que o curso te pareceu valer mais a pena este semestre, e quando menos?",
            "O que te dá energia numa semana difícil?",
        ),
    ),
    ThemeSeed(
        "Equilíbrio entre o estudo e a vida pessoal",
        (
            "Como é uma boa semana para ti, entre o estudo e tudo o resto?",
            "A que dizes que não para conseguires acompanhar, e do que nunca abdicas?",
            "Como é que desligas depois de um longo dia de estudo?",
        ),
    ),
    ThemeSeed(
        "Prioridades e gestão do tempo",
        (
            "Como planeias uma semana com aulas, leituras, trabalho e amigos?",
            "O que fazes quando tens tudo para entregar ao mesmo tempo?",
            "Que hábito te poupou mais tempo até agora?",
        ),
    ),
    ThemeSeed(
        "Como estudo e me preparo para os exames",
        (
            "Como te preparas nas semanas antes de um exame?",
            "Sozinho ou em grupo: como é que aprendes melhor?",
            "O que farias de diferente na próxima época de exames?",
        ),
    ),
    ThemeSeed(
        "Desafios durante o curso",
        (
            "O que tem sido mais difícil do que esperavas, e o que ajudou?",
            "A quem podes recorrer quando as coisas correm mal, na universidade e fora dela?",
            "O que gostavas que te tivessem dito no teu primeiro semestre?",
        ),
    ),
    ThemeSeed(
        "Sentir que pertences e encontrar a tua malta",
        (
            "Onde é que te sentes em casa na universidade?",
            "Como é que conheceste as pessoas com quem estudas?",
            "O que ajudaria os novos estudantes a sentir que pertencem cá?",
        ),
    ),
)

_POLISH_CATALOGUE: tuple[ThemeSeed, ...] = (
    ThemeSeed(
        "Motywacja",
        (
            "Co skłoniło cię do wyboru tego kierunku i czy to wciąż cię napędza?",
            "Kiedy w tym semestrze studia dawały ci najwięcej satysfakcji, a kiedy najmniej?",
            "Co daje ci energię w trudnym tygodniu?",
        ),
    ),
    ThemeSeed(
        "Równowaga między nauką a życiem prywatnym",
        (
            "Jak wygląda dla ciebie dobry tydzień – z nauką i całą resztą?",
            "Czemu mówisz „nie”, żeby nadążyć, a z czego nigdy nie rezygnujesz?",
            "Jak odpoczywasz po długim dniu nauki?",
        ),
    ),
    ThemeSeed(
        "Priorytety i zarządzanie czasem",
        (
            "Jak planujesz tydzień z wykładami, czytaniem, pracą i znajomymi?",
            "Co robisz, gdy wszystkie terminy wypadają naraz?",
            "Który nawyk zaoszczędził ci do tej pory najwięcej czasu?",
        ),
    ),
    ThemeSeed(
        "Jak się uczę i przygotowuję do egzaminów",
        (
            "Jak przygotowujesz się w tygodniach przed egzaminem?",
            "Samodzielnie czy z innymi: jak uczysz się najlepiej?",
            "Co zrobisz inaczej w następnej sesji?",
        ),
    ),
    ThemeSeed(
        "Wyzwania na studiach",
        (
            "Co okazało się trudniejsze od oczekiwań i co pomogło?",
            "Do kogo możesz się zwrócić, gdy coś idzie nie tak – na uczelni i poza nią?",
            "O czym dobrze byłoby wiedzieć już na pierwszym semestrze?",
        ),
    ),
    ThemeSeed(
        "Przynależność i znajdowanie swoich ludzi",
        (
            "Gdzie na uczelni czujesz się jak u siebie?",
            "Skąd znasz osoby, z którymi się uczysz?",
            "Co pomogłoby nowym studentom poczuć, że tu pasują?",
        ),
    ),
)

_CATALOGUES: dict[str, tuple[ThemeSeed, ...]] = {
    "en": _ENGLISH_CATALOGUE,
    "da": _DANISH_CATALOGUE,
    "de": _GERMAN_CATALOGUE,
    "pt": _PORTUGUESE_CATALOGUE,
    "pl": _POLISH_CATALOGUE,
}
"""Each language's default themes, written in it (not translated word for word). Slot by
slot they are the same themes: the catalogue stores each default theme once, under its
English name, and a term shows it in the term's language (see `in_language`), so a group's
coverage counts the same theme whatever language its term speaks."""


def default_themes(language: str) -> tuple[ThemeSeed, ...]:
    """The default catalogue as written in `language` (English for a language without one)."""
    return _CATALOGUES.get(language, _ENGLISH_CATALOGUE)


DEFAULT_CATALOGUE: tuple[ThemeSeed, ...] = _ENGLISH_CATALOGUE
"""The default themes as the catalogue stores them (their English names are their keys)."""

_DEFAULT_SLOTS = {seed.name: slot for slot, seed in enumerate(_ENGLISH_CATALOGUE)}


def in_language(name: str, prompts: tuple[str, ...], language: str) -> ThemeSeed:
    """A stored theme as a term in `language` shows it: a default theme in that language's
    words, any other (a coordinator's or a group's own) as it was typed."""
    slot = _DEFAULT_SLOTS.get(name)
    if slot is None:
        return ThemeSeed(name, prompts)
    return default_themes(language)[slot]


@dataclass(frozen=True)
class ThemeChoice:
    theme_id: int
    name: str
    prompts: tuple[str, ...]
    suggested_by_group: bool
    times_covered: int


def pick_suggestions(
    themes: Sequence[ThemeChoice], *, count: int = SUGGESTION_COUNT
) -> list[ThemeChoice]:
    """The group's own ideas first, then themes it has not covered, then the least covered;
    ties keep catalogue order, so suggestions are stable and predictable."""
    ranked = sorted(
        enumerate(themes),
        key=lambda item: (
            item[1].times_covered > 0,
            not item[1].suggested_by_group,
            item[1].times_covered,
            item[0],
        ),
    )
    return [theme for _, theme in ranked[:count]]


_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "œ": "oe"})
"""Letters Unicode does not split into a base and an accent, as people type them on a
keyboard without them ("tilhorsforhold", "zarzadzanie", "laczenie")."""

CLOSE_ENOUGH = 0.75
"""How alike (difflib's ratio) a typed name and a theme's must be for "did you mean …?"."""


def theme_key(name: str) -> str:
    """A theme's name as compared: accents dropped, case folded, spaces collapsed
    ("Étude  Balance" and "etude balance" are the same theme)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_UNDECOMPOSED))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


def find_theme(typed: str, names: Sequence[str]) -> int | None:
    """The index in `names` of the theme `typed` names: the same name (see `theme_key`),
    else the first whose name starts with it; None when neither."""
    key = theme_key(typed)
    if not key:
        return None
    keys = [theme_key(name) for name in names]
    if key in keys:
        return keys.index(key)
    return next((index for index, known in enumerate(keys) if known.startswith(key)), None)


def closest_theme(typed: str, names: Sequence[str]) -> str | None:
    """The one theme a mistyped name most likely meant ("motivaton" → "Motivation"), to
    suggest, never to pick on the person's behalf."""
    keys = {theme_key(name): name for name in names}
    close = difflib.get_close_matches(theme_key(typed), list(keys), n=1, cutoff=CLOSE_ENOUGH)
    return keys[close[0]] if close else None


def unknown_theme(typed: str, names: Sequence[str], *, listed: int = 8) -> Phrase:
    """What to say when `typed` names no theme: the close one to try, or the themes there
    are (said later, in the reader's language)."""
    shown = shorten(" ".join(typed.split()))
    close = closest_theme(typed, names)
    if close is not None:
        return phrase("No theme “{typed}” — did you mean {close}?", typed=shown, close=close)
    known = Mrkdwn(", ".join(shorten(name) for name in names[:listed]))
    if not known:
        return phrase("I don't know the theme “{typed}”.", typed=shown)
    return phrase("I don't know the theme “{typed}”. Themes: {known}.", typed=shown, known=known)
