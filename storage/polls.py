"""Queries about polls, votes and planned meetings."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, bindparam, cast, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, delete, func, select, update

from storage.db import rows_changed
from storage.ids import key_column, stored_id
from storage.models import (
    Meeting,
    MeetingState,
    Membership,
    MemberStatus,
    MentorGroup,
    Outbox,
    OutboxStatus,
    Poll,
    PollOptionRow,
    PollRedraw,
    PollState,
    Vote,
    table_of,
)
from storage.upsert import insert_for, insert_if_absent

AUTHOR_ANSWER = "yes"
"""The answer a poll's author is stored with for each of its dates (bot.domain.polls.Answer)."""


def add_poll(
    session: Session,
    *,
    group_id: int,
    created_by: str,
    channel_id: str,
    starts: Sequence[datetime],
    deadline: datetime,
    reminder_due_at: datetime,
    length_minutes: int,
    now: datetime,
    location: str | None = None,
) -> int:
    """Store a new open poll and its options (in time order), with its author's "yes" to
    every option (scheduling tools pre-fill the organiser: the mentor offered these dates, so
    they can come unless they answer otherwise); returns the poll's ID."""
    poll = Poll(
        group_id=group_id,
        created_by=created_by,
        channel_id=channel_id,
        opened_at=now,
        deadline=deadline,
        reminder_due_at=reminder_due_at,
        length_minutes=length_minutes,
        location=location,
    )
    session.add(poll)
    session.flush()
    options = [
        PollOptionRow(poll_id=stored_id(poll), position=position, starts_at=start)
        for position, start in enumerate(sorted(starts), start=1)
    ]
    session.add_all(options)
    session.flush()
    session.add_all(
        Vote(
            poll_id=stored_id(poll),
            option_id=stored_id(option),
            slack_user_id=created_by,
            answer=AUTHOR_ANSWER,
            answered_at=now,
        )
        for option in options
    )
    session.flush()
    return stored_id(poll)


def set_message(session: Session, *, poll_id: int, message_ts: str) -> None:
    session.execute(update(Poll).where(col(Poll.id) == poll_id).values(message_ts=message_ts))


@dataclass(frozen=True)
class PollRecord:
    """A poll with what its callers need besides its group's members, read in one go: its
    group, its options in order, and its votes as (option ID, Slack user ID) → answer."""

    poll: Poll
    group: MentorGroup
    options: list[PollOptionRow]
    votes: dict[tuple[int, str], str]


def load_poll(session: Session, poll_id: int) -> PollRecord | None:
    """The one way a poll is read: None if there is no such poll."""
    poll = session.get(Poll, poll_id)
    if poll is None:
        return None
    group = session.get(MentorGroup, poll.group_id)
    assert group is not None, "a poll's group is never deleted"
    return PollRecord(
        poll=poll,
        group=group,
        options=options_of(session, poll_id),
        votes=votes_of(session, poll_id),
    )


def options_of(session: Session, poll_id: int) -> list[PollOptionRow]:
    """A poll's options in time order (a date the mentor added later takes its place)."""
    return list(
        session.exec(
            select(PollOptionRow)
            .where(col(PollOptionRow.poll_id) == poll_id)
            .order_by(col(PollOptionRow.starts_at), col(PollOptionRow.position))
        ).all()
    )


def add_option(
    session: Session, *, poll: Poll, starts_at: datetime, now: datetime, most: int
) -> bool:
    """Add a date to an open poll, with its author's "yes" to it (as the poll's own dates
    have), and mark its message behind; False if the poll is no longer open or already has
    `most` options. The poll row is locked first (on PostgreSQL), so two additions at once
    are counted one after the other."""
    poll_id = stored_id(poll)
    locked = session.exec(
        select(key_column(Poll.id))
        .where(col(Poll.id) == poll_id, col(Poll.state) == PollState.OPEN)
        .with_for_update()
    ).first()
    if locked is None:
        return False
    positions = list(
        session.exec(
            select(PollOptionRow.position).where(col(PollOptionRow.poll_id) == poll_id)
        ).all()
    )
    if len(positions) >= most:
        return False
    option = PollOptionRow(
        poll_id=poll_id, position=max(positions, default=0) + 1, starts_at=starts_at
    )
    session.add(option)
    session.flush()
    session.add(
        Vote(
            poll_id=poll_id,
            option_id=stored_id(option),
            slack_user_id=poll.created_by,
            answer=AUTHOR_ANSWER,
            answered_at=now,
        )
    )
    session.flush()
    mark_poll_behind(session, poll_id=poll_id)
    return True


