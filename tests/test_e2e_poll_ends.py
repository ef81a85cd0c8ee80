"""Issue 15 end to end: a poll ends in one message (its own, updated into the result, with the
calendar file in its thread), the poll reminder carries the dates still to answer with their
buttons and a link to the poll, and every mentor of the group changes a running poll from
buttons that open small forms."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.polls import mentor_poll_controls, poll_change_modal
from bot.i18n import translator
from bot.jobs import polls_job
from bot.sandbox.fakeslack.driver import DriverResponse
from bot.sandbox.fakeslack.model import Ephemeral, Message, User
from bot.services.language import choose_language
from bot.services.polls.reminders import JobReport
from storage.db import read_session, write_session
from storage.groups import add_member, group_by_id
from storage.models import Meeting, Person, Poll, PollOptionRow, Vote
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.scenario import Group, form_group, poll_message, stored, vote

# Halfway to the deadline (Wed 25 Nov 12:00 Copenhagen), and just after it.
HALFWAY = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
AFTER_DEADLINE = datetime(2026, 11, 25, 11, 1, tzinfo=UTC)
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def _start(bot: BotUnderTest, group: Group, where: str = "") -> None:
    place = f'; where="{where}"' if where else ""
    bot.command(
        group.mentor.id, group.channel_id, f"poll thu 16:00; fri 14:00; deadline=wed 12:00{place}"
    )


def _top_level(bot: BotUnderTest, group: Group) -> list[Message]:
    """The channel's messages as its timeline shows them (thread replies left out)."""
    return [
        m for m in bot.slack.messages_in(group.channel_id) if not m.thread_ts or m.thread_ts == m.ts
    ]


def _shown(message: Message | Ephemeral) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def _assert_ended_in_one_message(bot: BotUnderTest, group: Group, timeline: int) -> Message:
    """The poll's message is the result, the channel's timeline has no message more, and
    the one calendar file is a reply in the poll message's thread; the result message."""
    result = poll_message(bot, group)
    assert len(_top_level(bot, group)) == timeline, "no second announcement in the channel"
    [shared] = [m for m in bot.slack.messages_in(group.channel_id) if m.files]
    assert shared.thread_ts == result.ts
    assert len(bot.slack.files_in(group.channel_id)) == 1
    shown = _shown(result)
    assert "The date is set" in shown
    assert "poll_vote" not in shown
    assert "in this message's thread" in shown
    return result


def test_everyone_answering_turns_the_poll_into_the_result(bot: BotUnderTest, group: Group) -> None:
    _start(bot, group, where="Room 2.14")
    timeline = len(_top_level(bot, group))
    for mentee in group.mentees:
        vote(bot, group, mentee, 0, "no")
        vote(bot, group, mentee, 1, "yes")
    result = _assert_ended_in_one_message(bot, group, timeline)
    shown = _shown(result)
    assert "The group meets *Fri 27 Nov, 14:00* (until 15:30)." in shown
    assert "📍 Where: Room 2.14" in shown
    yes = ", ".join(f"<@{u.id}>" for u in sorted(group.members, key=lambda u: u.id))
    assert f"✅ Yes 4: {yes}" in shown
    assert "Thu 26 Nov" not in shown, "the other dates are the poll's past, not its result"
    assert result.text.startswith("📅 The group meets *Fri 27 Nov, 14:00*")
    [shared] = [m for m in bot.slack.messages_in(group.channel_id) if m.files]
    assert "Room 2.14" in shared.text
    [meeting] = stored(bot, Meeting)
    assert meeting.location == "Room 2.14"


def test_the_deadline_and_close_now_end_in_one_message_too(bot: BotUnderTest) -> None:
    early, late = form_group(bot), form_group(bot, prefix="x", start_term=False)
    for group in (early, late):
        _start(bot, group)
    timelines = {g.channel_id: len(_top_level(bot, g)) for g in (early, late)}
    _mentor_clicks(bot, early, "poll_close")
    _assert_ended_in_one_message(bot, early, timelines[early.channel_id])
    after = replace(bot.runtime, clock=lambda: AFTER_DEADLINE)
    assert "closed 1 poll," in polls_job(after, bot.client)
    _assert_ended_in_one_message(bot, late, timelines[late.channel_id])
    assert "finished 0 earlier announcements" in polls_job(after, bot.client)
    assert len(bot.slack.files_in(late.channel_id)) == 1


