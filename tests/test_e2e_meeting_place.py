"""Issue 15, "where the group meets", end to end: a place given with the poll (short form or
form) is shown on the poll, in the result and its .ics (LOCATION; a link also as URL), and in
the day-before reminder; hostile place text is shown as text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.jobs import meetings_job
from storage.models import Meeting, Poll
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, poll_message, replies, stored, vote


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def everyone_says_yes(bot: BotUnderTest, group: Group) -> None:
    for user in group.members:
        vote(bot, group, user, 0, "yes")
        vote(bot, group, user, 1, "no")


def file_comments(bot: BotUnderTest, group: Group) -> list[str]:
    """The texts the .ics files were shared with, in order."""
    return [m.text for m in bot.slack.messages_in(group.channel_id) if m.files]


def only_event(bot: BotUnderTest, group: Group, index: int = -1) -> tuple[Calendar, Calendar]:
    calendar = Calendar.from_ical(bot.slack.files_in(group.channel_id)[index].content)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_a_place_given_with_the_poll_reaches_the_result_ics_and_reminder(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(
        group.mentor.id,
        group.channel_id,
        'poll thu 16:00; fri 14:00; where="Room 2.14"; deadline=wed 12:00',
    )
    assert "Room 2.14" in json.dumps(poll_message(bot, group).blocks)
    everyone_says_yes(bot, group)
    [meeting] = stored(bot, Meeting)
    assert meeting.location == "Room 2.14"
    _, event = only_event(bot, group)
    assert str(event["LOCATION"]) == "Room 2.14"
    assert "URL" not in event
    [comment] = file_comments(bot, group)
    assert "Room 2.14" in comment
    day_before = replace(bot.runtime, clock=lambda: datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    assert "sent 1 day-before reminder and" in meetings_job(day_before, bot.client)
    reminder = bot.slack.messages_in(group.channel_id)[-1]
    assert "Room 2.14" in reminder.text
    assert "Room 2.14" in json.dumps(reminder.blocks)
    status = bot.answer(bot.command(group.mentees[0].id, group.channel_id, "status"))
    status_fields = [f["text"] for b in status["blocks"] for f in b.get("fields", [])]
    [next_meeting] = [f for f in status_fields if f.startswith("*Next meeting*")]
    assert "|Thu 26 Nov, 16:00 (Europe/Copenhagen)>" in next_meeting
    wednesday = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    assert bot.slack.seen_by(group.mentees[0].id, next_meeting, now=wednesday) == (
        "*Next meeting*\nTomorrow 16:00\n📍 Where: Room 2.14"
    )


def test_a_video_link_from_the_form_is_the_ics_url(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll")
    [modal] = bot.slack.open_views(group.mentor.id)
    assert "where" in {block["block_id"] for block in modal.payload["blocks"]}
    submitted = bot.submit_view(
        group.mentor.id,
        modal.id,
        {
            "options_text": {"value": "thu 16:00\nfri 14:00"},
            "where": {"value": " https://meet.example.org/owls "},
        },
    )
    assert submitted.ok
    [poll] = stored(bot, Poll)
    assert poll.location == "https://meet.example.org/owls"
    everyone_says_yes(bot, group)
    _, event = only_event(bot, group)
    assert str(event["URL"]) == "https://meet.example.org/owls"
    assert "https://meet.example.org/owls" in str(event["DESCRIPTION"])


def test_a_place_too_long_is_refused_on_its_field(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll")
    [modal] = bot.slack.open_views(group.mentor.id)
    refused = bot.submit_view(
        group.mentor.id,
        modal.id,
        {"options_text": {"value": "thu 16:00\nfri 14:00"}, "where": {"value": "x" * 501}},
    )
    assert "where" in json.dumps(refused.json)
    assert stored(bot, Poll) == []
    long_place = "y" * 501
    reply = replies(
        bot,
        bot.command(
            group.mentor.id, group.channel_id, f"poll thu 16:00; fri 14:00; where={long_place}"
        ),
    )
    assert "at most 500" in reply
    assert stored(bot, Poll) == []


def test_a_hostile_place_is_shown_as_text(bot: BotUnderTest, group: Group) -> None:
    hostile = "<!channel> & <@U999> *bold*"
    bot.command(group.mentor.id, group.channel_id, f'poll thu 16:00; fri 14:00; where="{hostile}"')
    everyone_says_yes(bot, group)
    shown = json.dumps(
        [poll_message(bot, group).blocks, file_comments(bot, group)],
        ensure_ascii=False,
    )
    assert "<!channel>" not in shown
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in shown


# -- The mentor changes the next planned meeting -------------------------------------------


def planned(bot: BotUnderTest, group: Group, place: str = "Room 2.14") -> Meeting:
    """A poll that plans Thursday 26 Nov 16:00 (Copenhagen) at `place`."""
    bot.command(group.mentor.id, group.channel_id, f'poll thu 16:00; fri 14:00; where="{place}"')
    everyone_says_yes(bot, group)
    [meeting] = stored(bot, Meeting)
    return meeting


def test_moving_the_meeting_tells_the_channel_in_one_line_with_an_updated_ics(
    bot: BotUnderTest, group: Group
) -> None:
    planned(bot, group)
    _, first = only_event(bot, group)
    before = len(bot.slack.messages_in(group.channel_id))
    bot.command(group.mentor.id, group.channel_id, "meeting move fri 16:00")
    [meeting] = stored(bot, Meeting)
    assert meeting.starts_at == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
    assert meeting.calendar_sequence == 1
    new = bot.slack.messages_in(group.channel_id)[before:]
    assert len(new) == 1
    assert "\n" not in new[0].text.split(" The attached file")[0]
    assert "moved to" in new[0].text
    assert "Fri 27 Nov" in new[0].text
    calendar, moved = only_event(bot, group)
    assert str(moved["UID"]) == str(first["UID"])
    assert int(moved["SEQUENCE"]) == 1
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert moved.decoded("dtstart") == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert str(moved["LOCATION"]) == "Room 2.14"


def test_a_move_is_held_to_the_poll_date_rules(bot: BotUnderTest, group: Group) -> None:
    planned(bot, group)
    past = replies(bot, bot.command(group.mentor.id, group.channel_id, "meeting move 20/11 16:00"))
    assert "already passed" in past
    assert "not moved" in past
    [meeting] = stored(bot, Meeting)
    assert meeting.calendar_sequence == 0
    assert meeting.starts_at == datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def test_a_new_place_and_a_cancellation_update_the_calendar(
    bot: BotUnderTest, group: Group
) -> None:
    planned(bot, group)
    bot.command(group.mentor.id, group.channel_id, "meeting where <https://meet.example.org/owls>")
    [meeting] = stored(bot, Meeting)
    assert meeting.location == "https://meet.example.org/owls"
    _, placed = only_event(bot, group)
    assert str(placed["URL"]) == "https://meet.example.org/owls"
    assert int(placed["SEQUENCE"]) == 1
    bot.command(group.mentor.id, group.channel_id, "meeting cancel")
    [meeting] = stored(bot, Meeting)
    assert meeting.state == "cancelled"
    assert meeting.calendar_sequence == 2
    calendar, cancelled = only_event(bot, group)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 2
    assert "cancelled" in bot.slack.messages_in(group.channel_id)[-1].text
    # Nothing is planned now: nothing to remind of, nothing more to cancel.
    day_before = replace(bot.runtime, clock=lambda: datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    assert "sent 0 day-before reminders" in meetings_job(day_before, bot.client)
    again = replies(bot, bot.command(group.mentor.id, group.channel_id, "meeting cancel"))
    assert "no meeting planned" in again


def test_only_the_groups_mentor_changes_its_meeting(bot: BotUnderTest, group: Group) -> None:
    planned(bot, group)
    files = len(bot.slack.files_in(group.channel_id))
    mentee = replies(bot, bot.command(group.mentees[0].id, group.channel_id, "meeting cancel"))
    assert "for mentors only" in mentee
    # The mentor of another group, in their own channel, reaches only their own group.
    other = form_group(bot, prefix="b")
    theirs = replies(bot, bot.command(other.mentor.id, other.channel_id, "meeting cancel"))
    assert "no meeting planned" in theirs
    [meeting] = stored(bot, Meeting)
    assert meeting.state == "planned"
    assert meeting.calendar_sequence == 0
    assert len(bot.slack.files_in(group.channel_id)) == files


def test_a_moved_meeting_is_reminded_at_its_new_time(bot: BotUnderTest, group: Group) -> None:
    planned(bot, group)
    wed = replace(bot.runtime, clock=lambda: datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    assert "sent 1 day-before reminder and" in meetings_job(wed, bot.client)
    bot.command(group.mentor.id, group.channel_id, "meeting move fri 16:00")
    assert "sent 0 day-before reminders" in meetings_job(wed, bot.client)
    thu = replace(bot.runtime, clock=lambda: datetime(2026, 11, 26, 16, 0, tzinfo=UTC))
    assert "sent 1 day-before reminder and" in meetings_job(thu, bot.client)
    assert "sent 0 day-before reminders" in meetings_job(thu, bot.client)
    assert "Fri 27 Nov" in bot.slack.messages_in(group.channel_id)[-1].text


def test_a_hostile_new_place_is_shown_as_text(bot: BotUnderTest, group: Group) -> None:
    planned(bot, group)
    bot.command(group.mentor.id, group.channel_id, 'meeting where "<!here> & <@U999>"')
    [meeting] = stored(bot, Meeting)
    assert meeting.location == "<!here> & <@U999>"
    line = bot.slack.messages_in(group.channel_id)[-1].text
    assert "<!here>" not in line
    assert "&lt;!here&gt; &amp; &lt;@U999&gt;" in line
