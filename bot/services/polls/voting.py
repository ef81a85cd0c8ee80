"""A member's answer to a date, stored before the click is acknowledged, and what to tell
them when it could not be."""

from __future__ import annotations

from bot.domain.polls import Answer
from bot.i18n import Phrase, phrase
from bot.runtime import Runtime
from bot.services.polls.loading import read_poll
from storage.polls import record_none_works, record_vote


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


def store_none_works(runtime: Runtime, *, poll_id: int, user_id: str) -> bool:
    """A member's "none of these work for me": "no" to every date of the poll, stored before
    the click is acknowledged as a vote is; False if nothing was stored (see
    `why_vote_refused`)."""
    now = runtime.now()
    stored = runtime.write(
        lambda session: record_none_works(session, poll_id=poll_id, user_id=user_id, now=now)
    )
    if stored:
        runtime.wake_worker()
    return stored


OUT_OF_DATE = phrase("That button is out of date; please use the poll message.")


def why_vote_refused(
    runtime: Runtime, *, poll_id: int, option_id: int | None, user_id: str
) -> Phrase:
    """What to tell someone whose click `store_vote` did not store (said in their language
    by the listener)."""
    stored = read_poll(runtime, poll_id)
    if stored is None:
        return phrase("That poll no longer exists.")
    if user_id not in stored.context.member_ids:
        return phrase("Only members of this mentor group can answer its date poll.")
    if not stored.is_open:
        return phrase("This poll is closed; your answer was not recorded.")
    if option_id is not None and stored.option_row(option_id) is None:
        return OUT_OF_DATE
    return phrase("Your answer could not be recorded; please click again.")