def test_no_date_then_the_mentors_pick_ends_in_the_same_message(
    bot: BotUnderTest, group: Group
) -> None:
    _start(bot, group)
    timeline = len(_top_level(bot, group))
    vote(bot, group, group.mentor, 0, "no")
    vote(bot, group, group.mentor, 1, "no")
    _mentor_clicks(bot, group, "poll_close")
    assert len(_top_level(bot, group)) == timeline, "the poll says it, not a second message"
    closed = poll_message(bot, group)
    line = f"No date worked for everyone yet; <@{group.mentor.id}> will pick one"
    assert closed.text.startswith(line)
    assert line in _shown(closed)
    [choice] = bot.slack.dm_messages_to(group.mentor.id)
    pick = next(b for b in choice.blocks if b.get("accessory", {}).get("action_id") == "poll_pick")
    dm = bot.slack.workspace.open_dm(group.mentor.id)[0].id
    bot.click(
        group.mentor.id,
        message=(dm, choice.ts),
        action_id="poll_pick",
        value=pick["accessory"]["value"],
        block_id=pick["block_id"],
    )
    _assert_ended_in_one_message(bot, group, timeline)


def _reminder(bot: BotUnderTest, user: User) -> Message:
    [reminder] = bot.slack.dm_messages_to(user.id)
    return reminder


