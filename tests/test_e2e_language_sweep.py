"""Words that reached people in English after the bot spoke the scheme's language, each
found by the sweep for text that bypassed the catalogue: a date picked in the poll form and
refused by the term's rules, and the example of the command that opens a term. Each is now
said in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.language import choose_language
from storage.models import Poll
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.scenario import Group, form_group, replies, stored

# The fake clock starts on Monday 2026-11-23 09:00 UTC; the term runs 2026-09-01 – 2027-01-31.


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def _picked(moment: datetime) -> dict[str, dict[str, object]]:
    return {"value": {"type": "datetimepicker", "selected_date_time": int(moment.timestamp())}}


def _picker_error(bot: BotUnderTest, group: Group, moment: datetime) -> str:
    """The mentor submits the poll form with `moment` on the second picker; what Slack
    shows under that picker."""
    bot.command(group.mentor.id, group.channel_id, "poll")
    [modal] = bot.slack.open_views(group.mentor.id)
    refused = bot.submit_view(
        group.mentor.id,
        modal.id,
        {"options_text": {"value": "thu 16:00"}, "picked_2": _picked(moment)},
    )
    errors = (refused.json or {}).get("errors", {})
    assert set(errors) == {"picked_2"}, errors
    assert stored(bot, Poll) == []
    return str(errors["picked_2"])


def test_a_refused_picked_date_is_told_on_its_picker_in_the_mentors_language(
    bot: BotUnderTest, group: Group
) -> None:
    """An English term, a mentor who reads Danish: the refusal under the picker is Danish
    (it was English, the rule's own words, while the typed dates' refusals were Danish)."""
    choose_language(bot.runtime, group.mentor.id, "da")
    past = _picker_error(bot, group, datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    assert "fre. 20. nov." in past, past
    assert_no_english(past, language="da")
    after_term = _picker_error(bot, group, datetime(2027, 3, 4, 15, 0, tzinfo=UTC))
    assert "4. marts" in after_term or "4. mar" in after_term, after_term
    assert_no_english(after_term, language="da")


def test_a_refused_picked_date_stays_english_for_an_english_reader(
    bot: BotUnderTest, group: Group
) -> None:
    past = _picker_error(bot, group, datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    assert "has already passed" in past, past


@pytest.mark.parametrize(
    ("language", "example"),
    [
        ("en", '`/mentor term new "Spring 2027" 2027-02-01 2027-06-30 min=3`'),
        ("da", '`/mentor term new "Forår 2027" 2027-02-01 2027-06-30 min=3`'),
        ("de", '`/mentor term new "Sommer 2027" 2027-02-01 2027-06-30 min=3`'),
        ("pt", '`/mentor term new "Primavera 2027" 2027-02-01 2027-06-30 min=3`'),
        ("pl", '`/mentor term new "Wiosna 2027" 2027-02-01 2027-06-30 min=3`'),
    ],
)
def test_the_command_that_opens_a_term_is_shown_with_a_name_in_the_readers_language(
    bot: BotUnderTest, language: str, example: str
) -> None:
    """Before any term, the coordinator's language is their own choice; the example name
    in the command is theirs too, the command's words stay as they are."""
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    choose_language(bot.runtime, COORDINATOR, language)
    no_term = replies(bot, bot.command(COORDINATOR, admin, "term"))
    assert example in no_term, no_term
    incomplete = replies(bot, bot.command(COORDINATOR, admin, "term new Forår"))
    assert example in incomplete, incomplete
    if language != "en":
        for said in (no_term, incomplete):
            assert_no_english(said, allowed=("Forår",), language=language)
