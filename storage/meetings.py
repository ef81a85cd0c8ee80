"""Queries about logged meetings, attendance and themes."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select, update

from storage.db import rows_changed
from storage.ids import stored_id
from storage.models import Attendance, Meeting, MeetingState, MentorGroup, Term, Theme
from storage.upsert import insert_if_absent


class _Logged(TypedDict):
    """What logging a meeting sets, on a planned row or a new one alike."""

    state: MeetingState
    theme_id: int | None
    logged_by: str
    logged_at: datetime
    mentor_note: str | None


class DuplicateMeeting(Exception):
    """The group already has a meeting at that moment."""


def meeting_by_id(session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


def meetings_of(session: Session, group_id: int) -> list[Meeting]:
    return list(
        session.exec(
            select(Meeting)
            .where(
                col(Meeting.group_id) == group_id,
                col(Meeting.state) != MeetingState.CANCELLED,
            )
            .order_by(col(Meeting.starts_at))
        ).all()
    )


def held_count(session: Session, group_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Meeting)
            .where(col(Meeting.group_id) == group_id, col(Meeting.state) == MeetingState.HELD)
        ).one()
    )


def latest_planned_before(session: Session, *, group_id: int, before: datetime) -> Meeting | None:
    return session.exec(
        select(Meeting)
        .where(
            col(Meeting.group_id) == group_id,
            col(Meeting.state) == MeetingState.PLANNED,
            col(Meeting.starts_at) <= before,
        )
        .order_by(col(Meeting.starts_at).desc())
    ).first()


def planned_on_the_same_day(
    session: Session, *, group_id: int, day_start: datetime, day_end: datetime
) -> Meeting | None:
    return session.exec(
        select(Meeting)
        .where(
            col(Meeting.group_id) == group_id,
            col(Meeting.state) == MeetingState.PLANNED,
            col(Meeting.starts_at) >= day_start,
            col(Meeting.starts_at) < day_end,
        )
        .order_by(col(Meeting.starts_at))
    ).first()


def insert_meeting(
    session: Session,
    *,
    group_id: int,
    starts_at: datetime,
    ends_at: datetime,
    planned: Meeting | None,
    theme_id: int | None,
    attendees: list[str],
    note: str | None,
    logged_by: str,
    now: datetime,
) -> Meeting:
    """Record a held meeting: the planned one it matches becomes held, or a new row is added.

    Raises DuplicateMeeting when the group already has a held meeting at that moment (the
    unique key on group and start decides, so two clicks cannot both log it).
    """
    values: _Logged = {
        "state": MeetingState.HELD,
        "theme_id": theme_id,
        "logged_by": logged_by,
        "logged_at": now,
        "mentor_note": note or None,
    }
    if planned is not None:
        moved = rows_changed(
            session,
            update(Meeting)
            .where(col(Meeting.id) == planned.id, col(Meeting.state) == MeetingState.PLANNED)
            .values(starts_at=starts_at, ends_at=ends_at, **values),
        )
        if not moved:
            raise DuplicateMeeting
        meeting = session.get(Meeting, planned.id)
        assert meeting is not None
        session.refresh(meeting)
    else:
        meeting = Meeting(
            group_id=group_id, starts_at=starts_at, ends_at=ends_at, created_at=now, **values
        )
        try:
            with session.begin_nested():
                session.add(meeting)
                session.flush()
        except IntegrityError:
            raise DuplicateMeeting from None
    for user_id in attendees:
        insert_if_absent(
            session,
            Attendance,
            {"meeting_id": stored_id(meeting), "slack_user_id": user_id},
            key=["meeting_id", "slack_user_id"],
        )
    return meeting


def cancel_planned_meeting(session: Session, *, meeting_id: int) -> bool:
    """A planned meeting did not happen; False if it is no longer planned.

    One conditional UPDATE, not a read and a rewrite: on PostgreSQL a mentor logging the
    meeting at the same moment commits between the read and the write, and the rewrite would
    turn the held meeting into a cancelled one. The condition is checked again on the row
    as it is when the UPDATE runs, so what was logged stays logged."""
    changed = rows_changed(
        session,
        update(Meeting)
        .where(col(Meeting.id) == meeting_id, col(Meeting.state) == MeetingState.PLANNED)
        .values(state=MeetingState.CANCELLED),
    )
    return bool(changed)


class MeetingChanged(Exception):
    """The planned meeting was logged, called off or changed since it was read."""


def change_planned_meeting(
    session: Session,
    *,
    meeting_id: int,
    sequence: int,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    location: str | None = None,
    cancel: bool = False,
) -> Meeting:
    """Move, re-place or cancel a planned meeting, raising its `calendar_sequence` by one.

    One conditional UPDATE on the state and the sequence read: a change, a log or a "we did
    not meet" that came in between wins, and this one raises MeetingChanged rather than
    undoing it. Moving onto another meeting of the group at that moment raises
    DuplicateMeeting."""
    values: dict[str, object] = {"calendar_sequence": col(Meeting.calendar_sequence) + 1}
    if starts_at is not None and ends_at is not None:
        values.update(starts_at=starts_at, ends_at=ends_at)
    if location is not None:
        values["location"] = location
    if cancel:
        values["state"] = MeetingState.CANCELLED
    try:
        with session.begin_nested():
            changed = rows_changed(
                session,
                update(Meeting)
                .where(
                    col(Meeting.id) == meeting_id,
                    col(Meeting.state) == MeetingState.PLANNED,
                    col(Meeting.calendar_sequence) == sequence,
                )
                .values(**values),
            )
    except IntegrityError:
        raise DuplicateMeeting from None
    if not changed:
        raise MeetingChanged
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    session.refresh(meeting)
    return meeting


def delete_meeting(session: Session, *, meeting_id: int, group_id: int) -> bool:
    """Remove a logged meeting of `group_id`; a planned meeting from a poll goes back to planned."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.group_id != group_id or meeting.state != MeetingState.HELD:
        return False
    session.execute(delete(Attendance).where(col(Attendance.meeting_id) == meeting_id))
    if meeting.poll_id is not None:
        meeting.state = MeetingState.PLANNED
        meeting.logged_by = meeting.logged_at = meeting.mentor_note = meeting.theme_id = None
        session.add(meeting)
    else:
        session.delete(meeting)
    return True


