"""Replies to coordinators' admin commands: terms and group lists."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.terms import LANGUAGES
from storage.groups import GroupSummary
from storage.models import Term

MAX_GROUP_LINES = 45
"""Message limit is 50 blocks; one section per group with room for header and footer."""


def term_line(term: Term) -> str:
    return (
        f"*{term.name}*: {term.starts_on:%-d %b %Y} – {term.ends_on:%-d %b %Y}, "
        f"at least {term.min_meetings} meetings per group, "
        f"times in {term.timezone}, {LANGUAGES.get(term.language, term.language)}."
    )


def term_started_text(term: Term, previous: Term | None) -> str:
    text = f"Started the term {term_line(term)} It is now the current term."
    if previous is not None:
        text += f" (“{previous.name}” is no longer current; its groups and meetings are kept.)"
    return text


def group_list_blocks(term: Term, summaries: Sequence[GroupSummary]) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=f"Groups in {term.name}"[:150])]
    if not summaries:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="No groups yet. Form one with `/mentor group create @mentor @mentee…`."
                )
            )
        )
        return blocks
    for summary in summaries[:MAX_GROUP_LINES]:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=group_line(summary))))
    hidden = len(summaries) - MAX_GROUP_LINES
    footer = f"{len(summaries)} groups."
    if hidden > 0:
        footer += f" {hidden} more not shown here; `mentorbot report` lists them all."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer)]))
    return blocks


def group_line(summary: GroupSummary) -> str:
    group = summary.group
    channel = f"<#{group.channel_id}>" if group.channel_id else "_channel not created yet_"
    mentors = ", ".join(f"<@{m}>" for m in summary.mentor_ids) or "_no mentor_"
    line = f"*{group.name}*  {channel}\nMentor {mentors} · {summary.mentee_count} mentees"
    if summary.left_count:
        line += f" · {summary.left_count} left"
    if group.setup != "welcomed":
        line += f" · setup stopped at “{group.setup}”: run the create command again to resume"
    return line
