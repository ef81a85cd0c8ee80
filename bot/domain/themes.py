"""Conversation themes: the default catalogue drawn from the schemes we serve, and which
themes to suggest to a group next."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.text import shorten

SUGGESTION_COUNT = 3


@dataclass(frozen=True)
class ThemeSeed:
    name: str
    prompts: tuple[str, ...]


DEFAULT_CATALOGUE: tuple[ThemeSeed, ...] = (
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


CLOSE_ENOUGH = 0.75
"""How alike (difflib's ratio) a typed name and a theme's must be for "did you mean …?"."""


def theme_key(name: str) -> str:
    """A theme's name as compared: accents dropped, case folded, spaces collapsed
    ("Étude  Balance" and "etude balance" are the same theme)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


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


def unknown_theme(typed: str, names: Sequence[str], *, listed: int = 8) -> str:
    """What to say (plain text) when `typed` names no theme: the close one to try, or the
    themes there are."""
    shown = shorten(" ".join(typed.split()))
    close = closest_theme(typed, names)
    if close is not None:
        return f"No theme “{shown}” — did you mean {close}?"
    known = ", ".join(shorten(name) for name in names[:listed])
    unknown = f"I don't know the theme “{shown}”."
    return f"{unknown} Themes: {known}." if known else unknown
