"""Checks that a surface meant for another language has no English left on it."""

from __future__ import annotations

import re
from collections.abc import Iterable

ENGLISH_WORDS = (
    "the",
    "your",
    "you",
    "and",
    "meeting",
    "meetings",
    "poll",
    "polls",
    "group",
    "groups",
    "channel",
    "with",
    "only",
    "can",
    "this",
    "what",
    "is",
    "are",
    "to",
    "of",
    "in",
)
"""Common English words that no Danish, German, Portuguese or Polish sentence of ours uses
(Danish "for" and "i" are left out on purpose). German "in" and "Channel" (Slack's own
German word) and Polish "to" belong to those languages too, so they are not counted there."""

_SHARED = {"de": {"in", "channel"}, "pl": {"to"}}

_MARKUP = re.compile(r"`[^`]*`|<[^>]*>|:[a-z0-9_+-]+:")
"""Commands in code spans, Slack's `<@U…>`/`<#C…>`/`<!date…>` tokens and emoji shortcodes:
not words of the message."""


def english_words_in(text: str, *, allowed: Iterable[str] = (), language: str = "") -> list[str]:
    """The common English words `text` holds outside code, Slack markup and `allowed`
    (names and commands), leaving out words `language` shares with English."""
    stripped = _MARKUP.sub(" ", text)
    for word in allowed:
        stripped = stripped.replace(word, " ")
    ignored = _SHARED.get(language, set())
    # Whole words in any alphabet: "início" is one Portuguese word, not "in" + "cio".
    words = re.findall(r"[^\W\d_]+", stripped)
    return [w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in ignored]


def assert_no_english(text: str, *, allowed: Iterable[str] = (), language: str = "") -> None:
    found = english_words_in(text, allowed=allowed, language=language)
    assert not found, f"English left on a {language or 'translated'} surface: {found}\n{text}"
