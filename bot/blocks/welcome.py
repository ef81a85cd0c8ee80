"""The welcome message posted and pinned in a new group channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.polls import start_poll_button


def welcome_blocks(
    *,
    group_id: int,
    group_name: str,
    mentor_id: str,
    mentee_ids: Sequence[str],
    min_meetings: int,
    term_name: str,
    term_ends_on: date,
) -> list[Block]:
    mentees = ", ".join(f"<@{user_id}>" for user_id in mentee_ids) or "none yet"
    return [
        HeaderBlock(text=f"Welcome to {group_name}"[:150]),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*Mentor:* <@{mentor_id}>\n*Mentees:* {mentees}\n"
                f"*Term:* {term_name}, until {term_ends_on:%-d %B %Y}"
            )
        ),
        SectionBlock(
            text=MarkdownTextObject(
                text="*Ground rules*\n"
                "• Taking part is voluntary: you can leave this channel at any time.\n"
                "• What is said in the group stays in the group, here and when you meet.\n"
                f"• The group meets at least *{min_meetings} times* this term, "
                "on dates you agree on together."
            )
        ),
        SectionBlock(
            text=MarkdownTextObject(
                text="*How to use the bot*\n"
                "• Your mentor starts a date poll; answer each date with one click.\n"
                "• Type `/mentor help` to see everything you can do."
            )
        ),
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"<@{mentor_id}>, the first meeting aligns expectations and collects "
                "theme ideas. Start by finding a date:"
            )
        ),
        start_poll_button(group_id),
        ContextBlock(elements=[MarkdownTextObject(text="Coordinators are not in this channel.")]),
    ]


def welcome_text(group_name: str) -> str:
    return f"Welcome to {group_name}! The ground rules and how to start are pinned here."
