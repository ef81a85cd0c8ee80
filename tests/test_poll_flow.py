"""Tier 2: the poll's services and its form listener against the fake Slack's Web API, without
the HTTP endpoint. The listener is called as a plain function with a fake `ack` and a view
payload; what it stored and what the fake Slack was sent are checked afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlmodel import select

from bot.blocks.ids import DEADLINE, LENGTH, OPTIONS_TEXT, POLL_MODAL, picked_block
from bot.domain.errors import FieldError, FormErrors, UserError
from bot.domain.polls import Answer
from bot.followups import DeferredRequest
from bot.runtime import Runtime
from bot.sandbox.fakeslack.server import FakeSlack
from bot.services.group_context import GroupContext, group_context
from bot.services.groups import GroupRequest, create_group
from bot.services.people import SlackProfile
from bot.services.polls.closing import cancel_poll
from bot.services.polls.drafting import PollDraft, draft_poll
from bot.services.polls.posting import post_poll, store_poll
from bot.services.polls.redraw import redraw_poll
from bot.services.polls.reminders import run_poll_job
from bot.services.polls.voting import store_vote, why_vote_refused
from bot.wiring import RUNTIME
from handlers.views.poll_modal import POST_POLL, post, submit
from storage.db import read_session, write_session
from storage.models import FollowUp, Meeting, Poll, PollOptionRow
from storage.people import certify, save_person
from storage.terms import create_current_term
from tests.conftest import COORDINATOR
from tests.support.clock import FakeClock

# The fake clock starts on Monday 2026-11-23 09:00 UTC (10:00 in Copenhagen).
THU_16 = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
FRI_14 = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
WED_12 = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


@dataclass
class Scene:
    runtime: Runtime
    slack: FakeSlack
    client: WebClient
    context: GroupContext
    mentor: str
    mentees: tuple[str, ...]

    @property
    def channel_id(self) -> str:
        assert self.context.group.channel_id is not None
        return self.context.group.channel_id

    def draft(
        self, typed: list[str], picked: list[int | None] | None = None, **kw: Any
    ) -> PollDraft:
        return draft_poll(
            self.context,
            typed,
            picked or [],
            kw.get("length", 90),
            kw.get("deadline"),
            now=self.runtime.now(),
        )

    def posted_poll(self) -> int:
        poll_id = store_poll(
            self.runtime, self.context, self.draft(["thu 16:00", "fri 14:00"]), user_id=self.mentor
        )
        post_poll(self.runtime, self.client, poll_id)
        return poll_id

    def polls(self) -> list[Poll]:
        with read_session(self.runtime.engine) as session:
            return list(session.exec(select(Poll)).all())

    def option_ids(self, poll_id: int) -> list[int]:
        with read_session(self.runtime.engine) as session:
            rows = session.exec(
                select(PollOptionRow)
                .where(PollOptionRow.poll_id == poll_id)
                .order_by(PollOptionRow.position)  # type: ignore[arg-type]
            ).all()
        return [row.id or 0 for row in rows]


@pytest.fixture
def scene(runtime: Runtime) -> Iterator[Scene]:
    with FakeSlack() as slack:
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        people = [slack.add_user(name) for name in ("anna", "bo", "cy", "di")]
        now = runtime.now()
        with write_session(runtime.engine) as session:
            create_current_term(
                session,
                name="Autumn 2026",
                starts_on=date(2026, 9, 1),
                ends_on=date(2027, 1, 31),
                min_meetings=3,
                timezone="Europe/Copenhagen",
                language="en",
                created_by=COORDINATOR,
                now=now,
            )
            mentor, _ = save_person(session, slack_user_id=people[0].id, name="Anna", email=None)
            certify(session, mentor, by=COORDINATOR, now=now)
        profiles = [SlackProfile(p.id, p.name, p.email, None) for p in people]
        outcome = create_group(
            runtime, client, GroupRequest(profiles[0], tuple(profiles[1:])), created_by=COORDINATOR
        )
        assert outcome.group.id is not None
        context = group_context(runtime, group_id=outcome.group.id)
        yield Scene(runtime, slack, client, context, people[0].id, tuple(p.id for p in people[1:]))


# -- The one draft, as the short command and the form use it ------------------------------


def test_typed_and_picked_dates_make_one_draft(scene: Scene) -> None:
    draft = scene.draft(
        ["thu 16:00"], [None, int(FRI_14.timestamp()), None], length=60, deadline=" wed 12:00 "
    )
    assert draft == PollDraft(starts=(THU_16, FRI_14), length_minutes=60, deadline=WED_12)


def test_without_a_deadline_answers_are_due_in_48_hours(scene: Scene) -> None:
    draft = scene.draft(["thu 16:00", "fri 14:00"])
    assert draft.deadline == scene.runtime.now() + timedelta(hours=48)


def test_each_problem_names_the_field_it_belongs_to(scene: Scene) -> None:
    past = int((scene.runtime.now() - timedelta(days=1)).timestamp())
    with pytest.raises(FormErrors) as refused:
        scene.draft(["someday", "fri 14:00"], [past, None, 10**15], length=7)
    blocks = [error.block_id for error in refused.value.errors]
    assert blocks == [OPTIONS_TEXT, picked_block(1), picked_block(3), LENGTH]
    assert refused.value.errors[0].message.startswith("Option 1 “someday”")
    # As one reply (the short command), the same problems under one line.
    assert refused.value.message.startswith("Nothing was posted.\nOption 1 “someday”")


@pytest.mark.parametrize(
    ("typed", "deadline", "block_id", "says"),
    [
        (["thu 16:00"], None, OPTIONS_TEXT, "at least 2 dates"),
        (["thu 16:00", "thu 16:00"], None, OPTIONS_TEXT, "the same date"),
        (["thu 16:00"] * 11, None, OPTIONS_TEXT, "at most 10 dates"),
        (["thu 16:00", "fri 14:00"], "whenever", DEADLINE, "Deadline “whenever”"),
        (["thu 16:00", "fri 14:00"], "fri 12:00", DEADLINE, "after the first option"),
    ],
)
def test_one_problem_is_one_field_error(
    scene: Scene, typed: list[str], deadline: str | None, block_id: str, says: str
) -> None:
    with pytest.raises(FieldError) as refused:
        scene.draft(typed, deadline=deadline)
    assert refused.value.block_id == block_id
    assert says in refused.value.message


# -- The form's listener, called as a function -----------------------------------------------


@dataclass
class FakeAck:
    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


def _text(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


def _submit(scene: Scene, user_id: str, values: dict[str, Any]) -> FakeAck:
    view = {
        "id": "V1",
        "callback_id": POLL_MODAL,
        "private_metadata": str(scene.context.group_id),
        "state": {"values": values},
    }
    body = {"type": "view_submission", "user": {"id": user_id}, "view": view}
    ack = FakeAck()
    submit(ack, body, view, BoltContext({RUNTIME: scene.runtime}))  # type: ignore[arg-type]
    return ack


def test_form_stores_the_poll_and_leaves_posting_it_to_the_worker(scene: Scene) -> None:
    ack = _submit(
        scene,
        scene.mentor,
        {
            OPTIONS_TEXT: _text("thu 16:00\n\n"),
            picked_block(2): {
                "value": {"type": "datetimepicker", "selected_date_time": int(FRI_14.timestamp())}
            },
            LENGTH: {"value": {"type": "static_select", "selected_option": {"value": "60"}}},
            DEADLINE: _text("wed 12:00"),
        },
    )
    assert ack.calls == [{}]
    [poll] = scene.polls()
    assert (poll.length_minutes, poll.deadline, poll.message_ts) == (60, WED_12, None)
    with read_session(scene.runtime.engine) as session:
        [follow_up] = session.exec(select(FollowUp)).all()
    assert follow_up.kind == POST_POLL
    # The worker's part: the follow-up posts the poll in the group's channel.
    post(DeferredRequest(json.loads(follow_up.payload), scene.runtime, scene.client, scene.client))
    [message] = [m for m in scene.slack.messages_in(scene.channel_id) if "Date poll" in m.text]
    shown = json.dumps(message.blocks)
    assert "Thu 26 Nov" in shown
    assert "Fri 27 Nov" in shown
    assert "60 min" in shown
    assert scene.polls()[0].message_ts == message.ts


def test_form_puts_each_problem_on_its_field_as_plain_text(scene: Scene) -> None:
    ack = _submit(
        scene,
        scene.mentor,
        {
            OPTIONS_TEXT: _text("soon & <!channel>\nfri 14:00"),
            picked_block(1): {"value": {"type": "datetimepicker", "selected_date_time": 10**10}},
            LENGTH: {"value": {"type": "static_select", "selected_option": {"value": "1000"}}},
        },
    )
    [call] = ack.calls
    assert call["response_action"] == "errors"
    errors = call["errors"]
    assert set(errors) == {OPTIONS_TEXT, picked_block(1), LENGTH}
    # Shown under the field as plain text: what was typed, not its mrkdwn escapes.
    assert errors[OPTIONS_TEXT].startswith("Option 1 “soon & <!channel>”")
    assert "&amp;" not in json.dumps(errors)
    assert "&lt;" not in json.dumps(errors)
    assert scene.polls() == []
    assert not [m for m in scene.slack.messages_in(scene.channel_id) if "Date poll" in m.text]


def test_form_refuses_anyone_but_the_mentor_on_the_dates_field(scene: Scene) -> None:
    ack = _submit(scene, scene.mentees[0], {OPTIONS_TEXT: _text("thu 16:00\nfri 14:00")})
    assert ack.calls == [
        {
            "response_action": "errors",
            "errors": {OPTIONS_TEXT: "Only the group's mentor can start a date poll."},
        }
    ]
    assert scene.polls() == []


# -- Voting, redrawing, closing and the poll job --------------------------------------------


def test_everyone_answering_closes_the_poll_and_announces_the_date(scene: Scene) -> None:
    poll_id = scene.posted_poll()
    first, second = scene.option_ids(poll_id)
    for user_id in (scene.mentor, *scene.mentees):
        store_vote(
            scene.runtime, poll_id=poll_id, option_id=first, user_id=user_id, answer=Answer.NO
        )
        store_vote(
            scene.runtime, poll_id=poll_id, option_id=second, user_id=user_id, answer=Answer.YES
        )
    assert redraw_poll(scene.runtime, scene.client, poll_id)
    [poll] = scene.polls()
    assert (poll.state, poll.winner_option_id, poll.close_reason) == (
        "closed",
        second,
        "everyone answered",
    )
    with read_session(scene.runtime.engine) as session:
        [meeting] = session.exec(select(Meeting)).all()
    assert meeting.starts_at == FRI_14
    [ics] = scene.slack.files_in(scene.channel_id)
    assert ics.name == "mentor-group-meeting.ics"
    message = next(m for m in scene.slack.messages_in(scene.channel_id) if m.ts == poll.message_ts)
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "The date is set" in shown
    assert "The group meets *Fri 27 Nov, 14:00* (until 15:30)." in shown
    assert "poll_vote" not in shown
    # The poll's message is the result; the calendar file is a reply under it, not a
    # second announcement in the channel.
    [shared] = [m for m in scene.slack.messages_in(scene.channel_id) if m.files]
    assert shared.thread_ts == poll.message_ts


def test_a_refused_vote_is_explained_and_a_cancelled_poll_shows_it(scene: Scene) -> None:
    poll_id = scene.posted_poll()
    [first, _] = scene.option_ids(poll_id)
    stranger = scene.slack.add_user("finn").id
    assert not store_vote(
        scene.runtime, poll_id=poll_id, option_id=first, user_id=stranger, answer=Answer.YES
    )
    assert "Only members" in str(
        why_vote_refused(scene.runtime, poll_id=poll_id, option_id=first, user_id=stranger)
    )
    with pytest.raises(UserError, match=r"up to the group.s mentor"):
        cancel_poll(scene.runtime, poll_id=poll_id, user_id=scene.mentees[0])
    cancel_poll(scene.runtime, poll_id=poll_id, user_id=scene.mentor)
    assert redraw_poll(scene.runtime, scene.client, poll_id)
    [poll] = scene.polls()
    assert poll.state == "cancelled"
    message = next(m for m in scene.slack.messages_in(scene.channel_id) if m.ts == poll.message_ts)
    assert "cancelled by the mentor" in json.dumps(message.blocks)
    assert "closed" in str(
        why_vote_refused(scene.runtime, poll_id=poll_id, option_id=first, user_id=scene.mentees[0])
    )


def test_the_poll_job_reminds_halfway_and_closes_at_the_deadline(
    scene: Scene, clock: FakeClock
) -> None:
    poll_id = scene.posted_poll()
    [first, _] = scene.option_ids(poll_id)
    store_vote(
        scene.runtime, poll_id=poll_id, option_id=first, user_id=scene.mentor, answer=Answer.YES
    )
    clock.advance(timedelta(hours=25))
    report = run_poll_job(scene.runtime, scene.client)
    assert report.reminded == 3  # no mentee has answered; the mentor's dates are their yes
    assert all(scene.slack.dm_messages_to(user_id) for user_id in scene.mentees)
    clock.advance(timedelta(hours=24))
    report = run_poll_job(scene.runtime, scene.client)
    assert (report.closed, report.failed) == (1, 0)
    [poll] = scene.polls()
    assert (poll.state, poll.winner_option_id) == ("closed", first)
