"""The `/mentor help` overview, shown only to the person who asked, in their language.

The commands' own words (`/mentor poll`, `where=`) are the same in every language; what
each does is said in the reader's.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block

from bot.blocks.text import Mrkdwn, code, context, header, join, md, message_text, section
from bot.domain.commands import CommandSpec
from bot.domain.roles import Role
from bot.i18n import Translator, phrase

_USING_AS = {
    Role.COORDINATOR.value: phrase(
        "You are using the bot as a *coordinator*. Only you can see this message."
    ),
    Role.MENTOR.value: phrase(
        "You are using the bot as a *mentor*. Only you can see this message."
    ),
    Role.MENTEE.value: phrase(
        "You are using the bot as a *mentee*. Only you can see this message."
    ),
}
"""The footer for each role (`bot.domain.roles.role_label`), a whole sentence each."""
_USING = phrase("Only you can see this message.")


def help_blocks(
    t: Translator,
    commands: Sequence[CommandSpec],
    *,
    role: str,
    note: str | None = None,
    others_use: Sequence[CommandSpec] = (),
    privacy: Mrkdwn | None = None,
) -> list[Block]:
    """`note` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here).
    `others_use`: for a coordinator, what mentors and mentees use, in a section of its own.
    `role` is `role_label`'s word for the reader (anyone else gets no role named)."""
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    blocks += [
        # TRANSLATORS: header, max 150 characters.
        header(t.gettext("Mentor groups: what you can do")),
        section(command_lines(commands, t=t)),
    ]
    if others_use:
        blocks.append(
            section(
                md(
                    t.gettext("*What mentors and mentees use*\n{lines}"),
                    lines=command_lines(others_use, t=t),
                )
            )
        )
    if privacy is not None:
        # What is stored and for how long (bot.blocks.privacy.privacy_help).
        blocks.append(section(privacy))
    blocks.append(context(_USING_AS.get(role, _USING).say(t)))
    return blocks


def command_lines(commands: Sequence[CommandSpec], *, t: Translator) -> Mrkdwn:
    """One line per command: its usage as code, then what it does in `t`'s language."""
    return join(
        (
            md("{usage}  {summary}", usage=code(spec.usage), summary=spec.summary.say(t))
            for spec in commands
        ),
        "\n",
    )


def help_text(t: Translator, commands: Sequence[CommandSpec]) -> Mrkdwn:
    """Plain-text fallback for notifications and screen readers."""
    return message_text(
        md(t.gettext("Commands: {usages}"), usages=", ".join(spec.usage for spec in commands))
    )
