"""The `/mentor help` overview, shown only to the person who asked."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block

from bot.blocks.text import Mrkdwn, bold, code, context, header, join, md, message_text, section
from bot.domain.commands import CommandSpec


def help_blocks(
    commands: Sequence[CommandSpec],
    *,
    role: str,
    note: str | None = None,
    others_use: Sequence[CommandSpec] = (),
) -> list[Block]:
    """`note` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here).
    `others_use`: for a coordinator, what mentors and mentees use, in a section of its own."""
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    blocks += [header("Mentor groups: what you can do"), section(command_lines(commands))]
    if others_use:
        blocks.append(
            section(
                md(
                    "*What mentors and mentees use*\n{lines}",
                    lines=command_lines(others_use),
                )
            )
        )
    blocks += [
        context(
            md(
                "You are using the bot as a {role}. Only you can see this message.",
                role=bold(role),
            )
        ),
    ]
    return blocks


def command_lines(commands: Sequence[CommandSpec]) -> Mrkdwn:
    """One line per command: its usage as code, then what it does."""
    return join(
        (
            md("{usage}  {summary}", usage=code(spec.usage), summary=spec.summary)
            for spec in commands
        ),
        "\n",
    )


def help_text(commands: Sequence[CommandSpec]) -> Mrkdwn:
    """Plain-text fallback for notifications and screen readers."""
    return message_text(md("Commands: {usages}", usages=", ".join(spec.usage for spec in commands)))
