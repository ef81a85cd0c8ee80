"""The weekly digest for coordinators, and the nudge a group behind pace gets.

Every builder takes the reader's `Translator` first: the digest and the mentor's nudge in
that person's language, the channel's gentle line in the term's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from bot.blocks.ids import DM_MENTOR_PREFIX, PAUSE_WEEK, PLANNED_OFFLINE, REMIND_LATER, START_POLL
from bot.blocks.pulse import pulse_digest_blocks
from bot.blocks.text import (
    SECTION_TEXT,
    Mrkdwn,
    at_most,
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
from bot.domain.digest import CONCERN_WORDS, Attention, Digest, GroupFigures, progress_bar
from bot.domain.pace import PACE_WORDS, Pace
from bot.i18n import Translator

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


def _mentors(t: Translator, group: GroupFigures) -> Mrkdwn:
    return mentions(group.mentor_ids, ", ") or Mrkdwn(t.gettext("no mentor"))


def pace_fields(t: Translator, by_pace: dict[Pace, int]) -> list[Mrkdwn]:
    """The four pace counts, as the digest and a coordinator's App Home show them."""
    return [
        md(t.gettext("*Done*\n{count}"), count=t.number(by_pace[Pace.DONE])),
        md(t.gettext("*On track*\n{count}"), count=t.number(by_pace[Pace.ON_TRACK])),
        md(t.gettext("*Behind*\n{count}"), count=t.number(by_pace[Pace.BEHIND])),
        md(t.gettext("*Not started*\n{count}"), count=t.number(by_pace[Pace.NOT_STARTED])),
    ]


def digest_blocks(t: Translator, digest: Digest) -> list[Block]:
    groups = len(digest.groups)
    blocks: list[Block] = [
        # TRANSLATORS: header, max 150 characters.
        header(t.gettext("Weekly digest: {term}").format(term=digest.term_name)),
        context(
            md(
                t.gettext("Week of {day} · counts and dates only"),
                day=format_date(digest.week_of, "long", locale=t.locale),
            )
        ),
        fields(
            [
                *pace_fields(t, digest.by_pace),
                md(
                    t.gettext("*Meetings last week*\n{count}"),
                    count=t.number(digest.held_last_week),
                ),
                md(
                    t.ngettext(
                        "*Meetings in total*\n{held} of {target} ({count} group × {minimum})",
                        "*Meetings in total*\n{held} of {target} ({count} groups × {minimum})",
                        groups,
                    ),
                    held=t.number(digest.held_total),
                    target=t.number(digest.target_total),
                    count=t.number(groups),
                    minimum=digest.minimum,
                ),
                md(
                    t.gettext("*Planned this week*\n{count}"),
                    count=t.number(digest.planned_next_week),
                ),
                md(t.gettext("*Open polls*\n{count}"), count=t.number(digest.open_polls)),
            ]
        ),
        DividerBlock(),
    ]
    pulse = pulse_digest_blocks(t, digest.pulse) if digest.pulse else []
    return at_most(blocks + _attention_blocks(t, digest) + pulse + _every_group_blocks(t, digest))


def needs_attention_blocks(t: Translator, attention: Sequence[Attention]) -> list[Block]:
    """ "Needs attention" and its groups, or that none does (digest and App Home)."""
    if not attention:
        return [section(t.gettext("*Needs attention*\nNo group. 🎉"))]
    return [section(t.gettext("*Needs attention*")), *attention_blocks(t, attention)]


def _attention_blocks(t: Translator, digest: Digest) -> list[Block]:
    return needs_attention_blocks(t, digest.attention)


def attention_blocks(
    t: Translator, attention: Sequence[Attention], *, actionable: int = MAX_ACTIONABLE
) -> list[Block]:
    """Groups needing attention, worst first: the first `actionable` each with its line and
    its buttons (DM the mentor, pause a week), the next as lines, the rest counted. The
    digest and a coordinator's App Home both show them this way."""
    blocks: list[Block] = []
    for item in attention[:actionable]:
        blocks += [section(attention_line(t, item)), attention_buttons(t, item.group)]
    lines = [attention_line(t, item) for item in attention[actionable:MAX_ATTENTION_LINES]]
    blocks += _chunked_sections(lines)
    unnamed = len(attention) - max(actionable, MAX_ATTENTION_LINES)
    if unnamed > 0:
        blocks.append(
            context(
                md(
                    t.ngettext(
                        "…and {count} more group: `mentorbot report` lists them all.",
                        "…and {count} more groups: `mentorbot report` lists them all.",
                        unnamed,
                    ),
                    count=t.number(unnamed),
                )
            )
        )
    return blocks


def attention_line(t: Translator, item: Attention) -> Mrkdwn:
    """ "*Blue group* · mentor @Anna: no meeting yet · formed Mon 2 Nov · nothing planned"."""
    group = item.group
    return md(
        t.gettext("{name} · mentor {mentors}: {concerns}\n{last} · {next}"),
        name=bold(_name(group)),
        mentors=_mentors(t, group),
        concerns=join((CONCERN_WORDS[c].say(t) for c in item.concerns), ", "),
        last=_last_event(t, group),
        next=_next_event(t, group),
    )


