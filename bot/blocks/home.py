"""The App Home tab: what someone sees when they open the bot."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.commands import CommandSpec

INTRO = (
    "I help mentor groups find dates to meet, keep track of the meetings they hold, and "
    "suggest things to talk about. What is said in a group stays in its private channel."
)


def home_view(*, commands: Sequence[CommandSpec], role: str) -> View:
    blocks: list[Block] = [
        HeaderBlock(text="Mentor groups"),
        SectionBlock(text=MarkdownTextObject(text=INTRO)),
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(
                text="*What you can do*\n"
                + "\n".join(f"`{spec.usage}`  {spec.summary}" for spec in commands)
            )
        ),
        ContextBlock(elements=[MarkdownTextObject(text=f"You are using the bot as a *{role}*.")]),
    ]
    return View(type="home", blocks=blocks)
