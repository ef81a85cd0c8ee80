"""`/mentor digest` and `/mentor pause [group="NAME"] until DAY` (coordinators)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.domain.days import UNTIL_WORDS, parse_day
from bot.domain.errors import UserError
from bot.domain.options import split_options
from bot.i18n import phrase
from bot.services.oversight import pause, send_digest_now
from bot.services.terms import NO_TERM, get_current_term
from handlers.commands.router import Invocation

PAUSE_USAGE = phrase(
    "Say until when: `/mentor pause until 2027-03-15` for the whole term, or "
    '`/mentor pause group="Blue group" until 15/3`.'
)


def digest(invocation: Invocation, *, slack: WebClient) -> None:
    invocation.reply.ephemeral(
        invocation.t.gettext("Sending you this week's digest as a direct message…")
    )
    send_digest_now(invocation.runtime, slack, user_id=invocation.user_id)


def pause_groups(invocation: Invocation) -> None:
    options = split_options(invocation.args, allowed={"group"})
    words = list(options.positional)
    if len(words) != 2 or words[0].lower() not in UNTIL_WORDS:
        raise UserError(PAUSE_USAGE)
    term = get_current_term(invocation.runtime)
    if term is None:
        raise UserError(NO_TERM)
    today = invocation.runtime.now().astimezone(ZoneInfo(term.timezone)).date()
    until = parse_day(words[1], today=today)
    invocation.reply.ephemeral(
        pause(
            invocation.runtime,
            invocation.t,
            group_name=options.named.get("group"),
            until=until,
            user_id=invocation.user_id,
        )
    )
