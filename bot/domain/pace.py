"""The pace of a group's meetings through the term, and whether it needs a nudge.

A group is *behind* when the meetings it has held are fewer than the minimum times the
share of the term elapsed (rounded down) and it has nothing planned (no planned meeting, no
open poll); *not started* when it has held none three weeks into the term; *done* once the
minimum is met. Paused days (exam weeks, holidays) count neither as elapsed nor as term.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.i18n import Phrase, phrase

NOT_STARTED_AFTER = timedelta(weeks=3)


class Pace(StrEnum):
    DONE = "done"
    ON_TRACK = "on track"
    BEHIND = "behind"
    NOT_STARTED = "not started"


PACE_WORDS: dict[Pace, Phrase] = {
    # TRANSLATORS: a group's pace in the coordinator's digest: it has met the minimum.
    Pace.DONE: phrase("done"),
    # TRANSLATORS: a group's pace in the coordinator's digest.
    Pace.ON_TRACK: phrase("on track"),
    # TRANSLATORS: a group's pace in the coordinator's digest: fewer meetings than by now due.
    Pace.BEHIND: phrase("behind"),
    # TRANSLATORS: a group's pace in the coordinator's digest: no meeting held yet.
    Pace.NOT_STARTED: phrase("not started"),
}
"""Each pace as people read it; the enum's values stay English (CSV reports, the CLI)."""


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included."""

    start: date
    end: date


@dataclass(frozen=True)
class GroupPace:
    pace: Pace
    expected: int
    """Meetings a group should have held by now."""
    held: int
    has_plan: bool

    @property
    def needs_nudge(self) -> bool:
        return self.pace in (Pace.BEHIND, Pace.NOT_STARTED) and not self.has_plan


def _paused_days(pauses: Iterable[Period], first: date, last: date) -> int:
    # Overlapping pauses must not count a day twice.
    days: set[date] = set()
    for pause in pauses:
        day = max(pause.start, first)
        while day <= min(pause.end, last):
            days.add(day)
            day += timedelta(days=1)
    return len(days)


def share_elapsed(
    *, starts_on: date, ends_on: date, today: date, pauses: Iterable[Period] = ()
) -> float:
    """How much of the term's active (unpaused) time has passed, from 0 to 1."""
    pauses = list(pauses)
    if today < starts_on:
        return 0.0
    total = (ends_on - starts_on).days + 1 - _paused_days(pauses, starts_on, ends_on)
    last_elapsed = min(today, ends_on)
    elapsed = (last_elapsed - starts_on).days + 1 - _paused_days(pauses, starts_on, last_elapsed)
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, elapsed / total))


def group_pace(
    *,
    held: int,
    minimum: int,
    starts_on: date,
    ends_on: date,
    today: date,
    has_plan: bool,
    pauses: Iterable[Period] = (),
) -> GroupPace:
    share = share_elapsed(starts_on=starts_on, ends_on=ends_on, today=today, pauses=pauses)
    expected = math.floor(minimum * share + 1e-9)
    if held >= minimum:
        pace = Pace.DONE
    elif held == 0 and today >= starts_on + NOT_STARTED_AFTER:
        pace = Pace.NOT_STARTED
    elif held < expected and not has_plan:
        pace = Pace.BEHIND
    else:
        pace = Pace.ON_TRACK
    return GroupPace(pace=pace, expected=expected, held=held, has_plan=has_plan)


def weeks_left(*, ends_on: date, today: date) -> int:
    return max(0, ((ends_on - today).days + 1) // 7)
