"""The belonging pulse's DM: a click on a statement's scale is stored before it is
acknowledged (re-authorised by the service: round open, clicker a participant of its term);
the worker then redraws the DM with that statement thanked for, or explains a refusal.
"Skip this time" and "Stop these check-ins" are follow-ups.

What the worker is handed for a click is the round and the clicker, never the statement or
the score: no stored follow-up links a person to an answer."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.ids import PULSE_SCORE_PREFIX, PULSE_SKIP, PULSE_STOP
from bot.blocks.pulse import pulse_blocks, pulse_text, skipped_text, stopped_text
from bot.domain.pulse import parse_click
from bot.followups import DeferredRequest, defer
from bot.services.language import reader
from bot.services.pulse import REFUSALS, Outcome, dm_now, skip_round, stop, store_answer
from bot.wiring import ActionMatcher, Listener, runtime_of
from handlers.parsing import database_id, int_value
from handlers.reply import refuse

REDRAW_PULSE = "redraw pulse"
EXPLAIN_REFUSED_PULSE = "explain refused pulse"
SKIP_PULSE = "skip pulse"
STOP_PULSE = "stop pulse"

DEFERRED_CLICKS = {PULSE_SKIP: SKIP_PULSE, PULSE_STOP: STOP_PULSE}


def answer(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    user_id = str(body["user"]["id"])
    value = str(action.get("value") or "")
    outcome = store_answer(runtime, user_id=user_id, value=value)
    click = parse_click(value)
    later: dict[str, Any] = {
        "user": {"id": user_id},
        "response_url": body.get("response_url"),
        "round": click.round_id if click else None,
        "outcome": outcome.value,
    }
    stored = outcome in (Outcome.STORED, Outcome.ALREADY)
    defer(runtime, REDRAW_PULSE if stored else EXPLAIN_REFUSED_PULSE, later)
    ack()


def redraw(request: DeferredRequest) -> None:
    round_id = request.payload.get("round")
    if not isinstance(round_id, int):
        return
    now = dm_now(request.runtime, user_id=request.user_id, round_id=round_id)
    if now is None:
        return
    t = reader(request.runtime, request.user_id)
    request.respond(
        text=pulse_text(t, kind=now.kind),
        blocks=pulse_blocks(
            t, round_id=now.round_id, kind=now.kind, answered=now.answered, until=now.until
        ),
        replace_original=True,
    )


def explain_refused(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        outcome = Outcome(str(request.payload.get("outcome")))
    except ValueError:
        outcome = Outcome.FORGED
    refuse(request.respond, REFUSALS.get(outcome, REFUSALS[Outcome.FORGED]).say(t))


def skip(request: DeferredRequest) -> None:
    runtime = request.runtime
    t = reader(runtime, request.user_id)
    action = request.payload["actions"][0]
    round_id = database_id(str(action.get("value") or ""))
    outcome = (
        skip_round(runtime, user_id=request.user_id, round_id=round_id)
        if round_id is not None
        else Outcome.FORGED
    )
    if outcome is not Outcome.STORED:
        refuse(request.respond, REFUSALS.get(outcome, REFUSALS[Outcome.FORGED]).say(t))
        return
    request.respond(text=skipped_text(t), replace_original=True)


def stop_check_ins(request: DeferredRequest) -> None:
    # The value is not needed (whoever clicks stops their own check-ins), only checked.
    int_value(request.payload["actions"][0])
    stop(request.runtime, user_id=request.user_id)
    t = reader(request.runtime, request.user_id)
    request.respond(text=stopped_text(t), replace_original=True)


ACTIONS: dict[ActionMatcher, Listener] = {
    re.compile(f"^{PULSE_SCORE_PREFIX}[1-5]$"): answer,
}
FOLLOW_UPS = {
    REDRAW_PULSE: redraw,
    EXPLAIN_REFUSED_PULSE: explain_refused,
    SKIP_PULSE: skip,
    STOP_PULSE: stop_check_ins,
}