def move_deadline(
    session: Session, *, poll_id: int, deadline: datetime, reminder_due_at: datetime
) -> bool:
    """A new deadline for an open poll (one conditional update), its message marked behind;
    False if the poll is no longer open."""
    changed = rows_changed(
        session,
        update(Poll)
        .where(col(Poll.id) == poll_id, col(Poll.state) == PollState.OPEN)
        .values(deadline=deadline, reminder_due_at=reminder_due_at),
    )
    if changed:
        mark_poll_behind(session, poll_id=poll_id)
    return bool(changed)


def votes_of(session: Session, poll_id: int) -> dict[tuple[int, str], str]:
    rows = session.exec(
        select(Vote.option_id, Vote.slack_user_id, Vote.answer).where(col(Vote.poll_id) == poll_id)
    ).all()
    return {(option_id, user_id): answer for option_id, user_id, answer in rows}


def record_vote(
    session: Session, *, poll_id: int, option_id: int, user_id: str, answer: str, now: datetime
) -> bool:
    """Store a member's answer to an option of an open poll, replacing their earlier one, and
    mark the poll's message as behind; False (nothing stored) unless the poll is open, the
    option is the poll's and the person an active member of its group.

    One statement checks and writes, so the check cannot go stale before the write; this is
    the only work a vote click does before it is acknowledged."""
    dialect = session.get_bind().dialect.name
    stored = session.execute(
        _record_vote_statement(dialect),
        {
            "poll_id": poll_id,
            "option_id": option_id,
            "user_id": user_id,
            "answer": answer,
            "now": now,
        },
    ).first()
    if stored is None:
        return False
    session.execute(_mark_behind_statement(dialect), {"poll_id": poll_id})
    return True


def record_none_works(session: Session, *, poll_id: int, user_id: str, now: datetime) -> bool:
    """A member's "none of these work for me": "no" to every option of an open poll, each
    one conditional upsert as a vote click is (so the same checks hold), all in the caller's
    transaction; False (nothing stored) unless every one of them was."""
    dialect = session.get_bind().dialect.name
    option_ids = session.exec(
        select(key_column(PollOptionRow.id)).where(col(PollOptionRow.poll_id) == poll_id)
    ).all()
    if not option_ids:
        return False
    for option_id in option_ids:
        stored = session.execute(
            _record_vote_statement(dialect),
            {
                "poll_id": poll_id,
                "option_id": option_id,
                "user_id": user_id,
                "answer": "no",
                "now": now,
            },
        ).first()
        if stored is None:
            # The checks are the poll's and the member's, the same for every option within
            # one transaction: refused here is refused at the first option, nothing stored.
            return False
    session.execute(_mark_behind_statement(dialect), {"poll_id": poll_id})
    return True


# The two statements of every vote click are built once per dialect: building them anew took
# longer than running them.


