"""`/mentor help`, and the answer to `/mentor` alone or an unknown subcommand."""

from __future__ import annotations

from bot.blocks.help import help_blocks, help_text
from bot.blocks.privacy import privacy_help
from bot.blocks.text import md
from bot.domain.commands import commands_for, commands_others_use
from bot.domain.roles import role_label
from bot.domain.text import shorten
from bot.services.privacy import retention_periods
from handlers.commands.router import Invocation


def show_help(invocation: Invocation) -> None:
    t = invocation.t
    note = None
    if invocation.text.words and invocation.spec is None:
        typed = shorten(" ".join(invocation.text.words[:2]))
        note = md(
            t.gettext("I don't know `/mentor {typed}`. Here is what you can use:"), typed=typed
        )
    commands = commands_for(invocation.roles)
    invocation.reply.ephemeral(
        help_text(t, commands),
        help_blocks(
            t,
            commands,
            role=role_label(invocation.roles),
            note=note,
            others_use=commands_others_use(invocation.roles),
            privacy=privacy_help(t, retention_periods(invocation.runtime)),
        ),
    )
