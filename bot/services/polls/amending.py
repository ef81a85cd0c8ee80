"""A running poll changed by its mentor: a date added (`/mentor poll add WHEN`) or the
deadline moved (`/mentor poll deadline WHEN`), each held to the rules a new poll's dates and
deadline are held to, and the poll's message redrawn by the worker."""

from __future__ import annotations

from bot.blocks.text import Mrkdwn, md
from bot.domain.dates import DateNotUnderstood
from bot.domain.errors import FieldError, UserError
from bot.domain.polls import MAX_OPTIONS, reminder_time
from bot.domain.text import shorten
from bot.i18n import Translator, nphrase, phrase
from bot.runtime import Runtime
from bot.services.group_context import GroupContext
from bot.services.polls.drafting import (
    date_problem,
    resolve_deadline,
    reworded,
    understand_meeting_date,
)
from bot.services.polls.loading import StoredPoll, stored_poll
from storage.db import Session, read_session
from storage.ids import stored_id
from storage.polls import add_option, move_deadline, open_polls_of_group

NO_RUNNING_POLL = phrase("Your group has no poll running; start one with `/mentor poll`.")


def _running_poll(session: Session, context: GroupContext, poll_id: int | None) -> StoredPoll:
    """The group's open poll `poll_id` (a form opened from its buttons), or its newest open
    poll (a typed command)."""
    polls = open_polls_of_group(session, context.group_id)
    if poll_id is not None:
        polls = [poll for poll in polls if stored_id(poll) == poll_id]
        if not polls:
            raise UserError(phrase("That poll is no longer running, so nothing changed."))
    if not polls:
        raise UserError(NO_RUNNING_POLL)
    newest = max(polls, key=lambda poll: poll.opened_at)
    stored = stored_poll(session, stored_id(newest))
    assert stored is not None, "read in the session that found it"
    return stored


NOT_THE_MENTOR = phrase("Changing the poll is up to the group's mentor, so nothing changed.")


def poll_mentor_of(runtime: Runtime, *, poll_id: int, user_id: str) -> GroupContext:
    """The group of poll `poll_id` when `user_id` is one of its mentors (the buttons and
    forms that change a poll carry its ID, which is client data)."""
    with read_session(runtime.engine) as session:
        stored = stored_poll(session, poll_id)
    if stored is None:
        raise UserError(phrase("That poll no longer exists."))
    if user_id not in stored.context.mentor_ids:
        raise UserError(NOT_THE_MENTOR)
    return stored.context


def running_poll_id(runtime: Runtime, context: GroupContext) -> int | None:
    """The group's running poll, if any (its mentor's controls are shown with its status)."""
    with read_session(runtime.engine) as session:
        polls = open_polls_of_group(session, context.group_id)
    return stored_id(max(polls, key=lambda poll: poll.opened_at)) if polls else None


def add_poll_date(
    runtime: Runtime,
    context: GroupContext,
    text: str,
    *,
    t: Translator,
    poll_id: int | None = None,
) -> Mrkdwn:
    """Add the date `text` to the group's running poll (`poll_id`, or its newest); what to
    tell the mentor, in their language (`t`). The command and the "Add a date" form both
    come here."""
    text = text.strip()
    if not text:
        raise UserError(phrase("Give the date to add, like `/mentor poll add fri 14:00`."))
    now = runtime.now()
    try:
        start = understand_meeting_date(context, text, now=now)
    except DateNotUnderstood as error:
        raise UserError(
            phrase("“{text}”: {problem}", text=shorten(text), problem=date_problem(error))
        ) from None
    with read_session(runtime.engine) as session:
        running = _running_poll(session, context, poll_id)
    if len(running.options) >= MAX_OPTIONS:
        raise UserError(
            nphrase(
                "A poll can offer at most {count} date; this one has them all.",
                "A poll can offer at most {count} dates; this one has them all.",
                MAX_OPTIONS,
            )
        )
    if any(option.starts_at == start for option in running.options):
        raise UserError(phrase("The poll already offers that date and time."))
    if start < running.poll.deadline:
        raise UserError(
            phrase(
                "That date is before the poll's deadline ({deadline}), so people would answer "
                "too late. Move the deadline first: `/mentor poll deadline WHEN`.",
                deadline=t.moment(running.poll.deadline.astimezone(context.zone)),
            )
        )
    poll = running.poll
    added = runtime.write(
        lambda session: add_option(session, poll=poll, starts_at=start, now=now, most=MAX_OPTIONS)
    )
    if not added:
        raise UserError(phrase("The poll closed or is full, so the date was not added."))
    runtime.wake_worker()
    return md(t.gettext("Added {when} to the poll."), when=t.moment(start.astimezone(context.zone)))


def move_poll_deadline(
    runtime: Runtime,
    context: GroupContext,
    text: str,
    *,
    t: Translator,
    poll_id: int | None = None,
) -> Mrkdwn:
    """Move the group's running poll's (`poll_id`, or its newest) deadline to `text`; what
    to tell the mentor, in their language (`t`). The command and the "Move the deadline"
    form both come here."""
    text = text.strip()
    if not text:
        raise UserError(phrase("Give the new deadline, like `/mentor poll deadline wed 12:00`."))
    now = runtime.now()
    with read_session(runtime.engine) as session:
        running = _running_poll(session, context, poll_id)
    starts = [option.starts_at for option in running.options]
    try:
        # The new poll's rules: understood, ahead, and not after the first date.
        deadline = resolve_deadline(context, text, starts=starts, now=now)
    except FieldError as error:
        raise UserError(reworded(error)) from None
    poll_id = running.poll_id
    due = reminder_time(running.poll.opened_at, deadline)
    moved = runtime.write(
        lambda session: move_deadline(
            session, poll_id=poll_id, deadline=deadline, reminder_due_at=due
        )
    )
    if not moved:
        raise UserError(phrase("The poll has closed, so its deadline stays."))
    runtime.wake_worker()
    return md(
        t.gettext("The poll now closes {when}."), when=t.moment(deadline.astimezone(context.zone))
    )
