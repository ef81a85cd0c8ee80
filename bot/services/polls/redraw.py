"""Bringing a poll's message up to date with what is stored: each vote marks the poll as
behind, and one worker at a time redraws it (closing it first if everyone has answered)."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.polls import poll_message_blocks, poll_message_text
from bot.runtime import Runtime
from bot.services.job_runs import JobRun
from bot.services.polls.closing import close_if_everyone_answered
from bot.services.polls.loading import read_poll
from bot.services.polls.tally import draw_poll
from storage.db import read_session, write_session
from storage.polls import (
    claim_redraw,
    finish_redraw,
    polls_behind,
    redraw_version,
    release_redraw,
)

logger = logging.getLogger(__name__)

REDRAW_LEASE = timedelta(minutes=2)
"""A redraw taken this long ago and not finished may be taken over (its process died)."""


def redraw_polls_behind(runtime: Runtime, client: WebClient, run: JobRun) -> int:
    """Redraw every poll message that is behind what is stored; returns how many. Each poll
    on its own: one that fails is recorded in `run`, and stays due for the next pass."""
    with read_session(runtime.engine) as session:
        behind = polls_behind(session, claimable_before=runtime.now() - REDRAW_LEASE)
    return sum(
        bool(run.attempt(f"poll:{poll_id}", partial(redraw_poll, runtime, client, poll_id)))
        for poll_id in behind
    )


def redraw_poll(
    runtime: Runtime, client: WebClient, poll_id: int, *, lease: timedelta = REDRAW_LEASE
) -> bool:
    """Bring a poll's message up to date with what is stored, closing the poll first if
    everyone has answered; False if another worker has it or Slack failed (the redraw stays
    due and the next pass tries again)."""
    now = runtime.now()
    with write_session(runtime.engine) as session:
        version = claim_redraw(session, poll_id=poll_id, now=now, claimable_before=now - lease)
    if version is None:
        return False
    try:
        if close_if_everyone_answered(runtime, client, poll_id):
            # Closing changed the message again; what is drawn next shows that too.
            with read_session(runtime.engine) as session:
                version = redraw_version(session, poll_id=poll_id) or version
        _update_message(runtime, client, poll_id)
    except (SlackApiError, OSError):
        logger.warning("could not redraw poll %s; will try again", poll_id, exc_info=True)
        with write_session(runtime.engine) as session:
            release_redraw(session, poll_id=poll_id)
        return False
    except BaseException:
        with write_session(runtime.engine) as session:
            release_redraw(session, poll_id=poll_id)
        raise
    with write_session(runtime.engine) as session:
        finish_redraw(session, poll_id=poll_id, version=version)
    return True


def _update_message(runtime: Runtime, client: WebClient, poll_id: int) -> None:
    """Show the stored poll in its posted message (a poll not posted yet has none)."""
    stored = read_poll(runtime, poll_id)
    if stored is None or stored.poll.message_ts is None:
        return
    view, t = draw_poll(stored), stored.context.t
    client.chat_update(
        channel=stored.poll.channel_id,
        ts=stored.poll.message_ts,
        text=poll_message_text(t, view),
        blocks=poll_message_blocks(t, view),
    )
