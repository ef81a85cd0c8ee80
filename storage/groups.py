"""Queries about mentor groups and their members."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, type_coerce
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, func, select, update

from storage.db import rows_changed
from storage.ids import stored_id
from storage.models import (
    GroupSetup,
    MemberRole,
    Membership,
    MemberStatus,
    MentorGroup,
    Person,
    Term,
    table_of,
)
from storage.upsert import insert_if_absent


@dataclass(frozen=True)
class GroupMember:
    slack_user_id: str
    name: str
    role: MemberRole
    status: MemberStatus


class GroupClash(Exception):
    """Another request stored a group that clashes with this one at the same moment (the same
    people, the same name, or a mentee who is already in another group)."""


def group_with_members(
    connection: Connection | Session,
    *,
    group_id: int | None = None,
    channel_id: str | None = None,
) -> tuple[MentorGroup, Term, list[tuple[str, MemberRole]]] | None:
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
    members: list[tuple[str, MemberRole]] = []
    for entry in (packed or "").split(","):
        if entry:
            role, user_id = entry.split(":", 1)
            members.append((user_id, MemberRole(role)))
    members.sort(key=lambda member: (member[1] != MemberRole.MENTOR, member[0]))
    return group, term, members


# Built once: on the path of every form a mentor submits, building the query anew cost more
# than running it.


@functools.cache
def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(column.key for column in table_of(model).columns)


@functools.cache
def _group_with_members_by_id() -> Select[Any]:
    return _group_with_members().where(col(MentorGroup.id) == bindparam("group_id"))


@functools.cache
def _group_with_members_by_channel() -> Select[Any]:
    return _group_with_members().where(col(MentorGroup.channel_id) == bindparam("channel_id"))


def _group_with_members() -> Select[Any]:
    # Roles ("mentor", "mentee") and Slack user IDs hold neither ":" nor ",". The role is
    # joined as the text it is stored as: its enum type would take ":" for a role.
    role = type_coerce(col(Membership.role), String)
    member = role + ":" + col(Membership.slack_user_id)
    # Tables, not models: a Core statement whose rows skip the ORM's loading.
    groups, terms = table_of(MentorGroup), table_of(Term)
    return (
        sql_select(groups, terms, func.aggregate_strings(member, ","))
        .join(terms, col(Term.id) == col(MentorGroup.term_id))
        .outerjoin(
            Membership,
            and_(
                col(Membership.group_id) == col(MentorGroup.id),
                col(Membership.status) == MemberStatus.ACTIVE,
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
            add_member(
                session, group=group, slack_user_id=mentor_id, role=MemberRole.MENTOR, now=now
            )
            for mentee_id in mentee_ids:
                add_member(
                    session, group=group, slack_user_id=mentee_id, role=MemberRole.MENTEE, now=now
                )
    except IntegrityError:
        raise GroupClash from None
    return group


def add_member(
    session: Session,
    *,
    group: MentorGroup,
    slack_user_id: str,
    role: MemberRole,
    now: datetime,
) -> bool:
    """Make someone an active member; True if they were not one already."""
    inserted = insert_if_absent(
        session,
        Membership,
        {
            "group_id": stored_id(group),
            "term_id": group.term_id,
            "slack_user_id": slack_user_id,
            "role": role,
            "status": MemberStatus.ACTIVE,
            "joined_at": now,
        },
        key=["group_id", "slack_user_id"],
    )
    if inserted:
        return True
    rejoined = rows_changed(
        session,
        update(Membership)
        .where(
            col(Membership.group_id) == stored_id(group),
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.status) == MemberStatus.LEFT,
        )
        .values(status=MemberStatus.ACTIVE, role=role, joined_at=now, left_at=None),
    )
    return bool(rejoined)


def mark_left(session: Session, *, group_id: int, slack_user_id: str, now: datetime) -> bool:
    """An active member leaves; False if they were not an active member (repeated event)."""
    changed = rows_changed(
        session,
        update(Membership)
        .where(
            col(Membership.group_id) == group_id,
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.status) == MemberStatus.ACTIVE,
        )
        .values(status=MemberStatus.LEFT, left_at=now),
    )
    return bool(changed)


def members_of(session: Session, group_id: int, *, active_only: bool = True) -> list[GroupMember]:
    statement = (
        select(
            Membership.slack_user_id,
            Person.name,
            col(Membership.role),
            col(Membership.status),
        )
        .join(Person, col(Person.slack_user_id) == col(Membership.slack_user_id))
        .where(col(Membership.group_id) == group_id)
        .order_by(col(Membership.role).desc(), col(Person.name))
    )
    if active_only:
        statement = statement.where(col(Membership.status) == MemberStatus.ACTIVE)
    return [GroupMember(*row) for row in session.exec(statement).all()]


def active_mentee_group(
    session: Session, *, term_id: int, slack_user_id: str
) -> MentorGroup | None:
    return active_group_as(
        session, term_id=term_id, slack_user_id=slack_user_id, role=MemberRole.MENTEE
    )


def active_group_as(
    session: Session, *, term_id: int, slack_user_id: str, role: MemberRole
) -> MentorGroup | None:
    """A group of the term the person is an active member of in `role`, if any."""
    return session.exec(
        select(MentorGroup)
        .join(Membership, col(Membership.group_id) == col(MentorGroup.id))
        .where(
            col(Membership.term_id) == term_id,
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.role) == role,
            col(Membership.status) == MemberStatus.ACTIVE,
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
                col(Membership.status) == MemberStatus.ACTIVE,
            )
            .order_by(col(MentorGroup.name))
        ).all()
    )


@dataclass(frozen=True)
class MembershipView:
    group: MentorGroup
    role: MemberRole


def memberships_in_current_term(session: Session, slack_user_id: str) -> list[MembershipView]:
    rows = session.exec(
        select(MentorGroup, col(Membership.role))
        .join(Membership, col(Membership.group_id) == col(MentorGroup.id))
        .join(Term, col(Term.id) == col(MentorGroup.term_id))
        .where(
            col(Term.is_current),
            col(Membership.slack_user_id) == slack_user_id,
            col(Membership.status) == MemberStatus.ACTIVE,
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
        if role == MemberRole.MENTOR and status == MemberStatus.ACTIVE:
            mentors.setdefault(group_id, []).append(user_id)
        bucket = "left" if status == MemberStatus.LEFT else role
        counts[(group_id, bucket)] = counts.get((group_id, bucket), 0) + 1
    return [
        GroupSummary(
            group=group,
            mentor_ids=tuple(mentors.get(stored_id(group), ())),
            mentee_count=counts.get((stored_id(group), MemberRole.MENTEE), 0),
            left_count=counts.get((stored_id(group), "left"), 0),
        )
        for group in groups
    ]


def advance_setup(
    session: Session, *, group_id: int, from_step: GroupSetup, to_step: GroupSetup, **values: Any
) -> bool:
    """Move a group's setup one step on, only from the step expected (a conditional update,
    so two workers cannot both do the same step's bookkeeping)."""
    changed = rows_changed(
        session,
        update(MentorGroup)
        .where(col(MentorGroup.id) == group_id, col(MentorGroup.setup) == from_step)
        .values(setup=to_step, **values),
    )
    return bool(changed)
