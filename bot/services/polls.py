"""Availability polls: opening, voting, closing, reminding.

Every state change is decided by the database (a unique vote per member and option, a
conditional open → closed update, an outbox key per announcement), so repeated clicks,
retried deliveries and two bot processes never count or announce anything twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.blocks.polls import (
    OptionView,
    PollView,
    no_date_possible_blocks,
    poll_message_blocks,
    poll_message_text,
    reminder_text,
)
from bot.blocks.text import bold, channel, md
from bot.domain.calendar import meeting_ics
from bot.domain.dates import (
    DateNotUnderstood,
    check_picked_datetime,
    describe_datetime,
    understand_datetime,
)
from bot.domain.errors import UserError
from bot.domain.flood import StoringAction
from bot.domain.polls import (
    Answer,
    PollOption,
    check_deadline,
    check_options,
    choose_winner,
    default_deadline,
    everyone_answered,
    members_yet_to_answer,
    reminder_time,
    tally,
)
from bot.domain.text import shorten
from bot.runtime import Runtime
from bot.services.flood import check_flood
from bot.services.group_context import GroupContext, load_context, mentor_context
from bot.services.job_runs import JobRun
from bot.services.outbox import SEND_LEASE, send_once
from storage.db import read_session, write_session
from storage.groups import group_by_id
from storage.models import Poll, PollOptionRow, PollState
from storage.polls import (
    add_poll,
    claim_redraw,
    closed_polls_not_announced,
    finish_redraw,
    get_poll,
    options_of,
    plan_meeting,
    polls_behind,
    polls_due_a_reminder,
    polls_due_to_close,
    record_vote,
    redraw_version,
    release_redraw,
    set_message,
    transition,
    votes_of,
)

logger = logging.getLogger(__name__)

POLLS_JOB = "polls"

REDRAW_LEASE = timedelta(minutes=2)
"""A redraw taken this long ago and not finished may be taken over (its process died)."""


def poll_mentor_context(
    runtime: Runtime, *, channel_id: str | None, group_id: int | None, user_id: str
) -> GroupContext:
    """The group a mentor is starting a poll for, refusing anyone but its mentor."""
    try:
        return mentor_context(
            runtime,
            user_id=user_id,
            action="start a date poll",
            channel_id=channel_id,
            group_id=group_id,
        )
    except UserError as error:
        if error.message.startswith("Use this"):
            raise UserError("Start a date poll in your mentor group's channel.") from None
        raise


@dataclass
class OptionProblems:
    starts: list[datetime] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def understand_options(
    context: GroupContext, texts: Sequence[str], *, now: datetime
) -> OptionProblems:
    """Each typed option as a date, or a problem naming the option and what to type."""
    result = OptionProblems()
    for number, text in enumerate(texts, start=1):
        try:
            result.starts.append(_understand(context, text, now=now))
        except DateNotUnderstood as error:
            result.problems.append(f"Option {number} “{shorten(text)}”: {error}")
    return result


def _term_window(context: GroupContext) -> tuple[datetime, datetime]:
    """The first and last moment of the group's term, in its time zone."""
    zone = context.zone
    return (
        datetime.combine(context.term.starts_on, datetime.min.time(), tzinfo=zone),
        datetime.combine(context.term.ends_on, datetime.max.time(), tzinfo=zone),
    )


def _understand(context: GroupContext, text: str, *, now: datetime) -> datetime:
    term_start, term_end = _term_window(context)
    return understand_datetime(
        text,
        now=now,
        zone=context.zone,
        languages=context.languages,
        not_before=term_start,
        not_after=term_end,
    )


def check_picked_option(context: GroupContext, moment: datetime, *, now: datetime) -> None:
    """A date picked in the poll form, held to the rules of typed ones: ahead, within a year
    and within the term. A picker's value is client data; a forged one can be any moment."""
    term_start, term_end = _term_window(context)
    try:
        check_picked_datetime(
            moment,
            now=now,
            zone=context.zone,
            language=context.term.language,
            not_before=term_start,
            not_after=term_end,
        )
    except DateNotUnderstood as error:
        raise UserError(f"{error}.") from None


def resolve_deadline(
    context: GroupContext, text: str | None, *, starts: Sequence[datetime], now: datetime
) -> datetime:
    first = min(starts)
    if text is None:
        return default_deadline(now, first)
    try:
        deadline = _understand(context, text, now=now)
    except DateNotUnderstood as error:
        raise UserError(f"Deadline “{shorten(text)}”: {error}") from None
    check_deadline(deadline, now=now, first_option=first)
    return deadline


