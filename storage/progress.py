"""Everything the nudges, the digest and the report need about every group of a term, in a
fixed handful of queries however many groups there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, case, not_, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, func, select, update

from storage.db import rows_changed
from storage.ids import key_column, stored_id
from storage.models import (
    Meeting,
    MeetingState,
    MemberRole,
    Membership,
    MemberStatus,
    MentorGroup,
    Nudge,
    OutboxStatus,
    Pause,
    Poll,
    PollOptionRow,
    PollState,
    Term,
    Vote,
)
from storage.upsert import insert_if_absent

WEEK = timedelta(days=7)
AWAITING_ANSWER = timedelta(days=3)
"""How long after its start a planned, unlogged meeting still counts as the group's plan: "did
you meet?" is asked two hours after it ends, and mentors answer within a day or two."""


@dataclass
class GroupProgress:
    group: MentorGroup
    held: int = 0
    held_last_week: int = 0
    planned_upcoming: int = 0
    planned_awaiting_answer: int = 0
    """Planned meetings that have started in the last few days and wait for "did you
    meet?": the group has a plan, whose outcome is not known yet."""
    open_polls: int = 0
    mentor_ids: list[str] = field(default_factory=list)
    left_last_week: int = 0
    mentor_silent_on_poll: bool = False
    pauses: list[tuple[date, date]] = field(default_factory=list)
    last_nudged_on: date | None = None
    last_held_at: datetime | None = None
    next_planned_at: datetime | None = None


def current_terms(session: Session) -> list[Term]:
    """The current term while it is open: a closed term gets no nudges and no digests (its
    final report replaced them)."""
    return list(
        session.exec(select(Term).where(col(Term.is_current), col(Term.closed_at).is_(None))).all()
    )


Progress = dict[int | None, GroupProgress]
"""Each group's progress by its ID, filled in by the steps of `progress_of_term`."""


def progress_of_term(session: Session, *, term: Term, now: datetime) -> list[GroupProgress]:
    groups = session.exec(
        select(MentorGroup)
        .where(col(MentorGroup.term_id) == stored_id(term))
        .order_by(col(MentorGroup.name))
    ).all()
    progress: Progress = {group.id: GroupProgress(group=group) for group in groups}
    _count_meetings(session, progress, term_id=stored_id(term), now=now)
    _count_members(session, progress, term_id=stored_id(term), now=now)
    _count_open_polls(session, progress, term_id=stored_id(term), now=now)
    _add_pauses(session, progress, term_id=stored_id(term))
    _add_last_nudges(session, progress, term_id=stored_id(term))
    return list(progress.values())


def _count_meetings(session: Session, progress: Progress, *, term_id: int, now: datetime) -> None:
    held = col(Meeting.state) == MeetingState.HELD
    planned = col(Meeting.state) == MeetingState.PLANNED
    starts = col(Meeting.starts_at)
    upcoming = and_(planned, starts > now)
    awaiting = and_(planned, starts <= now, starts > now - AWAITING_ANSWER)
    # Seven columns: past what sqlmodel's select is typed for, so SQLAlchemy's, as rows.
    meeting_rows = session.execute(
        sql_select(
            col(Meeting.group_id),
            func.sum(case((held, 1), else_=0)),
            func.sum(case((and_(held, starts > now - WEEK, starts <= now), 1), else_=0)),
            func.sum(case((upcoming, 1), else_=0)),
            func.max(case((held, starts), else_=None)),
            func.min(case((upcoming, starts), else_=None)),
            func.sum(case((awaiting, 1), else_=0)),
        )
        .join(MentorGroup, col(MentorGroup.id) == col(Meeting.group_id))
        .where(col(MentorGroup.term_id) == term_id)
        .group_by(col(Meeting.group_id))
    ).all()
    for (
        group_id,
        total,
        last_week,
        ahead,
        last_held,
        next_planned,
        awaiting_answer,
    ) in meeting_rows:
        row = progress[group_id]
        row.planned_awaiting_answer = int(awaiting_answer or 0)
        row.held, row.held_last_week = int(total or 0), int(last_week or 0)
        row.planned_upcoming = int(ahead or 0)
        row.last_held_at, row.next_planned_at = _aware(last_held), _aware(next_planned)


