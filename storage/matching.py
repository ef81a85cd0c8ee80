"""What matching reads (issue 17): a term's roster with each person's certification and the
groups they already belong to this term, in one query."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Membership, MemberStatus, Participant, Person


@dataclass(frozen=True)
class RosterEntry:
    participant: Participant
    person: Person
    groups: int
    """Active memberships in the term's groups (as mentor or mentee)."""


def roster_for_matching(session: Session, *, term_id: int) -> list[RosterEntry]:
    """Everyone on the term's roster, withdrawn or not, by Slack user ID."""
    groups = (
        select(func.count())
        .where(
            col(Membership.term_id) == term_id,
            col(Membership.slack_user_id) == col(Participant.slack_user_id),
            col(Membership.status) == MemberStatus.ACTIVE,
        )
        .correlate(Participant)
        .scalar_subquery()
    )
    rows = session.exec(
        select(Participant, Person, groups)
        .join(Person, col(Person.slack_user_id) == col(Participant.slack_user_id))
        .where(col(Participant.term_id) == term_id)
        .order_by(col(Participant.slack_user_id))
    )
    return [
        RosterEntry(participant, person, int(count or 0)) for participant, person, count in rows
    ]
