"""Sending a message the bot sends on its own at most once, with retries on Slack errors."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from storage.db import write_session
from storage.outbox import claim, mark_failed, mark_sent

logger = logging.getLogger(__name__)


def send_once(runtime: Runtime, *, kind: str, key: str, send: Callable[[], object]) -> bool:
    """Claim `kind`/`key`, then call `send`. True if it was sent by this call.

    A Slack error is recorded as a failure for a later run to retry and does not propagate,
    so one group's trouble never stops a job's other work.
    """
    with write_session(runtime.engine) as session:
        if not claim(session, kind=kind, key=key, now=runtime.now()):
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
