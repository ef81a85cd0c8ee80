"""The App Home tab: what someone sees when they open the bot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.digest import attention_blocks
from bot.blocks.help import command_lines
from bot.blocks.ids import LOG_MEETING, SNOOZE_WEEK, START_POLL
from bot.blocks.text import (
    VIEW_BLOCKS,
    Mrkdwn,
    at_most,
    bold,
    channel,
    context,
    fields,
    header,
    join,
    link,
    md,
    section,
    shortened,
)
from bot.domain.commands import CommandSpec
from bot.domain.digest import Digest, counted
from bot.domain.pace import Pace

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
    group_id: int = 0
    next_place: str | None = None
    open_polls: int = 0
    polls_waiting: int = 0
    """Open polls this person has not answered."""
    waiting_links: tuple[str, ...] = ()
    """Permalinks of those polls' messages (as many as Slack gave)."""


def home_view(
    *,
    groups: Sequence[HomeGroup],
    commands: Sequence[CommandSpec],
    role: str,
    notice: str | None = None,
    glance: Digest | None = None,
    coordinator: bool = False,
) -> View:
    """`notice`: what the person's last click in the tab did (the tab has no other answer);
    `glance`: the term at a glance, for a coordinator, with the groups needing attention
    first and their buttons."""
    blocks: list[Block] = [header("Mentor groups")]
    if notice:
        blocks.append(section(notice))
    if glance is not None:
        blocks += term_glance_blocks(glance)
    blocks += [section(INTRO), DividerBlock()]
    if groups:
        blocks.append(section("*Your groups*"))
        for group in groups[:MAX_GROUPS_SHOWN]:
            blocks += _group_blocks(group)
        if any(group.role == "mentee" for group in groups):
            blocks.append(_snooze_button())
    elif coordinator:
        pass  # a coordinator's place is the term above, not a group
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


def term_glance_blocks(glance: Digest) -> list[Block]:
    """A coordinator's term at a glance, then the groups needing attention (as in the
    digest, with the same buttons)."""
    pace = glance.by_pace
    blocks: list[Block] = [
        section(md("*{term} at a glance*", term=shortened(glance.term_name, MAX_NAME))),
        fields(
            [
                f"*Done*\n{pace[Pace.DONE]}",
                f"*On track*\n{pace[Pace.ON_TRACK]}",
                f"*Behind*\n{pace[Pace.BEHIND]}",
                f"*Not started*\n{pace[Pace.NOT_STARTED]}",
                f"*Held in the last 7 days*\n{counted(glance.held_last_week, 'meeting')}",
                f"*Planned this week*\n{counted(glance.planned_next_week, 'meeting')}",
            ]
        ),
    ]
    if glance.attention:
        blocks.append(section("*Needs attention*"))
        blocks += attention_blocks(glance.attention)
    else:
        blocks.append(section("*Needs attention*\nNo group. 🎉"))
    return [*blocks, DividerBlock()]


def _group_blocks(group: HomeGroup) -> list[Block]:
    blocks: list[Block] = [_group_section(group)]
    if group.role == "mentor" and group.group_id:
        blocks.append(
            ActionsBlock(
                block_id=f"group_{group.group_id}",
                elements=[
                    ButtonElement(
                        text="Start a date poll",
                        action_id=START_POLL,
                        value=str(group.group_id),
                        style="primary",
                    ),
                    ButtonElement(
                        text="Log a meeting", action_id=LOG_MEETING, value=str(group.group_id)
                    ),
                ],
            )
        )
    return blocks


def _snooze_button() -> ActionsBlock:
    return ActionsBlock(
        block_id="snooze",
        elements=[ButtonElement(text="Snooze reminders for a week", action_id=SNOOZE_WEEK)],
    )


def _polls_line(group: HomeGroup) -> Mrkdwn:
    where = channel(group.channel_id) if group.channel_id else Mrkdwn("the group's channel")
    if group.role == "mentor":
        return md("Open polls: {count}.", count=group.open_polls)
    if group.polls_waiting and group.waiting_links:
        many = len(group.waiting_links) > 1
        links = join(
            (
                link(url, f"poll {number}" if many else "open the poll")
                for number, url in enumerate(group.waiting_links, start=1)
            ),
            ", ",
        )
        return md(
            "{count} waiting for your answer: {links} (in {where}).",
            count=bold(counted(group.polls_waiting, "poll")),
            links=links,
            where=where,
        )
    if group.polls_waiting:
        return md(
            "{count} waiting for your answer in {where}.",
            count=bold(counted(group.polls_waiting, "poll")),
            where=where,
        )
    return Mrkdwn("")


def _when(when: str) -> str:
    """A date token (Mrkdwn) kept whole; plain text cut to MAX_NAME."""
    return when if isinstance(when, Mrkdwn) else shortened(when, MAX_NAME)


def _group_section(group: HomeGroup) -> SectionBlock:
    where = channel(group.channel_id) if group.channel_id else "channel being set up"
    next_meeting = (
        md("Next meeting: {when}", when=bold(_when(group.next_meeting)))
        if group.next_meeting
        else Mrkdwn("No meeting planned yet.")
    )
    if group.next_meeting and group.next_place:
        next_meeting = md(
            "{next} at {place}.", next=next_meeting, place=shortened(group.next_place, MAX_NAME)
        )
    return section(
        md(
            "{name} · {where}\nYou are the {role}. Meetings so far: {held} in {term}. {next} "
            "{polls}",
            name=bold(shortened(group.name, MAX_NAME)),
            where=where,
            role=group.role,
            held=bold(f"{group.meetings_held} of at least {group.min_meetings}"),
            term=shortened(group.term_name, MAX_NAME),
            next=next_meeting,
            polls=_polls_line(group),
        )
    )
