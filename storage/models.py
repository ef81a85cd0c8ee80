"""The stored state of the bot. One SQLModel class per entity; schema changes go through
Alembic migrations in `storage/migrations/versions/`."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, Table, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import EnumString, UTCDateTime


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for statements that skip the ORM's loading.

    SQLModel sets `__table__` on each `table=True` class as it is defined but does not
    declare it to type checkers; it is read here, once, from the class's own namespace."""
    table: Table = vars(model)["__table__"]
    return table


class ProcessedEvent(SQLModel, table=True):
    """An Events API delivery already handled; Slack retries carry the same `event_id`."""

    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    event_type: str = Field(max_length=64)
    received_at: datetime = Field(sa_type=UTCDateTime)


class Term(SQLModel, table=True):
    """A half-year run of the scheme; exactly one is current at a time."""

    __table_args__ = (
        # At most one row with is_current true: the database, not the code, keeps it so.
        Index(
            "ix_term_one_current",
            "is_current",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    starts_on: date
    ends_on: date
    min_meetings: int = Field(default=3)
    timezone: str = Field(max_length=64)
    language: str = Field(default="en", max_length=8)
    is_current: bool = Field(default=False)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=32)
    group_size_min: int = Field(default=3)
    """Mentees per group when groups are proposed (the schemes: 3–4)."""
    group_size_max: int = Field(default=4)
    mix_programmes: bool = Field(default=False)
    """Whether matching prefers groups across study programmes (True) or within one."""
    groups_formed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the coordinator approved the term's groups: sign-ups after it are late ones,
    each proposed to a group with room."""
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the term was closed (thank-yous and final report sent): at its end, or earlier
    by `/mentor term close`."""
    archive_after_days: int = Field(default=14)
    """Grace period after closing before the group channels are archived."""


class Person(SQLModel, table=True):
    """Someone the bot knows, by Slack user ID; certification outlives terms."""

    slack_user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320, index=True)
    language: str | None = Field(default=None, max_length=8)
    certified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    certified_by: str | None = Field(default=None, max_length=32)
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """No reminders, DMs or nudges to this person before then (announcements in their
    group's channel still come)."""
    pulse_stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """They asked for no more belonging check-ins."""
    pseudonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """Name, e-mail and Slack ID replaced by a pseudonym after the retention period."""


class MemberRole(StrEnum):
    """The part someone plays on a term's roster and in a group."""

    MENTOR = "mentor"
    MENTEE = "mentee"


