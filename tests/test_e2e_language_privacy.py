"""What is stored and for how long, told in the reader's or the term's language: one line in
the welcome message (the channel's language) and App Home (the reader's), and the whole of
it in `/mentor help` (the reader's), with the periods the settings give."""

from __future__ import annotations

import json

import pytest

from bot.blocks.privacy import privacy_help, stored_line
from bot.config import Settings
from bot.domain.retention import RetentionPeriods
from bot.i18n import translator
from bot.services.language import choose_language
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.language import language_scheme as _scheme
from tests.support.language import texts as _texts
from tests.support.scenario import Group

NOTES_DAYS = 7
MONTHS = 18


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The scheme's own periods, so the tests see them come from the settings."""
    return Settings(
        SLACK_BOT_TOKEN="xoxb-fake-bot-token",
        SLACK_SIGNING_SECRET="test-signing-secret",
        MENTORBOT_DATABASE_URL=database_url,
        MENTORBOT_COORDINATORS=COORDINATOR,
        MENTORBOT_TIMEZONE="Europe/Copenhagen",
        MENTORBOT_NOTES_KEPT_DAYS=str(NOTES_DAYS),
        MENTORBOT_PSEUDONYMISE_AFTER_MONTHS=str(MONTHS),
        _env_file=None,
    )


def _line_with(texts: list[str], words: str) -> str:
    [found] = [text for text in texts if words in text]
    return found


def _help(bot: BotUnderTest, group: Group, user_id: str) -> list[str]:
    answer = bot.answer(bot.command(user_id, group.channel_id, "help"))
    return _texts(answer.get("blocks", []))


def _home(bot: BotUnderTest, user_id: str) -> list[str]:
    bot.event(bot.slack.user_opens_home(user_id))
    view = bot.slack.home_view(user_id)
    assert view is not None
    return _texts(view.payload.get("blocks", []))


def test_a_danish_term_is_told_in_danish_and_an_english_reader_in_english(
    bot: BotUnderTest,
) -> None:
    group = _scheme(bot, "da")
    bo = group.mentees[0]

    welcome = [t for m in bot.slack.messages_in(group.channel_id) for t in _texts(m.blocks)]
    line = _line_with(welcome, "private noter slettes")
    assert f"{NOTES_DAYS} dage efter semestrets afslutning" in line
    assert f"{MONTHS} måneder efter dit sidste semester" in line
    assert_no_english(line, allowed=("Slack",), language="da")

    home = _line_with(_home(bot, bo.id), "private noter slettes")
    assert home == line

    explained = _line_with(_help(bot, group, bo.id), "Hvad botten gemmer, og hvor længe")
    assert f"slettes {NOTES_DAYS} dage efter semestrets afslutning" in explained
    assert f"{MONTHS} måneder efter dit sidste semester" in explained
    assert "http" not in explained
    assert_no_english(explained, allowed=("Slack",), language="da")

    choose_language(bot.runtime, bo.id, "en")
    english = _line_with(_help(bot, group, bo.id), "What the bot stores, and for how long")
    assert f"deleted {NOTES_DAYS} days after the term ends" in english
    assert f"{MONTHS} months after your last term" in english
    assert "private notes are deleted" in _line_with(_home(bot, bo.id), "private notes")
    # The channel's welcome stays in the term's language.
    assert "private noter slettes" in json.dumps(
        [m.blocks for m in bot.slack.messages_in(group.channel_id)], ensure_ascii=False
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("language", "header", "notes"),
    [
        ("de", "Was der Bot speichert und wie lange", f"{NOTES_DAYS} Tage nach Semesterende"),
        ("pt", "O que o bot guarda, e durante quanto tempo", f"{NOTES_DAYS} dias depois"),
        ("pl", "Co bot przechowuje i jak długo", f"{NOTES_DAYS} dni po końcu semestru"),
    ],
)
def test_other_languages_explain_it_in_help(
    bot: BotUnderTest, language: str, header: str, notes: str
) -> None:
    group = _scheme(bot, language)
    explained = _line_with(_help(bot, group, group.mentees[0].id), header)
    assert notes in explained
    assert_no_english(explained, allowed=("Slack", "ID", "check-ins"), language=language)


def test_counts_take_each_languages_plural_forms() -> None:
    polish = translator("pl")
    assert "1 dzień po" in stored_line(polish, RetentionPeriods(1, 1))
    assert "1 miesiąc po" in stored_line(polish, RetentionPeriods(1, 1))
    assert "3 miesiące po" in privacy_help(polish, RetentionPeriods(2, 3))
    assert "5 miesięcy po" in privacy_help(polish, RetentionPeriods(5, 5))
    danish = translator("da")
    assert "1 dag efter" in stored_line(danish, RetentionPeriods(1, 1))
    assert "1 måned efter" in stored_line(danish, RetentionPeriods(1, 1))
    english = translator("en")
    assert "deleted 1 day after" in stored_line(english, RetentionPeriods(1, 2))
    assert "go 2 months after" in stored_line(english, RetentionPeriods(1, 2))