def attendees_of(session: Session, meeting_ids: list[int]) -> dict[int, list[str]]:
    if not meeting_ids:
        return {}
    rows = session.exec(
        select(Attendance.meeting_id, Attendance.slack_user_id).where(
            col(Attendance.meeting_id).in_(meeting_ids)
        )
    ).all()
    result: dict[int, list[str]] = {}
    for meeting_id, user_id in rows:
        result.setdefault(meeting_id, []).append(user_id)
    return result


def planned_meetings_ended_before(
    session: Session, *, cutoff: datetime
) -> list[tuple[Meeting, MentorGroup]]:
    # A meeting planned for after its term closed is not asked about: the term is over.
    rows = session.exec(
        select(Meeting, MentorGroup)
        .join(MentorGroup, col(MentorGroup.id) == col(Meeting.group_id))
        .join(Term, col(Term.id) == col(MentorGroup.term_id))
        .where(
            col(Meeting.state) == MeetingState.PLANNED,
            col(Meeting.ends_at) <= cutoff,
            or_(col(Term.closed_at).is_(None), col(Meeting.starts_at) < col(Term.closed_at)),
        )
    ).all()
    return [(meeting, group) for meeting, group in rows]


def planned_meetings_starting_between(
    session: Session, *, start: datetime, end: datetime
) -> list[tuple[Meeting, MentorGroup]]:
    rows = session.exec(
        select(Meeting, MentorGroup)
        .join(MentorGroup, col(MentorGroup.id) == col(Meeting.group_id))
        .join(Term, col(Term.id) == col(MentorGroup.term_id))
        .where(
            col(Meeting.state) == MeetingState.PLANNED,
            col(Meeting.starts_at) > start,
            col(Meeting.starts_at) <= end,
            col(MentorGroup.channel_id).is_not(None),
            # No reminders once the term is closed.
            col(Term.closed_at).is_(None),
        )
    ).all()
    return [(meeting, group) for meeting, group in rows]