def _aware(moment: datetime | None) -> datetime | None:
    """A min/max over the UTC column comes back without its type's conversion on SQLite."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _count_members(session: Session, progress: Progress, *, term_id: int, now: datetime) -> None:
    # Five columns: past what sqlmodel's select is typed for, so SQLAlchemy's, as rows.
    member_rows = session.execute(
        sql_select(
            col(Membership.group_id),
            col(Membership.slack_user_id),
            col(Membership.role),
            col(Membership.status),
            col(Membership.left_at),
        ).where(col(Membership.term_id) == term_id)
    ).all()
    for group_id, user_id, role, status, left_at in member_rows:
        row = progress[group_id]
        if role == MemberRole.MENTOR and status == MemberStatus.ACTIVE:
            row.mentor_ids.append(user_id)
        if status == MemberStatus.LEFT and left_at is not None and left_at > now - WEEK:
            row.left_last_week += 1


def _count_open_polls(session: Session, progress: Progress, *, term_id: int, now: datetime) -> None:
    poll_rows = session.exec(
        select(key_column(Poll.id), Poll.group_id, Poll.reminder_due_at)
        .join(MentorGroup, col(MentorGroup.id) == col(Poll.group_id))
        .where(col(MentorGroup.term_id) == term_id, col(Poll.state) == PollState.OPEN)
    ).all()
    overdue_polls: dict[int, int] = {}
    for poll_id, group_id, reminder_due_at in poll_rows:
        progress[group_id].open_polls += 1
        if reminder_due_at <= now:
            overdue_polls[poll_id] = group_id
    if overdue_polls:
        _mark_silent_mentors(session, progress, overdue_polls)


def _add_pauses(session: Session, progress: Progress, *, term_id: int) -> None:
    """A pause of one group, or of all (no group)."""
    for group_id, starts_on, ends_on in session.exec(
        select(col(Pause.group_id), col(Pause.starts_on), col(Pause.ends_on)).where(
            col(Pause.term_id) == term_id
        )
    ).all():
        targets = [progress[group_id]] if group_id is not None else list(progress.values())
        for row in targets:
            row.pauses.append((starts_on, ends_on))


def _add_last_nudges(session: Session, progress: Progress, *, term_id: int) -> None:
    for group_id, last in session.exec(
        select(Nudge.group_id, func.max(Nudge.nudged_on))
        .join(MentorGroup, col(MentorGroup.id) == col(Nudge.group_id))
        .where(col(MentorGroup.term_id) == term_id, col(Nudge.status) != OutboxStatus.FAILED)
        .group_by(col(Nudge.group_id))
    ).all():
        progress[group_id].last_nudged_on = last


def _mark_silent_mentors(
    session: Session, progress: Progress, overdue_polls: dict[int, int]
) -> None:
    """Past its halfway point, a poll whose mentor has not answered every date."""
    options = dict(
        session.exec(
            select(PollOptionRow.poll_id, func.count())
            .where(col(PollOptionRow.poll_id).in_(list(overdue_polls)))
            .group_by(col(PollOptionRow.poll_id))
        ).all()
    )
    answered: defaultdict[tuple[int, str], int] = defaultdict(int)
    for poll_id, user_id, count in session.exec(
        select(Vote.poll_id, Vote.slack_user_id, func.count())
        .where(col(Vote.poll_id).in_(list(overdue_polls)))
        .group_by(col(Vote.poll_id), col(Vote.slack_user_id))
    ).all():
        answered[(poll_id, user_id)] = int(count)
    for poll_id, group_id in overdue_polls.items():
        row = progress[group_id]
        if any(answered[(poll_id, mentor)] < options.get(poll_id, 0) for mentor in row.mentor_ids):
            row.mentor_silent_on_poll = True


def add_pause(
    session: Session,
    *,
    term_id: int,
    group_id: int | None,
    starts_on: date,
    ends_on: date,
    created_by: str,
    now: datetime,
) -> Pause:
    pause = Pause(
        term_id=term_id,
        group_id=group_id,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=created_by,
        created_at=now,
    )
    session.add(pause)
    return pause


def claim_nudge(
    session: Session,
    *,
    group_id: int,
    today: date,
    spacing: timedelta,
    now: datetime,
    stale_before: datetime,
) -> bool:
    """Record a nudge for today unless one was sent within `spacing`; True if this caller
    should send it. The (group, day) key stops two processes on the same day; today's claim
    is taken over if its attempt failed or its process died while sending (a claim pending
    since before `stale_before`, as in the outbox)."""
    retake_today = or_(
        col(Nudge.status) == OutboxStatus.FAILED,
        and_(
            col(Nudge.status) == OutboxStatus.PENDING,
            col(Nudge.claimed_at) < stale_before,
        ),
    )
    recent = session.exec(
        select(func.count())
        .select_from(Nudge)
        .where(
            col(Nudge.group_id) == group_id,
            col(Nudge.nudged_on) > today - spacing,
            col(Nudge.status) != OutboxStatus.FAILED,
            not_(and_(col(Nudge.nudged_on) == today, retake_today)),
        )
    ).one()
    if recent:
        return False
    if insert_if_absent(
        session,
        Nudge,
        {
            "group_id": group_id,
            "nudged_on": today,
            "status": OutboxStatus.PENDING,
            "created_at": now,
            "claimed_at": now,
        },
        key=["group_id", "nudged_on"],
    ):
        return True
    retried = rows_changed(
        session,
        update(Nudge)
        .where(col(Nudge.group_id) == group_id, col(Nudge.nudged_on) == today, retake_today)
        .values(status=OutboxStatus.PENDING, claimed_at=now),
    )
    return bool(retried)


def finish_nudge(session: Session, *, group_id: int, today: date, sent: bool) -> None:
    nudge = session.exec(
        select(Nudge).where(col(Nudge.group_id) == group_id, col(Nudge.nudged_on) == today)
    ).first()
    if nudge is not None:
        nudge.status = OutboxStatus.SENT if sent else OutboxStatus.FAILED
        session.add(nudge)


@dataclass
class HomeFigures:
    """What one group's App Home section needs, for one person."""

    held: int = 0
    next_at: datetime | None = None
    next_place: str | None = None
    open_polls: int = 0
    polls_waiting: int = 0
    """Open polls the person has not answered at all."""