def store_poll(
    runtime: Runtime,
    context: GroupContext,
    *,
    starts: Sequence[datetime],
    deadline: datetime,
    length_minutes: int,
    user_id: str,
) -> int:
    """Store a new open poll (not yet posted); returns its ID."""
    check_options(starts)
    check_flood(runtime, user_id=user_id, action=StoringAction.START_POLL)
    now = runtime.now()
    group_id = context.group_id
    channel_id = context.group.channel_id
    if channel_id is None:
        raise UserError("The group's channel is still being set up; try again in a minute.")

    def add(session: Session) -> int:
        poll, _ = add_poll(
            session,
            group_id=group_id,
            created_by=user_id,
            channel_id=channel_id,
            starts=list(starts),
            deadline=deadline,
            reminder_due_at=reminder_time(now, deadline),
            length_minutes=length_minutes,
            now=now,
        )
        assert poll.id is not None
        return poll.id

    return runtime.write(add)


def post_poll(runtime: Runtime, client: WebClient, poll_id: int) -> None:
    """Post a stored poll in its group's channel (once: a posted poll is left alone). If Slack
    does not take it, the poll is cancelled and the mentor told why."""
    with read_session(runtime.engine) as session:
        poll = get_poll(session, poll_id)
    if poll is None or poll.message_ts is not None or poll.state != PollState.OPEN.value:
        return
    view = poll_view(runtime, poll_id)
    try:
        posted = client.chat_postMessage(
            channel=poll.channel_id, text=poll_message_text(view), blocks=poll_message_blocks(view)
        )
    except (SlackApiError, OSError):
        logger.warning("could not post poll %s; cancelled it", poll_id, exc_info=True)
        with write_session(runtime.engine) as session:
            transition(
                session,
                poll_id=poll_id,
                from_state=PollState.OPEN,
                state=PollState.CANCELLED.value,
                closed_at=runtime.now(),
                close_reason="not posted",
            )
        raise UserError(
            "Slack did not take the poll message, so nothing was posted. Please try again."
        ) from None
    with write_session(runtime.engine) as session:
        set_message(session, poll_id=poll_id, message_ts=posted["ts"])


@dataclass(frozen=True)
class _StoredPoll:
    """A poll with its group, options and votes, read in one session."""

    poll: Poll
    context: GroupContext
    rows: list[PollOptionRow]
    options: list[PollOption]
    votes: dict[tuple[int, str], Answer]


def _stored_poll(session: Session, poll_id: int) -> _StoredPoll | None:
    poll = get_poll(session, poll_id)
    if poll is None:
        return None
    group = group_by_id(session, poll.group_id)
    assert group is not None
    rows = options_of(session, poll_id)
    return _StoredPoll(
        poll=poll,
        context=load_context(session, group),
        rows=rows,
        options=[PollOption(row.id or 0, row.starts_at) for row in rows],
        votes={key: Answer(answer) for key, answer in votes_of(session, poll_id).items()},
    )


def poll_view(runtime: Runtime, poll_id: int) -> PollView:
    with read_session(runtime.engine) as session:
        stored = _stored_poll(session, poll_id)
    assert stored is not None
    poll, context, options, votes = stored.poll, stored.context, stored.options, stored.votes
    language = context.term.language
    tallies = tally(options, votes, context.member_ids)
    return PollView(
        poll_id=poll_id,
        mentor_id=context.mentor_ids[0] if context.mentor_ids else poll.created_by,
        state=poll.state,
        deadline=describe_datetime(poll.deadline.astimezone(context.zone), language),
        length_minutes=poll.length_minutes,
        options=tuple(
            OptionView(
                option_id=t.option.option_id,
                when=describe_datetime(t.option.starts_at.astimezone(context.zone), language),
                yes=t.yes,
                if_need_be=t.if_need_be,
                no=t.no,
                is_winner=t.option.option_id == poll.winner_option_id,
            )
            for t in tallies
        ),
        waiting_for=tuple(members_yet_to_answer(options, votes, context.member_ids)),
        result=_result_text(poll, context, stored.rows),
    )


