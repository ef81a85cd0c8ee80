"""A poll as its message shows it: the dates, who answered what, who is still to answer, and
the result once it is closed."""

from __future__ import annotations

from datetime import timedelta

from bot.blocks.polls import OptionView, PollView, UnansweredDate, no_date_channel_text
from bot.blocks.text import bold, md
from bot.domain.dates import describe_datetime
from bot.domain.polls import Answer, members_yet_to_answer
from bot.runtime import Runtime
from bot.services.polls.loading import StoredPoll, read_poll
from storage.models import PollState


def poll_view(runtime: Runtime, poll_id: int) -> PollView:
    """The poll's message as it should look now."""
    stored = read_poll(runtime, poll_id)
    assert stored is not None
    return draw_poll(stored)


def draw_poll(stored: StoredPoll) -> PollView:
    poll, context = stored.poll, stored.context
    language = context.term.language
    return PollView(
        poll_id=stored.poll_id,
        mentor_id=stored.mentor_id,
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
            for t in stored.tallies()
        ),
        waiting_for=tuple(members_yet_to_answer(stored.options, stored.votes, context.member_ids)),
        result=_result_text(stored),
        where=poll.location,
        none_work=tuple(
            member
            for member in sorted(context.member_ids)
            if all(
                stored.votes.get((option.option_id, member)) == Answer.NO
                for option in stored.options
            )
        ),
    )


def _result_text(stored: StoredPoll) -> str | None:
    if stored.poll.state == PollState.CANCELLED:
        return "This poll was cancelled by the mentor."
    if stored.poll.state != PollState.CLOSED:
        return None
    winner = stored.winner
    if winner is None:
        return no_date_channel_text(stored.mentor_id)
    start = winner.starts_at.astimezone(stored.context.zone)
    return md(
        "📅 The group meets {when} (until {end:%H:%M}).",
        when=bold(describe_datetime(start, stored.context.term.language)),
        end=start + timedelta(minutes=stored.poll.length_minutes),
    )


def unanswered_dates(stored: StoredPoll, user_id: str) -> list[UnansweredDate]:
    """The dates of the poll `user_id` has not answered yet, in time order."""
    language = stored.context.term.language
    return [
        UnansweredDate(
            option_id=option.option_id,
            when=describe_datetime(option.starts_at.astimezone(stored.context.zone), language),
        )
        for option in stored.options
        if (option.option_id, user_id) not in stored.votes
    ]
