"""Submitting the "Log a meeting" and "Who came?" modals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.form_errors import field_errors
from bot.blocks.ids import ATTENDANCE_MODAL, ATTENDEES, LOG_MODAL, NOTE, THEME, WHEN
from bot.blocks.meetings import attendance_saved_view
from bot.domain.errors import UserError
from bot.domain.text import clean
from bot.followups import DeferredRequest, defer
from bot.runtime import Runtime
from bot.services.group_context import GroupContext, mentor_context
from bot.services.language import reader
from bot.services.meetings import (
    MeetingDraft,
    announce_logged_meeting,
    draft_meeting,
    log_meeting,
    set_attendance,
)
from bot.wiring import runtime_of
from handlers.parsing import (
    database_id,
    picked_moment,
    selected_value,
    selected_values,
    state_entry,
    text_value,
)

ANNOUNCE_MEETING = "announce meeting"


def _metadata_id(view: dict[str, Any]) -> int | None:
    return database_id(str(view.get("private_metadata") or ""))


def _values(view: dict[str, Any]) -> dict[str, Any]:
    return (view.get("state") or {}).get("values") or {}


def submit_log(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    try:
        group = mentor_context(
            runtime, user_id=user_id, action="log meetings", group_id=_metadata_id(view) or -1
        )
        logged = log_meeting(runtime, group, _drafted(runtime, group, view), user_id=user_id)
    except UserError as error:
        t = reader(runtime, user_id)
        ack(response_action="errors", errors=field_errors(error, default_block=WHEN, t=t))
        return
    defer(
        runtime,
        ANNOUNCE_MEETING,
        {"meeting_id": logged.meeting.id, "number": logged.number, "user_id": user_id},
    )
    ack()


def _drafted(runtime: Runtime, group: GroupContext, view: dict[str, Any]) -> MeetingDraft:
    """The log form's fields, checked by the same rules as `/mentor log WHEN`."""
    values = _values(view)
    picked = picked_moment(state_entry(values, WHEN))
    return draft_meeting(
        runtime,
        group,
        when=None if picked is None else datetime.fromtimestamp(picked, tz=UTC),
        attendees=selected_values(state_entry(values, ATTENDEES)),
        theme_value=selected_value(state_entry(values, THEME)) or None,
        note=clean(text_value(state_entry(values, NOTE))).strip() or None,
    )


def submit_attendance(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    runtime, user_id = runtime_of(context), body["user"]["id"]
    try:
        came, members = set_attendance(
            runtime,
            meeting_id=_metadata_id(view) or -1,
            user_id=user_id,
            present=selected_values(state_entry(_values(view), ATTENDEES)),
        )
    except UserError as error:
        t = reader(runtime, user_id)
        ack(response_action="errors", errors=field_errors(error, default_block=ATTENDEES, t=t))
        return
    # The form says it was saved: a form has no message to answer in.
    t = reader(runtime, user_id)
    ack(response_action="update", view=attendance_saved_view(t, came=came, members=members))


def announce(request: DeferredRequest) -> None:
    unannounced = announce_logged_meeting(
        request.runtime,
        request.client,
        meeting_id=request.payload["meeting_id"],
        number=request.payload["number"],
    )
    if unannounced:
        # A form has no response_url: the mentor hears it in a direct message.
        request.client.chat_postMessage(channel=request.user_id, text=unannounced)


VIEWS = {LOG_MODAL: submit_log, ATTENDANCE_MODAL: submit_attendance}
FOLLOW_UPS = {ANNOUNCE_MEETING: announce}