def _result_text(poll: Poll, context: GroupContext, options: Sequence[PollOptionRow]) -> str | None:
    if poll.state == PollState.CANCELLED.value:
        return "This poll was cancelled by the mentor."
    if poll.state != PollState.CLOSED.value:
        return None
    winner = next((o for o in options if o.id == poll.winner_option_id), None)
    if winner is None:
        return "No date works for everyone who must be there; the mentor will suggest new dates."
    start = winner.starts_at.astimezone(context.zone)
    return md(
        "📅 The group meets {when}.", when=bold(describe_datetime(start, context.term.language))
    )


def store_vote(
    runtime: Runtime, *, poll_id: int, option_id: int, user_id: str, answer: Answer
) -> bool:
    """Store a member's answer (the last click counts) and leave the tally's redraw to the
    worker; False if nothing was stored (see `why_vote_refused`). Done before the click is
    acknowledged, so an acknowledged vote is a stored vote even if the process dies the next
    moment; it is one statement, committed together with the other clicks of the moment."""
    now = runtime.now()
    stored = runtime.write(
        lambda session: record_vote(
            session,
            poll_id=poll_id,
            option_id=option_id,
            user_id=user_id,
            answer=answer.value,
            now=now,
        )
    )
    if stored:
        runtime.wake_worker()
    return stored


def why_vote_refused(runtime: Runtime, *, poll_id: int, option_id: int, user_id: str) -> str:
    """What to tell someone whose click `store_vote` did not store."""
    with read_session(runtime.engine) as session:
        poll = get_poll(session, poll_id)
        if poll is None:
            return "That poll no longer exists."
        group = group_by_id(session, poll.group_id)
        assert group is not None
        context = load_context(session, group)
        options = options_of(session, poll_id)
    if user_id not in context.member_ids:
        return "Only members of this mentor group can answer its date poll."
    if poll.state != PollState.OPEN.value:
        return "This poll is closed; your answer was not recorded."
    if option_id not in {o.id for o in options}:
        return "That button is out of date; please use the poll message."
    return "Your answer could not be recorded; please click again."


