"""A running poll changed by its mentor: a date added (`/mentor poll add WHEN`) or the
deadline moved (`/mentor poll deadline WHEN`), each held to the rules a new poll's dates and
deadline are held to, and the poll's message redrawn by the worker."""

from __future__ import annotations

from bot.domain.dates import DateNotUnderstood, describe_datetime
from bot.domain.errors import FieldError, UserError
from bot.domain.polls import MAX_OPTIONS, reminder_time
from bot.domain.text import shorten
from bot.runtime import Runtime
from bot.services.group_context import GroupContext
from bot.services.polls.drafting import resolve_deadline, understand_meeting_date
from bot.services.polls.loading import StoredPoll, stored_poll
from storage.db import Session, read_session
from storage.ids import stored_id
from storage.polls import add_option, move_deadline, open_polls_of_group

NO_RUNNING_POLL = "Your group has no poll running; start one with `/mentor poll`."


def _running_poll(session: Session, context: GroupContext, poll_id: int | None) -> StoredPoll:
    """The group's open poll `poll_id` (a form opened from its buttons), or its newest open
    poll (a typed command)."""
    polls = open_polls_of_group(session, context.group_id)
    if poll_id is not None:
        polls = [poll for poll in polls if stored_id(poll) == poll_id]
        if not polls:
            raise UserError("That poll is no longer running, so nothing changed.")
    if not polls:
        raise UserError(NO_RUNNING_POLL)
    newest = max(polls, key=lambda poll: poll.opened_at)
    stored = stored_poll(session, stored_id(newest))
    assert stored is not None, "read in the session that found it"
    return stored


NOT_THE_MENTOR = "Changing the poll is up to the group's mentor, so nothing changed."


def poll_mentor_of(runtime: Runtime, *, poll_id: int, user_id: str) -> GroupContext:
    """The group of poll `poll_id` when `user_id` is one of its mentors (the buttons and
    forms that change a poll carry its ID, which is client data)."""
    with read_session(runtime.engine) as session:
        stored = stored_poll(session, poll_id)
    if stored is None:
        raise UserError("That poll no longer exists.")
    if user_id not in stored.context.mentor_ids:
        raise UserError(NOT_THE_MENTOR)
    return stored.context


def running_poll_id(runtime: Runtime, context: GroupContext) -> int | None:
    """The group's running poll, if any (its mentor's controls are shown with its status)."""
    with read_session(runtime.engine) as session:
        polls = open_polls_of_group(session, context.group_id)
    return stored_id(max(polls, key=lambda poll: poll.opened_at)) if polls else None


def add_poll_date(
    runtime: Runtime, context: GroupContext, text: str, *, poll_id: int | None = None
) -> str:
    """Add the date `text` to the group's running poll (`poll_id`, or its newest); what to
    tell the mentor. The command and the "Add a date" form both come here."""
    text = text.strip()
    if not text:
        raise UserError("Give the date to add, like `/mentor poll add fri 14:00`.")
    now = runtime.now()
    try:
        start = understand_meeting_date(context, text, now=now)
    except DateNotUnderstood as error:
        raise UserError(f"“{shorten(text)}”: {error}") from None
    language = context.term.language
    with read_session(runtime.engine) as session:
        running = _running_poll(session, context, poll_id)
    if len(running.options) >= MAX_OPTIONS:
        raise UserError(f"A poll can offer at most {MAX_OPTIONS} dates; this one has them all.")
    if any(option.starts_at == start for option in running.options):
        raise UserError("The poll already offers that date and time.")
    if start < running.poll.deadline:
        raise UserError(
            "That date is before the poll's deadline ("
            + describe_datetime(running.poll.deadline.astimezone(context.zone), language)
            + "), so people would answer too late. Move the deadline first: "
            "`/mentor poll deadline WHEN`."
        )
    poll = running.poll
    added = runtime.write(
        lambda session: add_option(session, poll=poll, starts_at=start, now=now, most=MAX_OPTIONS)
    )
    if not added:
        raise UserError("The poll closed or is full, so the date was not added.")
    runtime.wake_worker()
    return "Added " + describe_datetime(start.astimezone(context.zone), language) + " to the poll."


def move_poll_deadline(
    runtime: Runtime, context: GroupContext, text: str, *, poll_id: int | None = None
) -> str:
    """Move the group's running poll's (`poll_id`, or its newest) deadline to `text`; what
    to tell the mentor. The command and the "Move the deadline" form both come here."""
    text = text.strip()
    if not text:
        raise UserError("Give the new deadline, like `/mentor poll deadline wed 12:00`.")
    now = runtime.now()
    with read_session(runtime.engine) as session:
        running = _running_poll(session, context, poll_id)
    starts = [option.starts_at for option in running.options]
    try:
        # The new poll's rules: understood, ahead, and not after the first date.
        deadline = resolve_deadline(context, text, starts=starts, now=now)
    except FieldError as error:
        raise UserError(error.message) from None
    poll_id = running.poll_id
    due = reminder_time(running.poll.opened_at, deadline)
    moved = runtime.write(
        lambda session: move_deadline(
            session, poll_id=poll_id, deadline=deadline, reminder_due_at=due
        )
    )
    if not moved:
        raise UserError("The poll has closed, so its deadline stays.")
    runtime.wake_worker()
    return (
        "The poll now closes "
        + describe_datetime(deadline.astimezone(context.zone), context.term.language)
        + "."
    )
