"""What coordinators are told: per-group figures in, a digest's content out. Counts and
dates only: nothing said or written in a group ever reaches this module."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.domain.pace import Pace
from bot.domain.pulse import PulseSummary
from bot.i18n import Phrase, phrase

BAR_WIDTH = 6


class Concern(StrEnum):
    BEHIND = "behind pace"
    NOT_STARTED = "no meeting yet"
    MEMBER_LEFT = "a member left"
    MENTOR_SILENT = "mentor not answering the poll"


CONCERN_WORDS: dict[Concern, Phrase] = {
    # TRANSLATORS: why a group needs a coordinator's attention (digest, App Home).
    Concern.BEHIND: phrase("behind pace"),
    # TRANSLATORS: why a group needs a coordinator's attention (digest, App Home).
    Concern.NOT_STARTED: phrase("no meeting yet"),
    # TRANSLATORS: why a group needs a coordinator's attention (digest, App Home).
    Concern.MEMBER_LEFT: phrase("a member left"),
    # TRANSLATORS: why a group needs a coordinator's attention (digest, App Home).
    Concern.MENTOR_SILENT: phrase("mentor not answering the poll"),
}
"""Each concern as coordinators read it; the enum's values stay English (logs, tests)."""


@dataclass(frozen=True)
class GroupFigures:
    group_id: int
    name: str
    channel_id: str | None
    mentor_ids: tuple[str, ...]
    held: int
    held_last_week: int
    planned_next_week: int
    """Planned meetings in the digest's calendar week (Monday to Sunday, term's zone)."""
    open_polls: int
    pace: Pace
    members_left_recently: int
    mentor_silent_on_poll: bool
    planned_upcoming: int = 0
    """Planned meetings still to come, however far ahead."""
    formed_on: date | None = None
    last_held_on: date | None = None
    next_meeting_at: datetime | None = None
    """The next planned meeting, in the term's time zone."""

    @property
    def has_plan(self) -> bool:
        return self.planned_upcoming > 0 or self.open_polls > 0


@dataclass(frozen=True)
class Attention:
    group: GroupFigures
    concerns: tuple[Concern, ...]


@dataclass(frozen=True)
class Digest:
    term_name: str
    week_of: date
    minimum: int
    groups: tuple[GroupFigures, ...]
    by_pace: dict[Pace, int]
    held_last_week: int
    held_total: int
    target_total: int
    planned_next_week: int
    open_polls: int
    attention: tuple[Attention, ...]
    pulse: PulseSummary | None = None
    """The belonging check-ins' results per role (figures only from 5 answers), if any."""


def concerns_of(group: GroupFigures) -> tuple[Concern, ...]:
    concerns = []
    if group.pace is Pace.BEHIND:
        concerns.append(Concern.BEHIND)
    # A group with a meeting planned or a poll open is on its way to its first meeting:
    # saying "no meeting yet" of it would send the coordinator after a group doing fine.
    if group.pace is Pace.NOT_STARTED and not group.has_plan:
        concerns.append(Concern.NOT_STARTED)
    if group.members_left_recently:
        concerns.append(Concern.MEMBER_LEFT)
    if group.mentor_silent_on_poll:
        concerns.append(Concern.MENTOR_SILENT)
    return tuple(concerns)


def build_digest(
    *,
    term_name: str,
    week_of: date,
    minimum: int,
    groups: Sequence[GroupFigures],
    pulse: PulseSummary | None = None,
) -> Digest:
    by_pace = Counter(group.pace for group in groups)
    attention = tuple(
        Attention(group, concerns)
        for group in sorted(groups, key=lambda g: (g.has_plan, g.held, g.name))
        if (concerns := concerns_of(group))
    )
    return Digest(
        term_name=term_name,
        week_of=week_of,
        minimum=minimum,
        groups=tuple(sorted(groups, key=lambda g: g.name)),
        by_pace={pace: by_pace.get(pace, 0) for pace in Pace},
        held_last_week=sum(g.held_last_week for g in groups),
        held_total=sum(g.held for g in groups),
        target_total=minimum * len(groups),
        planned_next_week=sum(g.planned_next_week for g in groups),
        open_polls=sum(g.open_polls for g in groups),
        attention=attention,
        pulse=pulse,
    )


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 meeting", "2 meetings", "0 meetings": English, for the CLI's output and job
    reports (what Slack users read counts with `Translator.ngettext`)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def times(count: int) -> str:
    """ "once", "twice", "3 times" (and "0 times"): English, as `counted`."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def progress_bar(held: int, minimum: int, width: int = BAR_WIDTH) -> str:
    """▰▰▱▱▱▱: meetings held against the minimum, at a glance."""
    if minimum <= 0:
        return "▰" * width
    filled = min(width, round(width * min(held, minimum) / minimum))
    return "▰" * filled + "▱" * (width - filled)
