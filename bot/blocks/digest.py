"""The weekly digest for coordinators, and the nudge a group behind pace gets."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, DividerBlock

from bot.blocks.polls import start_poll_button
from bot.blocks.text import (
    SECTION_TEXT,
    Mrkdwn,
    channel,
    code,
    context,
    fields,
    fit,
    header,
    join,
    md,
    mentions,
    message_text,
    section,
    shortened,
)
from bot.domain.digest import Digest, GroupFigures, progress_bar
from bot.domain.pace import Pace

MAX_GROUP_LINES = 40
"""Beyond this many groups the digest lists only those needing attention, to stay well
inside Slack's 50 blocks per message."""
MAX_ATTENTION_LINES = 40
"""Beyond this many groups needing attention, the rest are counted, not named."""
GROUPS_PER_SECTION = 10
MAX_NAME = 120
"""A group or term name is cut to this before it is escaped into a line."""
LINE_ROOM = SECTION_TEXT - 100
"""Lines are chunked into sections with this much text at most, below Slack's 3,000."""


def _channel(group: GroupFigures) -> Mrkdwn:
    return channel(group.channel_id) if group.channel_id else md("{name}", name=_name(group))


def _name(group: GroupFigures) -> str:
    return shortened(group.name, MAX_NAME)


def _mentors(group: GroupFigures) -> Mrkdwn:
    return mentions(group.mentor_ids, ", ") or Mrkdwn("no mentor")


def digest_blocks(digest: Digest) -> list[Block]:
    pace = digest.by_pace
    blocks: list[Block] = [
        header(f"Weekly digest: {digest.term_name}"),
        context(f"Week of {digest.week_of:%-d %B %Y} · counts and dates only"),
        fields(
            [
                f"*Done*\n{pace[Pace.DONE]}",
                f"*On track*\n{pace[Pace.ON_TRACK]}",
                f"*Behind*\n{pace[Pace.BEHIND]}",
                f"*Not started*\n{pace[Pace.NOT_STARTED]}",
                f"*Meetings last week*\n{digest.held_last_week}",
                f"*Meetings in total*\n{digest.held_total} of {digest.target_total} "
                f"({len(digest.groups)} groups × {digest.minimum})",
                f"*Planned this week*\n{digest.planned_next_week}",
                f"*Open polls*\n{digest.open_polls}",
            ]
        ),
        DividerBlock(),
    ]
    return blocks + _attention_blocks(digest) + _every_group_blocks(digest)


def _attention_blocks(digest: Digest) -> list[Block]:
    if not digest.attention:
        return [section("*Needs attention*\nNo group. 🎉")]
    lines = [
        md(
            "• {where} ({name}), mentor {mentors}: {concerns}",
            where=_channel(a.group),
            name=_name(a.group),
            mentors=_mentors(a.group),
            concerns=", ".join(c.value for c in a.concerns),
        )
        for a in digest.attention[:MAX_ATTENTION_LINES]
    ]
    blocks = [section("*Needs attention*"), *_chunked_sections(lines)]
    unnamed = len(digest.attention) - MAX_ATTENTION_LINES
    if unnamed > 0:
        blocks.append(context(f"…and {unnamed} more groups: `mentorbot report` lists them all."))
    return blocks


def _every_group_blocks(digest: Digest) -> list[Block]:
    if len(digest.groups) > MAX_GROUP_LINES:
        return [context(f"{len(digest.groups)} groups: the full list is in `mentorbot report`.")]
    lines = [
        md(
            "{bar} {held}/{minimum} {where} · {pace}",
            bar=code(progress_bar(g.held, digest.minimum)),
            held=g.held,
            minimum=digest.minimum,
            where=_channel(g),
            pace=g.pace.value,
        )
        for g in digest.groups
    ]
    return [DividerBlock(), section("*Every group*"), *_chunked_sections(lines)]


def _chunked_sections(lines: list[Mrkdwn]) -> list[Block]:
    """Several lines per section, each section under Slack's 3,000 characters."""
    sections: list[Block] = []
    chunk: list[Mrkdwn] = []
    for line in lines:
        if len(chunk) == GROUPS_PER_SECTION or sum(len(x) + 1 for x in chunk) + len(line) > (
            LINE_ROOM
        ):
            sections.append(section(join(chunk, "\n")))
            chunk = []
        chunk.append(fit(line, LINE_ROOM))
    if chunk:
        sections.append(section(join(chunk, "\n")))
    return sections


def digest_text(digest: Digest) -> Mrkdwn:
    return message_text(
        md(
            "Weekly digest for {term}: {held} of {target} meetings held, "
            "{attention} groups need attention.",
            term=shortened(digest.term_name, MAX_NAME),
            held=digest.held_total,
            target=digest.target_total,
            attention=len(digest.attention),
        )
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
    """`text` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here)."""
    return [section(text), start_poll_button(group_id)]


def mentor_nudge_text(*, group_name: str, channel_id: str | None, text: str) -> Mrkdwn:
    where = channel(channel_id) if channel_id else shortened(group_name, MAX_NAME)
    return message_text(
        md("A note about your mentor group {where}: {text}", where=where, text=text)
    )