def _buttons(message: Message) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, element) of every button in the message."""
    return [
        (block["block_id"], element)
        for block in message.blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def test_the_reminder_lists_the_dates_still_to_answer_with_their_buttons_and_a_link(
    bot: BotUnderTest, group: Group
) -> None:
    _start(bot, group)
    bo, cy = group.mentees[0], group.mentees[1]
    vote(bot, group, bo, 0, "yes")
    assert "sent 3 poll reminders" in polls_job(
        replace(bot.runtime, clock=lambda: HALFWAY), bot.client
    )
    reminder = _reminder(bot, bo)
    assert reminder.text.startswith("Reminder: your mentor group")
    shown = _shown(reminder)
    assert "Fri 27 Nov, 14:00" in shown
    assert "Thu 26 Nov" not in shown, "Bo answered Thursday already"
    buttons = _buttons(reminder)
    poll = poll_message(bot, group)
    in_poll = {
        (e["action_id"], e["value"])
        for _, e in _buttons(poll)
        if e["action_id"] != "poll_none_works"
    }
    votes = {(e["action_id"], e["value"]) for _, e in buttons if e["action_id"] != "remind_later"}
    assert len(votes) == 3
    assert votes <= in_poll, "the poll's own buttons: the same listener and checks"
    assert any(e["action_id"] == "remind_later" for _, e in buttons)
    permalink = bot.client.chat_getPermalink(channel=group.channel_id, message_ts=poll.ts)
    assert f"<{permalink['permalink']}|Open the poll in the channel>" in shown
    assert "Thu 26 Nov" in _shown(_reminder(bot, cy)), "Cy has both dates to answer"

    # Bo answers from the DM: the vote is stored and the channel's tally shows it.
    block_id, yes = next((b, e) for b, e in buttons if e["action_id"] == "poll_vote_yes")
    dm = bot.slack.workspace.open_dm(bo.id)[0].id
    bot.click(
        bo.id,
        message=(dm, reminder.ts),
        action_id=yes["action_id"],
        value=yes["value"],
        block_id=block_id,
    )
    bos = {v.option_id: v.answer for v in stored(bot, Vote) if v.slack_user_id == bo.id}
    assert sorted(bos.values()) == ["yes", "yes"]
    # The reminder is redrawn: nothing left to answer, so a thank-you and no buttons.
    thanked = _reminder(bot, bo)
    assert "you have answered every date" in _shown(thanked)
    assert _buttons(thanked) == []
    assert f"<@{bo.id}>" not in " ".join(
        b["elements"][0]["text"]
        for b in poll_message(bot, group).blocks
        if b.get("type") == "context" and "Waiting" in b["elements"][0]["text"]
    )


def test_a_stranger_clicking_a_forwarded_reminder_button_is_refused(
    bot: BotUnderTest, group: Group
) -> None:
    _start(bot, group)
    polls_job(replace(bot.runtime, clock=lambda: HALFWAY), bot.client)
    reminder = _reminder(bot, group.mentees[0])
    block_id, yes = next((b, e) for b, e in _buttons(reminder) if e["action_id"] == "poll_vote_yes")
    stranger = bot.slack.add_user("finn")
    dm = bot.slack.workspace.open_dm(stranger.id)[0].id
    forwarded = bot.client.chat_postMessage(
        channel=stranger.id, text=reminder.text, blocks=reminder.blocks
    )
    bot.click(
        stranger.id,
        message=(dm, forwarded["ts"]),
        action_id=yes["action_id"],
        value=yes["value"],
        block_id=block_id,
    )
    assert not [v for v in stored(bot, Vote) if v.slack_user_id == stranger.id]
    assert any(
        "Only members of this mentor group" in post.body.get("text", "")
        for post in bot.slack.responses
    )


def _controls_of(bot: BotUnderTest, user_id: str) -> Ephemeral:
    [controls] = [e for e in bot.slack.ephemerals_for(user_id) if "poll_close" in _shown(e)]
    return controls


def _mentor_clicks(
    bot: BotUnderTest, group: Group, action_id: str, user_id: str | None = None
) -> None:
    user_id = user_id or group.mentor.id
    controls = _controls_of(bot, user_id)
    [(block_id, button)] = [(b, e) for b, e in _buttons_of(controls) if e["action_id"] == action_id]
    bot.click(
        user_id,
        message=(group.channel_id, controls.message_ts),
        action_id=action_id,
        value=button["value"],
        block_id=block_id,
    )


def _buttons_of(ephemeral: Ephemeral) -> list[tuple[str, dict[str, Any]]]:
    return [
        (block["block_id"], element)
        for block in ephemeral.blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def test_add_a_date_from_the_mentors_button_with_the_commands_rules(
    bot: BotUnderTest, group: Group
) -> None:
    _start(bot, group)
    _mentor_clicks(bot, group, "poll_add_date")
    [form] = bot.slack.open_views(group.mentor.id)
    assert form.payload["callback_id"] == "poll_add_date_modal"
    for typed, says in (
        ("someday", "someday"),
        ("fri 14:00", "already offers"),
        ("tue 10:00", "before the poll's deadline"),
    ):
        refused = bot.submit_view(group.mentor.id, form.id, {"poll_change_when": {"value": typed}})
        errors = refused.json.get("errors", {}) if isinstance(refused.json, dict) else {}
        assert says in errors.get("poll_change_when", ""), typed
    assert len(stored(bot, PollOptionRow)) == 2
    done = bot.submit_view(group.mentor.id, form.id, {"poll_change_when": {"value": "sat 10:00"}})
    assert done.json["response_action"] == "update"
    assert "Added Sat 28 Nov, 10:00 to the poll." in json.dumps(done.json, ensure_ascii=False)
    assert len(stored(bot, PollOptionRow)) == 3
    shown = _shown(poll_message(bot, group))
    assert shown.count("poll_vote_yes") == 3
    assert "3 dates" in poll_message(bot, group).text


def test_move_the_deadline_from_the_mentors_button(bot: BotUnderTest, group: Group) -> None:
    _start(bot, group)
    _mentor_clicks(bot, group, "poll_move_deadline")
    [form] = bot.slack.open_views(group.mentor.id)
    late = bot.submit_view(group.mentor.id, form.id, {"poll_change_when": {"value": "fri 12:00"}})
    assert "after the first option" in late.json["errors"]["poll_change_when"]
    done = bot.submit_view(group.mentor.id, form.id, {"poll_change_when": {"value": "thu 10:00"}})
    assert "now closes Thu 26 Nov" in json.dumps(done.json, ensure_ascii=False)
    [poll] = stored(bot, Poll)
    assert poll.deadline == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert "Thu 26 Nov, 10:00" in _shown(poll_message(bot, group))


def test_a_member_cannot_open_or_submit_the_change_forms(bot: BotUnderTest, group: Group) -> None:
    _start(bot, group)
    [poll] = stored(bot, Poll)
    bo = group.mentees[0]
    # The mentor's buttons as a member could click them: on a message in the channel.
    copied = bot.client.chat_postMessage(
        channel=group.channel_id,
        text="Date poll",
        blocks=mentor_poll_controls(poll.id or 0, t=translator("en")),
    )
    for action_id in ("poll_add_date", "poll_move_deadline"):
        bot.click(bo.id, message=(group.channel_id, copied["ts"]), action_id=action_id)
    assert bot.slack.open_views(bo.id) == []
    said = [post.body.get("text", "") for post in bot.slack.responses]
    assert said[-2:] == ["Changing the poll is up to the group's mentor, so nothing changed."] * 2
    forged = bot.submit_view(
        bo.id, _a_form_of(bot, group, bo), {"poll_change_when": {"value": "sat 10:00"}}
    )
    assert "poll_change_when" in json.dumps(forged.json)
    assert len(stored(bot, PollOptionRow)) == 2


def test_every_mentor_gets_the_controls_and_status_words_them_for_itself(
    bot: BotUnderTest, group: Group
) -> None:
    eve = bot.slack.add_user("eve")
    bot.slack.channel(group.channel_id).members.add(eve.id)
    with write_session(bot.runtime.engine) as session:
        session.add(Person(slack_user_id=eve.id, name="Eve"))
        found = group_by_id(session, group.group_id)
        assert found is not None
        add_member(session, group=found, slack_user_id=eve.id, role="mentor", now=bot.runtime.now())
    _start(bot, group)
    for mentor_id in (group.mentor.id, eve.id):
        assert "Your poll is up" in _shown(_controls_of(bot, mentor_id))
    for mentee in group.mentees:
        assert not any("poll_close" in _shown(e) for e in bot.slack.ephemerals_for(mentee.id))
    _mentor_clicks(bot, group, "poll_add_date", user_id=eve.id)
    assert len(bot.slack.open_views(eve.id)) == 1

    status = bot.answer(bot.command(eve.id, group.channel_id, "status"))
    shown = json.dumps(status["blocks"], ensure_ascii=False)
    assert "poll_add_date" in shown
    assert "Your poll is up" not in shown
    assert "Your group's poll is running" in shown


def test_plurals_in_the_poll_and_its_job_report(bot: BotUnderTest, group: Group) -> None:
    _start(bot, group)
    assert poll_message(bot, group).text.startswith("Date poll: 2 dates to answer by")
    assert str(JobReport(closed=1, announced=1, reminded=1, redrawn=1)) == (
        "closed 1 poll, finished 1 earlier announcement, sent 1 poll reminder, "
        "redrew 1 poll message"
    )
    assert str(JobReport(closed=2)).startswith("closed 2 polls, finished 0 earlier announcements")


def _a_form_of(bot: BotUnderTest, group: Group, user: User) -> str:
    """A change form open in `user`'s client for the group's poll, as a forged or stale
    one would be (the bot never opened it for them)."""
    [poll] = stored(bot, Poll)
    opened = bot.client.views_open(
        trigger_id=bot.slack.issue_trigger(user.id),
        view=poll_change_modal(translator("en"), poll_id=poll.id or 0, adding=True),
    )
    return str(opened["view"]["id"])


def test_each_vote_from_the_reminder_leaves_the_dates_still_to_answer(
    bot: BotUnderTest, group: Group
) -> None:
    _start(bot, group)
    polls_job(replace(bot.runtime, clock=lambda: HALFWAY), bot.client)
    cy = group.mentees[1]
    reminder = _reminder(bot, cy)
    block_id, no = next(
        (b, e)
        for b, e in _buttons(reminder)
        if e["action_id"] == "poll_vote_no" and b.endswith("_vote1")
    )
    dm = bot.slack.workspace.open_dm(cy.id)[0].id
    bot.click(
        cy.id,
        message=(dm, reminder.ts),
        action_id="poll_vote_no",
        value=no["value"],
        block_id=block_id,
    )
    now = _reminder(bot, cy)
    assert "Thu 26 Nov" not in _shown(now)
    assert "Fri 27 Nov" in _shown(now)
    assert {e["action_id"] for _, e in _buttons(now)} == {
        "poll_vote_yes",
        "poll_vote_if_need_be",
        "poll_vote_no",
        "remind_later",
    }
    assert f"❌ No 1: <@{cy.id}>" in _shown(poll_message(bot, group))


def _group_name(bot: BotUnderTest, group: Group) -> str:
    with read_session(bot.runtime.engine) as session:
        stored_group = group_by_id(session, group.group_id)
        assert stored_group is not None
        return stored_group.name


def _pick_buttons(choice: Message) -> list[dict[str, Any]]:
    return [b for b in choice.blocks if b.get("accessory", {}).get("action_id") == "poll_pick"]


def _click_pick(
    bot: BotUnderTest, group: Group, choice_ts: str, candidate: dict[str, Any]
) -> DriverResponse:
    """The mentor clicks a "Pick it", delivered and acknowledged; the worker's part is left
    to the caller's `bot.settle()`, so two clicks can come before either is carried out."""
    return bot.driver.click(
        group.mentor.id,
        message=(bot.slack.workspace.open_dm(group.mentor.id)[0].id, choice_ts),
        action_id="poll_pick",
        value=candidate["accessory"]["value"],
        block_id=candidate["block_id"],
    )


