"""The App Home tab: what someone sees when they open the bot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import Block, DividerBlock, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.help import command_lines
from bot.blocks.text import (
    VIEW_BLOCKS,
    at_most,
    bold,
    channel,
    context,
    header,
    md,
    section,
    shortened,
)
from bot.domain.commands import CommandSpec

INTRO = (
    "I help mentor groups find dates to meet, keep track of the meetings they hold, and "
    "suggest things to talk about. What is said in a group stays in its private channel."
)
MAX_GROUPS_SHOWN = 20
MAX_NAME = 200
"""A group or term name is cut to this before it is escaped into the tab."""


@dataclass(frozen=True)
class HomeGroup:
    name: str
    role: str
    channel_id: str | None
    min_meetings: int
    term_name: str
    meetings_held: int
    next_meeting: str | None


def home_view(
    *,
    groups: Sequence[HomeGroup],
    commands: Sequence[CommandSpec],
    role: str,
    notice: str | None = None,
) -> View:
    """`notice`: what the person's last click in the tab did (the tab has no other answer)."""
    blocks: list[Block] = [header("Mentor groups")]
    if notice:
        blocks.append(section(notice))
    blocks += [section(INTRO), DividerBlock()]
    if groups:
        blocks.append(section("*Your groups*"))
        blocks += [_group_section(group) for group in groups[:MAX_GROUPS_SHOWN]]
    else:
        blocks.append(
            section(
                "You are not in a mentor group this term. Your coordinator forms "
                "the groups; you will be invited to your group's channel."
            )
        )
    blocks += [
        DividerBlock(),
        section(md("*What you can do*\n{lines}", lines=command_lines(commands))),
        context(md("You are using the bot as a {role}.", role=bold(role))),
    ]
    return View(type="home", blocks=at_most(blocks, VIEW_BLOCKS))


def _group_section(group: HomeGroup) -> SectionBlock:
    where = channel(group.channel_id) if group.channel_id else "channel being set up"
    next_meeting = (
        md("Next meeting: {when}", when=bold(shortened(group.next_meeting, MAX_NAME)))
        if group.next_meeting
        else "No meeting planned yet."
    )
    return section(
        md(
            "{name} · {where}\nYou are the {role}. Meetings so far: {held} in {term}. {next}",
            name=bold(shortened(group.name, MAX_NAME)),
            where=where,
            role=group.role,
            held=bold(f"{group.meetings_held} of at least {group.min_meetings}"),
            term=shortened(group.term_name, MAX_NAME),
            next=next_meeting,
        )
    )
