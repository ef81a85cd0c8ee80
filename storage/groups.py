"""Queries about mentor groups and their members."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, func, select, update

from storage.models import GroupSetup, Membership, MemberStatus, MentorGroup, Person, Term
from storage.upsert import insert_if_absent


@dataclass(frozen=True)
class GroupMember:
    slack_user_id: str
    name: str
    role: str
    status: str


class GroupClash(Exception):
    """Another request stored a group that clashes with this one at the same moment (the same
    people, the same name, or a mentee who is already in another group)."""


def group_with_members(
    connection: Connection | Session,
    *,
    group_id: int | None = None,
    channel_id: str | None = None,
) -> tuple[MentorGroup, Term, list[tuple[str, str]]] | None:
    """A group (by ID or by its channel), its term, and its active members as (Slack user
    ID, role), mentors first: every command, click and form in a group starts with this, and
    the jobs and follow-ups that act within a group read it the same way inside their
    session (`connection` is then that session).

    One statement and one row: the members come aggregated into one string. Each row costs a
    trip into SQLite, and under a burst of requests every trip is a wait for the interpreter
    (`bench.bench_ack`: a row per member made submitted forms 10-20 % slower). The group and
    term returned are detached copies, read once, for reading."""
    if group_id is not None:
        row = connection.execute(_group_with_members_by_id(), {"group_id": group_id}).first()
    else:
        by_channel = _group_with_members_by_channel()
        row = connection.execute(by_channel, {"channel_id": channel_id}).first()
    if row is None:
        return None
    group_columns, term_columns = _columns(MentorGroup), _columns(Term)
    group = MentorGroup(**dict(zip(group_columns, row, strict=False)))
    term = Term(**dict(zip(term_columns, row[len(group_columns) :], strict=False)))
    packed = row[len(group_columns) + len(term_columns)]
    members = [tuple(entry.split(":", 1)) for entry in (packed or "").split(",") if entry]
    members.sort(key=lambda member: (member[0] != "mentor", member[1]))
    return group, term, [(user_id, role) for role, user_id in members]


# Built once: on the path of every form a mentor submits, building the query anew cost more
# than running it.


@functools.cache
def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(column.key for column in model.__table__.columns)  # type: ignore[attr-defined]


@functools.cache
def _group_with_members_by_id() -> Select[Any]:
    return _group_with_members().where(col(MentorGroup.id) == bindparam("group_id"))


@functools.cache
def _group_with_members_by_channel() -> Select[Any]:
    return _group_with_members().where(col(MentorGroup.channel_id) == bindparam("channel_id"))


def _group_with_members() -> Select[Any]:
    # Roles ("mentor", "mentee") and Slack user IDs hold neither ":" nor ",".
    member = col(Membership.role) + ":" + col(Membership.slack_user_id)
    # Tables, not models: a Core statement whose rows skip the ORM's loading.
    groups, terms = MentorGroup.__table__, Term.__table__  # type: ignore[attr-defined]
    return (
        sql_select(groups, terms, func.aggregate_strings(member, ","))
        .join(terms, col(Term.id) == col(MentorGroup.term_id))
        .outerjoin(
            Membership,
            and_(
                col(Membership.group_id) == col(MentorGroup.id),
                col(Membership.status) == MemberStatus.ACTIVE.value,
            ),
        )
        .group_by(col(MentorGroup.id), col(Term.id))
    )


def group_by_id(session: Session, group_id: int) -> MentorGroup | None:
    return session.get(MentorGroup, group_id)


def group_by_member_key(session: Session, *, term_id: int, member_key: str) -> MentorGroup | None:
    return session.exec(
        select(MentorGroup).where(
            col(MentorGroup.term_id) == term_id, col(MentorGroup.member_key) == member_key
        )
    ).first()


def group_by_name(session: Session, *, term_id: int, name: str) -> MentorGroup | None:
    return session.exec(
        select(MentorGroup).where(
            col(MentorGroup.term_id) == term_id,
            func.lower(col(MentorGroup.name)) == name.lower(),
        )
    ).first()


def group_by_channel(session: Session, channel_id: str) -> MentorGroup | None:
    return session.exec(
        select(MentorGroup).where(col(MentorGroup.channel_id) == channel_id)
    ).first()


def group_by_channel_name(
    session: Session, *, term_id: int, channel_name: str
) -> MentorGroup | None:
    return session.exec(
        select(MentorGroup).where(
            col(MentorGroup.term_id) == term_id, col(MentorGroup.channel_name) == channel_name
        )
    ).first()


def insert_group(
    session: Session,
    *,
    term_id: int,
    name: str,
    member_key: str,
    mentor_id: str,
    mentee_ids: tuple[str, ...],
    created_by: str,
    now: datetime,
) -> MentorGroup:
    """Store a new group with its mentor and mentees as active members.

    Raises GroupClash when a request running at the same moment stored a group with the same
    people or name, or put one of the mentees in another group (the unique keys decide)."""
    group = MentorGroup(
        term_id=term_id, name=name, member_key=member_key, created_by=created_by, created_at=now
    )
    try:
        with session.begin_nested():
            session.add(group)
            session.flush()
            add_member(session, group=group, slack_user_id=mentor_id, role="mentor", now=now)
            for mentee_id in mentee_ids:
                add_member(session, group=group, slack_user_id=mentee_id, role="mentee", now=now)
    except IntegrityError:
        raise GroupClash from None
    return group


def add_member(
    session: Session,
    *,
    group: MentorGroup,
    slack_user_id: str,
    role: str,
    now: datetime,
) -> bool:
    """Make someone an active member; True if they were not one already."""
    assert group.id is not None
    inserted = insert_if_absent(
        session,
        Membership,
        {
            "group_id": group.id,
            "term_id": group.term_id,
            "slack_user_id": slack_user_id,
            "role": role,
            "status": MemberStatus.ACTIVE.value,
            "joined_at": now,
        },
        key=["group_id", "slack_user_id"],
    )
    if inserted:
        return True
    rejoined = session.execute(
        update(Membership)
        .where(
            col(Membership.group_id) == group.id,
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.status) == MemberStatus.LEFT.value,
        )
        .values(status=MemberStatus.ACTIVE.value, role=role, joined_at=now, left_at=None)
    )
    return bool(rejoined.rowcount)


def mark_left(session: Session, *, group_id: int, slack_user_id: str, now: datetime) -> bool:
    """An active member leaves; False if they were not an active member (repeated event)."""
    result = session.execute(
        update(Membership)
        .where(
            col(Membership.group_id) == group_id,
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.status) == MemberStatus.ACTIVE.value,
        )
        .values(status=MemberStatus.LEFT.value, left_at=now)
    )
    return bool(result.rowcount)


def members_of(session: Session, group_id: int, *, active_only: bool = True) -> list[GroupMember]:
    statement = (
        select(Membership.slack_user_id, Person.name, Membership.role, Membership.status)
        .join(Person, col(Person.slack_user_id) == col(Membership.slack_user_id))
        .where(col(Membership.group_id) == group_id)
        .order_by(col(Membership.role).desc(), col(Person.name))
    )
    if active_only:
        statement = statement.where(col(Membership.status) == MemberStatus.ACTIVE.value)
    return [GroupMember(*row) for row in session.exec(statement).all()]


def active_mentee_group(
    session: Session, *, term_id: int, slack_user_id: str
) -> MentorGroup | None:
    return active_group_as(session, term_id=term_id, slack_user_id=slack_user_id, role="mentee")


def active_group_as(
    session: Session, *, term_id: int, slack_user_id: str, role: str
) -> MentorGroup | None:
    """A group of the term the person is an active member of in `role`, if any."""
    return session.exec(
        select(MentorGroup)
        .join(Membership, col(Membership.group_id) == col(MentorGroup.id))
        .where(
            col(Membership.term_id) == term_id,
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.role) == role,
            col(Membership.status) == MemberStatus.ACTIVE.value,
        )
    ).first()


def active_groups_of(session: Session, *, term_id: int, slack_user_id: str) -> list[MentorGroup]:
    return list(
        session.exec(
            select(MentorGroup)
            .join(Membership, col(Membership.group_id) == col(MentorGroup.id))
            .where(
                col(MentorGroup.term_id) == term_id,
                col(Membership.slack_user_id) == slack_user_id,
                col(Membership.status) == MemberStatus.ACTIVE.value,
            )
            .order_by(col(MentorGroup.name))
        ).all()
    )


@dataclass(frozen=True)
class MembershipView:
    group: MentorGroup
    role: str


def memberships_in_current_term(session: Session, slack_user_id: str) -> list[MembershipView]:
    rows = session.exec(
        select(MentorGroup, Membership.role)
        .join(Membership, col(Membership.group_id) == col(MentorGroup.id))
        .join(Term, col(Term.id) == col(MentorGroup.term_id))
        .where(
            col(Term.is_current),
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.status) == MemberStatus.ACTIVE.value,
        )
        .order_by(col(MentorGroup.name))
    ).all()
    return [MembershipView(group=group, role=role) for group, role in rows]


@dataclass(frozen=True)
class GroupSummary:
    group: MentorGroup
    mentor_ids: tuple[str, ...]
    mentee_count: int
    left_count: int


def group_summaries(session: Session, *, term_id: int) -> list[GroupSummary]:
    """Every group of a term with its mentors and counts: two queries, whatever the count."""
    groups = session.exec(
        select(MentorGroup)
        .where(col(MentorGroup.term_id) == term_id)
        .order_by(col(MentorGroup.name))
    ).all()
    rows = session.exec(
        select(Membership.group_id, Membership.slack_user_id, Membership.role, Membership.status)
        .where(col(Membership.term_id) == term_id)
        .order_by(col(Membership.id))
    ).all()
    mentors: dict[int, list[str]] = {}
    counts: dict[tuple[int, str], int] = {}
    for group_id, user_id, role, status in rows:
        if role == "mentor" and status == MemberStatus.ACTIVE.value:
            mentors.setdefault(group_id, []).append(user_id)
        bucket = "left" if status == MemberStatus.LEFT.value else role
        counts[(group_id, bucket)] = counts.get((group_id, bucket), 0) + 1
    return [
        GroupSummary(
            group=group,
            mentor_ids=tuple(mentors.get(group.id or 0, ())),
            mentee_count=counts.get((group.id or 0, "mentee"), 0),
            left_count=counts.get((group.id or 0, "left"), 0),
        )
        for group in groups
    ]


def advance_setup(
    session: Session, *, group_id: int, from_step: GroupSetup, to_step: GroupSetup, **values: Any
) -> bool:
    """Move a group's setup one step on, only from the step expected (a conditional update,
    so two workers cannot both do the same step's bookkeeping)."""
    result = session.execute(
        update(MentorGroup)
        .where(col(MentorGroup.id) == group_id, col(MentorGroup.setup) == from_step.value)
        .values(setup=to_step.value, **values)
    )
    return bool(result.rowcount)
