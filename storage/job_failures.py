"""Scheduled jobs' failures on single subjects (a group, a poll, a meeting, a person): kept
so operators can see what keeps failing, and cleared when the subject next succeeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, delete, select

from storage.db import rows_changed
from storage.models import JobFailure, table_of
from storage.upsert import dialect_insert

MAX_SUBJECT = 64
MAX_ERROR = 120
"""JobFailure.subject and .error; longer values are cut, never refused: recording a failure
must not fail."""


def record_failure(session: Session, *, job: str, subject: str, error: str, now: datetime) -> None:
    """Record that `job` failed on `subject`: a new row, or one more attempt on the row
    already there. One statement, so two processes failing at once both count."""
    table = table_of(JobFailure)
    statement = dialect_insert(session, JobFailure).values(
        job=job[:32],
        subject=subject[:MAX_SUBJECT],
        attempts=1,
        error=error[:MAX_ERROR],
        first_failed_at=now,
        last_failed_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["job", "subject"],
        set_={
            "attempts": table.c.attempts + 1,
            "error": statement.excluded.error,
            "last_failed_at": statement.excluded.last_failed_at,
        },
    )
    session.execute(statement)


def clear_failures(session: Session, *, job: str, subjects: Iterable[str]) -> int:
    """Forget `job`'s failures on `subjects` (they succeeded); returns how many went."""
    keys = [subject[:MAX_SUBJECT] for subject in subjects]
    if not keys:
        return 0
    return rows_changed(
        session,
        delete(JobFailure).where(col(JobFailure.job) == job, col(JobFailure.subject).in_(keys)),
    )


def failing_subjects(session: Session, *, job: str) -> set[str]:
    """The subjects `job` failed on and has not yet succeeded on since."""
    return set(session.exec(select(JobFailure.subject).where(col(JobFailure.job) == job)).all())


def job_failures(session: Session) -> list[JobFailure]:
    """Every recorded failure, the most attempted first."""
    return list(
        session.exec(
            select(JobFailure).order_by(
                col(JobFailure.attempts).desc(), col(JobFailure.job), col(JobFailure.subject)
            )
        ).all()
    )