def _no_date_choice(bot: BotUnderTest, group: Group) -> Message:
    """A poll closed by its mentor with no date everyone can make (the mentor can make
    neither, the mentees only Friday); the mentor's private choice of the best dates."""
    _start(bot, group)
    vote(bot, group, group.mentor, 0, "no")
    vote(bot, group, group.mentor, 1, "no")
    for mentee in group.mentees:
        vote(bot, group, mentee, 1, "yes")
    _mentor_clicks(bot, group, "poll_close")
    [choice] = bot.slack.dm_messages_to(group.mentor.id)
    return choice


def test_the_mentors_choice_becomes_the_picked_date_and_a_second_pick_is_refused(
    bot: BotUnderTest, group: Group
) -> None:
    choice = _no_date_choice(bot, group)
    friday, thursday = _pick_buttons(choice)
    assert "Fri 27 Nov" in json.dumps(friday)
    # Friday's "Pick it", then Thursday's before the first was carried out (a quick double
    # click): the first plans the meeting, the second is refused plainly, naming the date.
    picked_friday = _click_pick(bot, group, choice.ts, friday)
    picked_thursday = _click_pick(bot, group, choice.ts, thursday)
    bot.settle()
    [refusal] = bot.slack.responses_to(picked_thursday.response_url_id or "")
    assert refusal.body["text"] == (
        "A date is already set for that poll (Fri 27 Nov, 14:00); nothing changed."
    )
    assert not refusal.body.get("replace_original")
    [meeting] = stored(bot, Meeting)
    assert meeting.starts_at == datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    assert len(bot.slack.files_in(group.channel_id)) == 1

    # The same DM, redrawn in place by the first click: the date picked, nothing to click.
    [replaced] = bot.slack.responses_to(picked_friday.response_url_id or "")
    assert replaced.body["replace_original"] is True
    [picked] = bot.slack.dm_messages_to(group.mentor.id)
    assert picked.ts == choice.ts
    name = _group_name(bot, group)
    said = (
        f"📅 Planned: Fri 27 Nov, 14:00 for *{name}*. "
        "The group has been told, with a calendar file."
    )
    assert picked.text == said
    assert [b["text"]["text"] for b in picked.blocks] == [said]
    assert "button" not in _shown(picked)


def test_the_picked_date_is_told_in_the_mentors_language(bot: BotUnderTest, group: Group) -> None:
    """An English term, a mentor who reads Danish: the choice and its redrawing are Danish,
    the result in the channel stays English."""
    choose_language(bot.runtime, group.mentor.id, "da")
    choice = _no_date_choice(bot, group)
    friday, _ = _pick_buttons(choice)
    _click_pick(bot, group, choice.ts, friday)
    bot.settle()
    [picked] = bot.slack.dm_messages_to(group.mentor.id)
    name = _group_name(bot, group)
    when = translator("da").moment(datetime(2026, 11, 27, 14, 0, tzinfo=CPH))
    assert picked.text == (
        f"📅 Planlagt: {when} for *{name}*. Gruppen har fået besked med en kalenderfil."
    )
    assert "button" not in _shown(picked)
    assert_no_english(_shown(picked), allowed=(name,), language="da")
    assert "The date is set" in _shown(poll_message(bot, group))
