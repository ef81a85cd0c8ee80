"""Submitting the move form pushed over the review modal: the move is checked against the
hard rules before the form closes, so a refusal is shown on its field; once made, the
review modal under it is redrawn by the worker."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.form_errors import field_errors
from bot.blocks.ids import REVIEW_MOVE_MODAL, REVIEW_MOVE_PERSON, REVIEW_MOVE_TARGET
from bot.blocks.review import OUT
from bot.domain.errors import FieldError, UserError
from bot.followups import defer
from bot.i18n import phrase
from bot.services.language import reader
from bot.services.review import NOT_A_DRAFT, move_person
from bot.wiring import runtime_of
from handlers.actions.review import REFRESH
from handlers.parsing import selected_value, state_entry, text_value

PICK_A_GROUP = phrase("Pick a group of this proposal.")


def submit_move(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    runtime, user_id = runtime_of(context), body["user"]["id"]
    values = (view.get("state") or {}).get("values") or {}
    metadata = str(view.get("private_metadata") or "")
    proposal_text, _, rest = metadata.partition(":")
    page_text, _, review_view_id = rest.partition(":")
    person = state_entry(values, REVIEW_MOVE_PERSON).get("selected_user")
    target_entry = state_entry(values, REVIEW_MOVE_TARGET)
    picked, typed = selected_value(target_entry), text_value(target_entry)
    try:
        if not proposal_text.isdigit():
            raise UserError(NOT_A_DRAFT)
        move_person(
            runtime,
            proposal_id=int(proposal_text),
            person_id=person if isinstance(person, str) else "",
            target=_target(picked, typed),
            by=user_id,
        )
    except UserError as error:
        t = reader(runtime, user_id)
        ack(
            response_action="errors",
            errors=field_errors(error, default_block=REVIEW_MOVE_TARGET, t=t),
        )
        return
    if review_view_id:
        defer(
            runtime,
            REFRESH,
            {
                "user_id": user_id,
                "view_id": review_view_id,
                "proposal_id": int(proposal_text),
                "page": int(page_text) if page_text.isdigit() else 0,
            },
        )
    ack()


def _target(picked: str, typed: str) -> int | None:
    """A group's position from the menu's value, or (with more groups than a menu lists)
    from the group's number as typed; None for "out of every group"."""
    if picked == OUT:
        return None
    if picked.isdigit():
        return int(picked)
    if typed.strip().isdigit() and int(typed) > 0:
        return int(typed) - 1
    raise FieldError(REVIEW_MOVE_TARGET, PICK_A_GROUP)


VIEWS = {REVIEW_MOVE_MODAL: submit_move}
