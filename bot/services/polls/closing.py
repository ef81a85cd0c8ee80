"""A poll's end: closed when everyone answered, at its deadline or by the mentor, its result
announced once (with an .ics of the meeting it chose); or cancelled by the mentor."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk import WebClient

from bot.blocks.polls import (
    CandidateView,
    no_date_choice_blocks,
    place_line,
    poll_message_blocks,
    poll_message_text,
)
from bot.blocks.text import bold, md, message_text
from bot.domain.calendar import (
    meeting_ics,
    meeting_summary,
    meeting_uid,
    poll_meeting_description,
)
from bot.domain.errors import UserError
from bot.domain.polls import best_candidates, choose_winner, everyone_answered
from bot.i18n import Translator, phrase
from bot.runtime import Runtime
from bot.services.language import reader
from bot.services.outbox import send_once
from bot.services.polls.loading import StoredPoll, read_poll, stored_poll
from bot.services.polls.tally import draw_poll
from storage.db import write_session
from storage.models import PollState
from storage.polls import (
    cancel_open_poll,
    close_open_poll,
    pick_winner,
    result_key,
    set_message,
)

logger = logging.getLogger(__name__)

NOT_THE_MENTOR = phrase(
    "Closing or cancelling the poll is up to the group's mentor, so nothing changed. "
    "To answer, click Yes, If need be or No on each date in the poll."
)
NO_SUCH_POLL = phrase("That poll no longer exists.")
ALREADY_CLOSED = phrase("This poll is already closed.")


def close_if_everyone_answered(runtime: Runtime, client: WebClient, poll_id: int) -> bool:
    """Close an open poll that every member has answered, and announce the result; True if
    this call closed it."""
    stored = read_poll(runtime, poll_id)
    if stored is None or not stored.is_open:
        return False
    return everyone_answered(
        stored.options, stored.votes, stored.context.member_ids
    ) and close_poll(runtime, client, poll_id, reason="everyone answered")


def close_poll(
    runtime: Runtime, client: WebClient, poll_id: int, *, reason: str, announce: bool = True
) -> bool:
    """Close an open poll and announce the result (unless not `announce`: the caller
    does); False if it was no longer open."""
    now = runtime.now()
    with write_session(runtime.engine) as session:
        # Read in the closing transaction: the winner is chosen from the votes it closes on.
        stored = stored_poll(session, poll_id)
        if stored is None or not stored.is_open:
            return False
        winner = choose_winner(stored.tallies(), mentor_id=stored.mentor_id)
        if not close_open_poll(
            session,
            poll=stored.poll,
            winner=stored.option_row(winner.option_id) if winner else None,
            now=now,
            reason=reason,
        ):
            return False
    logger.info("poll %s closed (%s)", poll_id, reason)
    runtime.wake_worker()
    if announce:
        announce_result(runtime, client, poll_id)
    return True


def announce_result(
    runtime: Runtime, client: WebClient, poll_id: int, *, raise_errors: bool = False
) -> bool:
    """Show a closed poll as closed and tell the channel the result, once (and once more for
    a date the mentor picked after it closed without one: its own outbox key). Worked out
    from what is stored, so the poll job can finish an announcement a failure interrupted;
    `raise_errors` as in `send_once`. When no date worked, the mentor also gets a private
    choice of the best dates, once."""
    stored = read_poll(runtime, poll_id)
    if stored is None or stored.poll.state != PollState.CLOSED:
        return False
    announced = send_once(
        runtime,
        kind="poll_result",
        key=result_key(poll_id, stored.poll.close_reason),
        send=lambda: _announce(runtime, client, stored),
        raise_errors=raise_errors,
    )
    if stored.winner is None:
        send_once(
            runtime,
            kind="poll_choice",
            key=str(poll_id),
            send=lambda: _offer_choice(client, stored, reader(runtime, stored.mentor_id)),
            raise_errors=raise_errors,
        )
    return announced


def _offer_choice(client: WebClient, stored: StoredPoll, t: Translator) -> None:
    """The mentor's private choice of the best dates, each with its tally and "Pick it",
    in the mentor's language (`t`)."""
    context = stored.context
    members = set(context.member_ids)
    candidates = [
        CandidateView(
            poll_id=stored.poll_id,
            option_id=option.option.option_id,
            when=t.moment(option.option.starts_at.astimezone(context.zone)),
            yes=len(option.yes),
            if_need_be=len(option.if_need_be),
            no=len(option.no),
            unanswered=len(members - {*option.yes, *option.if_need_be, *option.no}),
        )
        for option in best_candidates(stored.tallies())
    ]
    blocks = no_date_choice_blocks(
        t, group_id=context.group_id, group_name=context.group.name, candidates=candidates
    )
    client.chat_postMessage(
        channel=stored.mentor_id,
        text=message_text(
            md(
                t.gettext("No date worked for everyone in {name}'s poll: pick one?"),
                name=context.group.name,
            )
        ),
        blocks=blocks,
    )


