"""The App Home tab: what someone sees when they open the bot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
MAX_GROUPS_SHOWN = 20


@dataclass(frozen=True)
class HomeGroup:
    name: str
    role: str
    channel_id: str | None
    min_meetings: int
    term_name: str
    meetings_held: int
    next_meeting: str | None


def home_view(*, groups: Sequence[HomeGroup], commands: Sequence[CommandSpec], role: str) -> View:
    blocks: list[Block] = [
        HeaderBlock(text="Mentor groups"),
        SectionBlock(text=MarkdownTextObject(text=INTRO)),
        DividerBlock(),
    ]
    if groups:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Your groups*")))
        blocks += [_group_section(group) for group in groups[:MAX_GROUPS_SHOWN]]
    else:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="You are not in a mentor group this term. Your coordinator forms "
                    "the groups; you will be invited to your group's channel."
                )
            )
        )
    blocks += [
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


def _group_section(group: HomeGroup) -> SectionBlock:
    channel = f"<#{group.channel_id}>" if group.channel_id else "channel being set up"
    next_meeting = (
        f"Next meeting: *{group.next_meeting}*"
        if group.next_meeting
        else ("No meeting planned yet.")
    )
    return SectionBlock(
        text=MarkdownTextObject(
            text=f"*{group.name}* · {channel}\nYou are the {group.role}. "
            f"Meetings so far: *{group.meetings_held} of at least {group.min_meetings}* "
            f"in {group.term_name}. {next_meeting}"
        )
    )
