"""When the stored polls and meetings next need a job: what a scheduler that wakes only when
there is work (the sandbox's clock) asks the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Meeting, MeetingState, Poll, PollState


@dataclass(frozen=True)
class PendingTimes:
    poll_times: list[tuple[datetime, datetime]]
    """Each open poll's deadline and reminder time."""
    meeting_times: list[tuple[datetime, datetime]]
    """Each planned meeting's start and end."""


def pending_times(session: Session) -> PendingTimes:
    polls = session.exec(
        select(Poll.deadline, Poll.reminder_due_at).where(col(Poll.state) == PollState.OPEN)
    ).all()
    meetings = session.exec(
        select(Meeting.starts_at, Meeting.ends_at).where(col(Meeting.state) == MeetingState.PLANNED)
    ).all()
    return PendingTimes(
        poll_times=[(deadline, reminder) for deadline, reminder in polls],
        meeting_times=[(starts_at, ends_at) for starts_at, ends_at in meetings],
    )
