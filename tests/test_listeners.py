"""Listeners and follow-ups are plain functions: called here with a fake `ack` and a
recording `respond`, against the database (and the fake Slack where a group is needed),
with no HTTP and no Bolt app in between."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.limits import MAX_COMMAND_TEXT
from bot.followups import DeferredRequest
from bot.runtime import Runtime
from bot.wiring import RUNTIME
from handlers import LISTENERS
from handlers.actions.polls import vote
from handlers.commands import ANSWER_COMMAND, answer_command, mentor
from storage.db import read_session
from storage.followups import oldest_waiting_follow_up
from storage.models import Vote
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, poll_message, stored


class RecordingAck(Ack):
    """A fake `ack`: remembers what it was called with."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:  # type: ignore[override]
        self.calls.append(kwargs)


class RecordingRespond(Respond):
    """A `respond` that remembers each answer instead of posting it to a response_url."""

    def __init__(self) -> None:
        super().__init__(response_url=None)
        self.answers: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:  # type: ignore[override]
        self.answers.append(kwargs)


@dataclass(frozen=True)
class AnsweredHere(DeferredRequest):
    """A follow-up's request whose answers are recorded (`respond`)."""

    recorded: RecordingRespond = field(default_factory=RecordingRespond)

    @property
    def respond(self) -> Respond:
        return self.recorded


def context_for(runtime: Runtime) -> BoltContext:
    """Bolt's context as `create_app`'s first middleware leaves it."""
    return BoltContext({RUNTIME: runtime})


def waiting_follow_up(runtime: Runtime) -> bool:
    with read_session(runtime.engine, snapshot=False) as session:
        return oldest_waiting_follow_up(session) is not None


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def test_a_vote_click_is_stored_before_it_is_acknowledged(bot: BotUnderTest, group: Group) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    actions = [b for b in poll_message(bot, group).blocks if b.get("type") == "actions"]
    button = next(e for e in actions[1]["elements"] if e["action_id"] == "poll_vote_yes")
    ack = RecordingAck()
    voter = group.mentees[0].id

    vote(ack, {"user": {"id": voter}, "actions": [button]}, button, context_for(bot.runtime))

    assert ack.calls == [{}]
    # The mentor's own dates are stored as their "yes" with the poll; this is the click's.
    [stored_vote] = [v for v in stored(bot, Vote) if v.slack_user_id != group.mentor.id]
    assert (stored_vote.slack_user_id, stored_vote.answer) == (voter, "yes")
    assert not waiting_follow_up(bot.runtime), "a stored vote needs no explanation"


def test_a_command_too_long_to_read_is_answered_in_the_acknowledgement(
    runtime: Runtime,
) -> None:
    ack = RecordingAck()
    command = {"text": "x" * (MAX_COMMAND_TEXT + 1), "user_id": COORDINATOR}

    mentor(ack, command, context_for(runtime))

    [answer] = ack.calls
    assert answer["response_type"] == "ephemeral"
    assert "too long for a command" in answer["text"]
    assert not waiting_follow_up(runtime), "nothing is left for the worker"


def test_a_readable_command_is_left_to_the_worker_and_acknowledged_quietly(
    runtime: Runtime,
) -> None:
    ack = RecordingAck()

    mentor(ack, {"text": "help", "user_id": COORDINATOR}, context_for(runtime))

    assert ack.calls == [{}]
    assert waiting_follow_up(runtime)


def test_the_command_follow_up_answers_through_respond(runtime: Runtime) -> None:
    client = WebClient(token="xoxb-unused", base_url="http://127.0.0.1:9/")
    request = AnsweredHere(
        {"text": "help", "user_id": COORDINATOR, "channel_id": "C0ADMIN"}, runtime, client, client
    )

    answer_command(request)

    [answer] = request.recorded.answers
    assert answer["response_type"] == "ephemeral"
    assert answer["replace_original"] is False
    assert "/mentor term new" in answer["text"]


def test_the_table_lists_each_listener_once_and_runs_the_command_follow_up() -> None:
    assert LISTENERS.commands["/mentor"] is mentor
    assert LISTENERS.follow_ups[ANSWER_COMMAND] is answer_command
    clicks = set(LISTENERS.deferred_clicks.values())
    assert clicks <= set(LISTENERS.follow_ups), "every deferred click has its follow-up"