def _last_event(t: Translator, group: GroupFigures) -> Mrkdwn:
    if group.last_held_on is not None:
        return md(t.gettext("last met {day}"), day=t.day(group.last_held_on))
    if group.formed_on is not None:
        return md(t.gettext("no meeting since it was formed on {day}"), day=t.day(group.formed_on))
    return md(t.gettext("no meeting held"))


def _next_event(t: Translator, group: GroupFigures) -> Mrkdwn:
    moment = group.next_meeting_at
    if moment is not None and isinstance(moment.tzinfo, ZoneInfo):
        return md(t.gettext("next meeting {when}"), when=zoned_time(moment, moment.tzinfo, t))
    if moment is not None:
        return md(t.gettext("next meeting {when}"), when=t.moment(moment))
    if group.open_polls:
        return md(t.gettext("a date poll is open"))
    return md(t.gettext("nothing planned"))


def attention_buttons(t: Translator, group: GroupFigures) -> ActionsBlock:
    """A link to the DM with each mentor (Slack opens it; the bot posts nothing), and
    "Pause a week" (coordinators only, checked again when clicked)."""
    several = len(group.mentor_ids) > 1
    dms = [
        ButtonElement(
            text=button_text(
                # TRANSLATORS: button, max 75 characters: opens a DM with the group's mentor.
                t.gettext("DM mentor {number}").format(number=number)
                if several
                # TRANSLATORS: button, max 75 characters: opens a DM with the group's mentor.
                else t.gettext("DM the mentor")
            ),
            action_id=f"{DM_MENTOR_PREFIX}{number}",
            url=f"{DM_URL}?{urlencode({'channel': mentor})}",
        )
        for number, mentor in enumerate(group.mentor_ids[:MAX_DM_BUTTONS], start=1)
    ]
    pause = ButtonElement(
        # TRANSLATORS: button, max 75 characters: no nudges for the group for seven days.
        text=button_text(t.gettext("Pause a week")),
        action_id=PAUSE_WEEK,
        value=str(group.group_id),
    )
    return ActionsBlock(block_id=f"attention_{group.group_id}", elements=[*dms, pause])


def _every_group_blocks(t: Translator, digest: Digest) -> list[Block]:
    groups = len(digest.groups)
    if groups > MAX_GROUP_LINES:
        return [
            context(
                md(
                    t.ngettext(
                        "{count} group: the full list is in `mentorbot report`.",
                        "{count} groups: the full list is in `mentorbot report`.",
                        groups,
                    ),
                    count=t.number(groups),
                )
            )
        ]
    lines = [
        md(
            "{bar} {held}/{minimum} {name} · {pace}",
            bar=code(progress_bar(g.held, digest.minimum)),
            held=g.held,
            minimum=digest.minimum,
            name=_name(g),
            pace=PACE_WORDS[g.pace].say(t),
        )
        for g in digest.groups
    ]
    return [DividerBlock(), section(t.gettext("*Every group*")), *_chunked_sections(lines)]


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


def digest_text(t: Translator, digest: Digest) -> Mrkdwn:
    """The notification: the term's meetings against its target, and how many groups need
    attention (two sentences, one count each)."""
    needing = len(digest.attention)
    return message_text(
        join(
            [
                md(
                    t.ngettext(
                        "Weekly digest for {term}: {held} of {count} meeting held.",
                        "Weekly digest for {term}: {held} of {count} meetings held.",
                        digest.target_total,
                    ),
                    term=shortened(digest.term_name, MAX_NAME),
                    held=t.number(digest.held_total),
                    count=t.number(digest.target_total),
                ),
                md(
                    t.ngettext(
                        "{count} group needs attention.", "{count} groups need attention.", needing
                    ),
                    count=t.number(needing),
                ),
            ],
            " ",
        )
    )


# -- Nudges ------------------------------------------------------------------------------

FIRM_NUDGE_WEEKS = 2
"""With this many weeks left or fewer the nudge is firm: it goes to the mentor alone, since
in the channel it would read as naming them as failing."""
GENTLE_NUDGE_WEEKS = 6
"""With more weeks left than this the nudge only suggests; below, it asks."""


def _times(t: Translator, count: int) -> str:
    """ "once", "twice", "3 times", said inside the nudge's sentences."""
    if count == 1:
        # TRANSLATORS: inserted as {times} or {aim} in the nudge: "has met once".
        return t.gettext("once")
    if count == 2:
        # TRANSLATORS: inserted as {times} or {aim} in the nudge: "at least twice".
        return t.gettext("twice")
    # TRANSLATORS: inserted as {times} or {aim} in the nudge: "has met 3 times".
    said = t.ngettext("{count} time", "{count} times", count)
    return said.format(count=t.number(count))


def _weeks(t: Translator, count: int) -> str:
    # TRANSLATORS: inserted as {left} in the nudge: "with 5 weeks left".
    return t.ngettext("{count} week", "{count} weeks", count).format(count=t.number(count))


