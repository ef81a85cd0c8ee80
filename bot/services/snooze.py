"""People asking for quiet: `/mentor snooze until DAY`, `/mentor snooze off` and the
"Remind me later" button, and the one filter every job's DM to a person goes through.

A snooze holds back what the jobs send to one person (poll reminders, the mentor's nudge DM,
"did you meet?"); the group channel's announcements still come. What is held back is not
queued: a poll reminder still due when the snooze ends goes then (the poll job keeps trying
until the deadline), one whose poll closed meanwhile is skipped, and a nudge DM skipped
this week comes with the next week's nudge if the group still needs one.

The answers are for the person alone, in their language (`t`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.blocks.text import md
from bot.domain.days import UNTIL_WORDS, parse_day
from bot.domain.errors import UserError
from bot.i18n import Translator, phrase
from bot.runtime import Runtime
from storage.db import read_session, write_session
from storage.people import set_snooze, snoozed_among
from storage.terms import current_term

REMIND_LATER = timedelta(days=1)
"""How long "Remind me later" keeps a person quiet."""

SNOOZE_USAGE = phrase(
    "Say until when: `/mentor snooze until 2027-03-15` (or `until 15/3`), "
    "or `/mentor snooze off` to hear from me again."
)


def awake_among(runtime: Runtime, user_ids: list[str] | tuple[str, ...]) -> list[str]:
    """`user_ids` without those snoozed now, in their order: every DM a job sends to a
    person is addressed through this."""
    with read_session(runtime.engine) as session:
        snoozed = snoozed_among(session, list(user_ids), now=runtime.now())
    return [user_id for user_id in user_ids if user_id not in snoozed]


def snooze_command(runtime: Runtime, t: Translator, *, user_id: str, words: list[str]) -> str:
    """`/mentor snooze until DAY` (quiet through DAY, as `pause` counts its days) or
    `/mentor snooze off`; the answer says what happens meanwhile."""
    lowered = [word.lower() for word in words]
    if lowered == ["off"]:
        _store(runtime, user_id, None)
        return t.gettext("Snooze off: reminders and DMs from me come again.")
    if len(words) != 2 or lowered[0] not in UNTIL_WORDS:
        raise UserError(SNOOZE_USAGE)
    zone = _zone(runtime)
    today = runtime.now().astimezone(zone).date()
    day = parse_day(words[1], today=today)
    if day < today:
        raise UserError(phrase("That day has passed: pick today or a later day."))
    _store(runtime, user_id, _start_of(day + timedelta(days=1), zone))
    return md(
        t.gettext(
            "Snoozed through {day}: no reminders or DMs from me until then. Poll reminders "
            "still due then come afterwards; one for a poll that closed meanwhile is skipped. "
            "Your group's channel still gets its announcements."
        ),
        day=t.long_day(day),
    )


def remind_later(runtime: Runtime, t: Translator, *, user_id: str) -> str:
    """The "Remind me later" button: quiet for a day, for the person who clicked only."""
    until = runtime.now() + REMIND_LATER
    _store(runtime, user_id, until)
    local = until.astimezone(_zone(runtime))
    return md(
        t.gettext(
            "All right: no reminders or DMs from me until {when}. `/mentor snooze off` ends "
            "it sooner."
        ),
        when=t.moment(local),
    )


def _store(runtime: Runtime, user_id: str, until: datetime | None) -> None:
    with write_session(runtime.engine) as session:
        set_snooze(session, user_id, until)


def _zone(runtime: Runtime) -> ZoneInfo:
    """The current term's zone (where its people live), or the scheme's."""
    with read_session(runtime.engine) as session:
        term = current_term(session)
    return ZoneInfo(term.timezone) if term is not None else runtime.settings.zone


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)
