"""The pace rule, with the clock passed in."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.days import parse_day
from bot.domain.errors import UserError
from bot.domain.pace import Pace, Period, group_pace, share_elapsed, weeks_left

START, END = date(2027, 2, 1), date(2027, 6, 30)  # 150 days


def _pace(
    held: int, today: date, *, has_plan: bool = False, pauses: tuple[Period, ...] = ()
) -> Pace:
    return group_pace(
        held=held,
        minimum=3,
        starts_on=START,
        ends_on=END,
        today=today,
        has_plan=has_plan,
        pauses=pauses,
    ).pace


def test_share_elapsed() -> None:
    assert share_elapsed(starts_on=START, ends_on=END, today=date(2027, 1, 1)) == 0
    assert share_elapsed(starts_on=START, ends_on=END, today=END) == 1
    assert share_elapsed(starts_on=START, ends_on=END, today=date(2027, 12, 1)) == 1
    assert share_elapsed(starts_on=START, ends_on=END, today=date(2027, 3, 17)) == pytest.approx(
        45 / 150
    )


def test_paused_days_count_neither_as_elapsed_nor_as_term() -> None:
    easter = Period(date(2027, 3, 1), date(2027, 3, 30))
    share = share_elapsed(starts_on=START, ends_on=END, today=date(2027, 3, 30), pauses=[easter])
    assert share == pytest.approx(28 / 120)
    overlapping = [easter, Period(date(2027, 3, 20), date(2027, 4, 4))]
    share = share_elapsed(starts_on=START, ends_on=END, today=date(2027, 4, 4), pauses=overlapping)
    assert share == pytest.approx(28 / 115)


@pytest.mark.parametrize(
    ("held", "today", "has_plan", "expected"),
    [
        (0, date(2027, 2, 10), False, Pace.ON_TRACK),  # early days
        (0, date(2027, 2, 22), False, Pace.NOT_STARTED),  # three weeks in
        (0, date(2027, 2, 22), True, Pace.NOT_STARTED),  # counted apart, but not nudged
        (1, date(2027, 4, 1), False, Pace.ON_TRACK),  # 60/150 × 3 = 1.2 → 1
        (1, date(2027, 4, 21), False, Pace.ON_TRACK),  # 80/150 × 3 = 1.6 → 1: enough
        (0, date(2027, 4, 21), True, Pace.NOT_STARTED),
        (1, date(2027, 5, 21), False, Pace.BEHIND),  # 110/150 × 3 = 2.2 → 2
        (1, date(2027, 5, 21), True, Pace.ON_TRACK),  # something planned
        (3, date(2027, 3, 1), False, Pace.DONE),
        (4, END, False, Pace.DONE),
    ],
)
def test_pace(held: int, today: date, has_plan: bool, expected: Pace) -> None:
    assert _pace(held, today, has_plan=has_plan) == expected


def test_only_groups_without_a_plan_need_a_nudge() -> None:
    behind = group_pace(
        held=0, minimum=3, starts_on=START, ends_on=END, today=date(2027, 3, 1), has_plan=False
    )
    planned = group_pace(
        held=0, minimum=3, starts_on=START, ends_on=END, today=date(2027, 3, 1), has_plan=True
    )
    assert behind.needs_nudge
    assert not planned.needs_nudge


def test_weeks_left() -> None:
    assert weeks_left(ends_on=END, today=date(2027, 6, 1)) == 4
    assert weeks_left(ends_on=END, today=date(2027, 7, 1)) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-15", date(2027, 3, 15)),
        ("15/3", date(2027, 3, 15)),
        ("15.3.", date(2027, 3, 15)),
        ("15.03.2027", date(2027, 3, 15)),
        ("1/2", date(2028, 2, 1)),  # already past this year: next year
        ("15-3-27", date(2027, 3, 15)),
    ],
)
def test_parse_day(text: str, expected: date) -> None:
    assert parse_day(text, today=date(2027, 3, 1)) == expected


@pytest.mark.parametrize("text", ["30/2", "next week", "15/13", ""])
def test_parse_day_refusals(text: str) -> None:
    with pytest.raises(UserError):
        parse_day(text, today=date(2027, 3, 1))