def nudge_text(t: Translator, *, held: int, minimum: int, weeks_left: int) -> Mrkdwn:
    """The nudge's words, firmer as the term runs out: a suggestion while there is time, a
    question with six weeks left, a call to act in the last two (the mentor's DM only)."""
    values = {
        "times": _times(t, held),
        "aim": _times(t, minimum),
        "left": _weeks(t, weeks_left),
    }
    if weeks_left <= FIRM_NUDGE_WEEKS:
        template = (
            t.gettext(
                "⏳ Only {left} of the term left, and the group has not met yet "
                "(the aim is at least {aim}). Let's find a date this week!"
            )
            if held == 0
            else t.gettext(
                "⏳ Only {left} of the term left, and the group has met {times} "
                "(the aim is at least {aim}). Let's find a date this week!"
            )
        )
    elif weeks_left <= GENTLE_NUDGE_WEEKS:
        template = (
            t.gettext(
                "📅 The group has not met yet (the aim is at least {aim}), with {left} left. "
                "Time to plan the next meeting?"
            )
            if held == 0
            else t.gettext(
                "📅 The group has met {times} (the aim is at least {aim}), with {left} left. "
                "Time to plan the next meeting?"
            )
        )
    else:
        template = (
            t.gettext(
                "👋 How about planning the next meeting? The group has not met yet (the aim "
                "is at least {aim}), and there are {left} of the term left."
            )
            if held == 0
            else t.gettext(
                "👋 How about planning the next meeting? The group has met {times} (the aim "
                "is at least {aim}), and there are {left} of the term left."
            )
        )
    return md(template, **values)


def channel_nudge_text(t: Translator, *, mentor_name: str | None) -> Mrkdwn:
    """The one gentle line a group's channel gets with its mentor's nudge (no buttons), in
    the channel's language."""
    if not mentor_name:
        return message_text(
            md(t.gettext("👋 How about planning the next meeting? Your mentor will suggest dates."))
        )
    return message_text(
        md(
            t.gettext("👋 How about planning the next meeting? {who} will suggest dates."),
            who=shortened(mentor_name, MAX_NAME),
        )
    )


def mentor_nudge_blocks(t: Translator, *, group_id: int, text: str) -> list[Block]:
    """The nudge in the mentor's DM, with what to do about it: start a poll, say the meeting
    is planned offline (no nudges for a week), or be reminded later. `text` is mrkdwn the
    bot wrote (Mrkdwn, or plain text that is escaped here)."""
    return [
        section(text),
        ActionsBlock(
            block_id="nudge_actions",
            elements=[
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters.
                    text=button_text(t.gettext("Start a date poll")),
                    action_id=START_POLL,
                    value=str(group_id),
                    style="primary",
                ),
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: the next meeting is arranged
                    # outside the bot, so no nudges for a week.
                    text=button_text(t.gettext("We planned it offline")),
                    action_id=PLANNED_OFFLINE,
                    value=str(group_id),
                ),
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: no reminders for a day.
                    text=button_text(t.gettext("Remind me later")),
                    action_id=REMIND_LATER,
                    value="1",
                ),
            ],
        ),
    ]


def mentor_nudge_text(
    t: Translator, *, group_name: str, channel_id: str | None, text: str
) -> Mrkdwn:
    where = channel(channel_id) if channel_id else shortened(group_name, MAX_NAME)
    return message_text(
        md(t.gettext("A note about your mentor group {where}: {text}"), where=where, text=text)
    )


# -- Answers to pausing a group ------------------------------------------------------------


def paused_group_text(t: Translator, *, name: str, until: date) -> Mrkdwn:
    """ "Pause a week" (digest, App Home) was clicked."""
    return message_text(
        md(
            t.gettext("Paused “{name}” until {until}: no nudges until then."),
            name=shortened(name, MAX_NAME),
            until=t.long_day(until),
        )
    )


def paused_text(t: Translator, *, group_name: str | None, term_name: str, until: date) -> Mrkdwn:
    """`/mentor pause`: one group, or every group of the term."""
    if group_name:
        template = t.gettext(
            "Paused “{name}” until {until}: no nudges, and those days don't count towards the pace."
        )
    else:
        template = t.gettext(
            "Paused every group in {term} until {until}: no nudges, and those days don't "
            "count towards the pace."
        )
    return message_text(
        md(
            template,
            name=shortened(group_name or "", MAX_NAME),
            term=shortened(term_name, MAX_NAME),
            until=t.long_day(until),
        )
    )


def planned_offline_text(t: Translator, *, name: str, until: date) -> Mrkdwn:
    """ "We planned it offline" in the mentor's nudge was clicked."""
    return message_text(
        md(
            t.gettext(
                "Good to hear you planned the next meeting of “{name}”: no nudges until "
                "{until}. Log it afterwards with `/mentor log`."
            ),
            name=shortened(name, MAX_NAME),
            until=t.long_day(until),
        )
    )
