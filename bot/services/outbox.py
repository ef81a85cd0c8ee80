"""Sending a message the bot sends on its own once, with retries on Slack errors and after
a process died while sending (see storage/outbox.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from storage.db import write_session
from storage.outbox import claim, mark_failed, mark_sent

logger = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=10)
"""A claim pending this long was left by a process that died while sending. Far longer than
a send takes, even one that waits out Slack's rate limits several times."""


def send_once(runtime: Runtime, *, kind: str, key: str, send: Callable[[], object]) -> bool:
    """Claim `kind`/`key`, then call `send`. True if it was sent by this call.

    A Slack error is recorded as a failure for a later run to retry and does not propagate,
    so one group's trouble never stops a job's other work.
    """
    now = runtime.now()
    with write_session(runtime.engine) as session:
        if not claim(session, kind=kind, key=key, now=now, stale_before=now - SEND_LEASE):
            return False
    try:
        send()
    except (SlackApiError, OSError) as error:
        logger.warning("could not send %s %s; will retry on the next run", kind, key, exc_info=True)
        with write_session(runtime.engine) as session:
            mark_failed(session, kind=kind, key=key, error=f"{type(error).__name__}: {error}")
        return False
    with write_session(runtime.engine) as session:
        mark_sent(session, kind=kind, key=key, now=runtime.now())
    return True
