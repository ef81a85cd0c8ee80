"""The welcome message posted and pinned in a new group channel, in the term's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from babel.dates import format_date
from slack_sdk.models.blocks import Block, DividerBlock

from bot.blocks.polls import start_poll_button
from bot.blocks.privacy import stored_line_block
from bot.blocks.text import (
    Mrkdwn,
    context,
    header,
    italic,
    md,
    mention,
    mentions,
    message_text,
    section,
    shortened,
)
from bot.domain.retention import RetentionPeriods
from bot.i18n import Translator

MAX_NAME = 200
"""A group or term name is cut to this before it is escaped into the message."""


def welcome_blocks(
    t: Translator,
    *,
    group_id: int,
    group_name: str,
    mentor_id: str,
    mentee_ids: Sequence[str],
    min_meetings: int,
    term_name: str,
    term_ends_on: date,
    periods: RetentionPeriods | None = None,
) -> list[Block]:
    """`t` is the channel's language: the term's. `periods`: what is stored for how long,
    told in one line at the end."""
    mentees = mentions(mentee_ids, ", ") or italic(t.gettext("none yet"))
    blocks: list[Block] = [
        # TRANSLATORS: header, max 150 characters; {group} is the group's name.
        header(t.gettext("Welcome to {group}").format(group=group_name)),
        section(
            md(
                t.gettext("*Mentor:* {mentor}\n*Mentees:* {mentees}\n*Term:* {term}, until {ends}"),
                mentor=mention(mentor_id),
                mentees=mentees,
                term=shortened(term_name, MAX_NAME),
                ends=format_date(term_ends_on, "long", locale=t.locale),
            )
        ),
        section(
            md(
                t.ngettext(
                    "*Ground rules*\n"
                    "• Taking part is voluntary: you can leave this channel at any time.\n"
                    "• What is said in the group stays in the group, here and when you meet.\n"
                    "• The group meets at least *once* this term, on dates you agree on together.",
                    "*Ground rules*\n"
                    "• Taking part is voluntary: you can leave this channel at any time.\n"
                    "• What is said in the group stays in the group, here and when you meet.\n"
                    "• The group meets at least *{count} times* this term, "
                    "on dates you agree on together.",
                    min_meetings,
                ),
                count=min_meetings,
            )
        ),
        section(
            Mrkdwn(
                t.gettext(
                    "*How to use the bot*\n"
                    "• Your mentor starts a date poll; answer each date with one click.\n"
                    "• Type `/mentor help` to see everything you can do."
                )
            )
        ),
        DividerBlock(),
        section(
            md(
                t.gettext(
                    "{mentor}, the first meeting aligns expectations and collects "
                    "theme ideas. Start by finding a date:"
                ),
                mentor=mention(mentor_id),
            )
        ),
        start_poll_button(group_id, t=t),
        context(Mrkdwn(t.gettext("Coordinators are not in this channel."))),
    ]
    if periods is not None:
        blocks.append(stored_line_block(t, periods))
    return blocks


def welcome_text(t: Translator, group_name: str) -> Mrkdwn:
    return message_text(
        md(
            t.gettext("Welcome to {name}! The ground rules and how to start are pinned here."),
            name=shortened(group_name, MAX_NAME),
        )
    )
