"""Data that does not outlive its purpose: the daily retention job, and a person's export
and erasure (`mentorbot privacy …`).

Log lines name an action, counts and an opaque reference, never a name, an e-mail or a Slack
ID: the reference is random for export and erasure (the operator is shown it, so their own
records can point at the log line), and a one-way digest for the job's per-person failures
(the next run must find the same subject to retry it).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from bot.domain.names import slugify
from bot.domain.retention import (
    Pseudonym,
    RetentionPeriods,
    new_pseudonym,
    notes_cutoff,
    pseudonymise_cutoff,
)
from bot.runtime import Runtime
from bot.services.job_runs import JobRun
from storage.db import Session, read_session, write_session
from storage.privacy import (
    KEPT_WHEN_PSEUDONYMISED,
    Identity,
    erase_own_content,
    export_person,
    find_person,
    forget_notes_of_terms_ended_before,
    forget_signup_answers,
    identity_of,
    mentions,
    people_to_pseudonymise,
    replace_identity,
    unname_groups,
)

logger = logging.getLogger(__name__)

RETENTION_JOB = "retention"


@dataclass(frozen=True)
class RetentionReport:
    meeting_notes: int = 0
    participant_notes: int = 0
    pseudonymised: int = 0
    failed: int = 0


@dataclass(frozen=True)
class PersonExport:
    reference: str
    data: dict[str, Any]
    rows: int


@dataclass(frozen=True)
class Erasure:
    reference: str
    removed: Counter[str] = field(default_factory=Counter)
    """Rows changed or deleted, per table."""

    @property
    def rows(self) -> int:
        return sum(self.removed.values())


def retention_periods(runtime: Runtime) -> RetentionPeriods:
    """The periods people are told in the welcome, App Home and `/mentor help`."""
    return RetentionPeriods(
        notes_kept_days=runtime.settings.notes_kept_days,
        pseudonymise_after_months=runtime.settings.pseudonymise_after_months,
    )


def new_reference() -> str:
    """An opaque reference for one export or erasure, shown to the operator and logged."""
    return secrets.token_hex(4)


def subject_reference(user_id: str) -> str:
    """A stable reference to a person for the job's failure records: the same each run, and
    not the ID itself."""
    return "person:" + hashlib.sha256(user_id.encode()).hexdigest()[:12]


def run_retention(runtime: Runtime, run: JobRun) -> RetentionReport:
    """Delete the private notes of terms that ended long enough ago, then pseudonymise the
    people who have been in no term for long enough, each in their own transaction (one
    who fails is retried next run; the others go on). Running it again changes nothing."""
    settings = runtime.settings
    today = runtime.now().astimezone(settings.zone).date()
    with write_session(runtime.engine) as session:
        forgotten = forget_notes_of_terms_ended_before(
            session, notes_cutoff(today, settings.notes_kept_days)
        )
    with read_session(runtime.engine) as session:
        due = people_to_pseudonymise(
            session,
            last_term_ended_before=pseudonymise_cutoff(today, settings.pseudonymise_after_months),
            keep=settings.coordinators,
        )
    pseudonymised = 0
    for user_id in due:
        done = run.attempt(subject_reference(user_id), partial(_pseudonymise, runtime, user_id))
        pseudonymised += bool(done)
    if forgotten or pseudonymised:
        logger.info(
            "retention: deleted %d meeting notes and %d participant notes, pseudonymised %d people",
            forgotten["meeting"],
            forgotten["participant"],
            pseudonymised,
        )
    return RetentionReport(
        meeting_notes=forgotten["meeting"],
        participant_notes=forgotten["participant"],
        pseudonymised=pseudonymised,
        failed=len(run.failed),
    )


def _pseudonymise(runtime: Runtime, user_id: str) -> bool:
    with write_session(runtime.engine) as session:
        person = find_person(session, user_id)
        if person is None or person.pseudonymised_at is not None:
            return False  # gone or done meanwhile (another process ran the job)
        forget_signup_answers(session, user_id, keep=KEPT_WHEN_PSEUDONYMISED)
        _replace(session, identity_of(person), new_pseudonym(), runtime.now())
    return True


def _replace(
    session: Session, identity: Identity, pseudonym: Pseudonym, now: datetime
) -> Counter[str]:
    """The person's name, e-mail and Slack ID replaced by `pseudonym` everywhere, their
    first name in the names of the groups they led included."""
    first_name = (identity.name or "").split()[0] if (identity.name or "").split() else ""
    changed = unname_groups(
        session,
        identity.user_id,
        first_name=first_name,
        first_slug=slugify(first_name),
        new_name=pseudonym.name,
        new_slug=slugify(pseudonym.name),
    )
    changed.update(
        replace_identity(
            session, identity, new_user_id=pseudonym.user_id, new_name=pseudonym.name, now=now
        )
    )
    return changed


def find_identity(runtime: Runtime, who: str) -> Identity | None:
    """The person `who` (a Slack user ID or an e-mail) names, or None."""
    with read_session(runtime.engine) as session:
        person = find_person(session, who)
        return identity_of(person) if person is not None else None


def export_data(runtime: Runtime, identity: Identity) -> PersonExport:
    """Everything stored about the person, as JSON-ready data, and the action logged."""
    reference = new_reference()
    with read_session(runtime.engine) as session:
        tables = export_person(session, identity)
    rows = sum(len(found) for found in tables.values())
    data = {
        "exported_at": runtime.now().isoformat(),
        "note": (
            "Every row that holds this person's Slack ID, name or e-mail. Belonging check-in "
            "answers are stored without any person and cannot be found or exported."
        ),
        "tables": tables,
    }
    logger.info("privacy export %s: %d rows from %d tables", reference, rows, len(tables))
    return PersonExport(reference=reference, data=data, rows=rows)


def erasure_preview(runtime: Runtime, identity: Identity) -> Counter[str]:
    """Rows that hold something of the person, per table: what an erasure would change."""
    with read_session(runtime.engine) as session:
        return Counter(mention.table.name for mention in mentions(session, identity))


def erase(runtime: Runtime, identity: Identity) -> Erasure:
    """Remove what the person told and wrote, then replace their ID, name and e-mail by a
    pseudonym that is kept nowhere else, in one transaction: only anonymous counts remain
    (meetings held, who attended how many, votes in a tally)."""
    reference = new_reference()
    with write_session(runtime.engine) as session:
        removed = erase_own_content(session, identity)
        removed.update(_replace(session, identity, new_pseudonym(), runtime.now()))
    erasure = Erasure(reference=reference, removed=removed)
    logger.info(
        "privacy erase %s: %d rows changed in %d tables", reference, erasure.rows, len(removed)
    )
    return erasure
