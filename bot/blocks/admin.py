"""Replies to coordinators' admin commands: terms and group lists.

The builders take what they show as protocols (a stored `Term`, a `GroupSummary` from
storage fit them), so Block Kit is built without the database's modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from slack_sdk.models.blocks import Block

from bot.blocks.text import (
    Mrkdwn,
    bold,
    channel,
    context,
    header,
    italic,
    md,
    mentions,
    message_text,
    section,
    shortened,
)
from bot.domain.digest import counted
from bot.domain.terms import LANGUAGES

MAX_GROUP_LINES = 45
"""Message limit is 50 blocks; one section per group with room for header and footer."""


MAX_NAME = 200
"""A term or group name is cut to this before it is escaped into a line (stored names are
far shorter; this keeps one line from crowding out the rest of a message)."""


class Term(Protocol):
    """What a term's line shows."""

    @property
    def name(self) -> str: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date: ...
    @property
    def min_meetings(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def language(self) -> str: ...


class Group(Protocol):
    """What a group's line shows of the group."""

    @property
    def name(self) -> str: ...
    @property
    def channel_id(self) -> str | None: ...
    @property
    def setup(self) -> str: ...


class GroupSummary(Protocol):
    """A group with its mentors and counts."""

    @property
    def group(self) -> Group: ...
    @property
    def mentor_ids(self) -> Sequence[str]: ...
    @property
    def mentee_count(self) -> int: ...
    @property
    def left_count(self) -> int: ...


def term_line(term: Term) -> Mrkdwn:
    return md(
        "{name}: {starts:%-d %b %Y} – {ends:%-d %b %Y}, at least {minimum} meetings per group, "
        "times in {zone}, {language}.",
        name=bold(shortened(term.name, MAX_NAME)),
        starts=term.starts_on,
        ends=term.ends_on,
        minimum=term.min_meetings,
        zone=term.timezone,
        language=LANGUAGES.get(term.language, term.language),
    )


def term_started_text(term: Term, previous: Term | None) -> Mrkdwn:
    text = md("Started the term {line} It is now the current term.", line=term_line(term))
    if previous is not None:
        text = md(
            "{text} (“{previous}” is no longer current; its groups and meetings are kept.)",
            text=text,
            previous=shortened(previous.name, MAX_NAME),
        )
    return message_text(text)


def group_list_blocks(term: Term, summaries: Sequence[GroupSummary]) -> list[Block]:
    blocks: list[Block] = [header(f"Groups in {term.name}")]
    if not summaries:
        blocks.append(
            section("No groups yet. Form one with `/mentor group create @mentor @mentee…`.")
        )
        return blocks
    for summary in summaries[:MAX_GROUP_LINES]:
        blocks.append(section(group_line(summary)))
    hidden = len(summaries) - MAX_GROUP_LINES
    footer = f"{counted(len(summaries), 'group')}."
    if hidden > 0:
        footer += f" {hidden} more not shown here; `mentorbot report` lists them all."
    blocks.append(context(footer))
    return blocks


def group_line(summary: GroupSummary) -> Mrkdwn:
    group = summary.group
    where = channel(group.channel_id) if group.channel_id else italic("channel not created yet")
    mentors = mentions(summary.mentor_ids, ", ") or italic("no mentor")
    line = md(
        "{name}  {where}\nMentor {mentors} · {mentees}",
        name=bold(shortened(group.name, MAX_NAME)),
        where=where,
        mentors=mentors,
        mentees=counted(summary.mentee_count, "mentee"),
    )
    if summary.left_count:
        line = md("{line} · {left} left", line=line, left=summary.left_count)
    if group.setup != "welcomed":
        line = md(
            "{line} · setup stopped at “{setup}”: run the create command again to resume",
            line=line,
            setup=group.setup,
        )
    return line
