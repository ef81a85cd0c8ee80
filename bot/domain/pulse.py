"""The belonging pulse: a short check-in each participant gets at the start, middle and end
of a term, its statements and scale, when each round is open, the marker that says someone
answered without saying who, and the results coordinators may see.

The statements are our own wording, informed by published sense-of-belonging scales (being
accepted and part of a place of study, having people to turn to, feeling able to cope). Each
has a fixed number, stored with the answers: a statement's wording may improve, its number
never changes meaning.

Results are shown per term and role only, and a figure only where at least `MIN_ANSWERS`
people gave it: a smaller count could let a coordinator tell who answered what.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.i18n import Phrase, phrase

MIN_ANSWERS = 5
"""A figure is shown only where at least this many people answered (per statement, round
and role); below it, "not enough answers to show"."""


class RoundKind(StrEnum):
    START = "start"
    MIDDLE = "middle"
    END = "end"


STATEMENTS: dict[int, Phrase] = {
    # TRANSLATORS: a statement of the belonging check-in, rated from "strongly disagree" to
    # "strongly agree"; "where I study" is a school or a university.
    1: phrase("I feel I belong where I study."),
    # TRANSLATORS: a statement of the belonging check-in.
    2: phrase("There are people here I can turn to when things get hard."),
    # TRANSLATORS: a statement of the belonging check-in.
    3: phrase("I feel accepted by the people I study with."),
    # TRANSLATORS: a statement of the belonging check-in.
    4: phrase("I am confident I can cope with my studies."),
}
"""The statements by their stored number, in the order they are asked."""

SCALE: dict[int, Phrase] = {
    # TRANSLATORS: a button of the check-in's five-point scale, max 75 characters.
    1: phrase("Strongly disagree"),
    # TRANSLATORS: a button of the check-in's five-point scale, max 75 characters.
    2: phrase("Disagree"),
    # TRANSLATORS: a button of the check-in's five-point scale (neither agree nor disagree),
    # max 75 characters.
    3: phrase("Not sure"),
    # TRANSLATORS: a button of the check-in's five-point scale, max 75 characters.
    4: phrase("Agree"),
    # TRANSLATORS: a button of the check-in's five-point scale, max 75 characters.
    5: phrase("Strongly agree"),
}
"""The five points, 1 (strongly disagree) to 5 (strongly agree)."""

ROUND_WORDS: dict[RoundKind, Phrase] = {
    # TRANSLATORS: a label in the check-in results: the check-in at the start of the term.
    RoundKind.START: phrase("Start of term"),
    # TRANSLATORS: a label in the check-in results: the check-in halfway through the term.
    RoundKind.MIDDLE: phrase("Middle of term"),
    # TRANSLATORS: a label in the check-in results: the check-in at the end of the term.
    RoundKind.END: phrase("End of term"),
}
"""Each round as a label in the results ("Start of term: 3.5 of 5")."""

START_DELAY_DAYS = 3
"""The first round waits this long after the term starts or its groups are formed (whichever
is later): people should have met their group before they are asked."""
END_ROUND_DAYS = 14
"""The last round opens two weeks before the term ends."""
END_GRACE_DAYS = 7
"""…and stays open a week after it, for those who answer late."""
MIN_GAP_DAYS = 14
"""Two rounds closer than this would ask the same thing twice."""


@dataclass(frozen=True)
class RoundWindow:
    kind: RoundKind
    opens_on: date
    closes_on: date
    """The first day it is closed."""

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today < self.closes_on


def weekday_from(day: date) -> date:
    """`day`, or the Monday after it if it falls at a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def round_windows(
    *, starts_on: date, ends_on: date, groups_from: date | None
) -> tuple[RoundWindow, ...]:
    """The term's rounds, each open until the next one opens (the last until a week after
    the term). No groups yet: no round at all. Groups formed late get their start round
    all the same (a change needs a start to measure from): the middle round is left out
    when it would come less than `MIN_GAP_DAYS` after the start, and the start itself when
    the groups came within the term's last two weeks."""
    if groups_from is None:
        return ()
    start = weekday_from(max(starts_on, groups_from) + timedelta(days=START_DELAY_DAYS))
    middle = weekday_from(starts_on + (ends_on - starts_on) / 2)
    end = weekday_from(ends_on - timedelta(days=END_ROUND_DAYS - 1))
    closes = ends_on + timedelta(days=END_GRACE_DAYS + 1)
    if start >= end:
        return (RoundWindow(RoundKind.END, start, closes),) if start < closes else ()
    if middle < start + timedelta(days=MIN_GAP_DAYS) or middle >= end:
        return (RoundWindow(RoundKind.START, start, end), RoundWindow(RoundKind.END, end, closes))
    return (
        RoundWindow(RoundKind.START, start, middle),
        RoundWindow(RoundKind.MIDDLE, middle, end),
        RoundWindow(RoundKind.END, end, closes),
    )


