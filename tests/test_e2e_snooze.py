"""Issue 15, "people can ask for quiet": `/mentor snooze until DAY`, "Remind me later" on the
reminders that go to one person, respected by the jobs' DMs and not by the channel's news."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.ids import REMIND_LATER
from bot.jobs import meetings_job, nudges_job, polls_job
from bot.runtime import Runtime
from storage.models import Person
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, replies, stored, vote

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def _at(bot: BotUnderTest, moment: datetime) -> Runtime:
    return replace(bot.runtime, clock=lambda: moment)


def _snoozed_until(bot: BotUnderTest) -> dict[str, datetime | None]:
    return {person.slack_user_id: person.snoozed_until for person in stored(bot, Person)}


def test_a_snoozed_member_gets_no_poll_reminder_until_the_snooze_ends(
    bot: BotUnderTest, group: Group
) -> None:
    bo = group.mentees[0]
    dm, _ = bot.slack.workspace.open_dm(bo.id)
    answer = replies(bot, bot.command(bo.id, dm.id, "snooze until 24/11"))
    assert "Snoozed through Tuesday 24 November" in answer
    assert "poll that closed meanwhile is skipped" in answer
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00; deadline=wed 12:00")

    # Halfway (Tuesday): the others who have not answered are reminded, Bo is not.
    polls_job(_at(bot, datetime(2026, 11, 24, 12, 0, tzinfo=UTC)), bot.client)
    assert not bot.slack.dm_messages_to(bo.id)
    for user in group.mentees[1:]:
        [reminder] = bot.slack.dm_messages_to(user.id)
        assert "Remind me later" in json.dumps(reminder.blocks)

    # Wednesday morning the snooze is over and the poll still open: Bo's reminder goes.
    assert "sent 1 poll reminder," in polls_job(
        _at(bot, datetime(2026, 11, 25, 8, 0, tzinfo=CPH)), bot.client
    )
    assert len(bot.slack.dm_messages_to(bo.id)) == 1


def test_snooze_off_and_a_day_that_cannot_be_read(bot: BotUnderTest, group: Group) -> None:
    bo = group.mentees[0]
    bot.command(bo.id, group.channel_id, "snooze until 2026-12-01")
    assert _snoozed_until(bot)[bo.id] == datetime(2026, 12, 2, 0, 0, tzinfo=CPH)
    assert "come again" in replies(bot, bot.command(bo.id, group.channel_id, "snooze off"))
    assert _snoozed_until(bot)[bo.id] is None
    assert "2027-03-15" in replies(bot, bot.command(bo.id, group.channel_id, "snooze someday"))


def test_remind_me_later_snoozes_the_clicker_for_a_day(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00; deadline=wed 12:00")
    polls_job(_at(bot, datetime(2026, 11, 24, 12, 0, tzinfo=UTC)), bot.client)
    bo, cy = group.mentees[0], group.mentees[1]
    [reminder] = bot.slack.dm_messages_to(bo.id)

    response = bot.click(bo.id, action_id=REMIND_LATER, message=(reminder.channel, reminder.ts))

    assert "no reminders or DMs from me until" in replies(bot, response)
    snoozed = _snoozed_until(bot)
    assert snoozed[bo.id] == bot.runtime.now() + timedelta(days=1)
    assert snoozed.get(cy.id) is None
    assert snoozed.get(group.mentor.id) is None


def test_a_snoozed_mentor_gets_no_nudge_dm_but_the_channel_does(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(group.mentor.id, group.channel_id, "snooze until 30/11")
    monday = _at(bot, datetime(2026, 11, 30, 10, 5, tzinfo=CPH))
    assert nudges_job(monday, bot.client) == "nudged 1 group"
    assert any("How about planning" in m.text for m in bot.slack.messages_in(group.channel_id))
    assert not bot.slack.dm_messages_to(group.mentor.id)


def test_an_awake_mentor_can_snooze_from_the_nudge_dm(bot: BotUnderTest, group: Group) -> None:
    monday = _at(bot, datetime(2026, 11, 30, 10, 5, tzinfo=CPH))
    assert nudges_job(monday, bot.client) == "nudged 1 group"
    [dm] = bot.slack.dm_messages_to(group.mentor.id)
    assert "Remind me later" in json.dumps(dm.blocks)


def test_did_you_meet_waits_for_a_snoozed_mentor(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    for user in group.members:
        vote(bot, group, user, 0, "yes")
        vote(bot, group, user, 1, "no")
    bot.command(group.mentor.id, group.channel_id, "snooze until 27/11")
    dms_before = len(bot.slack.dm_messages_to(group.mentor.id))
    thursday_evening = _at(bot, datetime(2026, 11, 26, 18, 31, tzinfo=UTC))
    assert "0 “did you meet?”" in meetings_job(thursday_evening, bot.client)
    assert len(bot.slack.dm_messages_to(group.mentor.id)) == dms_before
    # Saturday the snooze is over: the meeting is still unanswered, so the mentor is asked.
    saturday = _at(bot, datetime(2026, 11, 28, 9, 0, tzinfo=CPH))
    assert "1 “did you meet?”" in meetings_job(saturday, bot.client)
    assert " meet on " in bot.slack.dm_messages_to(group.mentor.id)[-1].text
