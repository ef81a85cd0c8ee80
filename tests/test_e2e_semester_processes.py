"""A semester through real bot processes: two `mentorbot run` on one database take every
command and click, one of them (with its worker) is killed with SIGKILL in the middle of a
burst of votes and started again, and the scheduled jobs run at the term's later moments as
two `mentorbot run-job` processes at once. At the end every acknowledged vote and logged
meeting is stored, every poll closed and announced once, every automatic message sent once,
and nothing is left half done. On PostgreSQL, and on SQLite (shared by processes in WAL)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from itertools import cycle
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.sandbox.fakeslack.driver import SlackDriver
from bot.sandbox.fakeslack.server import FakeSlack
from storage.db import make_engine, read_session
from storage.models import (
    FollowUp,
    Meeting,
    Nudge,
    Outbox,
    Poll,
    PollOptionRow,
    PollRedraw,
    Vote,
)
from tests.support.processes import BotProcess, bot_process, run_jobs_at, wait_until
from tests.support.seed import SeededGroup, Seeder

pytestmark = pytest.mark.slow

SECRET = "semester-secret"
COORDINATOR = "UCOORD001"
CPH = ZoneInfo("Europe/Copenhagen")
GROUPS = 8
BOT_PROCESSES = 2


def _stored(database_url: str, model: type[Any]) -> list[Any]:
    engine = make_engine(database_url)
    try:
        with read_session(engine) as session:
            return list(session.exec(select(model)).all())
    finally:
        engine.dispose()


class People:
    """People using Slack: each request goes to one of the bot processes, and one that gets
    no answer is sent again to another, as Slack users click again when a click fails."""

    def __init__(self, slack: FakeSlack, bots: list[BotProcess]) -> None:
        self.slack = slack
        self.bots = bots
        self._turn = cycle(range(1000))
        self._lock = threading.Lock()
        self.unanswered = 0
        """Requests that got no answer (sent to a process that was killed) and went again."""

    def _drivers(self) -> Iterator[SlackDriver]:
        with self._lock:
            first = next(self._turn)
        for offset in range(len(self.bots) * 3):
            bot = self.bots[(first + offset) % len(self.bots)]
            yield SlackDriver(self.slack, bot.events_url, SECRET)

    def command(self, user_id: str, channel_id: str, text: str) -> None:
        for driver in self._drivers():
            try:
                if driver.command(user_id, channel_id, text).ok:
                    return
            except OSError:
                self._unanswered()
        pytest.fail(f"/mentor {text} was never acknowledged")

    def vote(self, user_id: str, group: SeededGroup, option: int, answer: str) -> None:
        message = _poll_message(self.slack, group)
        block = _vote_blocks(message)[option]
        button = next(e for e in block["elements"] if e["action_id"] == f"poll_vote_{answer}")
        for driver in self._drivers():
            try:
                clicked = driver.click(
                    user_id,
                    message=(group.channel_id, message.ts),
                    action_id=button["action_id"],
                    value=button["value"],
                    block_id=block["block_id"],
                )
                if clicked.ok:
                    return
            except OSError:
                self._unanswered()
        pytest.fail("a vote was never acknowledged")

    def _unanswered(self) -> None:
        with self._lock:
            self.unanswered += 1
        time.sleep(0.05)


def _vote_blocks(message: Any) -> list[dict[str, Any]]:
    return [
        b
        for b in message.blocks or []
        if b.get("type") == "actions" and "vote" in b.get("block_id", "")
    ]


def _poll_message(slack: FakeSlack, group: SeededGroup) -> Any:
    return next(m for m in slack.messages_in(group.channel_id) if "poll_vote" in str(m.blocks))


def test_two_bot_processes_a_kill_and_a_semester(database_url: str, tmp_path: Path) -> None:
    start = datetime.now(CPH)
    first_day, second_day = (start + timedelta(days=2)).date(), (start + timedelta(days=3)).date()
    deadline = datetime.combine((start + timedelta(days=1)).date(), datetime.min.time(), CPH)
    deadline = deadline.replace(hour=12)
    with FakeSlack() as slack, ExitStack() as stack:
        slack.add_user("coordinator", user_id=COORDINATOR, real_name="Coordinator")
        seeder = Seeder(slack, database_url, SECRET)
        groups = [seeder.group(f"Group {number}") for number in range(GROUPS)]
        seeder.close()

        def start_bot() -> BotProcess:
            return stack.enter_context(
                bot_process(slack, database_url, tmp_path, secret=SECRET, coordinators=COORDINATOR)
            )

        bots = [start_bot() for _ in range(BOT_PROCESSES)]
        people = People(slack, bots)

        # Every mentor asks for two dates, through whichever bot process Slack reaches.
        poll_text = (
            f"poll {first_day:%d/%m} 16:00; {second_day:%d/%m} 14:00; "
            f"deadline={deadline:%d/%m %H:%M}"
        )
        for group in groups:
            people.command(group.mentor_id, group.channel_id, poll_text)
        wait_until(
            lambda: all(
                any("poll_vote" in str(m.blocks) for m in slack.messages_in(g.channel_id))
                for g in groups
            ),
            "every poll posted",
        )

        # Even groups: everyone answers; their polls close and are announced at once.
        even, odd = groups[::2], groups[1::2]
        for group in even:
            for member in group.member_ids:
                people.vote(member, group, 0, "yes")
                people.vote(member, group, 1, "no")
        wait_until(
            lambda: all(len(slack.files_in(g.channel_id)) == 1 for g in even),
            "the complete polls announced",
        )

        # Odd groups: the mentor and one mentee change their minds many times, from eight
        # people at once; halfway through, one bot process and its worker are killed.
        acknowledged = 0
        counted = threading.Lock()

        def change_minds(user_id: str, group: SeededGroup) -> None:
            nonlocal acknowledged
            clicks = [(o, a) for _ in range(4) for o in (0, 1) for a in ("no", "if_need_be")]
            for option, answer in [*clicks, (0, "yes"), (1, "no")]:
                people.vote(user_id, group, option, answer)
                with counted:
                    acknowledged += 1

        voters = [
            threading.Thread(target=change_minds, args=(member, group))
            for group in odd
            for member in group.member_ids[:2]
        ]
        for voter in voters:
            voter.start()
        wait_until(lambda: acknowledged >= 60, "half the clicks acknowledged")
        bots[0].kill()
        for voter in voters:
            voter.join(timeout=120)
        assert acknowledged == len(odd) * 2 * 18
        assert people.unanswered > 0, "the kill cut clicks off; they were sent again"
        bots[0] = start_bot()

        # Mentors log the meeting they held yesterday.
        yesterday = (start - timedelta(days=1)).date()
        for group in groups:
            people.command(group.mentor_id, group.channel_id, f"log {yesterday:%d/%m} 10:00")

        # The rest of the term, from two processes at once each time: the reminders halfway
        # to the deadline, the deadline, the day before the meeting, after it, the next
        # Monday's digest, and the nudges two weeks on.
        moments = [
            start + timedelta(minutes=20),
            start + (deadline - start) / 2 + timedelta(minutes=5),
            deadline + timedelta(minutes=5),
            datetime.combine(first_day - timedelta(days=1), datetime.min.time(), CPH).replace(
                hour=17
            ),
            datetime.combine(first_day, datetime.min.time(), CPH).replace(hour=20),
        ]
        monday = first_day + timedelta(days=7 - first_day.weekday())
        moments.append(
            datetime.combine(monday, datetime.min.time(), CPH).replace(hour=8, minute=30)
        )
        moments.append(moments[-1] + timedelta(days=8, hours=2))  # Tuesday 10:30
        for moment in moments:
            run_jobs_at(
                slack, database_url, tmp_path, moment, secret=SECRET, coordinators=COORDINATOR
            )

        # Give the bots' own workers a moment to finish anything they had started.
        wait_until(
            lambda: not _stored(database_url, PollRedraw) and not _stored(database_url, FollowUp),
            "nothing left to do",
        )
        for bot in bots:
            bot.stop()
            assert "Traceback" not in bot.log.read_text(), bot.log.read_text()

    # Every acknowledged vote stored, with the last answer.
    votes = _stored(database_url, Vote)
    assert len({(v.option_id, v.slack_user_id) for v in votes}) == len(votes)
    assert len(votes) == len(even) * 4 * 2 + len(odd) * 2 * 2
    positions = {o.id: o.position for o in _stored(database_url, PollOptionRow)}
    assert {(positions[v.option_id], v.answer) for v in votes} == {(1, "yes"), (2, "no")}
    polls = {p.id: p for p in _stored(database_url, Poll)}
    assert len(polls) == GROUPS
    assert {p.state for p in polls.values()} == {"closed"}

    # One meeting planned per poll, one logged per group.
    meetings = _stored(database_url, Meeting)
    assert sum(1 for m in meetings if m.poll_id is not None) == GROUPS
    assert sum(1 for m in meetings if m.logged_by is not None and m.poll_id is None) == GROUPS

    # Exactly once: every claimed send went out, and Slack holds one message per claim.
    outbox = _stored(database_url, Outbox)
    assert {o.status for o in outbox} == {"sent"}, Counter((o.kind, o.status) for o in outbox)
    kinds = Counter(o.kind for o in outbox)
    assert kinds["poll_result"] == GROUPS
    for group in groups:
        assert len(slack.files_in(group.channel_id)) == 1, "one calendar file per poll"
        texts = json.dumps([m.blocks for m in slack.messages_in(group.channel_id)])
        assert texts.count("meets tomorrow") == 1
        poll_message = _poll_message_by_ts(slack, group, polls)
        assert "poll_vote" not in json.dumps(poll_message.blocks), "the tally shows it closed"
    reminders = sum(
        1
        for g in groups
        for user in g.member_ids
        for m in slack.dm_messages_to(user)
        if "Reminder: your mentor group" in m.text
    )
    assert reminders == kinds["poll_reminder"] == len(odd) * 2
    questions = sum(
        1
        for g in groups
        for m in slack.dm_messages_to(g.mentor_id)
        if m.text.startswith("Did ") and " meet on " in m.text
    )
    assert questions == kinds["did_you_meet"] == GROUPS
    digests = [m for m in slack.dm_messages_to(COORDINATOR) if "Weekly digest" in m.text]
    assert len(digests) == kinds["digest"] >= 1
    nudges = _stored(database_url, Nudge)
    assert {n.status for n in nudges} <= {"sent"}
    nudge_messages = sum(
        1
        for g in groups
        for m in slack.dm_messages_to(g.mentor_id)
        if "planned_offline" in json.dumps(m.blocks)
    )
    assert nudge_messages == len(nudges)


def _poll_message_by_ts(slack: FakeSlack, group: SeededGroup, polls: dict[int, Any]) -> Any:
    poll = next(p for p in polls.values() if p.channel_id == group.channel_id)
    return next(m for m in slack.messages_in(group.channel_id) if m.ts == poll.message_ts)
