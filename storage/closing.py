"""Queries for a term's end: closing it once, what its groups did, archiving their channels
once, and who to invite back when the next term starts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select, update

from storage.db import rows_changed
from storage.ids import key_column
from storage.models import (
    Meeting,
    MeetingState,
    MemberRole,
    Membership,
    MemberStatus,
    MentorGroup,
    Outbox,
    OutboxStatus,
    Participant,
    Person,
    Poll,
    PollState,
    Term,
    Theme,
)


def unclosed_terms(session: Session) -> list[Term]:
    return list(session.exec(select(Term).where(col(Term.closed_at).is_(None))).all())


def terms_closed_since(session: Session, *, since: datetime) -> list[Term]:
    return list(session.exec(select(Term).where(col(Term.closed_at) >= since)).all())


def close_term(session: Session, *, term_id: int, now: datetime) -> bool:
    """Mark the term closed; False if it already was (another run or a coordinator won)."""
    return bool(
        rows_changed(
            session,
            update(Term)
            .where(col(Term.id) == term_id, col(Term.closed_at).is_(None))
            .values(closed_at=now),
        )
    )


@dataclass(frozen=True)
class HeldMeeting:
    group_id: int
    starts_at: datetime
    theme_name: str | None


@dataclass(frozen=True)
class TermGroups:
    groups: list[MentorGroup]
    mentors: dict[int, list[str]]
    """Each group's active mentors, by group ID."""
    held: list[HeldMeeting]
    """The term's held meetings, oldest first."""


def groups_of_term(session: Session, *, term_id: int) -> TermGroups:
    groups = list(
        session.exec(
            select(MentorGroup)
            .where(col(MentorGroup.term_id) == term_id)
            .order_by(col(MentorGroup.name), col(MentorGroup.id))
        ).all()
    )
    mentors: dict[int, list[str]] = {}
    for group_id, user_id in session.exec(
        select(Membership.group_id, Membership.slack_user_id)
        .where(
            col(Membership.term_id) == term_id,
            col(Membership.role) == MemberRole.MENTOR,
            col(Membership.status) == MemberStatus.ACTIVE,
        )
        .order_by(col(Membership.joined_at), col(Membership.id))
    ).all():
        mentors.setdefault(group_id, []).append(user_id)
    held = [
        HeldMeeting(group_id, starts_at, theme_name)
        for group_id, starts_at, theme_name in session.exec(
            select(Meeting.group_id, Meeting.starts_at, Theme.name)
            .join(MentorGroup, col(MentorGroup.id) == col(Meeting.group_id))
            .outerjoin(Theme, col(Theme.id) == col(Meeting.theme_id))
            .where(col(MentorGroup.term_id) == term_id, col(Meeting.state) == MeetingState.HELD)
            .order_by(col(Meeting.starts_at), col(Meeting.id))
        ).all()
    ]
    return TermGroups(groups, mentors, held)


def open_polls_of_term(session: Session, *, term_id: int) -> list[int]:
    return list(
        session.exec(
            select(key_column(Poll.id))
            .join(MentorGroup, col(MentorGroup.id) == col(Poll.group_id))
            .where(col(MentorGroup.term_id) == term_id, col(Poll.state) == PollState.OPEN)
        ).all()
    )


def channels_of_closed_terms(session: Session) -> list[tuple[MentorGroup, Term]]:
    """Groups of closed terms whose channels are not archived yet."""
    rows = session.exec(
        select(MentorGroup, Term)
        .join(Term, col(Term.id) == col(MentorGroup.term_id))
        .where(
            col(Term.closed_at).is_not(None),
            col(MentorGroup.archived_at).is_(None),
            col(MentorGroup.channel_id).is_not(None),
        )
        .order_by(col(MentorGroup.id))
    ).all()
    return [(group, term) for group, term in rows]


def mark_archived(session: Session, *, group_id: int, now: datetime) -> bool:
    return bool(
        rows_changed(
            session,
            update(MentorGroup)
            .where(col(MentorGroup.id) == group_id, col(MentorGroup.archived_at).is_(None))
            .values(archived_at=now),
        )
    )


def previous_term(session: Session, term: Term) -> Term | None:
    """The term before `term`: the one that started last before it."""
    return session.exec(
        select(Term)
        .where(col(Term.id) != term.id, col(Term.starts_on) <= term.starts_on)
        .order_by(col(Term.starts_on).desc(), col(Term.id).desc())
    ).first()


def past_participants(session: Session, *, previous_term_id: int, term_id: int) -> list[Person]:
    """Everyone who was in a group of the previous term, still known by name (not
    pseudonymised) and not on this term's roster yet."""
    on_roster = select(Participant.slack_user_id).where(
        col(Participant.term_id) == term_id, col(Participant.withdrawn_at).is_(None)
    )
    in_a_group = select(Membership.slack_user_id).where(col(Membership.term_id) == previous_term_id)
    return list(
        session.exec(
            select(Person)
            .where(
                col(Person.slack_user_id).in_(in_a_group),
                col(Person.slack_user_id).not_in(on_roster),
                col(Person.pseudonymised_at).is_(None),
            )
            .order_by(col(Person.slack_user_id))
        ).all()
    )


def sent_keys(session: Session, *, kind: str, keys: Iterable[str]) -> set[str]:
    """Which of `keys` the outbox has already sent as `kind`: read first, so a run over work
    that is all done writes nothing."""
    wanted = list(keys)
    if not wanted:
        return set()
    return set(
        session.exec(
            select(Outbox.key).where(
                col(Outbox.kind) == kind,
                col(Outbox.key).in_(wanted),
                col(Outbox.status) == OutboxStatus.SENT,
            )
        ).all()
    )
