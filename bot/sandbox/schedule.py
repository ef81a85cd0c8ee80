"""Which scheduled jobs run, and at which moments, when the visitor moves the clock forward.

`mentorbot run` runs each job on an interval (bot/scheduler.py: polls every minute, meetings
every 15 minutes, nudges and digest every 30, housekeeping hourly), and each job works out
from the database what is due. Running every tick of a jump to the end of term would be
hundreds of thousands of runs that do nothing, so the clock stops only where a job can have
something to do:

* the moments the database says something falls due: a poll's deadline and its reminder, the
  day before a planned meeting, two hours after its end ("did you meet?");
* each day's 08:00 (the Monday digest) and every hour of the weekday nudging hours, in the
  term's time zone;
* every quarter of an hour during the first day of a jump, so short jumps are run tick by
  tick whatever the rules;
* the end of the jump.

At each stop a job runs if at least one of its ticks fell since the previous stop (the
scheduler's `coalesce`: missed ticks run once), in the scheduler's order, with the clock
reading the stop's time; each stop is rounded up to the job ticks it stands for, so
messages carry the times `mentorbot run` would have sent them at.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.jobs import JOBS
from bot.scheduler import INTERVALS

JOB_ORDER: tuple[str, ...] = tuple(JOBS)
"""polls, meetings, nudges, digest, housekeeping: poll results before meeting reminders."""

TICKS: dict[str, timedelta] = {name: trigger.interval for name, trigger in INTERVALS.items()}
FINE_STEP = timedelta(minutes=15)
FINE_SPAN = timedelta(days=1)
DAILY_MARKS = (time(8, 0),)
"""The digest goes out on Mondays from 08:00 (bot/services/oversight.py)."""
WEEKDAY_MARKS = tuple(time(hour, 0) for hour in range(10, 18))
"""Nudges go out on weekdays in these hours, each group at most weekly."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def ceil_to(moment: datetime, step: timedelta) -> datetime:
    """The first tick of a `step` interval (counted from the epoch) at or after `moment`."""
    elapsed = moment - _EPOCH
    remainder = elapsed % step
    return moment if not remainder else moment + (step - remainder)


def tick_index(moment: datetime, step: timedelta) -> int:
    """Which tick of a `step` interval was the last at or before `moment`."""
    return (moment - _EPOCH) // step


def jobs_due(previous: datetime, now: datetime) -> list[str]:
    """The jobs with at least one tick in (previous, now], in the scheduler's order."""
    return [
        name
        for name in JOB_ORDER
        if tick_index(now, TICKS[name]) > tick_index(previous, TICKS[name])
    ]


def clock_marks(start: datetime, end: datetime, zone: ZoneInfo) -> list[datetime]:
    """The daily and weekday marks in (start, end], in `zone`, as UTC."""
    marks: list[datetime] = []
    day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    while day <= last_day:
        wanted = DAILY_MARKS + (WEEKDAY_MARKS if day.weekday() < 5 else ())
        for mark in wanted:
            moment = datetime.combine(day, mark, tzinfo=zone).astimezone(UTC)
            if start < moment <= end:
                marks.append(moment)
        day += timedelta(days=1)
    return marks


def next_stop(
    current: datetime,
    *,
    jump_start: datetime,
    target: datetime,
    zone: ZoneInfo,
    due: Iterable[datetime],
) -> datetime:
    """The next moment after `current` (and at most `target`) where the clock stops.

    `due` are the moments the database says something falls due; each is rounded up to the
    tick of the polls job (the most frequent), since that is when `mentorbot run` would
    first see it."""
    candidates = [target]
    if current - jump_start < FINE_SPAN:
        candidates.append(ceil_to(current + timedelta(microseconds=1), FINE_STEP))
    # Marks within the next two days are enough: the loop asks again after each stop.
    candidates += clock_marks(current, min(target, current + timedelta(days=2)), zone)
    polls_tick = TICKS["polls"]
    candidates += [ceil_to(moment, polls_tick) for moment in due]
    # `target` is after `current` (the caller loops while it is), so this is never empty.
    return min(c for c in candidates if c > current)
