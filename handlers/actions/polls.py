"""Poll buttons: Yes / If need be / No on each date (in the poll or a reminder), None of
these work for me, the mentor's Add a date, Move the deadline, Close now and Cancel, Pick
it, Start a date poll.

A vote is stored before the click is acknowledged (one statement); redrawing the tally is the
worker's. The other buttons are acknowledged at once and carried out by the worker."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.ids import (
    POLL_ADD_DATE,
    POLL_CANCEL,
    POLL_CLOSE,
    POLL_MOVE_DEADLINE,
    POLL_NONE_WORKS,
    POLL_PICK,
    POLL_VOTE_PREFIX,
    START_POLL,
)
from bot.blocks.polls import (
    picked_date_blocks,
    picked_date_text,
    poll_change_modal,
    poll_modal,
)
from bot.blocks.text import message_text
from bot.domain.errors import UserError
from bot.domain.polls import Answer
from bot.followups import DeferredRequest, defer
from bot.services.language import reader
from bot.services.polls.amending import poll_mentor_of
from bot.services.polls.closing import cancel_poll, close_by_mentor, pick_date
from bot.services.polls.drafting import poll_mentor_context
from bot.services.polls.reminders import reminder_now
from bot.services.polls.voting import (
    OUT_OF_DATE,
    store_none_works,
    store_vote,
    why_vote_refused,
)
from bot.wiring import ActionMatcher, Listener, runtime_of
from handlers.parsing import int_value, poll_option_value
from handlers.reply import refuse

EXPLAIN_REFUSED_VOTE = "explain refused vote"
EXPLAIN_REFUSED_NONE_WORKS = "explain refused none works"
REFRESH_REMINDER = "refresh poll reminder"
CLOSE_POLL = "close poll"
CANCEL_POLL = "cancel poll"
OPEN_POLL_FORM = "open poll form"
PICK_DATE = "pick date"
OPEN_ADD_DATE_FORM = "open add date form"
OPEN_DEADLINE_FORM = "open deadline form"


DEFERRED_CLICKS = {
    POLL_CLOSE: CLOSE_POLL,
    POLL_CANCEL: CANCEL_POLL,
    START_POLL: OPEN_POLL_FORM,
    POLL_PICK: PICK_DATE,
    POLL_ADD_DATE: OPEN_ADD_DATE_FORM,
    POLL_MOVE_DEADLINE: OPEN_DEADLINE_FORM,
}


def _vote(action: dict[str, Any]) -> tuple[Answer, int, int]:
    answer = Answer(str(action.get("action_id", "")).removeprefix(POLL_VOTE_PREFIX))
    poll_id, option_id = poll_option_value(action)
    return answer, poll_id, option_id


def vote(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    try:
        answer, poll_id, option_id = _vote(action)
        stored = store_vote(
            runtime,
            poll_id=poll_id,
            option_id=option_id,
            user_id=body["user"]["id"],
            answer=answer,
        )
    except (ValueError, UserError):
        stored = False
    if not stored:
        defer(runtime, EXPLAIN_REFUSED_VOTE, body)
    elif _in_a_direct_message(body):
        # A vote from the reminder: the reminder is redrawn with the dates still to answer.
        defer(runtime, REFRESH_REMINDER, body)
    ack()


def _in_a_direct_message(body: dict[str, Any]) -> bool:
    """Whether the click came from a message in a DM (Slack's DM IDs start with D)."""
    channel = body.get("channel")
    return isinstance(channel, dict) and str(channel.get("id", "")).startswith("D")


def refresh_reminder(request: DeferredRequest) -> None:
    _, poll_id, _ = _vote(request.payload["actions"][0])
    now = reminder_now(request.runtime, request.client, poll_id=poll_id, user_id=request.user_id)
    if now is None:
        return
    text, blocks = now
    request.respond(text=text, blocks=blocks, replace_original=True)


def explain_refused_vote(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        _, poll_id, option_id = _vote(request.payload["actions"][0])
    except (ValueError, UserError):
        refuse(request.respond, OUT_OF_DATE.say(t))
        return
    why = why_vote_refused(
        request.runtime, poll_id=poll_id, option_id=option_id, user_id=request.user_id
    )
    refuse(request.respond, why.say(t))


def none_works(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    """ "None of these work for me": "no" to every date, stored before the ack as a vote is."""
    runtime = runtime_of(context)
    try:
        stored = store_none_works(runtime, poll_id=int_value(action), user_id=body["user"]["id"])
    except (ValueError, UserError):
        stored = False
    if not stored:
        defer(runtime, EXPLAIN_REFUSED_NONE_WORKS, body)
    ack()


def explain_refused_none_works(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        poll_id = int_value(request.payload["actions"][0])
    except UserError:
        refuse(request.respond, OUT_OF_DATE.say(t))
        return
    why = why_vote_refused(
        request.runtime, poll_id=poll_id, option_id=None, user_id=request.user_id
    )
    refuse(request.respond, why.say(t))


def close_now(request: DeferredRequest) -> None:
    close_by_mentor(
        request.runtime,
        request.slow_client,
        poll_id=int_value(request.payload["actions"][0]),
        user_id=request.user_id,
    )


def cancel(request: DeferredRequest) -> None:
    cancel_poll(
        request.runtime, poll_id=int_value(request.payload["actions"][0]), user_id=request.user_id
    )


def pick(request: DeferredRequest) -> None:
    """The mentor's "Pick it" on a date of a poll that closed without one: their choice is
    redrawn in place with the date picked and no buttons, so it cannot be picked twice."""
    poll_id, option_id = poll_option_value(request.payload["actions"][0])
    t = reader(request.runtime, request.user_id)
    picked = pick_date(
        request.runtime,
        request.slow_client,
        poll_id=poll_id,
        option_id=option_id,
        user_id=request.user_id,
        t=t,
    )
    request.respond(
        text=message_text(picked_date_text(t, group_name=picked.group_name, when=picked.when)),
        blocks=picked_date_blocks(t, group_name=picked.group_name, when=picked.when),
        replace_original=True,
    )


def open_poll_form(request: DeferredRequest) -> None:
    context = poll_mentor_context(
        request.runtime,
        channel_id=None,
        group_id=int_value(request.payload["actions"][0]),
        user_id=request.user_id,
    )
    request.client.views_open(
        trigger_id=request.payload["trigger_id"],
        view=poll_modal(
            reader(request.runtime, request.user_id),
            group_id=context.group_id,
            group_name=context.group.name,
        ),
    )


def open_add_date_form(request: DeferredRequest) -> None:
    _open_change_form(request, adding=True)


def open_deadline_form(request: DeferredRequest) -> None:
    _open_change_form(request, adding=False)


def _open_change_form(request: DeferredRequest, *, adding: bool) -> None:
    """The mentor's "Add a date" or "Move the deadline": its small form, for a mentor of
    the poll's group only."""
    poll_id = int_value(request.payload["actions"][0])
    poll_mentor_of(request.runtime, poll_id=poll_id, user_id=request.user_id)
    request.client.views_open(
        trigger_id=request.payload["trigger_id"],
        view=poll_change_modal(
            reader(request.runtime, request.user_id), poll_id=poll_id, adding=adding
        ),
    )


ACTIONS: dict[ActionMatcher, Listener] = {
    re.compile(f"^{POLL_VOTE_PREFIX}"): vote,
    POLL_NONE_WORKS: none_works,
}
FOLLOW_UPS = {
    EXPLAIN_REFUSED_VOTE: explain_refused_vote,
    EXPLAIN_REFUSED_NONE_WORKS: explain_refused_none_works,
    REFRESH_REMINDER: refresh_reminder,
    CLOSE_POLL: close_now,
    CANCEL_POLL: cancel,
    OPEN_POLL_FORM: open_poll_form,
    PICK_DATE: pick,
    OPEN_ADD_DATE_FORM: open_add_date_form,
    OPEN_DEADLINE_FORM: open_deadline_form,
}
