"""Sign-ups on a term's roster (issue 17): one Participant row per term and person, written
by the sign-up form (an upsert: a repeated submission changes the same row) or by the
roster file."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import MemberRole, Participant, Person
from storage.upsert import dialect_insert, insert_if_absent

SIGNUP_FIELDS = (
    "programme",
    "year",
    "languages",
    "themes",
    "availability",
    "preferred_mentor",
    "friend",
    "note",
    "capacity",
)
"""The Participant columns a sign-up fills (the form and the roster file alike)."""


def participant_of(session: Session, *, term_id: int, slack_user_id: str) -> Participant | None:
    return session.exec(
        select(Participant).where(
            col(Participant.term_id) == term_id, col(Participant.slack_user_id) == slack_user_id
        )
    ).first()


def ensure_person(session: Session, slack_user_id: str) -> None:
    """A row for someone the bot has not met yet, named by their ID until Slack's name
    reaches `save_person`."""
    insert_if_absent(
        session,
        Person,
        {"slack_user_id": slack_user_id, "name": slack_user_id},
        key=("slack_user_id",),
    )


def save_signup(
    session: Session,
    *,
    term_id: int,
    slack_user_id: str,
    role: MemberRole,
    values: Mapping[str, Any],
    now: datetime,
) -> None:
    """Sign someone up for the term, or replace their sign-up: one statement on the
    (term, person) key, so two submissions racing each other leave one row, the later's."""
    fields = {name: values.get(name) for name in SIGNUP_FIELDS}
    changed = {**fields, "role": role, "signed_up_at": now, "withdrawn_at": None}
    statement = (
        dialect_insert(session, Participant)
        .values(term_id=term_id, slack_user_id=slack_user_id, **changed)
        .on_conflict_do_update(index_elements=["term_id", "slack_user_id"], set_=changed)
    )
    session.execute(statement)


def withdraw_signup(session: Session, participant: Participant, *, now: datetime) -> None:
    participant.withdrawn_at = now
    session.add(participant)


def is_signed_up_certified_mentor(session: Session, *, term_id: int, slack_user_id: str) -> bool:
    """Whether someone is a certified mentor on the term's roster who has not withdrawn."""
    found = session.exec(
        select(col(Participant.id))
        .join(Person, col(Person.slack_user_id) == col(Participant.slack_user_id))
        .where(
            col(Participant.term_id) == term_id,
            col(Participant.slack_user_id) == slack_user_id,
            col(Participant.role) == MemberRole.MENTOR,
            col(Participant.withdrawn_at).is_(None),
            col(Person.certified_at).is_not(None),
        )
    ).first()
    return found is not None


def set_roster_wishes(
    session: Session, *, term_id: int, slack_user_id: str, values: Mapping[str, Any]
) -> bool:
    """Fill the sign-up columns the roster file gives (only those: a column the file lacks
    keeps what the person said in the form); True when anything changed."""
    participant = participant_of(session, term_id=term_id, slack_user_id=slack_user_id)
    if participant is None:
        return False
    changed = False
    for name, value in values.items():
        if name in SIGNUP_FIELDS and getattr(participant, name) != value:
            setattr(participant, name, value)
            changed = True
    if changed:
        session.add(participant)
    return changed
