"""The poll rules: winner, who must still answer, reminders and deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.polls import (
    Answer,
    OptionTally,
    PollOption,
    best_candidates,
    check_deadline,
    check_options,
    choose_winner,
    default_deadline,
    everyone_answered,
    members_yet_to_answer,
    reminder_time,
    split_poll_text,
    tally,
)

MENTOR = "UMENTOR"
A, B, C = "UA", "UB", "UC"
MEMBERS = (MENTOR, A, B, C)
T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
OPT1, OPT2, OPT3 = (PollOption(i + 1, T0 + timedelta(days=i)) for i in range(3))
OPTIONS = (OPT1, OPT2, OPT3)
Y, M, N = Answer.YES, Answer.IF_NEED_BE, Answer.NO


def _votes(grid: dict[str, tuple[Answer, ...]]) -> dict[tuple[int, str], Answer]:
    return {
        (option.option_id, user): answer
        for user, answers in grid.items()
        for option, answer in zip(OPTIONS, answers, strict=False)
    }


def _winner(grid: dict[str, tuple[Answer, ...]]) -> PollOption | None:
    return choose_winner(tally(OPTIONS, _votes(grid), MEMBERS), mentor_id=MENTOR)


def test_most_yes_wins() -> None:
    assert _winner({MENTOR: (Y, Y, Y), A: (N, Y, Y), B: (N, Y, N), C: (Y, N, N)}) == OPT2


def test_yes_plus_if_need_be_breaks_a_tie_in_yes() -> None:
    assert _winner({MENTOR: (Y, Y, N), A: (Y, Y, N), B: (M, N, N), C: (N, N, N)}) == OPT1
    assert _winner({MENTOR: (Y, Y, N), A: (Y, Y, N), B: (N, M, N), C: (N, N, N)}) == OPT2


def test_earliest_breaks_a_full_tie() -> None:
    assert _winner({MENTOR: (N, Y, Y), A: (N, Y, Y)}) == OPT2


def test_mentor_must_be_able_to_come() -> None:
    assert _winner({MENTOR: (N, M, N), A: (Y, N, Y), B: (Y, N, Y), C: (Y, Y, Y)}) == OPT2


def test_no_possible_option() -> None:
    assert _winner({MENTOR: (N, N, N), A: (Y, Y, Y)}) is None
    assert _winner({A: (Y, Y, Y)}) is None


def test_votes_of_people_no_longer_members_do_not_count() -> None:
    votes = _votes({MENTOR: (Y, Y, N), "UGONE": (N, Y, N), A: (Y, N, N)})
    tallies = tally(OPTIONS, votes, MEMBERS)
    assert tallies[1].yes == (MENTOR,)
    assert choose_winner(tallies, mentor_id=MENTOR) == OPT1


def test_who_still_has_to_answer() -> None:
    votes = _votes({MENTOR: (Y, Y, Y), A: (Y, N), B: (N, N, N)})
    assert members_yet_to_answer(OPTIONS, votes, MEMBERS) == [A, C]
    assert not everyone_answered(OPTIONS, votes, MEMBERS)
    votes.update(_votes({A: (Y, N, N), C: (M, M, M)}))
    assert everyone_answered(OPTIONS, votes, MEMBERS)


def test_reminder_is_halfway() -> None:
    assert reminder_time(T0, T0 + timedelta(hours=48)) == T0 + timedelta(hours=24)


def test_default_deadline_never_after_first_option() -> None:
    assert default_deadline(T0, T0 + timedelta(days=5)) == T0 + timedelta(hours=48)
    assert default_deadline(T0, T0 + timedelta(hours=20)) == T0 + timedelta(hours=20)


def test_option_count_and_duplicates() -> None:
    check_options([T0, T0 + timedelta(hours=1)])
    with pytest.raises(UserError, match="at least 2"):
        check_options([T0])
    with pytest.raises(UserError, match="at most 10"):
        check_options([T0 + timedelta(hours=i) for i in range(11)])
    with pytest.raises(UserError, match="same date"):
        check_options([T0, T0])


def test_deadline_rules() -> None:
    check_deadline(T0, now=T0 - timedelta(hours=1), first_option=T0)
    with pytest.raises(UserError, match="future"):
        check_deadline(T0, now=T0, first_option=T0 + timedelta(days=1))
    with pytest.raises(UserError, match="after the first option"):
        check_deadline(T0 + timedelta(days=2), now=T0, first_option=T0 + timedelta(days=1))


def test_split_poll_text() -> None:
    parsed = split_poll_text(" thu 16:00; fri 14:00 ;; deadline = wed 12:00 ")
    assert parsed.options == ("thu 16:00", "fri 14:00")
    assert parsed.deadline == "wed 12:00"
    assert split_poll_text("a; b").deadline is None
    with pytest.raises(UserError, match="deadline="):
        split_poll_text("a; b; deadline=")


def test_best_candidates_most_yes_then_possible_then_earliest() -> None:
    base = datetime(2027, 2, 10, 15, 0, tzinfo=UTC)
    options = [PollOption(n, base + timedelta(days=n)) for n in range(1, 6)]
    tallies = [
        OptionTally(options[0], yes=("a",), if_need_be=(), no=("m",)),
        OptionTally(options[1], yes=("a", "b"), if_need_be=(), no=("m",)),
        OptionTally(options[2], yes=("a",), if_need_be=("b",), no=("m",)),
        OptionTally(options[3], yes=("a", "b"), if_need_be=("c",), no=("m",)),
        OptionTally(options[4], yes=(), if_need_be=(), no=("m", "a")),
    ]
    picked = [t.option.option_id for t in best_candidates(tallies)]
    assert picked == [4, 2, 3]
    assert best_candidates(tallies[:1]) == tallies[:1]
