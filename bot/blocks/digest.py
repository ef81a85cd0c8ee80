"""The weekly digest for coordinators, and the nudge a group behind pace gets."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from bot.blocks.ids import DM_MENTOR_PREFIX, PAUSE_WEEK, PLANNED_OFFLINE, REMIND_LATER, START_POLL
from bot.blocks.text import (
    SECTION_TEXT,
    Mrkdwn,
    bold,
    button_text,
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
    zoned_time,
)
from bot.domain.digest import Attention, Digest, GroupFigures, counted, progress_bar, times
from bot.domain.pace import Pace

MAX_GROUP_LINES = 40
"""Beyond this many groups the digest lists only those needing attention, to stay well
inside Slack's 50 blocks per message."""
MAX_ATTENTION_LINES = 40
"""Beyond this many groups needing attention, the rest are counted, not named."""
MAX_ACTIONABLE = 10
"""The first this many groups needing attention get their own buttons (two blocks each);
the rest are listed in lines, to stay inside Slack's 50 blocks per message."""
MAX_DM_BUTTONS = 3
DM_URL = "https://slack.com/app_redirect"
"""Opens the DM with a user in the reader's Slack (works for user IDs as channels)."""
GROUPS_PER_SECTION = 10
MAX_NAME = 120
"""A group or term name is cut to this before it is escaped into a line."""
LINE_ROOM = SECTION_TEXT - 100
"""Lines are chunked into sections with this much text at most, below Slack's 3,000."""


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
                f"({counted(len(digest.groups), 'group')} × {digest.minimum})",
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
    return [section("*Needs attention*"), *attention_blocks(digest.attention)]


def attention_blocks(
    attention: Sequence[Attention], *, actionable: int = MAX_ACTIONABLE
) -> list[Block]:
    """Groups needing attention, worst first: the first `actionable` each with its line and
    its buttons (DM the mentor, pause a week), the next as lines, the rest counted. The
    digest and a coordinator's App Home both show them this way."""
    blocks: list[Block] = []
    for item in attention[:actionable]:
        blocks += [section(attention_line(item)), attention_buttons(item.group)]
    lines = [attention_line(item) for item in attention[actionable:MAX_ATTENTION_LINES]]
    blocks += _chunked_sections(lines)
    unnamed = len(attention) - max(actionable, MAX_ATTENTION_LINES)
    if unnamed > 0:
        blocks.append(
            context(f"…and {counted(unnamed, 'more group')}: `mentorbot report` lists them all.")
        )
    return blocks


def attention_line(item: Attention) -> Mrkdwn:
    """ "*Blue group* · mentor @Anna: no meeting yet · formed Mon 2 Nov · nothing planned"."""
    group = item.group
    return md(
        "{name} · mentor {mentors}: {concerns}\n{last} · {next}",
        name=bold(_name(group)),
        mentors=_mentors(group),
        concerns=", ".join(c.value for c in item.concerns),
        last=_last_event(group),
        next=_next_event(group),
    )


def _last_event(group: GroupFigures) -> str:
    if group.last_held_on is not None:
        return f"last met {group.last_held_on:%a %-d %b}"
    if group.formed_on is not None:
        return f"no meeting since it was formed on {group.formed_on:%a %-d %b}"
    return "no meeting held"


def _next_event(group: GroupFigures) -> str:
    moment = group.next_meeting_at
    if moment is not None and isinstance(moment.tzinfo, ZoneInfo):
        return md("next meeting {when}", when=zoned_time(moment, moment.tzinfo))
    if moment is not None:
        return f"next meeting {moment:%a %-d %b, %H:%M}"
    if group.open_polls:
        return "a date poll is open"
    return "nothing planned"