def _announce(runtime: Runtime, client: WebClient, stored: StoredPoll) -> None:
    """The poll's own message becomes its result (one message in the channel, not a second
    announcement), and a date's calendar file goes in that message's thread: Slack shares a
    file only as a message of its own, and a reply keeps it with the result instead of
    telling the channel the outcome twice. Both steps can be repeated safely (the update
    draws what is stored; the outbox sends the file once)."""
    poll, context, winner = stored.poll, stored.context, stored.winner
    result_ts = _show_result(runtime, client, stored)
    if winner is None:
        return
    # The file, its comment and the calendar event in the channel's language.
    t = context.t
    start = winner.starts_at.astimezone(context.zone)
    end = start + timedelta(minutes=poll.length_minutes)
    when = t.moment(start)
    ics = meeting_ics(
        uid=meeting_uid(
            poll_id=stored.poll_id, meeting_id=0, channel_id=context.group.channel_id or ""
        ),
        title=meeting_summary(t, context.group.name),
        starts_at=start,
        ends_at=end,
        location=poll.location or channel_place(context.group.channel_name),
        description=poll_meeting_description(t),
        zone=context.zone,
        stamp=runtime.now(),
        t=t,
    )
    client.files_upload_v2(
        channel=poll.channel_id,
        thread_ts=result_ts,
        content=ics,
        # TRANSLATORS: the calendar file's name people see in Slack: lowercase, no spaces.
        filename=t.gettext("mentor-group-meeting.ics"),
        title=f"{context.group.name}: {when}",
        initial_comment=_calendar_comment(t, when, poll.location),
    )


def _calendar_comment(t: Translator, when: str, where: str | None) -> str:
    """The calendar file's comment in the result's thread, naming the place if there is one."""
    if where:
        return md(
            t.gettext(
                "📅 Calendar file for {when} ({place}): open it to add the meeting to your "
                "calendar."
            ),
            when=bold(when),
            place=place_line(where, t=t),
        )
    return md(
        t.gettext("📅 Calendar file for {when}: open it to add the meeting to your calendar."),
        when=bold(when),
    )


def _show_result(runtime: Runtime, client: WebClient, stored: StoredPoll) -> str:
    """The poll's message redrawn as its result; the message's ts. A poll without a posted
    message gets the result as a message of its own, stored as the poll's message (so a
    retry updates it rather than posting again)."""
    view, t = draw_poll(stored), stored.context.t
    text, blocks = poll_message_text(t, view), poll_message_blocks(t, view)
    if stored.poll.message_ts is not None:
        client.chat_update(
            channel=stored.poll.channel_id, ts=stored.poll.message_ts, text=text, blocks=blocks
        )
        return stored.poll.message_ts
    posted = client.chat_postMessage(channel=stored.poll.channel_id, text=text, blocks=blocks)
    ts = str(posted["ts"])
    with write_session(runtime.engine) as session:
        set_message(session, poll_id=stored.poll_id, message_ts=ts)
    return ts


def channel_place(channel_name: str | None) -> str:
    """The calendar's LOCATION when the mentor named no place: the group's channel."""
    return f"#{channel_name or 'mentor-group'}"


def cancel_poll(runtime: Runtime, *, poll_id: int, user_id: str) -> None:
    """The mentor cancels an open poll: no date is chosen, the votes are kept."""
    with write_session(runtime.engine) as session:
        stored = stored_poll(session, poll_id)
        if stored is None:
            raise UserError(NO_SUCH_POLL)
        if user_id not in stored.context.mentor_ids:
            raise UserError(NOT_THE_MENTOR)
        if not cancel_open_poll(session, poll_id=poll_id, now=runtime.now(), reason="cancelled"):
            raise UserError(ALREADY_CLOSED)
    runtime.wake_worker()


def close_by_mentor(runtime: Runtime, client: WebClient, *, poll_id: int, user_id: str) -> None:
    """The mentor closes an open poll before its deadline; the result is announced."""
    stored = read_poll(runtime, poll_id)
    if stored is None:
        raise UserError(NO_SUCH_POLL)
    if user_id not in stored.context.mentor_ids:
        raise UserError(NOT_THE_MENTOR)
    if not close_poll(runtime, client, poll_id, reason="closed by the mentor"):
        raise UserError(ALREADY_CLOSED)


@dataclass(frozen=True)
class PickedDate:
    """What the mentor is told after picking: the group and the date, written for them."""

    group_name: str
    when: str


def pick_date(
    runtime: Runtime,
    client: WebClient,
    *,
    poll_id: int,
    option_id: int,
    user_id: str,
    t: Translator,
) -> PickedDate:
    """The mentor picks one of the dates of a poll that closed without one: the meeting is
    planned and announced as a winning date is (with its .ics). Only the group's mentor, and
    only once: a second pick changes nothing and says which date is set. The date is
    written in the mentor's language (`t`)."""
    with write_session(runtime.engine) as session:
        stored = stored_poll(session, poll_id)
        if stored is None:
            raise UserError(NO_SUCH_POLL)
        if user_id not in stored.context.mentor_ids:
            raise UserError(
                phrase("Picking the date is up to the group's mentor, so nothing changed.")
            )
        if stored.winner is not None:
            raise UserError(
                phrase(
                    "A date is already set for that poll ({when}); nothing changed.",
                    when=t.moment(stored.winner.starts_at.astimezone(stored.context.zone)),
                )
            )
        if stored.poll.state != PollState.CLOSED:
            raise UserError(phrase("That poll is not closed with dates to pick from."))
        option = stored.option_row(option_id)
        if option is None:
            raise UserError(phrase("That button is out of date; please use the latest message."))
        if not pick_winner(session, poll=stored.poll, option=option, now=runtime.now()):
            # Another click picked a date between the read and this update.
            raise UserError(phrase("A date is already set for that poll; nothing changed."))
        picked = PickedDate(
            group_name=stored.context.group.name,
            when=t.moment(option.starts_at.astimezone(stored.context.zone)),
        )
    runtime.wake_worker()
    announce_result(runtime, client, poll_id)
    return picked
