"""Submitting the sign-up forms: the role choice (answered with the form for that role)
and the form itself (answered with a thank-you in its place). Everything is checked before
the form closes, so a problem is shown on its field and nothing is stored."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk.models.views import View

from bot.blocks.form_errors import field_errors
from bot.blocks.ids import (
    SIGNUP_CAPACITY,
    SIGNUP_FRIEND,
    SIGNUP_LANGUAGES,
    SIGNUP_MODAL,
    SIGNUP_NOTE,
    SIGNUP_OTHER_LANGUAGES,
    SIGNUP_PREFERRED_MENTOR,
    SIGNUP_PROGRAMME,
    SIGNUP_ROLE,
    SIGNUP_ROLE_MODAL,
    SIGNUP_THEMES,
    SIGNUP_YEAR,
    signup_times_block,
)
from bot.blocks.signup import signed_up_modal, signed_up_text, signup_modal
from bot.domain.errors import UserError
from bot.domain.signup import PARTS_OF_DAY, SignupAnswers
from bot.followups import DeferredRequest, defer
from bot.i18n import Translator
from bot.services.language import reader
from bot.services.signup import SignupForm, form_for_role, remember_profile, submit_signup
from bot.wiring import runtime_of
from handlers.parsing import selected_value, selected_values, state_entry, text_value

REMEMBER_PROFILE = "remember sign-up profile"


def form_view(t: Translator, form: SignupForm) -> View:
    return signup_modal(
        t,
        role=form.role,
        metadata=form.metadata,
        themes=[(offer.value, offer.name) for offer in form.themes],
        current=form.current,
        late=form.late,
    )


def submit_role(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    runtime, user_id = runtime_of(context), body["user"]["id"]
    t = reader(runtime, user_id)
    chosen = selected_value(state_entry(_values(view), SIGNUP_ROLE))
    try:
        form = form_for_role(runtime, user_id, chosen)
    except UserError as error:
        ack(response_action="errors", errors=field_errors(error, default_block=SIGNUP_ROLE, t=t))
        return
    ack(response_action="update", view=form_view(t, form))


def submit_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    runtime, user_id = runtime_of(context), body["user"]["id"]
    t = reader(runtime, user_id)
    try:
        signed = submit_signup(
            runtime,
            user_id,
            metadata=str(view.get("private_metadata") or ""),
            answers=_answers(_values(view)),
        )
    except UserError as error:
        ack(
            response_action="errors",
            errors=field_errors(error, default_block=SIGNUP_PROGRAMME, t=t),
        )
        return
    defer(runtime, REMEMBER_PROFILE, {"user_id": user_id})
    text = signed_up_text(
        t,
        role=signed.role,
        late=signed.late,
        changed=signed.changed,
        uncertified_mentor=signed.uncertified_mentor,
    )
    ack(response_action="update", view=signed_up_modal(t, text))


def _values(view: dict[str, Any]) -> dict[str, Any]:
    return (view.get("state") or {}).get("values") or {}


def _answers(values: dict[str, Any]) -> SignupAnswers:
    """The form's fields as sent (the service checks every one)."""
    return SignupAnswers(
        programme=text_value(state_entry(values, SIGNUP_PROGRAMME)),
        year=text_value(state_entry(values, SIGNUP_YEAR)),
        languages=selected_values(state_entry(values, SIGNUP_LANGUAGES)),
        other_languages=text_value(state_entry(values, SIGNUP_OTHER_LANGUAGES)),
        theme_ids=selected_values(state_entry(values, SIGNUP_THEMES)),
        slots=[
            slot
            for part in PARTS_OF_DAY
            for slot in selected_values(state_entry(values, signup_times_block(part)))
        ],
        preferred_mentor=_user(state_entry(values, SIGNUP_PREFERRED_MENTOR)),
        friend=_user(state_entry(values, SIGNUP_FRIEND)),
        note=text_value(state_entry(values, SIGNUP_NOTE)),
        capacity=selected_value(state_entry(values, SIGNUP_CAPACITY)),
    )


def _user(entry: dict[str, Any]) -> str | None:
    picked = entry.get("selected_user")
    return picked if isinstance(picked, str) and picked else None


def remember(request: DeferredRequest) -> None:
    remember_profile(request.runtime, request.client, request.payload["user_id"])


VIEWS = {SIGNUP_ROLE_MODAL: submit_role, SIGNUP_MODAL: submit_form}
FOLLOW_UPS = {REMEMBER_PROFILE: remember}