def ensure_catalogue(session: Session, seeds: list[tuple[str, str]], *, now: datetime) -> None:
    """Add the default themes that are missing; retired ones stay retired."""
    for name, prompts in seeds:
        existing = session.exec(
            select(Theme.id).where(col(Theme.name) == name, col(Theme.group_id).is_(None))
        ).first()
        if existing is None:
            session.add(Theme(name=name, prompts=prompts, created_at=now))


def themes_for_group(session: Session, group_id: int) -> list[tuple[Theme, int]]:
    """Active catalogue themes and the group's own, each with how often the group covered it."""
    covered = dict(
        session.exec(
            select(Meeting.theme_id, func.count())
            .where(
                col(Meeting.group_id) == group_id,
                col(Meeting.state) == MeetingState.HELD,
                col(Meeting.theme_id).is_not(None),
            )
            .group_by(col(Meeting.theme_id))
        ).all()
    )
    themes = session.exec(
        select(Theme)
        .where(
            col(Theme.active),
            (col(Theme.group_id).is_(None)) | (col(Theme.group_id) == group_id),
        )
        .order_by(col(Theme.id))
    ).all()
    return [(theme, int(covered.get(theme.id, 0))) for theme in themes]


def theme_names(session: Session, theme_ids: set[int]) -> dict[int, str]:
    """Theme ID → name, retired themes included (a meeting keeps the theme it covered)."""
    if not theme_ids:
        return {}
    rows = session.exec(select(Theme.id, Theme.name).where(col(Theme.id).in_(theme_ids))).all()
    return {theme_id: name for theme_id, name in rows if theme_id is not None}


def catalogue_themes(session: Session) -> list[Theme]:
    """The catalogue's themes (not a group's own), retired ones too, by name."""
    return list(
        session.exec(
            select(Theme).where(col(Theme.group_id).is_(None)).order_by(col(Theme.name))
        ).all()
    )


def catalogue_theme_named(session: Session, name: str) -> Theme | None:
    return session.exec(
        select(Theme).where(
            func.lower(col(Theme.name)) == name.lower(), col(Theme.group_id).is_(None)
        )
    ).first()


def add_theme(
    session: Session,
    *,
    name: str,
    prompts: str,
    group_id: int | None,
    suggested_by: str,
    now: datetime,
) -> bool:
    try:
        with session.begin_nested():
            session.add(
                Theme(
                    name=name,
                    prompts=prompts,
                    group_id=group_id,
                    suggested_by=suggested_by,
                    created_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        return False
    return True


def set_theme_active(session: Session, theme: Theme, *, active: bool) -> None:
    theme.active = active
    session.add(theme)


def replace_attendance(session: Session, *, meeting_id: int, user_ids: list[str]) -> None:
    session.execute(delete(Attendance).where(col(Attendance.meeting_id) == meeting_id))
    for user_id in dict.fromkeys(user_ids):
        session.add(Attendance(meeting_id=meeting_id, slack_user_id=user_id))


def set_held_meeting_theme(session: Session, *, meeting_id: int, theme_id: int) -> bool:
    """What a logged meeting was about; False if it is no longer logged (deleted since).

    One conditional UPDATE, so a meeting deleted in between stays deleted."""
    changed = rows_changed(
        session,
        update(Meeting)
        .where(col(Meeting.id) == meeting_id, col(Meeting.state) == MeetingState.HELD)
        .values(theme_id=theme_id),
    )
    return bool(changed)
