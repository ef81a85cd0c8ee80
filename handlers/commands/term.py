"""`/mentor term` and `/mentor term new …`."""

from __future__ import annotations

from bot.blocks.admin import current_term_text, term_started_text
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
