"""One run of a scheduled job over many subjects (groups, polls, meetings, people), each
isolated from the others: a subject that fails is logged, recorded in `job_failure`, and
left for the next run, and the run goes on with the rest. One poisoned group must never
stop the reminders, questions, nudges, poll closings or digests of every other group.

The next run retries a failed subject because nothing marks it done: each job finds its
subjects from what is stored (a meeting still planned, a poll still open, an outbox claim
marked failed, see bot/services/outbox.py), and a failure leaves that state as it was.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TypeVar

from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from storage.db import read_session, write_session
from storage.job_failures import MAX_SUBJECT, clear_failures, failing_subjects, record_failure

logger = logging.getLogger(__name__)

T = TypeVar("T")

_SLACK_ERROR_CODE = re.compile(r"[a-z0-9_]{1,60}\Z")


def describe_error(error: BaseException) -> str:
    """The error's class, and Slack's error code for a Slack error: never its message, which
    can hold a response body and with it what people wrote."""
    name = type(error).__name__
    if isinstance(error, SlackApiError):
        response = error.response
        code = response.get("error") if response is not None else None
        if isinstance(code, str) and _SLACK_ERROR_CODE.match(code):
            return f"{name}: {code}"
    return name


class JobRun:
    """A job's pass over its subjects: `attempt` runs the work for one subject and keeps
    its failure from reaching the others.

    The subjects that failed before are read once at the start, so a run over thousands of
    healthy groups writes nothing more; a subject that succeeds again is cleared."""

    def __init__(self, runtime: Runtime, job: str) -> None:
        self.runtime = runtime
        self.job = job
        self.failed: list[str] = []
        """Subjects that failed in this run, in order."""
        with read_session(runtime.engine) as session:
            self._failing_before = failing_subjects(session, job=job)

    def attempt(self, subject: str, work: Callable[[], T]) -> T | None:
        """`work()`, or None if it raised: then the failure is logged and recorded, and the
        caller goes on with its next subject."""
        key = subject[:MAX_SUBJECT]
        try:
            result = work()
        except Exception as error:  # noqa: BLE001 - whatever went wrong, the others go on
            self._record(key, error)
            return None
        # A subject can come up twice in one run (a poll announced, then reminded): a
        # later success must not hide an earlier failure.
        if key in self._failing_before and key not in self.failed:
            with write_session(self.runtime.engine) as session:
                clear_failures(session, job=self.job, subjects=[key])
            self._failing_before.discard(key)
        return result

    def _record(self, subject: str, error: Exception) -> None:
        described = describe_error(error)
        # The line names only the job, the subject's key and the error's class (and Slack's
        # error code). Slack and network errors come and go, and say all there is in that
        # line; anything else is a bug, and its traceback helps whoever reads the log.
        expected = isinstance(error, SlackApiError | OSError)
        logger.log(
            logging.WARNING if expected else logging.ERROR,
            "%s job: %s failed (%s); the next run retries it",
            self.job,
            subject,
            described,
            exc_info=None if expected else error,
        )
        self.failed.append(subject)
        with write_session(self.runtime.engine) as session:
            record_failure(
                session, job=self.job, subject=subject, error=described, now=self.runtime.now()
            )