def home_figures(
    session: Session, *, group_ids: list[int], user_id: str, now: datetime
) -> dict[int, HomeFigures]:
    """Per group of `group_ids`: meetings held, the next planned one with its place, open
    polls and those `user_id` has not answered; three queries however many groups."""
    figures = {group_id: HomeFigures() for group_id in group_ids}
    if not group_ids:
        return figures
    for group_id, state, starts_at, location in session.exec(
        select(Meeting.group_id, Meeting.state, Meeting.starts_at, Meeting.location).where(
            col(Meeting.group_id).in_(group_ids), col(Meeting.state) != MeetingState.CANCELLED
        )
    ).all():
        row = figures[group_id]
        if state == MeetingState.HELD:
            row.held += 1
        elif starts_at > now and (row.next_at is None or starts_at < row.next_at):
            row.next_at, row.next_place = starts_at, location
    polls = dict(
        session.exec(
            select(key_column(Poll.id), Poll.group_id).where(
                col(Poll.group_id).in_(group_ids), col(Poll.state) == PollState.OPEN
            )
        ).all()
    )
    answered = set(
        session.exec(
            select(Vote.poll_id)
            .where(col(Vote.poll_id).in_(list(polls)), col(Vote.slack_user_id) == user_id)
            .distinct()
        ).all()
    )
    for poll_id, group_id in polls.items():
        figures[group_id].open_polls += 1
        figures[group_id].polls_waiting += poll_id not in answered
    return figures