def open_window(windows: Iterable[RoundWindow], today: date) -> RoundWindow | None:
    return next((window for window in windows if window.is_open(today)), None)


def window_of(windows: Iterable[RoundWindow], kind: str) -> RoundWindow | None:
    return next((window for window in windows if window.kind == kind), None)


# -- Answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    """A click on the scale, as its button's value says: checked against the database."""

    round_id: int
    statement: int
    score: int


MAX_ID = 2**31 - 1


def parse_click(value: str) -> Click | None:
    """ "ROUND:STATEMENT:SCORE", or None if it is not one we could have made (forged)."""
    parts = value.split(":")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts):
        return None
    round_id, statement, score = (int(p) for p in parts)
    if not 0 < round_id <= MAX_ID or statement not in STATEMENTS or score not in SCALE:
        return None
    return Click(round_id, statement, score)


def click_value(*, round_id: int, statement: int, score: int) -> str:
    return f"{round_id}:{statement}:{score}"


def marker(key: bytes, *, round_id: int, statement: int, user_id: str) -> str:
    """That `user_id` answered (or skipped) `statement` of a round, as 64 hex digits.

    A keyed hash (HMAC-SHA256), not a plain one: the database holds every participant's
    Slack ID, so a plain hash could be undone by hashing each of them; without the key,
    which is not in the database, a marker points at nobody. It never holds the ID itself,
    and the answer rows carry no marker at all, so what someone answered is not linked to
    them either way."""
    message = f"{round_id}:{statement}:{user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# -- Results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementResult:
    statement: int
    answers: int
    mean: float | None
    """None where fewer than `MIN_ANSWERS` people answered."""


@dataclass(frozen=True)
class RoundResult:
    kind: RoundKind
    role: str
    statements: tuple[StatementResult, ...]

    @property
    def answered(self) -> int:
        """People who answered at least the most answered statement: with no person on the
        answers, the best lower bound of how many took part."""
        return max((s.answers for s in self.statements), default=0)

    @property
    def shown(self) -> bool:
        return self.answered >= MIN_ANSWERS

    @property
    def mean(self) -> float | None:
        """The mean of the statements' means that may be shown, None if none may."""
        means = [s.mean for s in self.statements if s.mean is not None]
        return sum(means) / len(means) if means else None


@dataclass(frozen=True)
class RoleChange:
    role: str
    change: float | None
    """End minus start (mean of the statements shown in both), None when either round had
    fewer than `MIN_ANSWERS` answers."""


@dataclass(frozen=True)
class PulseSummary:
    rounds: tuple[RoundResult, ...]
    changes: tuple[RoleChange, ...]

    def result(self, kind: RoundKind, role: str) -> RoundResult | None:
        return next((r for r in self.rounds if r.kind == kind and r.role == role), None)


ROLES = ("mentee", "mentor")

Counts = Mapping[tuple[str, str, int, int], int]
"""(round kind, role, statement, score) → how many answered so."""


def summarise(counts: Counts, *, held: Iterable[str]) -> PulseSummary:
    """Each held round's results per role, and the start-to-end change per role."""
    kinds = [kind for kind in RoundKind if kind in set(held)]
    rounds = tuple(
        RoundResult(
            kind=kind,
            role=role,
            statements=tuple(_statement(counts, kind, role, s) for s in STATEMENTS),
        )
        for kind in kinds
        for role in ROLES
    )
    summary = PulseSummary(rounds=rounds, changes=())
    return PulseSummary(rounds=rounds, changes=tuple(_change(summary, role) for role in ROLES))


def _statement(counts: Counts, kind: RoundKind, role: str, statement: int) -> StatementResult:
    scores = {score: counts.get((kind.value, role, statement, score), 0) for score in SCALE}
    answers = sum(scores.values())
    if answers < MIN_ANSWERS:
        return StatementResult(statement, answers, None)
    return StatementResult(
        statement, answers, sum(score * n for score, n in scores.items()) / answers
    )


def _change(summary: PulseSummary, role: str) -> RoleChange:
    start = summary.result(RoundKind.START, role)
    end = summary.result(RoundKind.END, role)
    if start is None or end is None or not (start.shown and end.shown):
        return RoleChange(role, None)
    pairs = [
        (a.mean, b.mean)
        for a, b in zip(start.statements, end.statements, strict=True)
        if a.mean is not None and b.mean is not None
    ]
    if not pairs:
        return RoleChange(role, None)
    return RoleChange(role, sum(b - a for a, b in pairs) / len(pairs))