class Participant(SQLModel, table=True):
    """A person on a term's roster, as mentor or mentee."""

    __table_args__ = (UniqueConstraint("term_id", "slack_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    term_id: int = Field(foreign_key="term.id", index=True)
    slack_user_id: str = Field(foreign_key="person.slack_user_id", max_length=32)
    role: MemberRole = Field(sa_type=EnumString(MemberRole, 16))
    programme: str | None = Field(default=None, max_length=200)
    year: str | None = Field(default=None, max_length=32)
    # What matching weighs (issue 17), from the sign-up form or the roster CSV.
    languages: str | None = Field(default=None, max_length=200)
    """Language codes the person is comfortable in, comma-separated ("da,en")."""
    themes: str | None = Field(default=None, max_length=2000)
    """Theme names they care about, one per line."""
    availability: str | None = Field(default=None, max_length=400)
    """When they can usually meet: comma-separated slots such as "mon-morning,thu-evening"."""
    preferred_mentor: str | None = Field(default=None, max_length=32)
    """A mentee's wish for a mentor, by Slack user ID."""
    friend: str | None = Field(default=None, max_length=32)
    """Someone to be grouped with, by Slack user ID."""
    note: str | None = Field(default=None, max_length=1000)
    """A note to the coordinators (private: never shown to the group)."""
    capacity: int = Field(default=1)
    """How many groups a mentor can lead."""
    signed_up_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When they signed up themselves (None: put on the roster by a coordinator)."""
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class GroupSetup(StrEnum):
    """How far a group's channel has been set up; each step is done once, in order, so an
    interrupted bulk creation resumes where it stopped."""

    NEW = "new"
    CHANNEL = "channel"
    INVITED = "invited"
    PURPOSE = "purpose"
    WELCOMED = "welcomed"


class MentorGroup(SQLModel, table=True):
    __tablename__ = "mentor_group"
    __table_args__ = (
        UniqueConstraint("term_id", "name"),
        UniqueConstraint("term_id", "member_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    term_id: int = Field(foreign_key="term.id", index=True)
    name: str = Field(max_length=80)
    member_key: str = Field(max_length=64)
    channel_id: str | None = Field(default=None, max_length=32, unique=True)
    channel_name: str | None = Field(default=None, max_length=80)
    setup: GroupSetup = Field(default=GroupSetup.NEW, sa_type=EnumString(GroupSetup, 16))
    welcome_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=32)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When its channel was archived after the term's grace period."""


class MemberStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class Membership(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("group_id", "slack_user_id"),
        # A mentee is in at most one group per term.
        Index(
            "ix_membership_one_group_per_mentee",
            "term_id",
            "slack_user_id",
            unique=True,
            sqlite_where=text("role = 'mentee' AND status = 'active'"),
            postgresql_where=text("role = 'mentee' AND status = 'active'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="mentor_group.id", index=True)
    term_id: int = Field(foreign_key="term.id")
    slack_user_id: str = Field(foreign_key="person.slack_user_id", max_length=32, index=True)
    role: MemberRole = Field(sa_type=EnumString(MemberRole, 16))
    status: MemberStatus = Field(default=MemberStatus.ACTIVE, sa_type=EnumString(MemberStatus, 16))
    joined_at: datetime = Field(sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PollState(StrEnum):
    """A poll's life: open → closed (a date chosen, or none possible) or cancelled.
    Every move is a conditional update from the state expected, so it happens once."""

    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Poll(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="mentor_group.id", index=True)
    created_by: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    state: PollState = Field(default=PollState.OPEN, sa_type=EnumString(PollState, 16), index=True)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    deadline: datetime = Field(sa_type=UTCDateTime, index=True)
    length_minutes: int = Field(default=90)
    reminder_due_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    winner_option_id: int | None = Field(default=None)
    close_reason: str | None = Field(default=None, max_length=32)
    location: str | None = Field(default=None, max_length=500)
    """Where the group will meet: a place or a video link, as the mentor typed it."""


class PollRedraw(SQLModel, table=True):
    """A poll whose Slack message is behind what is stored. Every vote and every state change
    bumps `version` in its own transaction; a worker redraws from the database and deletes
    the row only if no newer change came in meanwhile, so the last redraw always shows the
    latest tally, however many votes arrive at once and however many workers run."""

    __tablename__ = "poll_redraw"

    poll_id: int = Field(foreign_key="poll.id", primary_key=True)
    version: int = Field(default=1)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When a worker took the redraw; another may take it over once this is long past."""


class PollOptionRow(SQLModel, table=True):
    __tablename__ = "poll_option"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    starts_at: datetime = Field(sa_type=UTCDateTime)


class Vote(SQLModel, table=True):
    """One answer per member per option; a new click replaces the old answer in place."""

    __table_args__ = (UniqueConstraint("option_id", "slack_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    option_id: int = Field(foreign_key="poll_option.id")
    slack_user_id: str = Field(max_length=32)
    answer: str = Field(max_length=16)
    answered_at: datetime = Field(sa_type=UTCDateTime)


class MeetingState(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Meeting(SQLModel, table=True):
    """A meeting: planned by a poll, then held once the mentor logs it (or logged directly)."""

    __table_args__ = (
        UniqueConstraint("poll_id"),
        # Two meetings of one group at the same moment are one meeting logged twice.
        UniqueConstraint("group_id", "starts_at", name="uq_meeting_group_starts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="mentor_group.id", index=True)
    poll_id: int | None = Field(default=None, foreign_key="poll.id")
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    state: MeetingState = Field(default=MeetingState.PLANNED, sa_type=EnumString(MeetingState, 16))
    created_at: datetime = Field(sa_type=UTCDateTime)
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    logged_by: str | None = Field(default=None, max_length=32)
    logged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    mentor_note: str | None = Field(default=None, max_length=3000)
    """Private to the mentor who logged the meeting: never shown to anyone else, never in a
    digest, report or export."""
    location: str | None = Field(default=None, max_length=500)
    """Where the group meets: a place or a video link, as the mentor typed it."""
    calendar_sequence: int = Field(default=0)
    """The `.ics` SEQUENCE: raised each time the meeting is moved, re-placed or cancelled,
    so calendars replace the event they hold (same UID) instead of adding another."""


class Attendance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("meeting_id", "slack_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    slack_user_id: str = Field(max_length=32)


class Theme(SQLModel, table=True):
    """A conversation theme: the scheme's catalogue (no group), or a group's own idea."""

    __table_args__ = (
        Index(
            "ix_theme_catalogue_name",
            "name",
            unique=True,
            sqlite_where=text("group_id IS NULL"),
            postgresql_where=text("group_id IS NULL"),
        ),
        UniqueConstraint("group_id", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    prompts: str = Field(default="", max_length=2000)
    """Conversation prompts, one per line."""
    active: bool = Field(default=True)
    group_id: int | None = Field(default=None, foreign_key="mentor_group.id", index=True)
    suggested_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Outbox(SQLModel, table=True):
    """A message the bot sends on its own (reminder, result, nudge, digest), recorded under a
    unique key *before* it is sent: a restart, a re-run or a second bot process finds the
    key taken and does not send it again, unless the claim is long stale (its process died
    while sending; see storage/outbox.py)."""

    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    key: str = Field(max_length=128)
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=EnumString(OutboxStatus, 16))
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the current attempt began."""
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Pause(SQLModel, table=True):
    """A stretch of days (exam weeks, holidays) with no nudges, left out of the pace rule;
    for one group, or for the whole term when `group_id` is empty."""

    id: int | None = Field(default=None, primary_key=True)
    term_id: int = Field(foreign_key="term.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="mentor_group.id")
    starts_on: date
    ends_on: date
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Nudge(SQLModel, table=True):
    """A nudge a group was sent (or is being sent), one per group per day at most; the
    seven-day spacing is checked against these rows."""

    __table_args__ = (UniqueConstraint("group_id", "nudged_on"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="mentor_group.id", index=True)
    nudged_on: date
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=EnumString(OutboxStatus, 16))
    created_at: datetime = Field(sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the current attempt began."""


class FollowUp(SQLModel, table=True):
    """Work a Slack request left for the worker process (answering a command, posting a poll,
    opening a modal), stored before Slack is answered: an acknowledged request is carried
    out even if the process that acknowledged it dies the next moment."""

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)
    payload: str = Field(sa_type=Text)
    """JSON: the Slack payload as received, or the IDs of what the request stored."""
    created_at: datetime = Field(sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    claimed_by: str | None = Field(default=None, max_length=64)


class SeenRequest(SQLModel, table=True):
    """A signed HTTP request already handled, by its signature: the same request sent again
    inside Slack's five-minute window (a replay) is answered without being handled twice."""

    __tablename__ = "seen_request"

    signature: str = Field(primary_key=True, max_length=80)
    seen_at: datetime = Field(sa_type=UTCDateTime, index=True)


class JoinRequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class JoinRequest(SQLModel, table=True):
    """Someone added to a group channel by hand who asked to join; they become a member only
    when the group's mentor or a coordinator approves."""

    __tablename__ = "join_request"
    __table_args__ = (UniqueConstraint("group_id", "slack_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="mentor_group.id", index=True)
    slack_user_id: str = Field(max_length=32)
    state: JoinRequestState = Field(
        default=JoinRequestState.PENDING, sa_type=EnumString(JoinRequestState, 16)
    )
    requested_at: datetime = Field(sa_type=UTCDateTime)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RateCount(SQLModel, table=True):
    """How many times a person did one kind of storing action in one window: the flood
    limit's counter, raised by one conditional upsert per action."""

    __tablename__ = "rate_count"

    slack_user_id: str = Field(primary_key=True, max_length=32)
    action: str = Field(primary_key=True, max_length=32)
    window_start: datetime = Field(primary_key=True, sa_type=UTCDateTime)
    count: int = Field(default=0)


class JobFailure(SQLModel, table=True):
    """A scheduled job's failure on one subject (a group, a poll, a meeting, a person), kept
    so the next run retries it and operators can see what keeps failing; the error's class
    only, never its message (which can hold what people wrote)."""

    __tablename__ = "job_failure"

    job: str = Field(primary_key=True, max_length=32)
    subject: str = Field(primary_key=True, max_length=64)
    attempts: int = Field(default=1)
    error: str = Field(max_length=120)
    first_failed_at: datetime = Field(sa_type=UTCDateTime)
    last_failed_at: datetime = Field(sa_type=UTCDateTime)


class PulseRound(SQLModel, table=True):
    """One belonging check-in of a term: at its start, middle or end."""

    __tablename__ = "pulse_round"
    __table_args__ = (UniqueConstraint("term_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    term_id: int = Field(foreign_key="term.id", index=True)
    kind: str = Field(max_length=16)
    """"start", "middle" or "end"."""
    sent_at: datetime = Field(sa_type=UTCDateTime)


class PulseAnswer(SQLModel, table=True):
    """One answer to one statement, with no person, no group and no time: only the round,
    the role (results are per term and role) and the score. Its key is random, so the
    order of rows says nothing about who answered when."""

    __tablename__ = "pulse_answer"

    id: str = Field(primary_key=True, max_length=32)
    round_id: int = Field(foreign_key="pulse_round.id", index=True)
    role: str = Field(max_length=16)
    statement: int
    score: int


class PulseMark(SQLModel, table=True):
    """That someone answered (or skipped) a statement of a round, as an unlinkable marker:
    a keyed hash of the round, the statement and the person, so one click counts once
    without the answer pointing back at anyone."""

    __tablename__ = "pulse_mark"

    round_id: int = Field(foreign_key="pulse_round.id", primary_key=True)
    marker: str = Field(primary_key=True, max_length=64)


class ProposalState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    DISCARDED = "discarded"


class ProposalKind(StrEnum):
    TERM = "term"
    """The term's groups, from `/mentor match`."""
    LATE = "late"
    """One late sign-up added to an existing group."""


class MatchProposal(SQLModel, table=True):
    """Groups proposed for a term, as the coordinator reviews them: a draft until approved
    (once: the approval is one conditional change of state) or replaced by a newer draft."""

    __tablename__ = "match_proposal"

    id: int | None = Field(default=None, primary_key=True)
    term_id: int = Field(foreign_key="term.id", index=True)
    kind: ProposalKind = Field(sa_type=EnumString(ProposalKind, 16))
    state: ProposalState = Field(default=ProposalState.DRAFT, sa_type=EnumString(ProposalState, 16))
    late_user_id: str | None = Field(default=None, max_length=32)
    """For a late proposal: who signed up."""
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=32)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_by: str | None = Field(default=None, max_length=32)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When everything the approval does was done (groups created, people told)."""
    working_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the approval's work last went on: a lease, so an approval cut short by a restart
    is taken up again by a later click, and one still going is not done twice."""


class ProposalGroup(SQLModel, table=True):
    """One group of a proposal: its mentor, its place in the list, whether it is locked, and
    the group it became (or, for a late proposal, the existing group it names)."""

    __tablename__ = "proposal_group"
    __table_args__ = (UniqueConstraint("proposal_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="match_proposal.id", index=True)
    mentor_id: str = Field(max_length=32)
    position: int
    locked: bool = Field(default=False)
    group_id: int | None = Field(default=None, foreign_key="mentor_group.id")
    told_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When its people were told their group after the approval."""


class ProposalSeat(SQLModel, table=True):
    """Where a proposal puts one person: in a group (as a mentee), or left out with the
    reason. A mentor leading groups is named by the groups, not seated."""

    __tablename__ = "proposal_seat"
    __table_args__ = (UniqueConstraint("proposal_id", "slack_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="match_proposal.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="proposal_group.id")
    slack_user_id: str = Field(max_length=32)
    left_out_reason: str | None = Field(default=None, max_length=64)
    told_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When someone left out was told what happens next."""
