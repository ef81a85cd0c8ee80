"""Requests to join a group from people added to its channel by hand: stored once per person
and group, decided once (a conditional state change, so two clicks cannot both decide)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select, update

from storage.db import rows_changed
from storage.models import (
    JoinRequest,
    JoinRequestState,
    MemberRole,
    Membership,
    MemberStatus,
    MentorGroup,
)
from storage.upsert import insert_if_absent


def ask_to_join(
    session: Session, *, group_id: int, slack_user_id: str, now: datetime
) -> tuple[JoinRequest, bool]:
    """The person's request to join the group, and whether the mentor is to be asked now:
    a new request, or one approved before for someone who has since left the group (asked
    again). A pending or declined request stays as it is."""
    asked_now = insert_if_absent(
        session,
        JoinRequest,
        {
            "group_id": group_id,
            "slack_user_id": slack_user_id,
            "state": JoinRequestState.PENDING,
            "requested_at": now,
        },
        key=["group_id", "slack_user_id"],
    )
    mine = (
        col(JoinRequest.group_id) == group_id,
        col(JoinRequest.slack_user_id) == slack_user_id,
    )
    if not asked_now:
        reopened = rows_changed(
            session,
            update(JoinRequest)
            .where(*mine, col(JoinRequest.state) == JoinRequestState.APPROVED)
            .values(
                state=JoinRequestState.PENDING,
                requested_at=now,
                decided_by=None,
                decided_at=None,
            ),
        )
        asked_now = bool(reopened)
    return session.exec(select(JoinRequest).where(*mine)).one(), asked_now


def join_request_by_id(session: Session, request_id: int) -> JoinRequest | None:
    return session.get(JoinRequest, request_id)


def decide_join_request(
    session: Session, *, request_id: int, state: JoinRequestState, by: str, now: datetime
) -> bool:
    """Approve or decline a pending request; False if it was decided already."""
    changed = rows_changed(
        session,
        update(JoinRequest)
        .where(
            col(JoinRequest.id) == request_id,
            col(JoinRequest.state) == JoinRequestState.PENDING,
        )
        .values(state=state, decided_by=by, decided_at=now),
    )
    return bool(changed)


def lock_group(session: Session, group_id: int) -> MentorGroup | None:
    """The group, its row locked until the transaction ends (PostgreSQL; SQLite's writers
    are serialised already), so two approvals cannot both take the last place."""
    return session.exec(
        select(MentorGroup).where(col(MentorGroup.id) == group_id).with_for_update()
    ).first()


def active_mentee_count(session: Session, group_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Membership)
            .where(
                col(Membership.group_id) == group_id,
                col(Membership.role) == MemberRole.MENTEE,
                col(Membership.status) == MemberStatus.ACTIVE,
            )
        ).one()
    )
