"""Availability polls: the winner rule, who still has to answer, and when things are due.

Plain data in, plain answers out: no Slack, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.errors import UserError
from bot.domain.said import number_said
from bot.i18n import Phrase, nphrase, phrase

MIN_OPTIONS = 2
MAX_OPTIONS = 10
DEFAULT_DEADLINE = timedelta(hours=48)
DEFAULT_LENGTH_MINUTES = 90
LENGTH_CHOICES = (45, 60, 90, 120, 150)
"""The meeting lengths a poll can offer, in minutes."""


class Answer(StrEnum):
    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


@dataclass(frozen=True)
class PollOption:
    option_id: int
    starts_at: datetime


Votes = Mapping[tuple[int, str], Answer]
"""(option_id, user_id) → that member's latest answer."""


@dataclass(frozen=True)
class OptionTally:
    option: PollOption
    yes: tuple[str, ...]
    if_need_be: tuple[str, ...]
    no: tuple[str, ...]

    @property
    def possible_count(self) -> int:
        return len(self.yes) + len(self.if_need_be)


def tally(options: Sequence[PollOption], votes: Votes, members: Iterable[str]) -> list[OptionTally]:
    """Per option, who answered what; only current members' votes count."""
    member_set = set(members)
    result = []
    for option in options:
        by_answer: dict[Answer, list[str]] = {answer: [] for answer in Answer}
        for (option_id, user_id), answer in sorted(votes.items()):
            if option_id == option.option_id and user_id in member_set:
                by_answer[answer].append(user_id)
        result.append(
            OptionTally(
                option=option,
                yes=tuple(by_answer[Answer.YES]),
                if_need_be=tuple(by_answer[Answer.IF_NEED_BE]),
                no=tuple(by_answer[Answer.NO]),
            )
        )
    return result


def choose_winner(tallies: Sequence[OptionTally], *, mentor_id: str) -> PollOption | None:
    """The mentor must be able to come (yes or if need be); then most yes, then most
    yes + if need be, then the earliest. None when no option is possible."""
    possible = [t for t in tallies if mentor_id in t.yes or mentor_id in t.if_need_be]
    if not possible:
        return None
    best = min(
        possible,
        key=lambda t: (-len(t.yes), -t.possible_count, t.option.starts_at, t.option.option_id),
    )
    return best.option


MAX_CANDIDATES = 3
"""How many dates the mentor is offered to pick from when no date works for everyone."""


def best_candidates(
    tallies: Sequence[OptionTally], *, limit: int = MAX_CANDIDATES
) -> list[OptionTally]:
    """The dates most members can make, best first, for the mentor to pick from when no date
    works for everyone who must come: most yes, then most yes + if need be, then the
    earliest. The mentor's own answer is left out of the order: picking is overriding it."""
    ranked = sorted(
        tallies,
        key=lambda t: (-len(t.yes), -t.possible_count, t.option.starts_at, t.option.option_id),
    )
    return ranked[:limit]


def members_yet_to_answer(
    options: Sequence[PollOption], votes: Votes, members: Iterable[str]
) -> list[str]:
    """Members who have not answered every option, in a stable order."""
    return sorted(
        member
        for member in set(members)
        if any((option.option_id, member) not in votes for option in options)
    )


def everyone_answered(options: Sequence[PollOption], votes: Votes, members: Iterable[str]) -> bool:
    return not members_yet_to_answer(options, votes, members)


def reminder_time(opened_at: datetime, deadline: datetime) -> datetime:
    """Halfway from opening to the deadline."""
    return opened_at + (deadline - opened_at) / 2


def default_deadline(now: datetime, first_option: datetime) -> datetime:
    return min(now + DEFAULT_DEADLINE, first_option)


def check_options(starts: Sequence[datetime]) -> None:
    if len(starts) < MIN_OPTIONS:
        raise UserError(
            nphrase(
                "A poll needs at least {count} date to choose from; separate them with “;”.",
                "A poll needs at least {count} dates to choose from; separate them with “;”.",
                MIN_OPTIONS,
            )
        )
    if len(starts) > MAX_OPTIONS:
        raise UserError(_too_many(len(starts)))
    if len(set(starts)) != len(starts):
        raise UserError(
            phrase("Two of the options are the same date and time; give each only once.")
        )


def _too_many(given: int) -> Phrase:
    return nphrase(
        "A poll can offer at most {count} date; you gave {given}.",
        "A poll can offer at most {count} dates; you gave {given}.",
        MAX_OPTIONS,
        given=number_said(given),
    )


def check_deadline(deadline: datetime, *, now: datetime, first_option: datetime) -> None:
    if deadline <= now:
        raise UserError(phrase("The deadline has to be in the future."))
    if deadline > first_option:
        raise UserError(
            phrase("The deadline can't be after the first option, or people would answer too late.")
        )


DEADLINE_KEYS = ("deadline", "frist")
WHERE_KEYS = ("where", "hvor")


@dataclass(frozen=True)
class PollText:
    options: tuple[str, ...]
    deadline: str | None
    where: str | None = None
    """Where the group will meet, as typed (checked by bot/domain/places.py)."""


def check_option_count(count: int) -> None:
    """Refuse more than MAX_OPTIONS dates, counted before any of them is read as a date
    (reading one costs about a millisecond; thousands would hold the worker for seconds)."""
    if count > MAX_OPTIONS:
        raise UserError(
            nphrase(
                "A poll can offer at most {count} date; you gave {given}. "
                "Pick the best ones and try again.",
                "A poll can offer at most {count} dates; you gave {given}. "
                "Pick the best ones and try again.",
                MAX_OPTIONS,
                given=number_said(count),
            )
        )


def split_poll_text(text: str) -> PollText:
    """`thu 16:00; fri 14:00; deadline=wed 12:00; where="Room 2.14"` → options, the
    deadline text and the place (the command's quotes are gone by now).

    Too many options are refused here, once the separators are counted, before any is
    read as a date."""
    options: list[str] = []
    deadline: str | None = None
    where: str | None = None
    for segment in (part.strip() for part in text.split(";")):
        if not segment:
            continue
        key, equals, value = segment.partition("=")
        if equals and key.strip().lower() in DEADLINE_KEYS:
            if not value.strip():
                raise UserError(
                    phrase("`deadline=` needs a date and time, like `deadline=wed 12:00`.")
                )
            deadline = value.strip()
        elif equals and key.strip().lower() in WHERE_KEYS:
            if not value.strip():
                raise UserError(
                    phrase('`where=` needs a place, like `where="Room 2.14"` or a link.')
                )
            where = value.strip()
        else:
            options.append(segment)
    check_option_count(len(options))
    return PollText(options=tuple(options), deadline=deadline, where=where)
