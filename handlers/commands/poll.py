"""`/mentor poll` (opens the modal) and `/mentor poll OPTION; OPTION; … [deadline=WHEN]`."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.polls import poll_modal
from bot.domain.errors import UserError
from bot.domain.polls import DEFAULT_LENGTH_MINUTES, check_options, split_poll_text
from bot.services.polls import (
    poll_mentor_context,
    post_poll,
    resolve_deadline,
    store_poll,
    understand_options,
)
from handlers.commands.router import Invocation


def start(invocation: Invocation, *, slack: WebClient) -> None:
    context = poll_mentor_context(
        invocation.runtime,
        channel_id=invocation.channel_id,
        group_id=None,
        user_id=invocation.user_id,
    )
    assert context.group.id is not None
    raw = " ".join(invocation.args).strip()
    if not raw:
        invocation.client.views_open(
            trigger_id=invocation.trigger_id,
            view=poll_modal(group_id=context.group.id, group_name=context.group.name),
        )
        return
    now = invocation.runtime.now()
    parsed = split_poll_text(raw)
    understood = understand_options(context, parsed.options, now=now)
    if understood.problems:
        raise UserError("Nothing was posted.\n" + "\n".join(understood.problems))
    check_options(understood.starts)
    deadline = resolve_deadline(context, parsed.deadline, starts=understood.starts, now=now)
    poll_id = store_poll(
        invocation.runtime,
        context,
        starts=understood.starts,
        deadline=deadline,
        length_minutes=DEFAULT_LENGTH_MINUTES,
        user_id=invocation.user_id,
    )
    post_poll(invocation.runtime, slack, poll_id)
