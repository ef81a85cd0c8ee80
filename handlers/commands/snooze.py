"""`/mentor snooze until DAY` and `/mentor snooze off`: anyone, anywhere, for themselves."""

from __future__ import annotations

from bot.services.snooze import snooze_command
from handlers.commands.router import Invocation


def snooze(invocation: Invocation) -> None:
    invocation.reply.ephemeral(
        snooze_command(
            invocation.runtime,
            invocation.t,
            user_id=invocation.user_id,
            words=list(invocation.args),
        )
    )
