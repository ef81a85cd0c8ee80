"""How often one person may store things (theme ideas, polls, meeting logs), so that nobody
can fill a group's channel or the database by repeating a command.

The limits sit far above what a mentor or mentee does in a real hour (a mentor logging a
whole term's meetings at once logs about ten), and count attempts, not only successes: a
flood of refused commands costs the bot as much as a flood of accepted ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.i18n import Phrase, nphrase


class StoringAction(StrEnum):
    SUGGEST_THEME = "suggest_theme"
    START_POLL = "start_poll"
    LOG_MEETING = "log_meeting"


@dataclass(frozen=True)
class FloodLimit:
    most: int
    per: timedelta


LIMITS = {
    StoringAction.SUGGEST_THEME: FloodLimit(20, timedelta(hours=1)),
    StoringAction.START_POLL: FloodLimit(10, timedelta(hours=1)),
    StoringAction.LOG_MEETING: FloodLimit(20, timedelta(hours=1)),
}


def window_start(now: datetime, per: timedelta) -> datetime:
    """The start of the fixed window `now` falls in (windows are aligned to the epoch, so
    every process computes the same one)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    windows = (now - epoch) // per
    return epoch + windows * per


def slow_down_message(action: StoringAction, *, now: datetime) -> Phrase:
    """The friendly answer once someone went over the limit, naming what they did (one
    whole sentence per action, so each language words it its own way)."""
    limit = LIMITS[action]
    reopens = window_start(now, limit.per) + limit.per
    minutes = max(1, -(-int((reopens - now).total_seconds()) // 60))
    if action is StoringAction.SUGGEST_THEME:
        return nphrase(
            "Slow down a little: you have suggested themes {most} times in a short while, "
            "the most the bot takes. Try again in {count} minute.",
            "Slow down a little: you have suggested themes {most} times in a short while, "
            "the most the bot takes. Try again in {count} minutes.",
            minutes,
            most=limit.most,
        )
    if action is StoringAction.START_POLL:
        return nphrase(
            "Slow down a little: you have started polls {most} times in a short while, "
            "the most the bot takes. Try again in {count} minute.",
            "Slow down a little: you have started polls {most} times in a short while, "
            "the most the bot takes. Try again in {count} minutes.",
            minutes,
            most=limit.most,
        )
    return nphrase(
        "Slow down a little: you have logged meetings {most} times in a short while, "
        "the most the bot takes. Try again in {count} minute.",
        "Slow down a little: you have logged meetings {most} times in a short while, "
        "the most the bot takes. Try again in {count} minutes.",
        minutes,
        most=limit.most,
    )
