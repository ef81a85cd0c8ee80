"""Meeting buttons: delete a logged meeting, and the "did you meet?" answers. Each click is
acknowledged at once and carried out by the worker."""

from __future__ import annotations

from bot.blocks.ids import (
    DID_MEET,
    DID_NOT_MEET,
    FIX_ATTENDANCE,
    MEETING_DELETE,
    MEETING_THEME,
    MORE_IDEAS,
)
from bot.blocks.meetings import (
    attendance_modal,
    log_list_blocks,
    met_answer_blocks,
    not_met_blocks,
    theme_suggestion_blocks,
)
from bot.blocks.text import md
from bot.domain.errors import UserError
from bot.followups import DeferredRequest
from bot.i18n import phrase
from bot.services.group_context import mentor_context
from bot.services.language import reader
from bot.services.meetings import (
    confirm_met,
    confirm_not_met,
    logged_lines,
    meeting_for_mentor,
    member_choices,
    more_ideas,
    present_at,
    remove_meeting,
    set_meeting_theme,
    theme_options,
    when_text,
)
from handlers.parsing import database_id, int_value

DELETE_MEETING = "delete meeting"
MET = "did meet"
NOT_MET = "did not meet"
OPEN_ATTENDANCE_FORM = "open attendance form"
PICK_THEME = "pick meeting theme"
SHOW_MORE_IDEAS = "more ideas"


DEFERRED_CLICKS = {
    MEETING_DELETE: DELETE_MEETING,
    DID_MEET: MET,
    DID_NOT_MEET: NOT_MET,
    FIX_ATTENDANCE: OPEN_ATTENDANCE_FORM,
    MEETING_THEME: PICK_THEME,
    MORE_IDEAS: SHOW_MORE_IDEAS,
}


def _clicked_id(request: DeferredRequest) -> int:
    return int_value(request.payload["actions"][0])


def delete(request: DeferredRequest) -> None:
    runtime, user_id = request.runtime, request.user_id
    meeting_id = _clicked_id(request)
    meeting, _ = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=user_id)
    context = mentor_context(
        runtime, user_id=user_id, action="delete meetings", group_id=meeting.group_id
    )
    remove_meeting(runtime, context, meeting_id=meeting_id)
    t = reader(runtime, user_id)
    lines = logged_lines(runtime, context, viewer=user_id, t=t)
    request.respond(
        text=t.ngettext(
            "Deleted. {count} meeting logged.", "Deleted. {count} meetings logged.", len(lines)
        ).format(count=len(lines)),
        blocks=log_list_blocks(
            t,
            group_name=context.group.name,
            lines=lines,
            minimum=context.term.min_meetings,
            can_delete=True,
        ),
        replace_original=True,
    )


def met(request: DeferredRequest) -> None:
    runtime, meeting_id = request.runtime, _clicked_id(request)
    t = reader(runtime, request.user_id)
    text = confirm_met(runtime, request.client, meeting_id=meeting_id, user_id=request.user_id, t=t)
    _, context = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=request.user_id)
    request.respond(
        text=text,
        blocks=met_answer_blocks(
            t, text=text, meeting_id=meeting_id, themes=theme_options(runtime, context, t)
        ),
        replace_original=True,
    )


def pick_theme(request: DeferredRequest) -> None:
    """The theme select under "Yes, we met": its value is "MEETING_ID:THEME_ID" (checked
    again by the service: the mentor only, a theme offered to the group)."""
    runtime, user_id = request.runtime, request.user_id
    selected = (request.payload["actions"][0].get("selected_option") or {}).get("value")
    meeting, _, theme = str(selected or "").partition(":")
    meeting_id = database_id(meeting)
    if meeting_id is None:
        raise UserError(phrase("That menu is out of date; please use a fresh message."))
    t = reader(runtime, user_id)
    text = set_meeting_theme(runtime, meeting_id=meeting_id, theme=theme, user_id=user_id, t=t)
    _, context = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=user_id)
    request.respond(
        text=text,
        blocks=met_answer_blocks(
            t,
            text=text,
            meeting_id=meeting_id,
            themes=theme_options(runtime, context, t),
            theme_id=database_id(theme),
        ),
        replace_original=True,
    )


def not_met(request: DeferredRequest) -> None:
    group_id = confirm_not_met(
        request.runtime, meeting_id=_clicked_id(request), user_id=request.user_id
    )
    t = reader(request.runtime, request.user_id)
    request.respond(
        text=t.gettext("Find a new date with a poll."),
        blocks=not_met_blocks(t, group_id=group_id),
        replace_original=True,
    )


def open_attendance_form(request: DeferredRequest) -> None:
    runtime = request.runtime
    meeting_id = _clicked_id(request)
    meeting, context = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=request.user_id)
    t = reader(runtime, request.user_id)
    request.client.views_open(
        trigger_id=request.payload["trigger_id"],
        view=attendance_modal(
            t,
            meeting_id=meeting_id,
            when=when_text(context, meeting.starts_at, t),
            members=member_choices(runtime, context),
            present=present_at(runtime, meeting_id),
        ),
    )


def show_more_ideas(request: DeferredRequest) -> None:
    """Two more themes under a day-before reminder, shown to the clicker alone."""
    t = reader(request.runtime, request.user_id)
    themes = more_ideas(
        request.runtime,
        meeting_id=_clicked_id(request),
        user_id=request.user_id,
        language=t.language,
    )
    if not themes:
        request.respond(
            text=t.gettext("No more ideas in the catalogue for now."), replace_original=False
        )
        return
    request.respond(
        text=t.ngettext(
            "One more thing to talk about", "{count} more things to talk about", len(themes)
        ).format(count=len(themes)),
        blocks=theme_suggestion_blocks(
            t, themes, intro=md(t.gettext("💡 *More things to talk about*"))
        ),
        replace_original=False,
        response_type="ephemeral",
    )


FOLLOW_UPS = {
    DELETE_MEETING: delete,
    MET: met,
    NOT_MET: not_met,
    OPEN_ATTENDANCE_FORM: open_attendance_form,
    PICK_THEME: pick_theme,
    SHOW_MORE_IDEAS: show_more_ideas,
}
