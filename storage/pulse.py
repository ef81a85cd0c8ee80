"""The belonging pulse's rounds, answers and markers (see bot/domain/pulse.py).

An answer row holds a round, a role, a statement and a score: no person, no group, no time,
and a random key. A marker row says that someone answered (or skipped) a statement of a
round, keyed so it cannot be traced back without the bot's secret. Answering is one
transaction that inserts the marker only if it is not there yet and the answer only if the
marker was new: a second click, or the same click delivered twice, changes nothing."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select as sql_select
from sqlmodel import Session, col, func, select, update

from storage.db import rows_changed
from storage.ids import stored_id
from storage.models import (
    MemberRole,
    Membership,
    MemberStatus,
    MentorGroup,
    Outbox,
    OutboxStatus,
    Person,
    PulseAnswer,
    PulseMark,
    PulseRound,
    Term,
)
from storage.upsert import insert_if_absent


def open_round(session: Session, *, term_id: int, kind: str, now: datetime) -> PulseRound:
    """The term's round of `kind`, stored now if it was not yet (once, whoever races)."""
    insert_if_absent(
        session,
        PulseRound,
        {"term_id": term_id, "kind": kind, "sent_at": now},
        key=("term_id", "kind"),
    )
    return session.exec(
        select(PulseRound).where(col(PulseRound.term_id) == term_id, col(PulseRound.kind) == kind)
    ).one()


def round_by_id(session: Session, round_id: int) -> tuple[PulseRound, Term] | None:
    found = session.exec(
        select(PulseRound, Term)
        .join(Term, col(Term.id) == col(PulseRound.term_id))
        .where(col(PulseRound.id) == round_id)
    ).first()
    return (found[0], found[1]) if found else None


def rounds_of_term(session: Session, term_id: int) -> list[PulseRound]:
    return list(session.exec(select(PulseRound).where(col(PulseRound.term_id) == term_id)).all())


def groups_formed_on(session: Session, term: Term) -> datetime | None:
    """When the term's groups came to be: the coordinator's approval, else its first group."""
    if term.groups_formed_at is not None:
        return term.groups_formed_at
    return session.exec(
        select(func.min(MentorGroup.created_at)).where(col(MentorGroup.term_id) == stored_id(term))
    ).one()


def participants(session: Session, *, term_id: int) -> dict[str, str]:
    """Active members of the term's groups and their role ("mentor" wins for someone in
    two roles), leaving out people who stopped the pulse."""
    rows = session.exec(
        select(Membership.slack_user_id, Membership.role)
        .join(MentorGroup, col(MentorGroup.id) == col(Membership.group_id))
        .join(Person, col(Person.slack_user_id) == col(Membership.slack_user_id))
        .where(
            col(Membership.term_id) == term_id,
            col(Membership.status) == MemberStatus.ACTIVE,
            col(MentorGroup.archived_at).is_(None),
            col(Person.pulse_stopped_at).is_(None),
        )
    ).all()
    return _by_person(rows)


def role_in_term(session: Session, *, term_id: int, user_id: str) -> str | None:
    """The role `user_id` has in an active group of the term, or None."""
    rows = session.exec(
        select(Membership.slack_user_id, Membership.role)
        .join(MentorGroup, col(MentorGroup.id) == col(Membership.group_id))
        .where(
            col(Membership.term_id) == term_id,
            col(Membership.slack_user_id) == user_id,
            col(Membership.status) == MemberStatus.ACTIVE,
            col(MentorGroup.archived_at).is_(None),
        )
    ).all()
    return _by_person(rows).get(user_id)


def _by_person(rows: Iterable[tuple[str, MemberRole | str]]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for user_id, role in rows:
        if roles.get(user_id) != MemberRole.MENTOR.value:
            roles[user_id] = MemberRole(role).value
    return roles


def record_answer(
    session: Session, *, round_id: int, marker: str, role: str, statement: int, score: int
) -> bool:
    """Store one answer unless its marker is there already; True if this call stored it."""
    if not insert_if_absent(
        session, PulseMark, {"round_id": round_id, "marker": marker}, key=("round_id", "marker")
    ):
        return False
    session.add(
        PulseAnswer(
            id=secrets.token_hex(16),
            round_id=round_id,
            role=role,
            statement=statement,
            score=score,
        )
    )
    return True


def record_marks(session: Session, *, round_id: int, markers: Iterable[str]) -> int:
    """Mark statements as done without an answer (skipped); how many were new."""
    return sum(
        insert_if_absent(
            session, PulseMark, {"round_id": round_id, "marker": m}, key=("round_id", "marker")
        )
        for m in markers
    )


def marked_among(session: Session, *, round_id: int, markers: Iterable[str]) -> set[str]:
    wanted = list(markers)
    return set(
        session.exec(
            select(PulseMark.marker).where(
                col(PulseMark.round_id) == round_id, col(PulseMark.marker).in_(wanted)
            )
        ).all()
    )


def stop_pulse(session: Session, *, user_id: str, now: datetime) -> bool:
    """No more check-ins for `user_id`; True if this call stopped them."""
    statement = (
        update(Person)
        .where(col(Person.slack_user_id) == user_id, col(Person.pulse_stopped_at).is_(None))
        .values(pulse_stopped_at=now)
    )
    return rows_changed(session, statement) > 0


def answer_counts(session: Session, *, term_id: int) -> Mapping[tuple[str, str, int, int], int]:
    """How many answered each score of each statement, per round kind and role: counted by
    the database, so no single answer leaves it."""
    rows = session.execute(
        sql_select(
            col(PulseRound.kind),
            col(PulseAnswer.role),
            col(PulseAnswer.statement),
            col(PulseAnswer.score),
            func.count(),
        )
        .join(PulseRound, col(PulseRound.id) == col(PulseAnswer.round_id))
        .where(col(PulseRound.term_id) == term_id)
        .group_by(
            col(PulseRound.kind),
            col(PulseAnswer.role),
            col(PulseAnswer.statement),
            col(PulseAnswer.score),
        )
    ).all()
    return {
        (str(kind), str(role), int(statement), int(score)): int(n)
        for kind, role, statement, score, n in rows
    }


def sent_to(session: Session, *, kind: str, round_id: int) -> set[str]:
    """Who already got the round's DM: the outbox keys "ROUND:USER" marked sent, read in one
    query so a run over a whole term claims only the DMs still to send."""
    prefix = f"{round_id}:"
    keys = session.exec(
        select(Outbox.key).where(
            col(Outbox.kind) == kind,
            col(Outbox.key).startswith(prefix),
            col(Outbox.status) == OutboxStatus.SENT,
        )
    ).all()
    return {key.removeprefix(prefix) for key in keys}
