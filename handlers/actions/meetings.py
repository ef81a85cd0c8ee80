"""Meeting buttons: delete a logged meeting, and the "did you meet?" answers."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import DID_MEET, DID_NOT_MEET, FIX_ATTENDANCE, MEETING_DELETE
from bot.blocks.meetings import attendance_modal, log_list_blocks, met_answer_blocks, not_met_blocks
from bot.domain.errors import UserError
from bot.runtime import Runtime
from bot.services.group_context import mentor_context
from bot.services.meetings import (
    confirm_met,
    confirm_not_met,
    logged_lines,
    meeting_for_mentor,
    member_choices,
    present_at,
    remove_meeting,
    when_text,
)
from handlers.parsing import int_value
from handlers.reply import refuse


def register(app: App, runtime: Runtime) -> None:
    @app.action(MEETING_DELETE)
    def delete(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        user_id = body["user"]["id"]
        try:
            meeting, _ = meeting_for_mentor(runtime, meeting_id=int_value(action), user_id=user_id)
            context = mentor_context(
                runtime, user_id=user_id, action="delete meetings", group_id=meeting.group_id
            )
            remove_meeting(runtime, context, meeting_id=meeting.id or 0)
        except UserError as error:
            refuse(respond, error.message)
            return
        lines = logged_lines(runtime, context, viewer=user_id)
        respond(
            text=f"Deleted. {len(lines)} meetings logged.",
            blocks=log_list_blocks(
                group_name=context.group.name,
                lines=lines,
                minimum=context.term.min_meetings,
                can_delete=True,
            ),
            replace_original=True,
        )

    @app.action(DID_MEET)
    def met(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        try:
            meeting_id = int_value(action)
            text = confirm_met(runtime, client, meeting_id=meeting_id, user_id=body["user"]["id"])
        except UserError as error:
            refuse(respond, error.message)
            return
        respond(
            text=text,
            blocks=met_answer_blocks(text=text, meeting_id=meeting_id),
            replace_original=True,
        )

    @app.action(DID_NOT_MEET)
    def not_met(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            group_id = confirm_not_met(
                runtime, meeting_id=int_value(action), user_id=body["user"]["id"]
            )
        except UserError as error:
            refuse(respond, error.message)
            return
        respond(
            text="Find a new date with a poll.",
            blocks=not_met_blocks(group_id=group_id),
            replace_original=True,
        )

    @app.action(FIX_ATTENDANCE)
    def fix_attendance(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        try:
            meeting, context = meeting_for_mentor(
                runtime, meeting_id=int_value(action), user_id=body["user"]["id"]
            )
        except UserError as error:
            refuse(respond, error.message)
            return
        present = present_at(runtime, meeting.id or 0)
        client.views_open(
            trigger_id=body["trigger_id"],
            view=attendance_modal(
                meeting_id=meeting.id or 0,
                when=when_text(context, meeting.starts_at),
                members=member_choices(runtime, context),
                present=present,
            ),
        )
