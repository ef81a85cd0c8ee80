"""The welcome message posted and pinned in a new group channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import Block, DividerBlock

from bot.blocks.polls import start_poll_button
from bot.blocks.text import (
    Mrkdwn,
    context,
    header,
    md,
    mention,
    mentions,
    message_text,
    section,
    shortened,
)
from bot.domain.digest import times

MAX_NAME = 200
"""A group or term name is cut to this before it is escaped into the message."""


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
    mentees = mentions(mentee_ids, ", ") or "none yet"
    return [
        header(f"Welcome to {group_name}"),
        section(
            md(
                "*Mentor:* {mentor}\n*Mentees:* {mentees}\n*Term:* {term}, until {ends:%-d %B %Y}",
                mentor=mention(mentor_id),
                mentees=mentees,
                term=shortened(term_name, MAX_NAME),
                ends=term_ends_on,
            )
        ),
        section(
            md(
                "*Ground rules*\n"
                "• Taking part is voluntary: you can leave this channel at any time.\n"
                "• What is said in the group stays in the group, here and when you meet.\n"
                "• The group meets at least *{minimum}* this term, "
                "on dates you agree on together.",
                minimum=times(min_meetings),
            )
        ),
        section(
            "*How to use the bot*\n"
            "• Your mentor starts a date poll; answer each date with one click.\n"
            "• Type `/mentor help` to see everything you can do."
        ),
        DividerBlock(),
        section(
            md(
                "{mentor}, the first meeting aligns expectations and collects "
                "theme ideas. Start by finding a date:",
                mentor=mention(mentor_id),
            )
        ),
        start_poll_button(group_id),
        context("Coordinators are not in this channel."),
    ]


def welcome_text(group_name: str) -> Mrkdwn:
    return message_text(
        md(
            "Welcome to {name}! The ground rules and how to start are pinned here.",
            name=shortened(group_name, MAX_NAME),
        )
    )
