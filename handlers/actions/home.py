"""The buttons of a group needing attention (digest and App Home) and of the App Home tab:
"DM the mentor" (a link: only acknowledged), "Pause a week" (coordinators only), the
mentor's and mentee's buttons, and the language menu. Each click is acknowledged at once and
done by the worker; every answer is in the clicker's language."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack

from bot.blocks.digest import paused_group_text
from bot.blocks.ids import CHOOSE_LANGUAGE, DM_MENTOR_PREFIX, LOG_MEETING, PAUSE_WEEK, SNOOZE_WEEK
from bot.blocks.meetings import log_modal
from bot.blocks.text import md
from bot.domain.errors import UserError
from bot.followups import DeferredRequest
from bot.i18n import language_or_default
from bot.services.group_context import mentor_context
from bot.services.home import choose_own_language, snooze_for_week
from bot.services.language import reader
from bot.services.meetings import default_log_time, member_choices, theme_options
from bot.services.oversight import pause_group_for_week
from bot.services.terms import get_current_term
from bot.wiring import ActionMatcher, Listener
from handlers.events.home import publish_home_with
from handlers.parsing import int_value
from handlers.reply import refuse

PAUSE_GROUP_WEEK = "pause group a week"
OPEN_LOG_FORM = "open log form"
SNOOZE_FOR_WEEK = "snooze a week"
CHOOSE_OWN_LANGUAGE = "choose language"

DEFERRED_CLICKS = {
    PAUSE_WEEK: PAUSE_GROUP_WEEK,
    LOG_MEETING: OPEN_LOG_FORM,
    SNOOZE_WEEK: SNOOZE_FOR_WEEK,
    CHOOSE_LANGUAGE: CHOOSE_OWN_LANGUAGE,
}


def dm_link_opened(ack: Ack) -> None:
    """Slack opens the DM itself; the click still reaches the app and wants its ack."""
    ack()


def pause_week(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        paused = pause_group_for_week(
            request.runtime,
            group_id=int_value(request.payload["actions"][0]),
            user_id=request.user_id,
        )
    except UserError as error:
        _answer(request, error.say(t))
        return
    _answer(request, paused_group_text(t, name=paused.name, until=paused.until))


def open_log_form(request: DeferredRequest) -> None:
    """The mentor's "Log a meeting": the same form as `/mentor log`, re-authorised."""
    runtime = request.runtime
    t = reader(runtime, request.user_id)
    try:
        context = mentor_context(
            runtime,
            user_id=request.user_id,
            action="log meetings",
            group_id=int_value(request.payload["actions"][0]),
        )
    except UserError as error:
        _answer(request, error.say(t))
        return
    request.client.views_open(
        trigger_id=request.payload["trigger_id"],
        view=log_modal(
            t,
            group_id=context.group_id,
            group_name=context.group.name,
            starts_at=default_log_time(runtime, context),
            members=member_choices(runtime, context),
            themes=theme_options(runtime, context, t),
        ),
    )


def snooze_week(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        text = snooze_for_week(request.runtime, t, user_id=request.user_id)
    except UserError as error:
        text = error.say(t)
    _answer(request, text)


def choose_own_language_clicked(request: DeferredRequest) -> None:
    """The language menu: the clicker's own choice is stored and the tab drawn again at
    once in the language chosen, saying so; a value not on the menu changes nothing."""
    action = request.payload["actions"][0]
    value = (action.get("selected_option") or {}).get("value")
    try:
        chosen = choose_own_language(request.runtime, user_id=request.user_id, value=value)
    except UserError as error:
        _answer(request, error.say(reader(request.runtime, request.user_id)))
        return
    t = reader(request.runtime, request.user_id)
    if chosen is not None:
        notice = md(
            t.gettext(
                "✓ {language}: from now on this tab, direct messages and answers to you are "
                "in this language."
            ),
            language=t.language_name(chosen),
        )
    else:
        term = get_current_term(request.runtime)
        programme = language_or_default(term.language if term is not None else None)
        notice = md(
            t.gettext(
                "✓ {language}, the programme's language: from now on this tab, direct "
                "messages and answers to you follow the programme."
            ),
            language=t.language_name(programme),
        )
    _answer(request, notice)


def _answer(request: DeferredRequest, text: str) -> None:
    """In the App Home tab (no response_url there) the tab is drawn again with `text` on
    top; under a message, an ephemeral answer."""
    if _from_home(request.payload):
        publish_home_with(request, notice=text)
    else:
        refuse(request.respond, text)


def _from_home(payload: dict[str, Any]) -> bool:
    return bool((payload.get("view") or {}).get("type") == "home")


ACTIONS: dict[ActionMatcher, Listener] = {re.compile(f"^{DM_MENTOR_PREFIX}"): dm_link_opened}
FOLLOW_UPS = {
    PAUSE_GROUP_WEEK: pause_week,
    OPEN_LOG_FORM: open_log_form,
    SNOOZE_FOR_WEEK: snooze_week,
    CHOOSE_OWN_LANGUAGE: choose_own_language_clicked,
}
