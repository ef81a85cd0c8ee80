"""How much the bot says to each mentee, week by week, over the rest of a term in which nobody
acts: the worst case for reminders, nudges and check-ins. Issue 15 asked that every message
carry its action without the count growing; this holds the bot to a budget per mentee per
week and checks that the weeks late in the term, when groups fall behind, are no louder than
the early ones.

Played in the sandbox (the demo term, four groups at different stages, every scheduled job
run where `mentorbot run` would run it) with its clock moved a week at a time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.sandbox.app import Sandbox, SandboxOptions
from handlers import LISTENERS
from storage.db import read_session
from storage.models import MemberRole, Membership, MentorGroup

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN)  # a Tuesday
SET_UP = timedelta(minutes=1)
WEEKLY_BUDGET = 6
"""Messages from the bot a mentee may read in one week: their group channel's posts and
their own DMs. A week with a poll, its reminder, a meeting's day-before reminder, a gentle
nudge line and a check-in stays under it."""


def _mentees(sandbox: Sandbox) -> dict[str, str]:
    """Each mentee of the demo term and their group's channel."""
    with read_session(sandbox.runtime.engine) as session:
        rows = session.exec(
            select(Membership.slack_user_id, MentorGroup.channel_id)
            .join(MentorGroup, col(MentorGroup.id) == col(Membership.group_id))
            .where(col(Membership.role) == MemberRole.MENTEE)
        ).all()
    return {user_id: channel_id for user_id, channel_id in rows if channel_id}


def _week(ts: str) -> tuple[int, int]:
    """The ISO (year, week) a message was posted in, in the term's zone."""
    moment = datetime.fromtimestamp(float(ts), tz=UTC).astimezone(COPENHAGEN)
    year, week, _ = moment.isocalendar()
    return year, week


def test_no_mentee_hears_more_than_the_budget_in_any_week_and_late_weeks_are_not_louder() -> None:
    with Sandbox(LISTENERS, SandboxOptions(start=START)) as sandbox:
        term_end = sandbox.target("end")
        moment = START
        while moment < term_end:
            moment = min(moment + timedelta(days=7), term_end)
            sandbox.advance_to(moment)
        mentees = _mentees(sandbox)
        per_week: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
        for user_id, channel_id in mentees.items():
            heard = [m for m in sandbox.slack.messages_in(channel_id) if m.by_bot]
            heard += [m for m in sandbox.slack.dm_messages_to(user_id) if m.by_bot]
            for message in heard:
                # The demo's own set-up (welcomes, past meetings logged) is posted at START.
                if float(message.ts) >= (START + SET_UP).timestamp():
                    per_week[user_id][_week(message.ts)] += 1

    assert len(mentees) >= 10, "the demo term's mentees"
    weeks = sorted({week for counts in per_week.values() for week in counts})
    assert len(weeks) >= 6, "the rest of the term, week by week"
    loudest = max(count for counts in per_week.values() for count in counts.values())
    assert loudest <= WEEKLY_BUDGET, dict(per_week)
    half = len(weeks) // 2
    early = max(counts[w] for counts in per_week.values() for w in weeks[:half])
    late = max(counts[w] for counts in per_week.values() for w in weeks[half:])
    assert late <= max(early, 3), f"late weeks louder than early ones: {dict(per_week)}"