@functools.cache
def _record_vote_statement(dialect: str) -> Any:
    vote = table_of(Vote)
    # Five columns: past what sqlmodel's select is typed for, so SQLAlchemy's.
    eligible = (
        sql_select(
            col(PollOptionRow.poll_id),
            col(PollOptionRow.id),
            bindparam("user_id", type_=vote.c.slack_user_id.type),
            bindparam("answer", type_=vote.c.answer.type),
            bindparam("now", type_=vote.c.answered_at.type),
        )
        .join(Poll, col(Poll.id) == col(PollOptionRow.poll_id))
        .join(Membership, col(Membership.group_id) == col(Poll.group_id))
        .where(
            col(PollOptionRow.id) == bindparam("option_id"),
            col(PollOptionRow.poll_id) == bindparam("poll_id"),
            col(Poll.state) == PollState.OPEN,
            col(Membership.slack_user_id) == bindparam("user_id"),
            col(Membership.status) == MemberStatus.ACTIVE,
        )
    )
    columns = ["poll_id", "option_id", "slack_user_id", "answer", "answered_at"]
    statement = insert_for(dialect, Vote).from_select(columns, eligible)
    return statement.on_conflict_do_update(
        index_elements=["option_id", "slack_user_id"],
        set_={"answer": statement.excluded.answer, "answered_at": statement.excluded.answered_at},
    ).returning(vote.c.id)


@functools.cache
def _mark_behind_statement(dialect: str) -> Any:
    redraw = table_of(PollRedraw)
    statement = insert_for(dialect, PollRedraw).values(poll_id=bindparam("poll_id"), version=1)
    return statement.on_conflict_do_update(
        index_elements=["poll_id"], set_={"version": redraw.c.version + 1}
    )


def mark_poll_behind(session: Session, *, poll_id: int) -> None:
    """Record that the poll's message no longer shows what is stored."""
    session.execute(_mark_behind_statement(session.get_bind().dialect.name), {"poll_id": poll_id})


def polls_behind(session: Session, *, claimable_before: datetime) -> dict[int, int]:
    """Polls whose message is behind, with the version it should show, except those a
    worker is redrawing right now."""
    rows = session.exec(
        select(PollRedraw.poll_id, PollRedraw.version)
        .where(
            or_(
                col(PollRedraw.claimed_at).is_(None),
                col(PollRedraw.claimed_at) < claimable_before,
            )
        )
        .order_by(col(PollRedraw.poll_id))
    ).all()
    return {int(poll_id): int(version) for poll_id, version in rows}


def answered_by_everyone(session: Session, poll_ids: Sequence[int]) -> list[int]:
    """Of these polls, the open ones every active member has answered on every option, in
    one query however many polls there are."""
    if not poll_ids:
        return []
    members = (
        select(func.count())
        .select_from(Membership)
        .where(
            col(Membership.group_id) == col(Poll.group_id),
            col(Membership.status) == MemberStatus.ACTIVE,
        )
        .scalar_subquery()
    )
    options = (
        select(func.count())
        .select_from(PollOptionRow)
        .where(col(PollOptionRow.poll_id) == col(Poll.id))
        .scalar_subquery()
    )
    answers = (
        select(func.count())
        .select_from(Vote)
        .join(
            Membership,
            and_(
                col(Membership.slack_user_id) == col(Vote.slack_user_id),
                col(Membership.group_id) == col(Poll.group_id),
                col(Membership.status) == MemberStatus.ACTIVE,
            ),
        )
        .where(col(Vote.poll_id) == col(Poll.id))
        .scalar_subquery()
    )
    return list(
        session.exec(
            select(key_column(Poll.id)).where(
                col(Poll.id).in_(poll_ids),
                col(Poll.state) == PollState.OPEN,
                members > 0,
                answers == options * members,
            )
        ).all()
    )


def claim_redraw(
    session: Session, *, poll_id: int, now: datetime, claimable_before: datetime
) -> int | None:
    """Take the redraw of a poll's message; the version taken, or None if there is nothing
    to redraw or another worker has it."""
    row = session.execute(
        update(PollRedraw)
        .where(
            col(PollRedraw.poll_id) == poll_id,
            or_(
                col(PollRedraw.claimed_at).is_(None),
                col(PollRedraw.claimed_at) < claimable_before,
            ),
        )
        .values(claimed_at=now)
        .returning(col(PollRedraw.version))
    ).first()
    return None if row is None else int(row[0])


