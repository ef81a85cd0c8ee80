"""App Home for each role, end to end: opened by the person, published by the worker, read
as they see it; its buttons clicked (pause a week, log a meeting, snooze)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.sandbox.fakeslack.model import User
from storage.db import read_session, write_session
from storage.models import Meeting, MentorGroup, Pause, Person, Poll
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import TERM, stored

CPH = ZoneInfo("Europe/Copenhagen")
HOSTILE = "Blue <!channel> & *co*"


@pytest.fixture
def people(bot: BotUnderTest) -> dict[str, User]:
    """A term with one group (a hostile name, nothing held), its mentor and mentees, and
    someone in no group."""
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM)
    mentor = bot.slack.add_user("mentor", real_name="Mia Mentor")
    mentees = [bot.slack.add_user(f"mentee{i}") for i in range(2)]
    bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
    members = " ".join(f"<@{u.id}>" for u in (mentor, *mentees))
    bot.command(COORDINATOR, admin, f'group create {members} name="{HOSTILE}"')
    return {
        "mentor": mentor,
        "mentee": mentees[0],
        "outsider": bot.slack.add_user("outsider"),
    }


def _group(bot: BotUnderTest) -> MentorGroup:
    with read_session(bot.runtime.engine) as session:
        return session.exec(select(MentorGroup)).one()


def _home(bot: BotUnderTest, user_id: str) -> tuple[str, str]:
    """(view id, the published view as JSON) after the person opens the tab."""
    bot.event(bot.slack.user_opens_home(user_id))
    view = bot.slack.home_view(user_id)
    assert view is not None
    return view.id, json.dumps(view.payload, ensure_ascii=False)


def _plan(bot: BotUnderTest, *, place: str | None) -> None:
    starts = datetime(2026, 11, 26, 16, 0, tzinfo=CPH)
    with write_session(bot.runtime.engine) as session:
        session.add(
            Meeting(
                group_id=_group(bot).id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                created_at=starts - timedelta(days=3),
                location=place,
            )
        )


def test_coordinator_sees_the_term_and_pauses_a_group(
    bot: BotUnderTest, people: dict[str, User]
) -> None:
    view_id, home = _home(bot, COORDINATOR)
    assert "at a glance" in home
    assert "*Not started*\\n1" in home
    assert "Needs attention" in home
    assert "no meeting yet" in home
    assert "&lt;!channel&gt; &amp;" in home
    assert "<!channel>" not in home
    assert f"app_redirect?channel={people['mentor'].id}" in home
    assert "not in a mentor group" not in home
    bot.click(COORDINATOR, view_id=view_id, action_id="pause_week")
    with read_session(bot.runtime.engine) as session:
        [pause] = session.exec(select(Pause)).all()
    assert pause.group_id == _group(bot).id
    assert (pause.ends_on - pause.starts_on).days == 6
    view = bot.slack.home_view(COORDINATOR)
    assert view is not None
    assert "Paused" in json.dumps(view.payload, ensure_ascii=False)


def test_mentor_sees_the_next_meeting_its_place_open_polls_and_buttons(
    bot: BotUnderTest, people: dict[str, User]
) -> None:
    mentor = people["mentor"]
    _plan(bot, place="Room <2.14>")
    bot.command(mentor.id, _group(bot).channel_id or "", "poll fri 14:00; mon 10:00")
    view_id, home = _home(bot, mentor.id)
    assert "|Thu 26 Nov, 16:00 (Europe/Copenhagen)>* at Room &lt;2.14&gt;." in home
    assert "Open polls: 1." in home
    assert '"action_id": "start_poll"' in home
    assert '"action_id": "log_meeting"' in home
    assert "pause_week" not in home
    bot.click(mentor.id, view_id=view_id, action_id="log_meeting")
    [form] = bot.slack.open_views(mentor.id)
    assert form.payload["callback_id"] == "log_modal"


def test_mentee_sees_the_place_the_poll_waiting_and_snoozes(
    bot: BotUnderTest, people: dict[str, User]
) -> None:
    mentee, mentor = people["mentee"], people["mentor"]
    _plan(bot, place="Café Nørd")
    channel = _group(bot).channel_id
    bot.command(mentor.id, channel or "", "poll fri 14:00; mon 10:00")
    view_id, home = _home(bot, mentee.id)
    assert "at Café Nørd." in home
    [poll] = stored(bot, Poll)
    permalink = bot.client.chat_getPermalink(channel=channel, message_ts=poll.message_ts)[
        "permalink"
    ]
    assert f"*1 poll* waiting for your answer: <{permalink}|open the poll> (in <#{channel}>)." in (
        home
    )
    assert "start_poll" not in home
    assert "log_meeting" not in home
    bot.click(mentee.id, view_id=view_id, action_id="snooze_week")
    with read_session(bot.runtime.engine) as session:
        person = session.get(Person, mentee.id)
    assert person is not None
    assert person.snoozed_until is not None
    assert person.snoozed_until > bot.runtime.now() + timedelta(days=6)
    view = bot.slack.home_view(mentee.id)
    assert view is not None
    assert "Snoozed" in json.dumps(view.payload)


def test_mentee_home_names_the_channel_when_slack_gives_no_poll_link(
    bot: BotUnderTest, people: dict[str, User]
) -> None:
    mentee, mentor = people["mentee"], people["mentor"]
    channel = _group(bot).channel_id
    bot.command(mentor.id, channel or "", "poll fri 14:00; mon 10:00")
    bot.slack.fail_next("chat.getPermalink", "500", count=3)
    _, home = _home(bot, mentee.id)
    assert f"*1 poll* waiting for your answer in <#{channel}>." in home
    assert "open the poll" not in home


def test_next_meeting_in_the_home_reads_in_each_persons_zone(
    bot: BotUnderTest, people: dict[str, User]
) -> None:
    _plan(bot, place=None)
    _, home = _home(bot, people["mentee"].id)
    [text] = [b["text"]["text"] for b in json.loads(home)["blocks"] if "Next meeting" in str(b)]
    wednesday = datetime(2026, 11, 25, 12, 0, tzinfo=CPH)
    assert "Next meeting: *Tomorrow 16:00*" in bot.slack.seen_by(
        people["mentee"].id, text, now=wednesday
    )
    assert "(Europe/Copenhagen)" in text


def test_outsider_is_told_they_are_in_no_group(bot: BotUnderTest, people: dict[str, User]) -> None:
    _, home = _home(bot, people["outsider"].id)
    assert "You are not in a mentor group" in home
    for button in ("pause_week", "start_poll", "log_meeting", "snooze_week", "at a glance"):
        assert button not in home
