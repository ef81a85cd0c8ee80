"""A drafted poll stored, then posted in its group's channel."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.polls import (
    mentor_controls_text,
    mentor_poll_controls,
    poll_message_blocks,
    poll_message_text,
)
from bot.domain.errors import UserError
from bot.domain.flood import StoringAction
from bot.domain.polls import reminder_time
from bot.i18n import Translator, phrase
from bot.runtime import Runtime
from bot.services.flood import check_flood
from bot.services.group_context import GroupContext
from bot.services.language import reader
from bot.services.polls.drafting import PollDraft
from bot.services.polls.loading import read_poll
from bot.services.polls.tally import draw_poll
from storage.db import write_session
from storage.polls import add_poll, cancel_open_poll, set_message

logger = logging.getLogger(__name__)


def store_poll(runtime: Runtime, context: GroupContext, draft: PollDraft, *, user_id: str) -> int:
    """Store a new open poll (not yet posted); returns its ID."""
    check_flood(runtime, user_id=user_id, action=StoringAction.START_POLL)
    now = runtime.now()
    group_id = context.group_id
    channel_id = context.group.channel_id
    if channel_id is None:
        raise UserError(phrase("The group's channel is still being set up; try again in a minute."))
    return runtime.write(
        lambda session: add_poll(
            session,
            group_id=group_id,
            created_by=user_id,
            channel_id=channel_id,
            starts=draft.starts,
            deadline=draft.deadline,
            reminder_due_at=reminder_time(now, draft.deadline),
            length_minutes=draft.length_minutes,
            now=now,
            location=draft.location,
        )
    )


def post_poll(runtime: Runtime, client: WebClient, poll_id: int) -> None:
    """Post a stored poll in its group's channel (once: a posted poll is left alone). If Slack
    does not take it, the poll is cancelled and the mentor told why."""
    stored = read_poll(runtime, poll_id)
    if stored is None or stored.poll.message_ts is not None or not stored.is_open:
        return
    view, t = draw_poll(stored), stored.context.t
    try:
        posted = client.chat_postMessage(
            channel=stored.poll.channel_id,
            text=poll_message_text(t, view),
            blocks=poll_message_blocks(t, view),
        )
    except (SlackApiError, OSError):
        logger.warning("could not post poll %s; cancelled it", poll_id, exc_info=True)
        with write_session(runtime.engine) as session:
            cancel_open_poll(session, poll_id=poll_id, now=runtime.now(), reason="not posted")
        raise UserError(
            phrase("Slack did not take the poll message, so nothing was posted. Please try again.")
        ) from None
    with write_session(runtime.engine) as session:
        set_message(session, poll_id=poll_id, message_ts=posted["ts"])
    # Every mentor of the group manages the poll, not only the one who started it.
    for mentor_id in dict.fromkeys([stored.poll.created_by, *stored.context.mentor_ids]):
        show_mentor_controls(
            client,
            channel_id=stored.poll.channel_id,
            poll_id=poll_id,
            user_id=mentor_id,
            t=reader(runtime, mentor_id),
        )


def show_mentor_controls(
    client: WebClient, *, channel_id: str, poll_id: int, user_id: str, t: Translator
) -> None:
    """The poll's mentor-only buttons, where only that mentor sees them (an ephemeral in the
    channel), in the mentor's language (`t`). The poll stands without them (they are a
    shortcut; `/mentor poll …` and `/mentor status` reach the same actions), so Slack
    refusing them is only logged."""
    try:
        client.chat_postEphemeral(
            channel=channel_id,
            user=user_id,
            text=mentor_controls_text(t),
            blocks=mentor_poll_controls(poll_id, just_posted=True, t=t),
        )
    except (SlackApiError, OSError):
        logger.warning("could not show poll %s's controls to a mentor", poll_id, exc_info=True)