def redraw_version(session: Session, *, poll_id: int) -> int | None:
    return session.exec(
        select(PollRedraw.version).where(col(PollRedraw.poll_id) == poll_id)
    ).first()


def finish_redraw(session: Session, *, poll_id: int, version: int) -> bool:
    """The message now shows `version`: forget the redraw unless a newer change came in, in
    which case release it for the next pass. True if the message is up to date."""
    done = rows_changed(
        session,
        delete(PollRedraw).where(
            col(PollRedraw.poll_id) == poll_id, col(PollRedraw.version) == version
        ),
    )
    if done:
        return True
    session.execute(
        update(PollRedraw).where(col(PollRedraw.poll_id) == poll_id).values(claimed_at=None)
    )
    return False


def release_redraw(session: Session, *, poll_id: int) -> None:
    """Give a redraw back untouched (Slack failed): the next pass tries again."""
    session.execute(
        update(PollRedraw).where(col(PollRedraw.poll_id) == poll_id).values(claimed_at=None)
    )


def open_polls_of_group(session: Session, group_id: int) -> list[Poll]:
    return list(
        session.exec(
            select(Poll).where(col(Poll.group_id) == group_id, col(Poll.state) == PollState.OPEN)
        ).all()
    )


def transition(session: Session, *, poll_id: int, from_state: PollState, **values: Any) -> bool:
    """Move a poll out of `from_state`; False if it had already left it (someone else won).
    A move marks the poll's message as behind, in the same transaction."""
    changed = rows_changed(
        session,
        update(Poll).where(col(Poll.id) == poll_id, col(Poll.state) == from_state).values(**values),
    )
    if not changed:
        return False
    mark_poll_behind(session, poll_id=poll_id)
    return True


def cancel_open_poll(session: Session, *, poll_id: int, now: datetime, reason: str) -> bool:
    """Cancel a poll that is still open; False if it no longer was."""
    return transition(
        session,
        poll_id=poll_id,
        from_state=PollState.OPEN,
        state=PollState.CANCELLED,
        closed_at=now,
        close_reason=reason,
    )


def close_open_poll(
    session: Session, *, poll: Poll, winner: PollOptionRow | None, now: datetime, reason: str
) -> bool:
    """Close a poll that is still open with its winning option (None: no date works), and
    plan the meeting it chose, in the caller's transaction; False if it was no longer open."""
    if not transition(
        session,
        poll_id=stored_id(poll),
        from_state=PollState.OPEN,
        state=PollState.CLOSED,
        closed_at=now,
        winner_option_id=winner.id if winner else None,
        close_reason=reason,
    ):
        return False
    if winner is not None:
        plan_meeting(
            session,
            group_id=poll.group_id,
            poll_id=stored_id(poll),
            starts_at=winner.starts_at,
            ends_at=winner.starts_at + timedelta(minutes=poll.length_minutes),
            now=now,
            location=poll.location,
        )
    return True


PICKED_REASON = "picked by the mentor"
"""A poll's close reason once its mentor picked the date it closed without; its result is
announced under its own outbox key (`result_key`)."""


def result_key(poll_id: int, close_reason: str | None) -> str:
    """The outbox key of a closed poll's result announcement."""
    return f"{poll_id}:picked" if close_reason == PICKED_REASON else str(poll_id)


def pick_winner(session: Session, *, poll: Poll, option: PollOptionRow, now: datetime) -> bool:
    """The mentor picks `option` for a poll that closed without a date: one conditional
    update (closed, nothing picked yet), then the meeting planned, in the caller's
    transaction; False if it was picked already (a second click does nothing)."""
    poll_id = stored_id(poll)
    if not rows_changed(
        session,
        update(Poll)
        .where(
            col(Poll.id) == poll_id,
            col(Poll.state) == PollState.CLOSED,
            col(Poll.winner_option_id).is_(None),
        )
        .values(winner_option_id=option.id, close_reason=PICKED_REASON),
    ):
        return False
    mark_poll_behind(session, poll_id=poll_id)
    plan_meeting(
        session,
        group_id=poll.group_id,
        poll_id=poll_id,
        starts_at=option.starts_at,
        ends_at=option.starts_at + timedelta(minutes=poll.length_minutes),
        now=now,
        location=poll.location,
    )
    return True


