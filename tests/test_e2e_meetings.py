"""Issue 6 end to end: meetings logged through the modal and the short form, duplicates and
the future refused, "did you meet?" once, theme suggestions, and private notes kept private."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserError
from bot.i18n import ENGLISH, translator
from bot.jobs import meetings_job, polls_job
from bot.sandbox.fakeslack.formatting import as_notified
from bot.services.meetings import set_meeting_theme
from storage.db import write_session
from storage.models import Attendance, Meeting, Theme
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, poll_message, replies, stored, vote

ENGLISH_READER = translator(ENGLISH)


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def _channel_texts(bot: BotUnderTest, group: Group) -> list[str]:
    return [m.text for m in bot.slack.messages_in(group.channel_id)]


def test_short_form_logs_with_everyone_and_confirms(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "log thu 16:00 theme=motivation")
    [meeting] = stored(bot, Meeting)
    assert meeting.state == "held"
    assert meeting.starts_at == datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
    assert len(stored(bot, Attendance)) == 4
    theme = next(t for t in stored(bot, Theme) if t.id == meeting.theme_id)
    assert theme.name == "Motivation"
    assert any(
        "Meeting 1 logged" in text and "at least 3 this term" in text
        for text in _channel_texts(bot, group)
    )


def test_duplicate_future_and_non_mentor_are_refused(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "log thu 16:00")
    duplicate = replies(bot, bot.command(group.mentor.id, group.channel_id, "log thu 16:00"))
    assert "already logged" in duplicate
    mentee = replies(bot, bot.command(group.mentees[0].id, group.channel_id, "log thu 16:00"))
    assert "for mentors only" in mentee or "Only the group's mentor" in mentee
    assert len(stored(bot, Meeting)) == 1


def test_modal_logs_attendance_theme_and_a_private_note(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    blocks = {b["block_id"]: b for b in modal.payload["blocks"]}
    assert len(blocks["attendees"]["element"]["initial_options"]) == 4
    future = int((bot.runtime.now() + timedelta(days=1)).timestamp())
    refused = bot.submit_view(
        group.mentor.id,
        modal.id,
        {"when": {"value": {"type": "datetimepicker", "selected_date_time": future}}},
    )
    assert "future" in json.dumps(refused.json)
    assert stored(bot, Meeting) == []
    yesterday = int((bot.runtime.now() - timedelta(days=1)).timestamp())
    theme_value = blocks["theme"]["element"]["options"][2]["value"]
    bot.submit_view(
        group.mentor.id,
        modal.id,
        {
            "when": {"value": {"type": "datetimepicker", "selected_date_time": yesterday}},
            "attendees": {"value": [group.mentor.id, group.mentees[0].id]},
            "theme": {"value": theme_value},
            "note": {"value": "Bo seemed worried about exams"},
        },
    )
    [meeting] = stored(bot, Meeting)
    assert meeting.mentor_note == "Bo seemed worried about exams"
    assert {a.slack_user_id for a in stored(bot, Attendance)} == {
        group.mentor.id,
        group.mentees[0].id,
    }

    # The note shows only in the mentor's own list, never to the group.
    mentor_list = json.dumps(bot.answer(bot.command(group.mentor.id, group.channel_id, "log list")))
    mentee_list = json.dumps(
        bot.answer(bot.command(group.mentees[0].id, group.channel_id, "log list"))
    )
    assert "worried about exams" in mentor_list
    assert "worried about exams" not in mentee_list
    assert all("worried" not in text for text in _channel_texts(bot, group))
    status = json.dumps(bot.answer(bot.command(group.mentees[0].id, group.channel_id, "status")))
    assert "worried" not in status
    assert "1 of at least 3" in status


def test_log_list_delete_button_for_the_mentor(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "log thu 16:00")
    listing = bot.command(group.mentor.id, group.channel_id, "log list")
    ephemeral = [
        e
        for e in bot.slack.ephemerals_for(group.mentor.id)
        if "meeting_delete" in json.dumps(e.blocks)
    ][-1]
    assert listing.ok
    bot.click(
        group.mentor.id,
        message=(group.channel_id, ephemeral.message_ts),
        action_id="meeting_delete",
    )
    assert stored(bot, Meeting) == []


def test_a_planned_meeting_is_marked_held_and_did_you_meet_is_asked_once(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    for user in group.members:
        vote(bot, group, user, 0, "yes")
        vote(bot, group, user, 1, "no")
    [planned] = stored(bot, Meeting)
    assert planned.state == "planned"
    assert poll_message(bot, group)

    # The day before: the channel is reminded, with three themes.
    day_before = replace(bot.runtime, clock=lambda: datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    assert "sent 1 day-before reminder and" in meetings_job(day_before, bot.client)
    assert "sent 0 day-before reminders" in meetings_job(day_before, bot.client)
    reminder = bot.slack.messages_in(group.channel_id)[-1]
    assert "meets tomorrow" in json.dumps(reminder.blocks)
    assert json.dumps(reminder.blocks).count("*Motivation*") == 1

    # Two hours after it ended, the mentor is asked once.
    later = replace(bot.runtime, clock=lambda: datetime(2026, 11, 26, 18, 31, tzinfo=UTC))
    assert "1 “did you meet?”" in meetings_job(later, bot.client)
    assert "0 “did you meet?”" in meetings_job(later, bot.client)
    [question] = bot.slack.dm_messages_to(group.mentor.id)
    bot.runtime.clock.set(datetime(2026, 11, 26, 18, 31, tzinfo=UTC))  # type: ignore[attr-defined]
    dm_channel = question.channel
    bot.click(group.mentor.id, message=(dm_channel, question.ts), action_id="did_meet")
    [meeting] = stored(bot, Meeting)
    assert meeting.state == "held"
    assert len(stored(bot, Attendance)) == 4
    assert "0 “did you meet?”" in meetings_job(later, bot.client)
    assert "closed 0 polls" in polls_job(later, bot.client)


def test_theme_suggestions_prefer_the_groups_own_and_uncovered(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(
        group.mentees[1].id, group.channel_id, "themes suggest Friendship | Who do you study with?"
    )
    bot.command(group.mentor.id, group.channel_id, "log thu 16:00 theme=Motivation")
    bot.command(group.mentees[0].id, group.channel_id, "themes")
    posted = json.dumps(bot.slack.messages_in(group.channel_id)[-1].blocks)
    assert posted.index("Friendship") < posted.index("Balance between study")
    assert "*Motivation*" not in posted


def test_coordinators_curate_the_catalogue(bot: BotUnderTest, group: Group) -> None:
    admin = bot.slack.add_channel("admin2", [COORDINATOR]).id
    assert "Added" in replies(
        bot, bot.command(COORDINATOR, admin, "themes add Money | How do you make ends meet?")
    )
    assert "Retired" in replies(bot, bot.command(COORDINATOR, admin, "themes retire Motivation"))
    assert "for coordinators only" in replies(
        bot, bot.command(group.mentor.id, group.channel_id, "themes retire Money")
    )
    names = {t.name: t.active for t in stored(bot, Theme)}
    assert names["Money"] is True
    assert names["Motivation"] is False


def test_a_logged_meeting_is_kept_when_the_channel_cannot_be_told(
    bot: BotUnderTest, group: Group
) -> None:
    bot.slack.fail_next("chat.postMessage", "500", count=3)
    reply = replies(bot, bot.command(group.mentor.id, group.channel_id, "log thu 16:00"))
    [meeting] = stored(bot, Meeting)
    assert meeting.state == "held"
    assert "Meeting 1 logged" in reply
    assert "Sorry" not in reply


def test_yes_we_met_offers_the_theme_and_confirms_who_came(bot: BotUnderTest, group: Group) -> None:
    start = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    with write_session(bot.runtime.engine) as session:
        session.add(
            Meeting(
                group_id=group.group_id,
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                created_at=start,
            )
        )
    meetings_job(replace(bot.runtime, clock=lambda: start + timedelta(days=1)), bot.client)
    [question] = bot.slack.dm_messages_to(group.mentor.id)
    where = (question.channel, question.ts)
    answer = bot.answer(bot.click(group.mentor.id, message=where, action_id="did_meet"))
    [meeting] = stored(bot, Meeting)
    [select] = [
        e
        for b in answer["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == "meeting_theme"
    ]
    offered = {o["text"]["text"]: o["value"] for o in select["options"]}
    motivation = next(t for t in stored(bot, Theme) if t.name == "Motivation")
    assert offered["Motivation"] == f"{meeting.id}:{motivation.id}"

    # Only the mentor sets it, and only to a theme offered to the group.
    with pytest.raises(UserError, match="Only the group's mentor"):
        set_meeting_theme(
            bot.runtime,
            meeting_id=meeting.id or 0,
            theme=str(motivation.id),
            user_id=group.mentees[0].id,
            t=ENGLISH_READER,
        )
    with pytest.raises(UserError, match="no longer offered"):
        set_meeting_theme(
            bot.runtime,
            meeting_id=meeting.id or 0,
            theme="999999",
            user_id=group.mentor.id,
            t=ENGLISH_READER,
        )
    picked = bot.answer(
        bot.click(
            group.mentor.id, message=where, action_id="meeting_theme", value=offered["Motivation"]
        )
    )
    assert "was about _Motivation_" in picked["text"]
    assert picked.get("replace_original") is True
    [meeting] = stored(bot, Meeting)
    assert meeting.theme_id == motivation.id

    bot.click(group.mentor.id, message=where, action_id="fix_attendance")
    [form] = bot.slack.open_views(group.mentor.id)
    saved = bot.submit_view(
        group.mentor.id,
        form.id,
        {"attendees": _ticked(group.mentor.id, group.mentees[0].id, group.mentees[1].id)},
    )
    assert "Saved: 3 of 4 came." in json.dumps(saved.json)


def _ticked(*user_ids: str) -> dict:
    options = [{"text": {"type": "plain_text", "text": u}, "value": u} for u in user_ids]
    return {"value": {"type": "checkboxes", "selected_options": options}}


def test_the_day_before_reminder_is_brief_and_more_ideas_go_to_the_clicker(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(group.mentor.id, group.channel_id, 'poll thu 16:00; fri 14:00; where="Café <b>"')
    for user in group.members:
        vote(bot, group, user, 0, "yes")
        vote(bot, group, user, 1, "no")
    day_before = replace(bot.runtime, clock=lambda: datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    assert "sent 1 day-before reminder and" in meetings_job(day_before, bot.client)
    reminder = bot.slack.messages_in(group.channel_id)[-1]
    # The notification names the day and the term's zone; each reader's client shows the
    # time in their own zone (Ben is in New York).
    assert as_notified(reminder.text) == (
        "Anna's group meets tomorrow, Thu 26 Nov, 16:00 (Europe/Copenhagen) · Café &lt;b&gt;"
    )
    ben = bot.slack.add_user("ben", tz="America/New_York")
    assert bot.slack.seen_by(group.mentor.id, reminder.text) == (
        "Anna's group meets tomorrow, 16:00 · Café &lt;b&gt;"
    )
    assert bot.slack.seen_by(ben.id, reminder.text).startswith("Anna's group meets tomorrow, 10:00")
    [text_block, buttons] = reminder.blocks
    lines = text_block["text"]["text"].split("\n")
    assert len(lines) == 5
    assert bot.slack.seen_by(group.mentor.id, lines[0]) == "⏰ The group meets tomorrow, *16:00*."
    assert lines[1] == "📍 Where: Café &lt;b&gt;"
    assert lines[2].startswith("💬 Something to talk about: *")
    assert all(line.startswith("• ") for line in lines[3:])
    [button] = buttons["elements"]
    assert button["text"]["text"] == "More ideas"

    mentee = group.mentees[0]
    bot.click(mentee.id, message=(reminder.channel, reminder.ts), action_id="more_ideas")
    [ideas] = [
        e for e in bot.slack.ephemerals_for(mentee.id) if "More things" in json.dumps(e.blocks)
    ]
    shown = lines[2].split("*")[1]
    suggested = [b["text"]["text"] for b in ideas.blocks[1:]]
    assert len(suggested) == 2
    assert all(f"*{shown}*" not in s for s in suggested)
    assert not [
        e
        for e in bot.slack.ephemerals_for(group.mentees[1].id)
        if "More things" in json.dumps(e.blocks)
    ]
    assert bot.slack.messages_in(group.channel_id)[-1].ts == reminder.ts
