"""The buttons of a group needing attention (digest and App Home) and of the App Home tab:
"DM the mentor" (a link: only acknowledged), "Pause a week" (coordinators only), and the
mentor's and mentee's buttons. Each click is acknowledged at once and done by the worker."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack

from bot.blocks.ids import DM_MENTOR_PREFIX, LOG_MEETING, PAUSE_WEEK, SNOOZE_WEEK
from bot.blocks.meetings import log_modal
from bot.domain.errors import UserError
from bot.followups import DeferredRequest
from bot.services.group_context import mentor_context
from bot.services.home import snooze_for_week
from bot.services.meetings import default_log_time, member_choices, theme_options
from bot.services.oversight import pause_group_for_week
from bot.wiring import ActionMatcher, Listener
from handlers.events.home import publish_home_with
from handlers.parsing import int_value
from handlers.reply import refuse

PAUSE_GROUP_WEEK = "pause group a week"
OPEN_LOG_FORM = "open log form"
SNOOZE_FOR_WEEK = "snooze a week"

DEFERRED_CLICKS = {
    PAUSE_WEEK: PAUSE_GROUP_WEEK,
    LOG_MEETING: OPEN_LOG_FORM,
    SNOOZE_WEEK: SNOOZE_FOR_WEEK,
}


def dm_link_opened(ack: Ack) -> None:
    """Slack opens the DM itself; the click still reaches the app and wants its ack."""
    ack()


def pause_week(request: DeferredRequest) -> None:
    try:
        text = pause_group_for_week(
            request.runtime,
            group_id=int_value(request.payload["actions"][0]),
            user_id=request.user_id,
        )
    except UserError as error:
        text = error.message
    _answer(request, text)


def open_log_form(request: DeferredRequest) -> None:
    """The mentor's "Log a meeting": the same form as `/mentor log`, re-authorised."""
    runtime = request.runtime
    try:
        context = mentor_context(
            runtime,
            user_id=request.user_id,
            action="log meetings",
            group_id=int_value(request.payload["actions"][0]),
        )
    except UserError as error:
        _answer(request, error.message)
        return
    request.client.views_open(
        trigger_id=request.payload["trigger_id"],
        view=log_modal(
            group_id=context.group_id,
            group_name=context.group.name,
            starts_at=default_log_time(runtime, context),
            members=member_choices(runtime, context),
            themes=theme_options(runtime, context),
        ),
    )


def snooze_week(request: DeferredRequest) -> None:
    try:
        text = snooze_for_week(request.runtime, user_id=request.user_id)
    except UserError as error:
        text = error.message
    _answer(request, text)


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
}
