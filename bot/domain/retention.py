"""How long what the bot stores is kept: pure date arithmetic and the shape of pseudonyms,
with no database and no Slack (the job is bot/services/privacy.py, the statements
storage/privacy.py)."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

PSEUDONYM_PREFIX = "X"
"""Slack user IDs begin with U or W; a pseudonymous ID never does, so it cannot be mistaken
for (or mention) a real account."""

_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Pseudonym:
    """What replaces a person's Slack ID and name: random, with nothing kept that leads back."""

    user_id: str
    name: str


def new_pseudonym() -> Pseudonym:
    """A fresh pseudonym. The ID is as short as a Slack ID (keys that embed an ID keep their
    length) and random, so it says nothing about whom it replaced; the number in the name
    is random too, and only there so that two former participants in a report differ."""
    code = "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(9))
    return Pseudonym(
        user_id=PSEUDONYM_PREFIX + code,
        name=f"Former participant {1000 + secrets.randbelow(9000)}",
    )


def is_pseudonymous(user_id: str) -> bool:
    return user_id.startswith(PSEUDONYM_PREFIX)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day where it is shorter:
    12 months before 29 February is 28 February)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def notes_cutoff(today: date, kept_days: int) -> date:
    """Notes of a term that ended before this day are deleted: a term that ended on
    `today - kept_days` still has them for the rest of today."""
    return today - timedelta(days=kept_days)


def pseudonymise_cutoff(today: date, after_months: int) -> date:
    """Someone whose last term ended before this day (and who is in no current term) is
    pseudonymised."""
    return months_before(today, after_months)


@dataclass(frozen=True)
class RetentionPeriods:
    """The periods the settings give, as people are told them."""

    notes_kept_days: int
    pseudonymise_after_months: int
