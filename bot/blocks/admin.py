"""Replies to coordinators' admin commands: terms and group lists.

The builders take what they show as protocols (a stored `Term`, a `GroupSummary` from
storage fit them), so Block Kit is built without the database's modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from babel.dates import format_date
from slack_sdk.models.blocks import Block

from bot.blocks.text import (
    Mrkdwn,
    bold,
    channel,
    context,
    header,
    italic,
    join,
    md,
    mentions,
    message_text,
    section,
    shortened,
)
from bot.i18n import LANGUAGES, Translator

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


def _day(t: Translator, day: date) -> str:
    """A term's first or last day with its year, as the language writes it."""
    return format_date(day, "medium", locale=t.locale)


def term_line(t: Translator, term: Term) -> Mrkdwn:
    language = t.language_name(term.language) if term.language in LANGUAGES else term.language
    return md(
        t.ngettext(
            "{name}: {starts} – {ends}, at least {count} meeting per group, "
            "times in {zone}, {language}.",
            "{name}: {starts} – {ends}, at least {count} meetings per group, "
            "times in {zone}, {language}.",
            term.min_meetings,
        ),
        name=bold(shortened(term.name, MAX_NAME)),
        starts=_day(t, term.starts_on),
        ends=_day(t, term.ends_on),
        count=term.min_meetings,
        zone=term.timezone,
        language=language,
    )


def current_term_text(t: Translator, term: Term) -> Mrkdwn:
    return message_text(md(t.gettext("Current term: {line}"), line=term_line(t, term)))


def term_started_text(t: Translator, term: Term, previous: Term | None) -> Mrkdwn:
    line = term_line(t, term)
    if previous is None:
        text = md(t.gettext("Started the term {line} It is now the current term."), line=line)
    else:
        text = md(
            t.gettext(
                "Started the term {line} It is now the current term. (“{previous}” is no "
                "longer current; its groups and meetings are kept.)"
            ),
            line=line,
            previous=shortened(previous.name, MAX_NAME),
        )
    return message_text(text)


def group_list_text(t: Translator, term: Term, count: int) -> Mrkdwn:
    """The list's notification text: "3 groups in Spring 2027"."""
    return message_text(
        md(
            t.ngettext("{count} group in {term}", "{count} groups in {term}", count),
            count=count,
            term=shortened(term.name, MAX_NAME),
        )
    )


def group_list_blocks(t: Translator, term: Term, summaries: Sequence[GroupSummary]) -> list[Block]:
    # TRANSLATORS: header, max 150 characters.
    blocks: list[Block] = [header(t.gettext("Groups in {term}").format(term=term.name))]
    if not summaries:
        blocks.append(
            section(
                Mrkdwn(
                    t.gettext(
                        "No groups yet. Form one with `/mentor group create @mentor @mentee…`."
                    )
                )
            )
        )
        return blocks
    for summary in summaries[:MAX_GROUP_LINES]:
        blocks.append(section(group_line(t, summary)))
    hidden = len(summaries) - MAX_GROUP_LINES
    if hidden > 0:
        footer = md(
            t.ngettext(
                "{total} groups. {count} more is not shown here; "
                "`mentorbot report` lists them all.",
                "{total} groups. {count} more are not shown here; "
                "`mentorbot report` lists them all.",
                hidden,
            ),
            total=len(summaries),
            count=hidden,
        )
    else:
        footer = md(
            t.ngettext("{count} group.", "{count} groups.", len(summaries)), count=len(summaries)
        )
    blocks.append(context(footer))
    return blocks


def group_line(t: Translator, summary: GroupSummary) -> Mrkdwn:
    group = summary.group
    where = (
        channel(group.channel_id)
        if group.channel_id
        else italic(t.gettext("channel not created yet"))
    )
    mentors = mentions(summary.mentor_ids, ", ") or italic(t.gettext("no mentor"))
    parts = [
        md("{name}  {where}", name=bold(shortened(group.name, MAX_NAME)), where=where),
    ]
    details = [
        md(t.gettext("Mentor {mentors}"), mentors=mentors),
        md(
            t.ngettext("{count} mentee", "{count} mentees", summary.mentee_count),
            count=summary.mentee_count,
        ),
    ]
    if summary.left_count:
        details.append(
            md(
                # TRANSLATORS: how many people left a group, in a line of its figures.
                t.ngettext("{count} left", "{count} left", summary.left_count),
                count=summary.left_count,
            )
        )
    if group.setup != "welcomed":
        details.append(
            md(
                t.gettext("setup stopped at “{setup}”: run the create command again to resume"),
                setup=group.setup,
            )
        )
    parts.append(join(details, " · "))
    return join(parts, "\n")
