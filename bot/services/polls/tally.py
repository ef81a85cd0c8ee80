"""A poll as its message shows it: the dates, who answered what, who is still to answer, and
the result once it is closed."""

from __future__ import annotations

from datetime import timedelta

from bot.blocks.polls import OptionView, PollView, UnansweredDate, no_date_channel_text
from bot.blocks.text import bold, md
from bot.domain.polls import Answer, members_yet_to_answer
from bot.i18n import Translator
from bot.runtime import Runtime
from bot.services.polls.loading import StoredPoll, read_poll
from storage.models import PollState


def poll_view(runtime: Runtime, poll_id: int) -> PollView:
    """The poll's message as it should look now."""
    stored = read_poll(runtime, poll_id)
    assert stored is not None
    return draw_poll(stored)


def draw_poll(stored: StoredPoll) -> PollView:
    """The poll as its channel reads it: dates and result in the term's language."""
    poll, context = stored.poll, stored.context
    t = context.t
    return PollView(
        poll_id=stored.poll_id,
        mentor_id=stored.mentor_id,
        state=poll.state,
        deadline=t.moment(poll.deadline.astimezone(context.zone)),
        length_minutes=poll.length_minutes,
        options=tuple(
            OptionView(
                option_id=option.option.option_id,
                when=t.moment(option.option.starts_at.astimezone(context.zone)),
                yes=option.yes,
                if_need_be=option.if_need_be,
                no=option.no,
                is_winner=option.option.option_id == poll.winner_option_id,
            )
            for option in stored.tallies()
        ),
        waiting_for=tuple(members_yet_to_answer(stored.options, stored.votes, context.member_ids)),
        result=_result_text(stored, t),
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


def _result_text(stored: StoredPoll, t: Translator) -> str | None:
    if stored.poll.state == PollState.CANCELLED:
        return t.gettext("This poll was cancelled by the mentor.")
    if stored.poll.state != PollState.CLOSED:
        return None
    winner = stored.winner
    if winner is None:
        return no_date_channel_text(t, stored.mentor_id)
    start = winner.starts_at.astimezone(stored.context.zone)
    return md(
        t.gettext("📅 The group meets {when} (until {end})."),
        when=bold(t.moment(start)),
        end=t.clock(start + timedelta(minutes=stored.poll.length_minutes)),
    )


def unanswered_dates(stored: StoredPoll, user_id: str, t: Translator) -> list[UnansweredDate]:
    """The dates of the poll `user_id` has not answered yet, in time order, written in
    their language (`t`)."""
    return [
        UnansweredDate(
            option_id=option.option_id,
            when=t.moment(option.starts_at.astimezone(stored.context.zone)),
        )
        for option in stored.options
        if (option.option_id, user_id) not in stored.votes
    ]
