"""Issue 15, "less typing friction": commands from a person's DM with the bot act on their
one group, a command in another group's channel points to theirs, and theme names are
matched loosely."""

from __future__ import annotations

import pytest

from storage.models import Meeting
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, poll_message, replies, stored


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def _dm(bot: BotUnderTest, user_id: str) -> str:
    channel, _ = bot.slack.workspace.open_dm(user_id)
    return channel.id


def test_status_from_the_dm_acts_on_the_persons_one_group(bot: BotUnderTest, group: Group) -> None:
    bo = group.mentees[0]
    answer = replies(bot, bot.command(bo.id, _dm(bot, bo.id), "status"))
    assert "0 of at least 3 meetings held" in answer


def test_log_from_the_dm_logs_for_the_mentors_group(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, _dm(bot, group.mentor.id), "log yesterday 16:00")
    [meeting] = stored(bot, Meeting)
    assert meeting.group_id == group.group_id


def test_a_poll_from_the_dm_is_posted_in_the_group_channel(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, _dm(bot, group.mentor.id), "poll thu 16:00; fri 14:00")
    assert poll_message(bot, group)


def test_a_command_in_another_groups_channel_links_to_the_right_one(
    bot: BotUnderTest, group: Group
) -> None:
    other = form_group(bot, prefix="x", start_term=False)
    bo = group.mentees[0]
    # In the other group's channel without being in that group (added by hand, say).
    with bot.slack.workspace.lock:
        bot.slack.workspace.require_channel(other.channel_id).members |= {
            bo.id,
            group.mentor.id,
        }
    answer = replies(bot, bot.command(bo.id, other.channel_id, "status"))
    assert f"<#{group.channel_id}>" in answer
    assert "not your mentor group's channel" in answer
    answer = replies(bot, bot.command(group.mentor.id, other.channel_id, "log yesterday 16:00"))
    assert f"<#{group.channel_id}>" in answer
    assert stored(bot, Meeting) == []


def test_theme_names_are_matched_loosely_and_a_close_one_suggested(
    bot: BotUnderTest, group: Group
) -> None:
    answer = replies(
        bot, bot.command(group.mentor.id, group.channel_id, "log yesterday 16:00 theme=motivaton")
    )
    assert "No theme “motivaton” — did you mean Motivation?" in answer
    assert stored(bot, Meeting) == []
    bot.command(group.mentor.id, group.channel_id, "log yesterday 16:00 theme=MOTIV")
    [meeting] = stored(bot, Meeting)
    assert meeting.theme_id is not None
    admin = bot.slack.workspace.channel_named("coordination")
    assert admin is not None
    answer = replies(bot, bot.command(COORDINATOR, admin.id, "themes retire balance"))
    assert "Retired “Balance between study and private life”" in answer
    answer = replies(bot, bot.command(COORDINATOR, admin.id, "themes retire Motivaiton"))
    assert "did you mean Motivation?" in answer