def attention_buttons(group: GroupFigures) -> ActionsBlock:
    """A link to the DM with each mentor (Slack opens it; the bot posts nothing), and
    "Pause a week" (coordinators only, checked again when clicked)."""
    several = len(group.mentor_ids) > 1
    dms = [
        ButtonElement(
            text=button_text(f"DM mentor {number}" if several else "DM the mentor"),
            action_id=f"{DM_MENTOR_PREFIX}{number}",
            url=f"{DM_URL}?{urlencode({'channel': mentor})}",
        )
        for number, mentor in enumerate(group.mentor_ids[:MAX_DM_BUTTONS], start=1)
    ]
    pause = ButtonElement(text="Pause a week", action_id=PAUSE_WEEK, value=str(group.group_id))
    return ActionsBlock(block_id=f"attention_{group.group_id}", elements=[*dms, pause])


def _every_group_blocks(digest: Digest) -> list[Block]:
    if len(digest.groups) > MAX_GROUP_LINES:
        return [
            context(
                f"{counted(len(digest.groups), 'group')}: the full list is in `mentorbot report`."
            )
        ]
    lines = [
        md(
            "{bar} {held}/{minimum} {name} · {pace}",
            bar=code(progress_bar(g.held, digest.minimum)),
            held=g.held,
            minimum=digest.minimum,
            name=_name(g),
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
            "Weekly digest for {term}: {held} of {target} held, {attention} attention.",
            term=shortened(digest.term_name, MAX_NAME),
            held=digest.held_total,
            target=counted(digest.target_total, "meeting"),
            attention=counted(len(digest.attention), "group needs", "groups need"),
        )
    )


FIRM_NUDGE_WEEKS = 2
"""With this many weeks left or fewer the nudge is firm: it goes to the mentor alone, since
in the channel it would read as naming them as failing."""


def _met(held: int) -> str:
    return "has not met yet" if held == 0 else f"has met {times(held)}"


def nudge_text(*, held: int, minimum: int, weeks_left: int) -> str:
    met, aim, left = _met(held), times(minimum), counted(weeks_left, "week")
    if weeks_left <= FIRM_NUDGE_WEEKS:
        return (
            f"⏳ Only {left} of the term left, and the group {met} "
            f"(the aim is at least {aim}). Let's find a date this week!"
        )
    if weeks_left <= 6:
        return (
            f"📅 The group {met} (the aim is at least {aim}), with {left} left. "
            "Time to plan the next meeting?"
        )
    return (
        f"👋 How about planning the next meeting? The group {met} (the aim is at least "
        f"{aim}), and there are {left} of the term left."
    )


def channel_nudge_text(*, mentor_name: str | None) -> Mrkdwn:
    """The one gentle line a group's channel gets with its mentor's nudge (no buttons)."""
    who = shortened(mentor_name, MAX_NAME) if mentor_name else "Your mentor"
    return message_text(
        md("👋 How about planning the next meeting? {who} will suggest dates.", who=who)
    )


def mentor_nudge_blocks(*, group_id: int, text: str) -> list[Block]:
    """The nudge in the mentor's DM, with what to do about it: start a poll, say the meeting
    is planned offline (no nudges for a week), or be reminded later. `text` is mrkdwn the
    bot wrote (Mrkdwn, or plain text that is escaped here)."""
    return [
        section(text),
        ActionsBlock(
            block_id="nudge_actions",
            elements=[
                ButtonElement(
                    text="Start a date poll",
                    action_id=START_POLL,
                    value=str(group_id),
                    style="primary",
                ),
                ButtonElement(
                    text="We planned it offline", action_id=PLANNED_OFFLINE, value=str(group_id)
                ),
                ButtonElement(text="Remind me later", action_id=REMIND_LATER, value="1"),
            ],
        ),
    ]


def mentor_nudge_text(*, group_name: str, channel_id: str | None, text: str) -> Mrkdwn:
    where = channel(channel_id) if channel_id else shortened(group_name, MAX_NAME)
    return message_text(
        md("A note about your mentor group {where}: {text}", where=where, text=text)
    )
