"""Sending a message the bot sends on its own once, with retries on Slack errors and after
a process died while sending (see storage/outbox.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.services.job_runs import describe_error
from storage.db import write_session
from storage.outbox import claim, mark_failed, mark_sent

logger = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=10)
"""A claim pending this long was left by a process that died while sending. Far longer than
a send takes, even one that waits out Slack's rate limits several times."""


def send_once(
    runtime: Runtime,
    *,
    kind: str,
    key: str,
    send: Callable[[], object],
    raise_errors: bool = False,
) -> bool:
    """Claim `kind`/`key`, then call `send`. True if it was sent by this call.

    Whatever goes wrong in `send`, the claim is marked failed, so the next run retries it
    (rather than waiting out the lease of a claim that looks still in progress). A Slack
    error does not propagate unless `raise_errors` (a job's isolated run records it against
    its subject); any other error always does, after the claim is marked failed.
    """
    now = runtime.now()
    with write_session(runtime.engine) as session:
        if not claim(session, kind=kind, key=key, now=now, stale_before=now - SEND_LEASE):
            return False
    try:
        send()
    except Exception as error:
        expected = isinstance(error, SlackApiError | OSError)
        if expected and not raise_errors:
            logger.warning(
                "could not send %s %s (%s); will retry on the next run",
                kind,
                key,
                describe_error(error),
            )
        with write_session(runtime.engine) as session:
            mark_failed(session, kind=kind, key=key, error=describe_error(error))
        if expected and not raise_errors:
            return False
        raise
    with write_session(runtime.engine) as session:
        mark_sent(session, kind=kind, key=key, now=runtime.now())
    return True
