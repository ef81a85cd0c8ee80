"""Proposed groups under review (issue 17): a draft the coordinator edits, approved once.

A draft's content (its groups and seats) is rewritten whole on every edit: a move, a lock or
a re-run changes few rows of a small table, and rewriting keeps the positions dense. The
approval is one conditional change of state, so a double click approves once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select, update

from storage.db import rows_changed
from storage.ids import stored_id
from storage.models import (
    MatchProposal,
    MemberRole,
    Membership,
    MemberStatus,
    MentorGroup,
    ProposalGroup,
    ProposalKind,
    ProposalSeat,
    ProposalState,
    Term,
)


@dataclass(frozen=True)
class DraftGroup:
    """A group as a draft holds it: mentor, mentees, locked; `group_id` names an existing
    group (a late proposal's)."""

    mentor_id: str
    mentee_ids: tuple[str, ...]
    locked: bool = False
    group_id: int | None = None


@dataclass(frozen=True)
class StoredGroup:
    row: ProposalGroup
    mentee_ids: tuple[str, ...]


@dataclass(frozen=True)
class StoredProposal:
    proposal: MatchProposal
    groups: tuple[StoredGroup, ...]
    left_out: tuple[ProposalSeat, ...]


def save_draft(
    session: Session,
    *,
    term_id: int,
    kind: ProposalKind,
    created_by: str,
    now: datetime,
    groups: Sequence[DraftGroup],
    left_out: Sequence[tuple[str, str]],
    late_user_id: str | None = None,
) -> MatchProposal:
    """A new draft; for the term's groups, an older draft of the term is discarded (one
    review at a time: an old modal's buttons then refer to a discarded draft)."""
    if kind is ProposalKind.TERM:
        session.exec(
            update(MatchProposal)
            .where(
                col(MatchProposal.term_id) == term_id,
                col(MatchProposal.kind) == ProposalKind.TERM,
                col(MatchProposal.state) == ProposalState.DRAFT,
            )
            .values(state=ProposalState.DISCARDED)
        )
    proposal = MatchProposal(
        term_id=term_id,
        kind=kind,
        created_at=now,
        created_by=created_by,
        late_user_id=late_user_id,
    )
    session.add(proposal)
    session.flush()
    _insert_content(session, stored_id(proposal), groups, left_out)
    return proposal


def replace_content(
    session: Session,
    *,
    proposal_id: int,
    groups: Sequence[DraftGroup],
    left_out: Sequence[tuple[str, str]],
) -> bool:
    """Rewrite a draft's groups and seats; False (nothing changed) unless it is a draft."""
    proposal = session.get(MatchProposal, proposal_id)
    if proposal is None or proposal.state is not ProposalState.DRAFT:
        return False
    session.exec(delete(ProposalSeat).where(col(ProposalSeat.proposal_id) == proposal_id))
    session.exec(delete(ProposalGroup).where(col(ProposalGroup.proposal_id) == proposal_id))
    session.flush()
    _insert_content(session, proposal_id, groups, left_out)
    return True


def _insert_content(
    session: Session,
    proposal_id: int,
    groups: Sequence[DraftGroup],
    left_out: Sequence[tuple[str, str]],
) -> None:
    rows = [
        ProposalGroup(
            proposal_id=proposal_id,
            mentor_id=group.mentor_id,
            position=position,
            locked=group.locked,
            group_id=group.group_id,
        )
        for position, group in enumerate(groups)
    ]
    session.add_all(rows)
    session.flush()
    for row, group in zip(rows, groups, strict=True):
        session.add_all(
            ProposalSeat(proposal_id=proposal_id, group_id=stored_id(row), slack_user_id=mentee)
            for mentee in group.mentee_ids
        )
    session.add_all(
        ProposalSeat(proposal_id=proposal_id, slack_user_id=person, left_out_reason=reason)
        for person, reason in left_out
    )
    session.flush()


def load_proposal(session: Session, proposal_id: int) -> StoredProposal | None:
    proposal = session.get(MatchProposal, proposal_id)
    if proposal is None:
        return None
    groups = session.exec(
        select(ProposalGroup)
        .where(col(ProposalGroup.proposal_id) == proposal_id)
        .order_by(col(ProposalGroup.position))
    ).all()
    seats = session.exec(
        select(ProposalSeat)
        .where(col(ProposalSeat.proposal_id) == proposal_id)
        .order_by(col(ProposalSeat.slack_user_id))
    ).all()
    mentees: dict[int, list[str]] = {}
    left_out: list[ProposalSeat] = []
    for seat in seats:
        if seat.group_id is None:
            left_out.append(seat)
        else:
            mentees.setdefault(seat.group_id, []).append(seat.slack_user_id)
    return StoredProposal(
        proposal=proposal,
        groups=tuple(StoredGroup(row, tuple(mentees.get(stored_id(row), ()))) for row in groups),
        left_out=tuple(left_out),
    )


def approve(session: Session, *, proposal_id: int, by: str, now: datetime) -> bool:
    """draft → approved, once: True only for the call that made the change."""
    return (
        rows_changed(
            session,
            update(MatchProposal)
            .where(
                col(MatchProposal.id) == proposal_id,
                col(MatchProposal.state) == ProposalState.DRAFT,
            )
            .values(state=ProposalState.APPROVED, approved_at=now, approved_by=by, working_at=now),
        )
        == 1
    )


def take_over(session: Session, *, proposal_id: int, now: datetime, stale_before: datetime) -> bool:
    """An approved proposal whose work stopped unfinished before `stale_before` (its process
    died): True for the one call that takes it up again."""
    return (
        rows_changed(
            session,
            update(MatchProposal)
            .where(
                col(MatchProposal.id) == proposal_id,
                col(MatchProposal.state) == ProposalState.APPROVED,
                col(MatchProposal.finished_at).is_(None),
                col(MatchProposal.working_at) < stale_before,
            )
            .values(working_at=now),
        )
        == 1
    )


def keep_working(session: Session, *, proposal_id: int, now: datetime) -> None:
    """The approval's work goes on: its lease is renewed."""
    session.exec(
        update(MatchProposal).where(col(MatchProposal.id) == proposal_id).values(working_at=now)
    )


def discard(session: Session, *, proposal_id: int) -> bool:
    """draft → discarded, once."""
    return (
        rows_changed(
            session,
            update(MatchProposal)
            .where(
                col(MatchProposal.id) == proposal_id,
                col(MatchProposal.state) == ProposalState.DRAFT,
            )
            .values(state=ProposalState.DISCARDED),
        )
        == 1
    )


def mark_group_created(session: Session, *, proposal_group_id: int, group_id: int) -> None:
    session.exec(
        update(ProposalGroup)
        .where(col(ProposalGroup.id) == proposal_group_id)
        .values(group_id=group_id)
    )


def mark_group_told(session: Session, *, proposal_group_id: int, now: datetime) -> None:
    session.exec(
        update(ProposalGroup).where(col(ProposalGroup.id) == proposal_group_id).values(told_at=now)
    )


def mark_seat_told(session: Session, *, seat_id: int, now: datetime) -> None:
    session.exec(update(ProposalSeat).where(col(ProposalSeat.id) == seat_id).values(told_at=now))


def mark_finished(session: Session, *, proposal_id: int, now: datetime) -> None:
    session.exec(
        update(MatchProposal).where(col(MatchProposal.id) == proposal_id).values(finished_at=now)
    )


def mark_groups_formed(session: Session, *, term_id: int, now: datetime) -> None:
    """The term's groups are formed from now on (the first approval sets it; later ones
    keep it)."""
    session.exec(
        update(Term)
        .where(col(Term.id) == term_id, col(Term.groups_formed_at).is_(None))
        .values(groups_formed_at=now)
    )


@dataclass(frozen=True)
class ExistingGroup:
    group: MentorGroup
    mentor_ids: tuple[str, ...]
    mentee_ids: tuple[str, ...]


def groups_with_members(session: Session, *, term_id: int) -> list[ExistingGroup]:
    """The term's groups with their active mentors and mentees: two queries."""
    groups = session.exec(
        select(MentorGroup)
        .where(col(MentorGroup.term_id) == term_id, col(MentorGroup.archived_at).is_(None))
        .order_by(col(MentorGroup.id))
    ).all()
    rows = session.exec(
        select(Membership.group_id, Membership.slack_user_id, Membership.role)
        .where(
            col(Membership.term_id) == term_id,
            col(Membership.status) == MemberStatus.ACTIVE,
        )
        .order_by(col(Membership.id))
    ).all()
    mentors: dict[int, list[str]] = {}
    mentees: dict[int, list[str]] = {}
    for group_id, user_id, role in rows:
        (mentors if role == MemberRole.MENTOR else mentees).setdefault(group_id, []).append(user_id)
    return [
        ExistingGroup(
            group,
            tuple(mentors.get(stored_id(group), ())),
            tuple(mentees.get(stored_id(group), ())),
        )
        for group in groups
    ]


def late_draft_of(session: Session, *, term_id: int, slack_user_id: str) -> MatchProposal | None:
    """A late sign-up's proposal still waiting for a coordinator, if there is one."""
    return session.exec(
        select(MatchProposal).where(
            col(MatchProposal.term_id) == term_id,
            col(MatchProposal.kind) == ProposalKind.LATE,
            col(MatchProposal.late_user_id) == slack_user_id,
            col(MatchProposal.state) == ProposalState.DRAFT,
        )
    ).first()
