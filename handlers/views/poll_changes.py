"""Submitting the mentor's "Add a date" or "Move the deadline" form: the change is made (or
refused, the reason shown on the date field) before the form is answered, by the same
service `/mentor poll add|deadline` uses; the form then shows what changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.form_errors import field_errors
from bot.blocks.ids import POLL_ADD_DATE_MODAL, POLL_CHANGE_WHEN, POLL_DEADLINE_MODAL
from bot.blocks.polls import poll_change_done_modal
from bot.domain.errors import UserError
from bot.i18n import phrase
from bot.runtime import Runtime
from bot.services.group_context import GroupContext
from bot.services.language import reader
from bot.services.polls.amending import add_poll_date, move_poll_deadline, poll_mentor_of
from bot.wiring import runtime_of
from handlers.parsing import database_id, state_entry, text_value


def submit_added_date(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    _submit(ack, body, view, runtime_of(context), add_poll_date)


def submit_deadline(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    _submit(ack, body, view, runtime_of(context), move_poll_deadline)


def _submit(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    runtime: Runtime,
    change: Callable[..., str],
) -> None:
    values = (view.get("state") or {}).get("values") or {}
    user_id = body["user"]["id"]
    # The mentor's language, for the change's words and for its refusal on the field.
    t = reader(runtime, user_id)
    try:
        poll_id = _poll_id(view)
        group: GroupContext = poll_mentor_of(runtime, poll_id=poll_id, user_id=user_id)
        done = change(
            runtime, group, text_value(state_entry(values, POLL_CHANGE_WHEN)), t=t, poll_id=poll_id
        )
    except UserError as error:
        errors = field_errors(error, default_block=POLL_CHANGE_WHEN, t=t)
        ack(response_action="errors", errors=errors)
        return
    ack(response_action="update", view=poll_change_done_modal(t, done))


def _poll_id(view: dict[str, Any]) -> int:
    """The poll the form was opened for (its metadata is client data, maybe forged)."""
    poll_id = database_id(str(view.get("private_metadata") or ""))
    if poll_id is None:
        raise UserError(phrase("This form is out of date."))
    return poll_id


VIEWS = {POLL_ADD_DATE_MODAL: submit_added_date, POLL_DEADLINE_MODAL: submit_deadline}
