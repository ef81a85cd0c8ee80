"""The sign-up buttons: "Join the programme" (App Home), and Change / Withdraw under a
sign-up (in the answer to `/mentor join`, or in the modal the Home button opens). Each click
is acknowledged at once and done by the worker; the answer goes where the click came from:
a modal is updated in place, a message answered through its response_url."""

from __future__ import annotations

from typing import Any

from bot.blocks.ids import SIGNUP_CHANGE, SIGNUP_JOIN, SIGNUP_WITHDRAW
from bot.blocks.signup import (
    notice_modal,
    role_modal,
    signup_summary_blocks,
    summary_modal,
)
from bot.domain.errors import UserError
from bot.followups import DeferredRequest
from bot.services.language import reader
from bot.services.signup import (
    ChooseRole,
    SignupForm,
    form_to_change,
    signup_start,
    withdraw,
)
from handlers.views.signup import form_view

OPEN_SIGNUP = "open sign-up"
CHANGE_SIGNUP = "change sign-up"
WITHDRAW_SIGNUP = "withdraw sign-up"

DEFERRED_CLICKS = {
    SIGNUP_JOIN: OPEN_SIGNUP,
    SIGNUP_CHANGE: CHANGE_SIGNUP,
    SIGNUP_WITHDRAW: WITHDRAW_SIGNUP,
}


def open_signup(request: DeferredRequest) -> None:
    """ "Join the programme": what `/mentor join` shows, each in a modal (App Home has no
    message to answer in)."""
    runtime, user_id = request.runtime, request.user_id
    t = reader(runtime, user_id)
    try:
        start = signup_start(runtime, user_id)
    except UserError as error:
        _open(request, notice_modal(t, error.say(t)))
        return
    if isinstance(start, ChooseRole):
        _open(request, role_modal(t, late=start.late))
    elif isinstance(start, SignupForm):
        _open(request, form_view(t, start))
    else:
        blocks = signup_summary_blocks(
            t,
            role=start.role,
            signup=start.signup,
            signed_up_at=start.signed_up_at,
            can_change=start.can_change,
            certified=start.certified,
        )
        _open(request, summary_modal(t, blocks))


def change_signup(request: DeferredRequest) -> None:
    runtime, user_id = request.runtime, request.user_id
    t = reader(runtime, user_id)
    try:
        form = form_to_change(runtime, user_id)
    except UserError as error:
        _answer(request, error.say(t))
        return
    view_id = _modal_id(request.payload)
    if view_id is not None:
        request.client.views_update(view_id=view_id, view=form_view(t, form))
    else:
        _open(request, form_view(t, form))


def withdraw_signup(request: DeferredRequest) -> None:
    runtime, user_id = request.runtime, request.user_id
    t = reader(runtime, user_id)
    said: str
    try:
        said = withdraw(runtime, user_id).say(t)
    except UserError as error:
        said = error.say(t)
    _answer(request, said, replace=True)


def _open(request: DeferredRequest, view: Any) -> None:
    request.client.views_open(trigger_id=request.payload["trigger_id"], view=view)


def _modal_id(payload: dict[str, Any]) -> str | None:
    view = payload.get("view") or {}
    if view.get("type") == "modal" and isinstance(view.get("id"), str):
        return str(view["id"])
    return None


def _answer(request: DeferredRequest, text: str, *, replace: bool = False) -> None:
    """In the modal the click came from, or under the message it came from."""
    t = reader(request.runtime, request.user_id)
    view_id = _modal_id(request.payload)
    if view_id is not None:
        request.client.views_update(view_id=view_id, view=notice_modal(t, text))
        return
    request.respond(text=text, response_type="ephemeral", replace_original=replace)


FOLLOW_UPS = {
    OPEN_SIGNUP: open_signup,
    CHANGE_SIGNUP: change_signup,
    WITHDRAW_SIGNUP: withdraw_signup,
}