def redraw_polls_behind(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> int:
    """Redraw every poll message that is behind what is stored; returns how many. Each poll
    on its own: one that fails is recorded in `run`, and stays due for the next pass."""
    run = run or JobRun(runtime, POLLS_JOB)
    with read_session(runtime.engine) as session:
        behind = polls_behind(session, claimable_before=runtime.now() - REDRAW_LEASE)
    return sum(
        bool(
            run.attempt(
                f"poll:{poll_id}", lambda poll_id=poll_id: redraw_poll(runtime, client, poll_id)
            )
        )
        for poll_id in behind
    )


def redraw_poll(
    runtime: Runtime, client: WebClient, poll_id: int, *, lease: timedelta = REDRAW_LEASE
) -> bool:
    """Bring a poll's message up to date with what is stored, closing the poll first if
    everyone has answered; False if another worker has it or Slack failed (the redraw stays
    due and the next pass tries again)."""
    now = runtime.now()
    with write_session(runtime.engine) as session:
        version = claim_redraw(session, poll_id=poll_id, now=now, claimable_before=now - lease)
    if version is None:
        return False
    try:
        if close_if_everyone_answered(runtime, client, poll_id):
            # Closing changed the message again; what is drawn next shows that too.
            with read_session(runtime.engine) as session:
                version = redraw_version(session, poll_id=poll_id) or version
        view = poll_view(runtime, poll_id)
        with read_session(runtime.engine) as session:
            poll = get_poll(session, poll_id)
        if poll is not None and poll.message_ts is not None:
            client.chat_update(
                channel=poll.channel_id,
                ts=poll.message_ts,
                text=poll_message_text(view),
                blocks=poll_message_blocks(view),
            )
    except (SlackApiError, OSError):
        logger.warning("could not redraw poll %s; will try again", poll_id, exc_info=True)
        with write_session(runtime.engine) as session:
            release_redraw(session, poll_id=poll_id)
        return False
    except BaseException:
        with write_session(runtime.engine) as session:
            release_redraw(session, poll_id=poll_id)
        raise
    with write_session(runtime.engine) as session:
        finish_redraw(session, poll_id=poll_id, version=version)
    return True


def close_if_everyone_answered(runtime: Runtime, client: WebClient, poll_id: int) -> bool:
    """Close an open poll that every member has answered, and announce the result; True if
    this call closed it."""
    return _everyone_answered(runtime, poll_id) and close_poll(
        runtime, client, poll_id, reason="everyone answered"
    )


def _everyone_answered(runtime: Runtime, poll_id: int) -> bool:
    with read_session(runtime.engine) as session:
        stored = _stored_poll(session, poll_id)
    if stored is None or stored.poll.state != PollState.OPEN.value:
        return False
    return everyone_answered(stored.options, stored.votes, stored.context.member_ids)


def close_poll(
    runtime: Runtime, client: WebClient, poll_id: int, *, reason: str, announce: bool = True
) -> bool:
    """Close an open poll and announce the result (unless not `announce`: the caller
    does); False if it was no longer open."""
    now = runtime.now()
    with write_session(runtime.engine) as session:
        stored = _stored_poll(session, poll_id)
        if stored is None or stored.poll.state != PollState.OPEN.value:
            return False
        poll, context = stored.poll, stored.context
        mentor_id = context.mentor_ids[0] if context.mentor_ids else poll.created_by
        winner = choose_winner(
            tally(stored.options, stored.votes, context.member_ids), mentor_id=mentor_id
        )
        if not transition(
            session,
            poll_id=poll_id,
            from_state=PollState.OPEN,
            state=PollState.CLOSED.value,
            closed_at=now,
            winner_option_id=winner.option_id if winner else None,
            close_reason=reason,
        ):
            return False
        if winner is not None:
            plan_meeting(
                session,
                group_id=poll.group_id,
                poll_id=poll_id,
                starts_at=winner.starts_at,
                ends_at=winner.starts_at + timedelta(minutes=poll.length_minutes),
                now=now,
            )
    logger.info("poll %s closed (%s)", poll_id, reason)
    runtime.wake_worker()
    if announce:
        announce_result(runtime, client, poll_id)
    return True


def announce_result(
    runtime: Runtime, client: WebClient, poll_id: int, *, raise_errors: bool = False
) -> bool:
    """Show a closed poll as closed and tell the channel the result, once. Worked out from
    what is stored, so the poll job can finish an announcement a failure interrupted;
    `raise_errors` as in `send_once`."""
    with read_session(runtime.engine) as session:
        poll = get_poll(session, poll_id)
        if poll is None or poll.state != PollState.CLOSED.value:
            return False
        group = group_by_id(session, poll.group_id)
        assert group is not None
        context = load_context(session, group)
        winner_row = next(
            (o for o in options_of(session, poll_id) if o.id == poll.winner_option_id), None
        )
    winner = PollOption(winner_row.id or 0, winner_row.starts_at) if winner_row else None
    return send_once(
        runtime,
        kind="poll_result",
        key=str(poll_id),
        send=lambda: _announce(runtime, client, poll, context, winner, context.mentor_id),
        raise_errors=raise_errors,
    )


def _announce(
    runtime: Runtime,
    client: WebClient,
    poll: Poll,
    context: GroupContext,
    winner: PollOption | None,
    mentor_id: str,
) -> None:
    channel_id = poll.channel_id
    assert context.group.id is not None
    if winner is None:
        client.chat_postMessage(
            channel=channel_id,
            text="No date in the poll works for everyone; the mentor will suggest new dates.",
            blocks=no_date_possible_blocks(mentor_id=mentor_id, group_id=context.group.id),
        )
        return
    start = winner.starts_at.astimezone(context.zone)
    end = start + timedelta(minutes=poll.length_minutes)
    when = describe_datetime(start, context.term.language)
    ics = meeting_ics(
        uid=f"mentorbot-poll-{poll.id}@{context.group.channel_id}",
        title=f"Mentor group: {context.group.name}",
        starts_at=start,
        ends_at=end,
        location=f"#{context.group.channel_name or 'mentor-group'}",
        description="Your mentor group's meeting, chosen by the date poll in Slack.",
        zone=context.zone,
        stamp=runtime.now(),
    )
    client.files_upload_v2(
        channel=channel_id,
        content=ics,
        filename="mentor-group-meeting.ics",
        title=f"{context.group.name}: {when}",
        initial_comment=(
            f"📅 The date is set: the group meets *{when}* (until {end:%H:%M}). "
            "Open the attached file to add it to your calendar."
        ),
    )


def cancel_poll(runtime: Runtime, *, poll_id: int, user_id: str) -> None:
    with write_session(runtime.engine) as session:
        poll = get_poll(session, poll_id)
        if poll is None:
            raise UserError("That poll no longer exists.")
        group = group_by_id(session, poll.group_id)
        assert group is not None
        if user_id not in load_context(session, group).mentor_ids:
            raise UserError("Only the group's mentor can cancel its poll.")
        if not transition(
            session,
            poll_id=poll_id,
            from_state=PollState.OPEN,
            state=PollState.CANCELLED.value,
            closed_at=runtime.now(),
            close_reason="cancelled",
        ):
            raise UserError("This poll is already closed.")
    runtime.wake_worker()


def close_by_mentor(runtime: Runtime, client: WebClient, *, poll_id: int, user_id: str) -> None:
    with read_session(runtime.engine) as session:
        poll = get_poll(session, poll_id)
        group = group_by_id(session, poll.group_id) if poll else None
        if poll is None or group is None:
            raise UserError("That poll no longer exists.")
        if user_id not in load_context(session, group).mentor_ids:
            raise UserError("Only the group's mentor can close the poll early.")
    if not close_poll(runtime, client, poll_id, reason="closed by the mentor"):
        raise UserError("This poll is already closed.")


ANNOUNCE_RETRY_WINDOW = timedelta(days=7)
"""How long after closing a result that could not be sent is still tried again."""


@dataclass
class JobReport:
    closed: int = 0
    announced: int = 0
    """Results of polls closed earlier whose announcement failed and was sent now."""
    reminded: int = 0
    redrawn: int = 0
    failed: int = 0
    """Polls or reminders that failed (recorded in `job_failure`, retried next run)."""

    def __str__(self) -> str:
        return (
            f"closed {self.closed} polls, finished {self.announced} earlier announcements, "
            f"sent {self.reminded} poll reminders, redrew {self.redrawn} poll messages"
        ) + (f"; {self.failed} failed, retried next run" if self.failed else "")


def run_poll_job(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> JobReport:
    """Close polls past their deadline and remind members halfway to it; safe to run twice.
    Each poll (and each member's reminder) on its own: one that fails is recorded in `run`
    and stays due (open, unannounced or unreminded) for the next run."""
    run = run or JobRun(runtime, POLLS_JOB)
    report = JobReport()
    now = runtime.now()
    with read_session(runtime.engine) as session:
        due_to_close = polls_due_to_close(session, now=now)
        due_a_reminder = polls_due_a_reminder(session, now=now)
        unannounced = closed_polls_not_announced(
            session, since=now - ANNOUNCE_RETRY_WINDOW, stale_before=now - SEND_LEASE
        )
    for poll_id in due_to_close:

        def close(poll_id: int = poll_id) -> None:
            if close_poll(runtime, client, poll_id, reason="deadline", announce=False):
                # Counted once closed: a failed announcement is the next run's to finish.
                report.closed += 1
                announce_result(runtime, client, poll_id, raise_errors=True)

        run.attempt(f"poll:{poll_id}", close)
    for poll_id in unannounced:
        report.announced += bool(
            run.attempt(
                f"poll:{poll_id}",
                lambda poll_id=poll_id: announce_result(
                    runtime, client, poll_id, raise_errors=True
                ),
            )
        )
    for poll_id in due_a_reminder:
        report.reminded += _remind(runtime, client, poll_id, run)
    report.redrawn = redraw_polls_behind(runtime, client, run)
    report.failed = len(run.failed)
    return report


def _remind(runtime: Runtime, client: WebClient, poll_id: int, run: JobRun) -> int:
    """Remind each member yet to answer, each on their own (one person's DM failing must
    not keep the reminder from the others)."""
    view = run.attempt(f"poll:{poll_id}", lambda: poll_view(runtime, poll_id))
    if view is None:
        return 0
    with read_session(runtime.engine) as session:
        poll = get_poll(session, poll_id)
        group = group_by_id(session, poll.group_id) if poll else None
    if poll is None or group is None:
        return 0
    sent = 0
    for user_id in view.waiting_for:

        def remind(user_id: str = user_id) -> bool:
            text = reminder_text(
                group_name=group.name,
                deadline=view.deadline,
                permalink_hint=channel(poll.channel_id),
            )
            return send_once(
                runtime,
                kind="poll_reminder",
                key=f"{poll_id}:{user_id}",
                send=lambda: client.chat_postMessage(channel=user_id, text=text),
                raise_errors=True,
            )

        sent += bool(run.attempt(f"poll:{poll_id}:{user_id}", remind))
    return sent
