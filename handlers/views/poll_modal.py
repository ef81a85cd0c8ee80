"""Submitting the "New date poll" modal: check everything before closing it, so a refused
date is pointed out on the field it came from and nothing is stored. An accepted poll is
stored before the form closes; the worker posts it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.ids import POLL_MODAL
from bot.blocks.polls import LENGTH_CHOICES, MODAL_PICKERS
from bot.domain.errors import UserError
from bot.domain.limits import MAX_POLL_FORM_TEXT
from bot.domain.polls import DEFAULT_LENGTH_MINUTES, check_option_count, check_options
from bot.domain.polls import MAX_OPTIONS as MAX_POLL_OPTIONS
from bot.domain.text import clean
from bot.followups import DeferredRequest, defer
from bot.services.polls import (
    check_picked_option,
    poll_mentor_context,
    post_poll,
    resolve_deadline,
    store_poll,
    understand_options,
)
from bot.wiring import runtime_of
from handlers.parsing import (
    database_id,
    picked_moment,
    selected_value,
    state_entry,
    text_value,
)

POST_POLL = "post poll"


def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    values = (view.get("state") or {}).get("values") or {}
    try:
        group_id = database_id(str(view.get("private_metadata") or ""))
        if group_id is None:
            raise ValueError("not a group")
        group_context = poll_mentor_context(
            runtime, channel_id=None, group_id=group_id, user_id=user_id
        )
    except (ValueError, UserError) as error:
        message = error.message if isinstance(error, UserError) else "This form is out of date."
        ack(response_action="errors", errors={"options_text": message})
        return
    now = runtime.now()
    errors: dict[str, str] = {}
    raw = text_value(state_entry(values, "options_text"))
    # A forged submission can carry any amount of text: measured and counted before a
    # line of it is read as a date.
    if len(raw) > MAX_POLL_FORM_TEXT:
        ack(
            response_action="errors",
            errors={
                "options_text": f"That is {len(raw):,} characters; write at most "
                f"{MAX_POLL_OPTIONS} dates, one per line ({MAX_POLL_FORM_TEXT:,} "
                "characters in all)."
            },
        )
        return
    typed = [line.strip() for line in clean(raw).splitlines() if line.strip()]
    try:
        check_option_count(len(typed))
    except UserError as error:
        ack(response_action="errors", errors={"options_text": error.message})
        return
    understood = understand_options(group_context, typed, now=now)
    if understood.problems:
        errors["options_text"] = "\n".join(understood.problems)[:1900]
    starts = list(understood.starts)
    for index in range(1, MODAL_PICKERS + 1):
        picked = picked_moment(state_entry(values, f"picked_{index}"))
        if picked is None:
            continue
        try:
            moment = datetime.fromtimestamp(picked, tz=UTC)
            check_picked_option(group_context, moment, now=now)
        except (OverflowError, OSError, ValueError):
            errors[f"picked_{index}"] = "Pick a date and time with the picker."
        except UserError as error:
            errors[f"picked_{index}"] = error.message
        else:
            starts.append(moment)
    length_text = selected_value(state_entry(values, "length"))
    length = (
        int(length_text)
        if length_text.isascii() and length_text.isdigit()
        else DEFAULT_LENGTH_MINUTES
    )
    if length not in LENGTH_CHOICES:
        errors["length"] = "Choose one of the meeting lengths offered."
    if not errors:
        try:
            check_options(starts)
            deadline_text = text_value(state_entry(values, "deadline")).strip() or None
            deadline = resolve_deadline(group_context, deadline_text, starts=starts, now=now)
        except UserError as error:
            field = (
                "deadline"
                if error.message.startswith(("Deadline", "The deadline"))
                else "options_text"
            )
            errors[field] = error.message
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        poll_id = store_poll(
            runtime,
            group_context,
            starts=starts,
            deadline=deadline,
            length_minutes=length,
            user_id=user_id,
        )
    except UserError as error:
        ack(response_action="errors", errors={"options_text": error.message})
        return
    defer(runtime, POST_POLL, {"poll_id": poll_id, "user_id": user_id})
    ack()


def post(request: DeferredRequest) -> None:
    try:
        post_poll(request.runtime, request.client, request.payload["poll_id"])
    except UserError as error:
        # A form has no response_url: the mentor hears it in a direct message.
        request.client.chat_postMessage(channel=request.user_id, text=error.message)


VIEWS = {POLL_MODAL: submit}
FOLLOW_UPS = {POST_POLL: post}
