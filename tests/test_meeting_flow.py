"""Tier 2: the meeting services against the fake Slack's Web API, without the HTTP endpoint
or the driver. A group is formed by the services (its channel set up in the fake), then a
meeting is logged, asked about ("did you meet?"), confirmed or called off, and its
attendance corrected: each step a direct call, each effect read from the database or from
what the fake Slack received."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.blocks.ids import ATTENDEES, THEME, WHEN
from bot.domain.errors import FieldError, FormErrors, UserError
from bot.i18n import ENGLISH, translator
from bot.runtime import Runtime
from bot.sandbox.fakeslack import FakeSlack, User
from bot.services.group_context import GroupContext, group_context
from bot.services.groups import create_group, request_from_slack
from bot.services.meetings import (
    announce_meeting,
    ask_did_you_meet,
    confirm_met,
    confirm_not_met,
    draft_meeting,
    log_meeting,
    present_at,
    set_attendance,
)
from bot.services.people import certify_mentor
from bot.services.terms import start_term
from storage.db import read_session, write_session
from storage.meetings import meeting_by_id
from storage.models import Meeting, MeetingState
from tests.conftest import COORDINATOR
from tests.support.clock import FakeClock

ENGLISH_READER = translator(ENGLISH)


@dataclass(frozen=True)
class Formed:
    context: GroupContext
    mentor: User
    mentees: tuple[User, ...]

    @property
    def channel_id(self) -> str:
        assert self.context.group.channel_id is not None
        return self.context.group.channel_id


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(base_url=slack.api_url, token=slack.bot_token)


@pytest.fixture
def formed(runtime: Runtime, slack: FakeSlack, client: WebClient) -> Formed:
    """A term, a certified mentor and a group of four with its channel, made by the services."""
    start_term(
        runtime,
        words=("Autumn 2026", "2026-09-01", "2027-01-31", "min=3", "tz=Europe/Copenhagen"),
        user_id=COORDINATOR,
    )
    mentor = slack.add_user("anna", real_name="Anna Berg")
    mentees = tuple(slack.add_user(name) for name in ("bo", "cy", "di"))
    certify_mentor(runtime, client, user_id=mentor.id, by=COORDINATOR)
    request = request_from_slack(
        client, mentor_id=mentor.id, mentee_ids=tuple(m.id for m in mentees), name=None
    )
    outcome = create_group(runtime, client, request, created_by=COORDINATOR)
    assert outcome.setup_problem is None
    assert outcome.group.id is not None
    context = group_context(runtime, group_id=outcome.group.id)
    return Formed(context, mentor, mentees)


def _planned_meeting(runtime: Runtime, formed: Formed, *, starts_at: datetime) -> int:
    """A meeting planned for the group, as a closed poll leaves one."""
    with write_session(runtime.engine) as session:
        meeting = Meeting(
            group_id=formed.context.group_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            created_at=runtime.now(),
        )
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        return meeting.id


def _stored(runtime: Runtime, meeting_id: int) -> Meeting:
    with read_session(runtime.engine) as session:
        meeting = meeting_by_id(session, meeting_id)
    assert meeting is not None
    return meeting


def test_a_typed_log_is_stored_with_everyone_and_announced(
    runtime: Runtime, slack: FakeSlack, client: WebClient, formed: Formed
) -> None:
    context = formed.context
    draft = draft_meeting(runtime, context, when="yesterday 16:00", theme_name="motiv")

    logged = log_meeting(runtime, context, draft, user_id=formed.mentor.id)
    unannounced = announce_meeting(client, context, logged)

    assert unannounced is None
    assert logged.number == 1
    assert logged.theme == "Motivation"
    assert logged.meeting.state == MeetingState.HELD.value
    assert sorted(present_at(runtime, logged.meeting.id or 0)) == sorted(context.member_ids)
    [announced] = [m.text for m in slack.messages_in(formed.channel_id) if "logged" in m.text]
    assert announced.startswith("📝 Meeting 1 logged (")
    assert "_Motivation_" in announced


def test_the_typed_and_the_picked_way_in_are_held_to_the_same_rules(
    runtime: Runtime, formed: Formed
) -> None:
    context, tomorrow = formed.context, runtime.now() + timedelta(days=1)
    refusals = []
    for when in ("tomorrow 10:00", tomorrow):
        with pytest.raises(FormErrors) as typed_or_picked:
            draft_meeting(runtime, context, when=when)
        [problem] = typed_or_picked.value.errors
        refusals.append((problem.block_id, problem.message))
    assert refusals[0][0] == WHEN
    assert refusals[0][1].startswith("“tomorrow 10:00”: ")
    assert refusals[1] == (WHEN, "That is in the future; log a meeting once it has happened.")

    with pytest.raises(FormErrors) as several:
        draft_meeting(
            runtime,
            context,
            when=None,
            attendees=["UOUTSIDER"],
            theme_value="999999",
        )
    assert [(e.block_id, e.message) for e in several.value.errors] == [
        (WHEN, "Pick the date and time you met."),
        (ATTENDEES, "Tick who came (at least one person)."),
        (THEME, "That theme is no longer offered; pick another."),
    ]
    with pytest.raises(FormErrors) as unknown:
        draft_meeting(runtime, context, when="yesterday 16:00", theme_name="Quantum")
    assert [e.block_id for e in unknown.value.errors] == [THEME]
    assert unknown.value.message.startswith("I don't know the theme “Quantum”.")


def test_the_same_meeting_logged_twice_is_refused_on_when(runtime: Runtime, formed: Formed) -> None:
    context = formed.context
    moment = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    log_meeting(
        runtime, context, draft_meeting(runtime, context, when=moment), user_id=formed.mentor.id
    )

    with pytest.raises(FieldError) as again:
        log_meeting(
            runtime,
            context,
            draft_meeting(runtime, context, when=moment),
            user_id=formed.mentor.id,
        )

    assert again.value.block_id == WHEN
    assert "is already logged" in again.value.message


def test_did_you_meet_is_asked_once_and_yes_logs_it_with_everyone(
    runtime: Runtime, clock: FakeClock, slack: FakeSlack, client: WebClient, formed: Formed
) -> None:
    starts_at = runtime.now() + timedelta(hours=1)
    meeting_id = _planned_meeting(runtime, formed, starts_at=starts_at)
    assert ask_did_you_meet(runtime, client) == 0, "not before it has ended"
    clock.advance(timedelta(hours=4))

    assert ask_did_you_meet(runtime, client) == 1
    assert ask_did_you_meet(runtime, client) == 0, "asked once"
    [question] = slack.dm_messages_to(formed.mentor.id)
    # The notification names the group and the day (issue 15), in the term's zone.
    when = ENGLISH_READER.moment(starts_at.astimezone(formed.context.zone))
    assert question.text == f"Did Anna's group meet on {when}?"

    answer = confirm_met(
        runtime, client, meeting_id=meeting_id, user_id=formed.mentor.id, t=ENGLISH_READER
    )

    assert answer.startswith("Logged meeting 1 (")
    assert _stored(runtime, meeting_id).state == MeetingState.HELD.value
    assert sorted(present_at(runtime, meeting_id)) == sorted(formed.context.member_ids)
    assert any("Meeting 1 logged" in m.text for m in slack.messages_in(formed.channel_id))
    again = confirm_met(
        runtime, client, meeting_id=meeting_id, user_id=formed.mentor.id, t=ENGLISH_READER
    )
    assert again.startswith("The meeting on ")
    assert again.endswith(" is already logged.")


def test_no_calls_the_meeting_off_and_only_the_mentor_answers(
    runtime: Runtime, clock: FakeClock, client: WebClient, formed: Formed
) -> None:
    meeting_id = _planned_meeting(runtime, formed, starts_at=runtime.now() - timedelta(hours=4))
    with pytest.raises(UserError, match="Only the group's mentor"):
        confirm_not_met(runtime, meeting_id=meeting_id, user_id=formed.mentees[0].id)

    group_id = confirm_not_met(runtime, meeting_id=meeting_id, user_id=formed.mentor.id)

    assert group_id == formed.context.group_id
    assert _stored(runtime, meeting_id).state == MeetingState.CANCELLED.value
    late_yes = confirm_met(
        runtime, client, meeting_id=meeting_id, user_id=formed.mentor.id, t=ENGLISH_READER
    )
    assert late_yes == "That meeting was called off."


def test_attendance_is_corrected_to_members_only(
    runtime: Runtime, client: WebClient, formed: Formed
) -> None:
    context, mentor = formed.context, formed.mentor
    draft = draft_meeting(runtime, context, when="yesterday 16:00")
    meeting_id = log_meeting(runtime, context, draft, user_id=mentor.id).meeting.id or 0
    first_mentee = formed.mentees[0].id

    set_attendance(
        runtime, meeting_id=meeting_id, user_id=mentor.id, present=[first_mentee, "UOUTSIDER"]
    )

    assert present_at(runtime, meeting_id) == [first_mentee]
    for nobody in ([], ["UOUTSIDER"]):
        with pytest.raises(FieldError) as refused:
            set_attendance(runtime, meeting_id=meeting_id, user_id=mentor.id, present=nobody)
        assert refused.value.block_id == ATTENDEES
    with pytest.raises(UserError, match="Only the group's mentor"):
        set_attendance(runtime, meeting_id=meeting_id, user_id=first_mentee, present=[mentor.id])
    assert present_at(runtime, meeting_id) == [first_mentee]


def test_an_announcement_slack_refuses_is_handed_back_and_the_log_stands(
    runtime: Runtime, slack: FakeSlack, client: WebClient, formed: Formed
) -> None:
    context = formed.context
    logged = log_meeting(
        runtime,
        context,
        draft_meeting(runtime, context, when="yesterday 16:00"),
        user_id=formed.mentor.id,
    )
    slack.fail_next("chat.postMessage", "500")

    unannounced = announce_meeting(client, context, logged)

    assert unannounced is not None
    assert unannounced.startswith("📝 Meeting 1 logged (")
    assert _stored(runtime, logged.meeting.id or 0).state == MeetingState.HELD.value
