"""`/mentor log`, `/mentor log list`, `/mentor status` and `/mentor meeting where|move|cancel`,
in a group's channel."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.meetings import log_list_blocks, log_modal, status_blocks, status_text
from bot.blocks.polls import mentor_poll_controls
from bot.blocks.text import md
from bot.domain.errors import UserError
from bot.domain.options import split_options
from bot.i18n import phrase
from bot.services.group_context import GroupContext, member_context, mentor_context
from bot.services.meeting_changes import (
    MeetingChange,
    cancel_meeting,
    change_place,
    move_meeting,
    tell_channel,
)
from bot.services.meetings import (
    announce_meeting,
    default_log_time,
    draft_meeting,
    log_meeting,
    logged_lines,
    member_choices,
    status_of,
    theme_options,
)
from bot.services.polls.amending import running_poll_id
from handlers.commands.router import Invocation


def log(invocation: Invocation, *, slack: WebClient) -> None:
    context = mentor_context(
        invocation.runtime,
        user_id=invocation.user_id,
        action="log meetings",
        channel_id=invocation.channel_id,
    )
    if not invocation.args:
        t = invocation.t
        invocation.client.views_open(
            trigger_id=invocation.trigger_id,
            view=log_modal(
                t,
                group_id=context.group_id,
                group_name=context.group.name,
                starts_at=default_log_time(invocation.runtime, context),
                members=member_choices(invocation.runtime, context),
                themes=theme_options(invocation.runtime, context, t),
            ),
        )
        return
    options = split_options(invocation.args, allowed={"theme"})
    if not options.positional:
        raise UserError(
            phrase("Say when you met: `/mentor log yesterday 16:00 [theme=Motivation]`.")
        )
    draft = draft_meeting(
        invocation.runtime,
        context,
        when=" ".join(options.positional),
        theme_name=options.named.get("theme"),
    )
    logged = log_meeting(invocation.runtime, context, draft, user_id=invocation.user_id)
    unannounced = announce_meeting(slack, context, logged)
    if unannounced:
        # The channel's line, shown to the mentor instead: in the channel's language.
        invocation.reply.ephemeral(unannounced)


def log_list(invocation: Invocation) -> None:
    context = member_context(
        invocation.runtime, user_id=invocation.user_id, channel_id=invocation.channel_id
    )
    is_mentor = invocation.user_id in context.mentor_ids
    t = invocation.t
    lines = logged_lines(invocation.runtime, context, viewer=invocation.user_id, t=t)
    invocation.reply.ephemeral(
        t.ngettext("{count} meeting logged", "{count} meetings logged", len(lines)).format(
            count=len(lines)
        ),
        log_list_blocks(
            t,
            group_name=context.group.name,
            lines=lines,
            minimum=context.term.min_meetings,
            can_delete=is_mentor,
        ),
    )


def status(invocation: Invocation) -> None:
    context = member_context(
        invocation.runtime, user_id=invocation.user_id, channel_id=invocation.channel_id
    )
    t = invocation.t
    view = status_of(invocation.runtime, context, t)
    blocks = status_blocks(t, view)
    # The mentor's poll buttons, here where only they see them (never on the channel's poll).
    poll_id = (
        running_poll_id(invocation.runtime, context)
        if invocation.user_id in context.mentor_ids
        else None
    )
    if poll_id is not None:
        blocks = [*blocks, *mentor_poll_controls(poll_id, t=t)]
    invocation.reply.ephemeral(status_text(t, view), blocks)


def _meeting_mentor(invocation: Invocation) -> GroupContext:
    """The group whose meeting is changed: asked in its channel, by its mentor (checked
    here, on the server, whatever the catalogue let through)."""
    return mentor_context(
        invocation.runtime,
        user_id=invocation.user_id,
        action="change the group's meeting",
        channel_id=invocation.channel_id,
    )


def _announce(
    invocation: Invocation, slack: WebClient, context: GroupContext, change: MeetingChange
) -> None:
    unannounced = tell_channel(invocation.runtime, slack, context, change)
    if unannounced:
        invocation.reply.ephemeral(
            md(
                invocation.t.gettext("Changed, but the channel could not be told: {line}"),
                line=unannounced,
            )
        )


def meeting_where(invocation: Invocation, *, slack: WebClient) -> None:
    context = _meeting_mentor(invocation)
    change = change_place(invocation.runtime, context, " ".join(invocation.args))
    _announce(invocation, slack, context, change)


def meeting_move(invocation: Invocation, *, slack: WebClient) -> None:
    context = _meeting_mentor(invocation)
    change = move_meeting(invocation.runtime, context, " ".join(invocation.args))
    _announce(invocation, slack, context, change)


def meeting_cancel(invocation: Invocation, *, slack: WebClient) -> None:
    context = _meeting_mentor(invocation)
    _announce(invocation, slack, context, cancel_meeting(invocation.runtime, context))