def polls_due_to_close(session: Session, *, now: datetime) -> list[int]:
    return list(
        session.exec(
            select(key_column(Poll.id)).where(
                col(Poll.state) == PollState.OPEN, col(Poll.deadline) <= now
            )
        ).all()
    )


def polls_due_a_reminder(session: Session, *, now: datetime) -> list[int]:
    """Open polls past their halfway point (the outbox keeps each reminder to one send)."""
    return list(
        session.exec(
            select(key_column(Poll.id)).where(
                col(Poll.state) == PollState.OPEN,
                col(Poll.reminder_due_at) <= now,
                col(Poll.deadline) > now,
            )
        ).all()
    )


def plan_meeting(
    session: Session,
    *,
    group_id: int,
    poll_id: int,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    location: str | None = None,
) -> None:
    insert_if_absent(
        session,
        Meeting,
        {
            "group_id": group_id,
            "poll_id": poll_id,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "state": MeetingState.PLANNED,
            "created_at": now,
            "location": location,
        },
        key=["poll_id"],
        # A meeting the mentor already logged at that moment counts as this one.
        any_conflict=True,
    )


def next_planned_meeting(session: Session, *, group_id: int, after: datetime) -> Meeting | None:
    return session.exec(
        select(Meeting)
        .where(
            col(Meeting.group_id) == group_id,
            col(Meeting.state) == MeetingState.PLANNED,
            col(Meeting.starts_at) > after,
        )
        .order_by(col(Meeting.starts_at))
    ).first()


def meeting_progress(
    session: Session, *, group_ids: list[int], now: datetime
) -> dict[int, tuple[int, datetime | None]]:
    """Per group: meetings held, and the start of the next planned one (one query)."""
    if not group_ids:
        return {}
    rows = session.exec(
        select(Meeting.group_id, Meeting.state, Meeting.starts_at).where(
            col(Meeting.group_id).in_(group_ids),
            col(Meeting.state) != MeetingState.CANCELLED,
        )
    ).all()
    progress: dict[int, tuple[int, datetime | None]] = dict.fromkeys(group_ids, (0, None))
    for group_id, state, starts_at in rows:
        held, upcoming = progress[group_id]
        if state == MeetingState.HELD:
            held += 1
        elif starts_at > now and (upcoming is None or starts_at < upcoming):
            upcoming = starts_at
        progress[group_id] = (held, upcoming)
    return progress


def closed_polls_not_announced(
    session: Session, *, since: datetime, stale_before: datetime
) -> list[int]:
    """Polls closed since `since` whose result was never sent: its send failed, a process
    stopped between closing and sending, or one died while sending (a claim pending since
    before `stale_before`). Also those closed without a date whose mentor's private choice
    was never sent, and those whose date the mentor picked later, unannounced."""

    def sent(kind: str) -> Any:
        return select(Outbox.key).where(
            col(Outbox.kind) == kind,
            or_(
                col(Outbox.status) == OutboxStatus.SENT,
                and_(
                    col(Outbox.status) == OutboxStatus.PENDING,
                    col(Outbox.claimed_at) >= stale_before,
                ),
            ),
        )

    poll_key = cast(col(Poll.id), String)
    picked_key = poll_key + ":picked"
    return list(
        session.exec(
            select(key_column(Poll.id)).where(
                col(Poll.state) == PollState.CLOSED,
                col(Poll.closed_at) >= since,
                or_(
                    poll_key.not_in(sent("poll_result")),
                    and_(
                        col(Poll.close_reason) == PICKED_REASON,
                        picked_key.not_in(sent("poll_result")),
                    ),
                    and_(
                        col(Poll.winner_option_id).is_(None),
                        poll_key.not_in(sent("poll_choice")),
                    ),
                ),
            )
        ).all()
    )
