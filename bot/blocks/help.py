"""The `/mentor help` overview, shown only to the person who asked."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.commands import CommandSpec


def help_blocks(
    commands: Sequence[CommandSpec], *, role: str, note: str | None = None
) -> list[Block]:
    lines = [f"`{spec.usage}`  {spec.summary}" for spec in commands]
    blocks: list[Block] = []
    if note:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=note)))
    blocks += [
        HeaderBlock(text="Mentor groups: what you can do"),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"You are using the bot as a *{role}*. Only you can see this message."
                )
            ]
        ),
    ]
    return blocks


def help_text(commands: Sequence[CommandSpec]) -> str:
    """Plain-text fallback for notifications and screen readers."""
    return "Commands: " + ", ".join(spec.usage for spec in commands)
