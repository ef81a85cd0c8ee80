"""The weekly digest for coordinators, and the nudge a group behind pace gets."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.polls import start_poll_button
from bot.domain.digest import Digest, GroupFigures, progress_bar
from bot.domain.pace import Pace

MAX_GROUP_LINES = 40
"""Beyond this many groups the digest lists only those needing attention, to stay well
inside Slack's 50 blocks per message."""
MAX_ATTENTION_LINES = 40
"""Beyond this many groups needing attention, the rest are counted, not named."""
GROUPS_PER_SECTION = 10


def _channel(group: GroupFigures) -> str:
    return f"<#{group.channel_id}>" if group.channel_id else group.name


def _mentors(group: GroupFigures) -> str:
    return ", ".join(f"<@{m}>" for m in group.mentor_ids) or "no mentor"


def digest_blocks(digest: Digest) -> list[Block]:
    pace = digest.by_pace
    blocks: list[Block] = [
        HeaderBlock(text=f"Weekly digest: {digest.term_name}"[:150]),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Week of {digest.week_of:%-d %B %Y} · counts and dates only"
                )
            ]
        ),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*Done*\n{pace[Pace.DONE]}"),
                MarkdownTextObject(text=f"*On track*\n{pace[Pace.ON_TRACK]}"),
                MarkdownTextObject(text=f"*Behind*\n{pace[Pace.BEHIND]}"),
                MarkdownTextObject(text=f"*Not started*\n{pace[Pace.NOT_STARTED]}"),
                MarkdownTextObject(text=f"*Meetings last week*\n{digest.held_last_week}"),
                MarkdownTextObject(
                    text=f"*Meetings in total*\n{digest.held_total} of {digest.target_total} "
                    f"({len(digest.groups)} groups × {digest.minimum})"
                ),
                MarkdownTextObject(text=f"*Planned this week*\n{digest.planned_next_week}"),
                MarkdownTextObject(text=f"*Open polls*\n{digest.open_polls}"),
            ]
        ),
        DividerBlock(),
    ]
    if digest.attention:
        lines = [
            f"• {_channel(a.group)} ({a.group.name}), mentor {_mentors(a.group)}: "
            + ", ".join(c.value for c in a.concerns)
            for a in digest.attention[:MAX_ATTENTION_LINES]
        ]
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Needs attention*")))
        blocks += _chunked_sections(lines)
        unnamed = len(digest.attention) - MAX_ATTENTION_LINES
        if unnamed > 0:
            blocks.append(
                ContextBlock(
                    elements=[
                        MarkdownTextObject(
                            text=f"…and {unnamed} more groups: `mentorbot report` lists them all."
                        )
                    ]
                )
            )
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Needs attention*\nNo group. 🎉")))
    if len(digest.groups) <= MAX_GROUP_LINES:
        blocks.append(DividerBlock())
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Every group*")))
        blocks += _chunked_sections(
            [
                f"`{progress_bar(g.held, digest.minimum)}` {g.held}/{digest.minimum} "
                f"{_channel(g)} · {g.pace.value}"
                for g in digest.groups
            ]
        )
    else:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"{len(digest.groups)} groups: the full list is in `mentorbot report`."
                    )
                ]
            )
        )
    return blocks


def _chunked_sections(lines: list[str]) -> list[Block]:
    """Several lines per section, each section under Slack's 3,000 characters."""
    sections: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if len(chunk) == GROUPS_PER_SECTION or sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            sections.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
            chunk = []
        chunk.append(line[:2900])
    if chunk:
        sections.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
    return sections


def digest_text(digest: Digest) -> str:
    return (
        f"Weekly digest for {digest.term_name}: {digest.held_total} of {digest.target_total} "
        f"meetings held, {len(digest.attention)} groups need attention."
    )


def nudge_text(*, held: int, minimum: int, weeks_left: int) -> str:
    if weeks_left <= 2:
        return (
            f"⏳ Only {weeks_left} week{'s' if weeks_left != 1 else ''} of the term left, and the "
            f"group has met {held} of at least {minimum} times. Let's find a date this week!"
        )
    if weeks_left <= 6:
        return (
            f"📅 The group has met {held} of at least {minimum} times, with {weeks_left} weeks "
            "left. Time to plan the next meeting?"
        )
    return (
        f"👋 How about planning the next meeting? The group has met {held} of at least "
        f"{minimum} times, and there are {weeks_left} weeks of the term left."
    )


def nudge_blocks(*, group_id: int, text: str) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=text)), start_poll_button(group_id)]


def mentor_nudge_text(*, group_name: str, channel_id: str | None, text: str) -> str:
    where = f"<#{channel_id}>" if channel_id else group_name
    return f"A note about your mentor group {where}: {text}"
