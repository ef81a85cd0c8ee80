"""Checks that a surface meant for another language has no English left on it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlmodel import select

from storage.db import read_session
from storage.models import MentorGroup
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group

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


def texts(value: Any) -> list[str]:
    """Every `text` in a message, block or view structure, in order: what a person reads."""
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        return found + [t for v in value.values() for t in texts(v)]
    if isinstance(value, list):
        return [t for item in value for t in texts(item)]
    return []


def language_scheme(bot: BotUnderTest, language: str) -> Group:
    """A term "Efterår 2026" in `language`, a certified mentor (Anna Berg) and a group of
    three mentees (bo, cy, di), set up through the coordinator's commands."""
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    mentor = bot.slack.add_user("anna", real_name="Anna Berg")
    mentees = tuple(bot.slack.add_user(name) for name in ("bo", "cy", "di"))
    bot.command(
        COORDINATOR,
        admin,
        f'term new "Efterår 2026" 2026-09-01 2027-01-31 min=3 tz=Europe/Copenhagen lang={language}',
    )
    bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
    mentions = " ".join(f"<@{user.id}>" for user in (mentor, *mentees))
    bot.command(COORDINATOR, admin, f"group create {mentions}")
    with read_session(bot.runtime.engine) as session:
        group = session.exec(select(MentorGroup)).one()
    assert group.channel_id is not None
    assert group.id is not None
    return Group(mentor, mentees, group.channel_id, group.id)
