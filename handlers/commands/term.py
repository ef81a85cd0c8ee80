"""`/mentor term`, `/mentor term new …` and `/mentor term close`."""

from __future__ import annotations

from bot.blocks.admin import current_term_text, term_started_text
from bot.blocks.closing import already_closed_text, close_question_blocks, close_question_text
from bot.services.closing import term_to_close
from bot.services.terms import NO_TERM, get_current_term, start_term
from handlers.commands.router import Invocation


def show_term(invocation: Invocation) -> None:
    term = get_current_term(invocation.runtime)
    t = invocation.t
    invocation.reply.ephemeral(current_term_text(t, term) if term else NO_TERM.say(t))


def new_term(invocation: Invocation) -> None:
    term, previous = start_term(
        invocation.runtime, words=invocation.args, user_id=invocation.user_id
    )
    invocation.reply.ephemeral(term_started_text(invocation.t, term, previous))


def close_term(invocation: Invocation) -> None:
    """Asks first: closing sends the term's goodbyes and cannot be undone."""
    term = term_to_close(invocation.runtime)
    t = invocation.t
    if term.closed_on is not None:
        invocation.reply.ephemeral(
            already_closed_text(t, term_name=term.name, closed_on=term.closed_on)
        )
        return
    text = close_question_text(t, term_name=term.name, archive_after_days=term.archive_after_days)
    invocation.reply.ephemeral(text, close_question_blocks(t, text=text, term_id=term.term_id))
