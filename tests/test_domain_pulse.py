"""The pulse's rules without Slack or a database: when each round is open, what a click may
say, the marker, and which figures may be shown."""

from __future__ import annotations

from datetime import date

from bot.domain.pulse import (
    MIN_ANSWERS,
    RoundKind,
    marker,
    parse_click,
    round_windows,
    summarise,
)


def test_three_rounds_on_weekdays_each_open_until_the_next() -> None:
    windows = round_windows(
        starts_on=date(2026, 11, 20), ends_on=date(2027, 3, 19), groups_from=date(2026, 11, 23)
    )
    assert [(w.kind, w.opens_on, w.closes_on) for w in windows] == [
        (RoundKind.START, date(2026, 11, 26), date(2027, 1, 18)),
        (RoundKind.MIDDLE, date(2027, 1, 18), date(2027, 3, 8)),
        (RoundKind.END, date(2027, 3, 8), date(2027, 3, 27)),
    ]
    assert all(w.opens_on.weekday() < 5 for w in windows)


def test_groups_formed_late_get_a_start_round_and_skip_the_middle() -> None:
    windows = round_windows(
        starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 31), groups_from=date(2026, 11, 23)
    )
    assert [w.kind for w in windows] == [RoundKind.START, RoundKind.END]
    assert windows[0].opens_on == date(2026, 11, 26)


def test_no_groups_no_rounds_and_groups_in_the_last_weeks_only_the_end() -> None:
    assert (
        round_windows(starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 31), groups_from=None) == ()
    )
    [only] = round_windows(
        starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 31), groups_from=date(2027, 1, 25)
    )
    assert only.kind is RoundKind.END


def test_a_click_must_name_a_statement_and_a_point_we_ask() -> None:
    assert parse_click("12:3:5") is not None
    for forged in (
        "12:0:3",
        "12:5:3",
        "12:1:0",
        "12:1:6",
        "0:1:3",
        "12:1",
        "a:1:3",
        "12:1:3:4",
        "99999999999:1:3",
        "12:１:3",
    ):
        assert parse_click(forged) is None, forged


def test_the_marker_hides_the_person_and_depends_on_the_key() -> None:
    one = marker(b"key", round_id=1, statement=2, user_id="U0ANNA")
    assert len(one) == 64
    assert "U0ANNA" not in one
    assert one != marker(b"other key", round_id=1, statement=2, user_id="U0ANNA")
    assert one != marker(b"key", round_id=1, statement=3, user_id="U0ANNA")


def test_figures_only_from_five_answers_and_the_change_only_when_both_rounds_have_them() -> None:
    below = MIN_ANSWERS - 1
    counts = (
        {("start", "mentee", statement, 3): MIN_ANSWERS for statement in (1, 2, 3, 4)}
        | {("end", "mentee", statement, 4): MIN_ANSWERS for statement in (1, 2, 3, 4)}
        | {("start", "mentor", 1, 5): below, ("end", "mentor", 1, 5): MIN_ANSWERS}
    )
    summary = summarise(counts, held=["start", "end"])
    mentee_start = summary.result(RoundKind.START, "mentee")
    mentor_start = summary.result(RoundKind.START, "mentor")
    assert mentee_start is not None
    assert mentor_start is not None
    assert mentee_start.mean == 3
    assert mentee_start.answered == MIN_ANSWERS
    assert not mentor_start.shown
    assert mentor_start.statements[0].mean is None
    changes = {c.role: c.change for c in summary.changes}
    assert changes == {"mentee": 1.0, "mentor": None}
