"""Submitting the "Log a meeting" and "Who came?" modals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.ids import ATTENDANCE_MODAL, LOG_MODAL
from bot.domain.errors import UserError
from bot.domain.limits import MAX_MEETING_NOTE
from bot.domain.text import clean
from bot.followups import DeferredRequest, defer
from bot.services.group_context import mentor_context
from bot.services.meetings import (
    announce_stored_meeting,
    check_log_time,
    find_theme_by_id,
    set_attendance,
    store_meeting,
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


def submit_log(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    values = (view.get("state") or {}).get("values") or {}
    try:
        group_context = mentor_context(
            runtime, user_id=user_id, action="log meetings", group_id=_metadata_id(view) or -1
        )
    except UserError as error:
        ack(response_action="errors", errors={"when": error.message})
        return
    picked = picked_moment(state_entry(values, "when"))
    if picked is None:
        ack(response_action="errors", errors={"when": "Pick the date and time you met."})
        return
    starts_at = datetime.fromtimestamp(picked, tz=UTC)
    # Ticked values are client data: only the group's members count, so a forged
    # submission ticking only outsiders is refused like one ticking nobody.
    attendees = [
        user
        for user in selected_values(state_entry(values, "attendees"))
        if user in group_context.member_ids
    ]
    theme_value = selected_value(state_entry(values, "theme"))
    errors: dict[str, str] = {}
    try:
        check_log_time(group_context, starts_at, now=runtime.now())
    except UserError as error:
        errors["when"] = error.message
    if not attendees:
        errors["attendees"] = "Tick who came (at least one person)."
    theme = find_theme_by_id(runtime, group_context, theme_value) if theme_value else None
    if theme_value and theme is None:
        errors["theme"] = "That theme is no longer offered; pick another."
    note = clean(text_value(state_entry(values, "note"))).strip() or None
    if note is not None and len(note) > MAX_MEETING_NOTE:
        errors["note"] = (
            f"Keep the note under {MAX_MEETING_NOTE:,} characters (it has {len(note):,}); "
            "shorten it, or keep longer notes elsewhere."
        )
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        logged = store_meeting(
            runtime,
            group_context,
            starts_at=starts_at,
            attendees=attendees,
            theme=theme,
            note=note,
            user_id=user_id,
        )
    except UserError as error:
        ack(response_action="errors", errors={"when": error.message})
        return
    defer(
        runtime,
        ANNOUNCE_MEETING,
        {"meeting_id": logged.meeting.id, "number": logged.number, "user_id": user_id},
    )
    ack()


def submit_attendance(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    runtime = runtime_of(context)
    values = (view.get("state") or {}).get("values") or {}
    present = selected_values(state_entry(values, "attendees"))
    if not present:
        ack(
            response_action="errors",
            errors={"attendees": "Tick who came (at least one person)."},
        )
        return
    try:
        set_attendance(
            runtime,
            meeting_id=_metadata_id(view) or -1,
            user_id=body["user"]["id"],
            present=present,
        )
    except UserError as error:
        ack(response_action="errors", errors={"attendees": error.message})
        return
    ack()


def announce(request: DeferredRequest) -> None:
    unannounced = announce_stored_meeting(
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
