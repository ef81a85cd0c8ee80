"""`/mentor poll` (opens the modal), `/mentor poll OPTION; OPTION; … [deadline=WHEN]
[where="PLACE"]`, and for the running poll `/mentor poll add WHEN` and
`/mentor poll deadline WHEN`."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.polls import poll_modal
from bot.domain.polls import DEFAULT_LENGTH_MINUTES, split_poll_text
from bot.services.group_context import GroupContext
from bot.services.polls.amending import add_poll_date, move_poll_deadline
from bot.services.polls.drafting import draft_poll, poll_mentor_context
from bot.services.polls.posting import post_poll, store_poll
from handlers.commands.router import Invocation


def start(invocation: Invocation, *, slack: WebClient) -> None:
    context = poll_mentor_context(
        invocation.runtime,
        channel_id=invocation.channel_id,
        group_id=None,
        user_id=invocation.user_id,
    )
    raw = " ".join(invocation.args).strip()
    if not raw:
        invocation.client.views_open(
            trigger_id=invocation.trigger_id,
            view=poll_modal(invocation.t, group_id=context.group_id, group_name=context.group.name),
        )
        return
    parsed = split_poll_text(raw)
    # The form's rules and words: a refusal here is the form's problems as one reply.
    draft = draft_poll(
        context,
        parsed.options,
        (),
        DEFAULT_LENGTH_MINUTES,
        parsed.deadline,
        now=invocation.runtime.now(),
        where=parsed.where,
    )
    poll_id = store_poll(invocation.runtime, context, draft, user_id=invocation.user_id)
    post_poll(invocation.runtime, slack, poll_id)


def _mentor_context(invocation: Invocation) -> GroupContext:
    """The group whose running poll is changed: asked in its channel, by its mentor."""
    return poll_mentor_context(
        invocation.runtime,
        channel_id=invocation.channel_id,
        group_id=None,
        user_id=invocation.user_id,
    )


def add_date(invocation: Invocation) -> None:
    context = _mentor_context(invocation)
    invocation.reply.ephemeral(
        add_poll_date(invocation.runtime, context, " ".join(invocation.args), t=invocation.t)
    )


def move_deadline(invocation: Invocation) -> None:
    context = _mentor_context(invocation)
    invocation.reply.ephemeral(
        move_poll_deadline(invocation.runtime, context, " ".join(invocation.args), t=invocation.t)
    )
