"""The bot killed with SIGKILL and started again (and, on PostgreSQL, two bot processes on one
database): acknowledged votes are kept, a poll whose deadline passed while the bot was down is
closed on start, and its result is announced exactly once. (A whole semester with a kill in
the middle: test_e2e_semester_processes.py.)"""

from __future__ import annotations

import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select, update

from bot.sandbox.fakeslack.driver import SlackDriver
from bot.sandbox.fakeslack.server import FakeSlack
from storage.db import make_engine, read_session, write_session
from storage.models import Outbox, Poll, Vote
from tests.support.processes import bot_process, wait_until
from tests.support.seed import Seeder

SECRET = "restart-secret"


def _seed(slack: FakeSlack, database_url: str) -> tuple[list[str], str, int]:
    seeder = Seeder(slack, database_url, SECRET)
    group = seeder.group("Restart group")
    poll_id = seeder.poll(group)
    seeder.close()
    return group.member_ids, group.channel_id, poll_id


def _click_all(slack: FakeSlack, events_url: str, people: list[str], channel: str) -> int:
    driver = SlackDriver(slack, events_url, SECRET)
    message = next(m for m in slack.messages_in(channel) if "poll_vote_yes" in str(m.blocks))
    acknowledged = 0
    for user in people[:3]:  # the fourth member never answers, so the poll stays open
        for block in (
            b for b in message.blocks if b.get("type") == "actions" and "vote" in b["block_id"]
        ):
            button = block["elements"][0]
            answer = driver.click(
                user,
                message=(channel, message.ts),
                action_id=button["action_id"],
                value=button["value"],
                block_id=block["block_id"],
            )
            acknowledged += answer.ok
    return acknowledged


def _stored(database_url: str, model: type[Any]) -> list[Any]:
    engine = make_engine(database_url)
    with read_session(engine) as session:
        rows = list(session.exec(select(model)).all())
    engine.dispose()
    return rows


def test_killed_and_restarted_nothing_lost_nothing_twice(database_url: str, tmp_path: Path) -> None:
    two_processes = database_url.startswith("postgresql")
    with FakeSlack() as slack:
        people, channel, poll_id = _seed(slack, database_url)
        with bot_process(slack, database_url, tmp_path, secret=SECRET) as bot:
            acknowledged = _click_all(slack, bot.events_url, people, channel)
            bot.kill()  # mid-work: the redraws after the acks may be cut off
        assert acknowledged == 6
        assert len(_stored(database_url, Vote)) == 6, "every acknowledged vote is stored"

        # While the bot is down, the deadline passes.
        engine = make_engine(database_url)
        with write_session(engine) as session:
            session.execute(
                update(Poll)
                .where(Poll.id == poll_id)  # type: ignore[arg-type]
                .values(deadline=datetime.now(UTC) - timedelta(minutes=5))
            )
        engine.dispose()

        with ExitStack() as stack:
            for _ in range(2 if two_processes else 1):
                stack.enter_context(bot_process(slack, database_url, tmp_path, secret=SECRET))
            wait_until(lambda: len(slack.files_in(channel)) >= 1, "the result announced on start")
            time.sleep(2)  # give a second process the chance to announce twice, if it could
        [poll] = _stored(database_url, Poll)
        assert poll.state == "closed"
        assert poll.close_reason == "deadline"
        assert len(slack.files_in(channel)) == 1

        with bot_process(slack, database_url, tmp_path, secret=SECRET) as bot:
            time.sleep(2)
            bot.kill()
        assert len(slack.files_in(channel)) == 1, "a restart does not announce again"
        results = [o for o in _stored(database_url, Outbox) if o.kind == "poll_result"]
        assert [o.status for o in results] == ["sent"]
