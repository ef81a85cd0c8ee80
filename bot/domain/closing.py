"""A term's end: when it is due to close, when its channels are due to be archived, and what
each group and each mentor did over it (counts and theme names, never notes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LATE_CLOSE_LIMIT = timedelta(days=60)
"""A term that ended longer ago than this and was never closed is left alone by the job: it
ended before closing existed, and a thank-you months late would puzzle more than please."""


def is_due_to_close(*, ends_on: date, timezone: str, now: datetime) -> bool:
    """The term's last day is over where the term is (its zone, not the server's)."""
    return now.astimezone(ZoneInfo(timezone)).date() > ends_on


def closes_at_its_end(*, ends_on: date, timezone: str, now: datetime) -> bool:
    """The job closes the term now: its last day is over, and not so long ago that it
    predates closing (see LATE_CLOSE_LIMIT)."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    return today > ends_on and today - ends_on <= LATE_CLOSE_LIMIT


def archive_due_at(*, closed_at: datetime, archive_after_days: int) -> datetime:
    """When a closed term's channels are archived: the grace period after closing."""
    return closed_at + timedelta(days=max(archive_after_days, 0))


@dataclass(frozen=True)
class GroupRecord:
    """What one group did over the term."""

    group_id: int
    name: str
    channel_id: str | None
    mentor_ids: tuple[str, ...]
    held: int
    theme_names: tuple[str, ...]
    """Themes of held meetings, each once, in the order first covered."""
    first_met_on: date | None
    last_met_on: date | None

    @property
    def never_met(self) -> bool:
        return self.held == 0


@dataclass(frozen=True)
class Contribution:
    """A mentor's part in the term, for the summary they keep."""

    mentor_id: str
    groups: tuple[GroupRecord, ...]

    @property
    def held(self) -> int:
        return sum(group.held for group in self.groups)

    @property
    def theme_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for group in self.groups for name in group.theme_names))

    @property
    def first_met_on(self) -> date | None:
        days = [group.first_met_on for group in self.groups if group.first_met_on]
        return min(days) if days else None

    @property
    def last_met_on(self) -> date | None:
        days = [group.last_met_on for group in self.groups if group.last_met_on]
        return max(days) if days else None


def contributions(groups: list[GroupRecord]) -> list[Contribution]:
    """Each mentor's groups, mentors in the order they first appear."""
    by_mentor: dict[str, list[GroupRecord]] = {}
    for group in groups:
        for mentor_id in group.mentor_ids:
            by_mentor.setdefault(mentor_id, []).append(group)
    return [Contribution(mentor_id, tuple(led)) for mentor_id, led in by_mentor.items()]
