"""Submitting the "New date poll" modal: check everything before closing it, so a refused
date is pointed out on the field it came from and nothing is stored. An accepted poll is
stored before the form closes; the worker posts it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.form_errors import field_errors
from bot.blocks.ids import DEADLINE, LENGTH, OPTIONS_TEXT, POLL_MODAL, WHERE, picked_block
from bot.blocks.polls import MODAL_PICKERS
from bot.domain.errors import UserError
from bot.domain.polls import DEFAULT_LENGTH_MINUTES
from bot.followups import DeferredRequest, defer
from bot.i18n import phrase
from bot.services.language import reader
from bot.services.polls.drafting import draft_poll, form_options, poll_mentor_context
from bot.services.polls.posting import post_poll, store_poll
from bot.wiring import runtime_of
from handlers.parsing import database_id, picked_moment, selected_value, state_entry, text_value

POST_POLL = "post poll"


def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    runtime, user_id = runtime_of(context), body["user"]["id"]
    values = (view.get("state") or {}).get("values") or {}
    try:
        group = poll_mentor_context(
            runtime, channel_id=None, group_id=_group_id(view), user_id=user_id
        )
        draft = draft_poll(
            group,
            form_options(text_value(state_entry(values, OPTIONS_TEXT))),
            [picked_moment(state_entry(values, picked_block(n))) for n in _PICKERS],
            _minutes(selected_value(state_entry(values, LENGTH))),
            text_value(state_entry(values, DEADLINE)),
            now=runtime.now(),
            where=text_value(state_entry(values, WHERE)),
        )
        poll_id = store_poll(runtime, group, draft, user_id=user_id)
    except UserError as error:
        errors = field_errors(error, default_block=OPTIONS_TEXT, t=reader(runtime, user_id))
        ack(response_action="errors", errors=errors)
        return
    defer(runtime, POST_POLL, {"poll_id": poll_id, "user_id": user_id})
    ack()


_PICKERS = range(1, MODAL_PICKERS + 1)


def _group_id(view: dict[str, Any]) -> int:
    """The group the form was opened for (its metadata is client data, maybe forged)."""
    group_id = database_id(str(view.get("private_metadata") or ""))
    if group_id is None:
        raise UserError(phrase("This form is out of date."))
    return group_id


def _minutes(text: str) -> int:
    """The chosen meeting length; the default when none (sensible) was chosen."""
    return int(text) if text.isascii() and text.isdigit() else DEFAULT_LENGTH_MINUTES


def post(request: DeferredRequest) -> None:
    try:
        post_poll(request.runtime, request.client, request.payload["poll_id"])
    except UserError as error:
        # A form has no response_url: the mentor hears it in a direct message.
        t = reader(request.runtime, request.user_id)
        request.client.chat_postMessage(channel=request.user_id, text=error.say(t))


VIEWS = {POLL_MODAL: submit}
FOLLOW_UPS = {POST_POLL: post}
