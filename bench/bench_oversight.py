"""How the daily nudge pass and the weekly digest scale: one pass of a fixed handful of
queries, whatever the number of groups.

    python bench/bench_oversight.py [--groups 5000] [--database-url URL]

Seeds a term with that many groups (a mentor and 3 mentees each, some meetings, polls and
pauses), then times the work the nudge and digest jobs do before talking to Slack, and counts
the SQL statements it takes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert
from sqlmodel import col, select

from bot.config import Settings
from bot.runtime import Runtime
from bot.services.oversight import _pace, term_digest
from storage.db import make_engine, read_session, write_session
from storage.migrate import upgrade
from storage.models import Meeting, Membership, MentorGroup, Person, Poll, Term
from storage.progress import GroupProgress, progress_of_term

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def seed(runtime: Runtime, groups: int) -> Term:
    with write_session(runtime.engine) as session:
        term = Term(
            name="Bench term",
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 1, 31),
            min_meetings=3,
            timezone="Europe/Copenhagen",
            is_current=True,
            created_at=NOW,
            created_by="UBENCH",
        )
        session.add(term)
        session.flush()
        people = [
            {"slack_user_id": f"U{g:05d}{r}", "name": f"Person {g} {r}"}
            for g in range(groups)
            for r in range(4)
        ]
        session.execute(insert(Person), people)
        session.execute(
            insert(MentorGroup),
            [
                {
                    "term_id": term.id,
                    "name": f"Group {g:05d}",
                    "member_key": f"k{g}",
                    "channel_id": f"C{g:08d}",
                    "setup": "welcomed",
                    "created_at": NOW,
                    "created_by": "UBENCH",
                }
                for g in range(groups)
            ],
        )
        ids = list(session.exec(select(MentorGroup.id).order_by(col(MentorGroup.id))).all())
        session.execute(
            insert(Membership),
            [
                {
                    "group_id": gid,
                    "term_id": term.id,
                    "slack_user_id": f"U{g:05d}{r}",
                    "role": "mentor" if r == 0 else "mentee",
                    "status": "active",
                    "joined_at": NOW,
                }
                for g, gid in enumerate(ids)
                for r in range(4)
            ],
        )
        session.execute(
            insert(Meeting),
            [
                {
                    "group_id": gid,
                    "starts_at": NOW - timedelta(days=7 * k + g % 5),
                    "ends_at": NOW - timedelta(days=7 * k + g % 5) + timedelta(minutes=90),
                    "state": "held",
                    "created_at": NOW,
                }
                for g, gid in enumerate(ids)
                for k in range(g % 4)
            ],
        )
        session.execute(
            insert(Poll),
            [
                {
                    "group_id": gid,
                    "created_by": "UBENCH",
                    "channel_id": f"C{g:08d}",
                    "state": "open",
                    "opened_at": NOW,
                    "deadline": NOW + timedelta(days=1),
                    "reminder_due_at": NOW - timedelta(hours=1),
                    "length_minutes": 90,
                }
                for g, gid in enumerate(ids)
                if g % 7 == 0
            ],
        )
        return term


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=5000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        settings = Settings(
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET="bench",
            MENTORBOT_DATABASE_URL=url,
            MENTORBOT_COORDINATORS="UCOORD0001",
            _env_file=None,
        )
        runtime = Runtime(settings=settings, engine=engine, clock=lambda: NOW)
        started = time.perf_counter()
        term = seed(runtime, args.groups)
        seconds = time.perf_counter() - started
        print(f"seeded {args.groups} groups in {seconds:.1f} s on {engine.dialect.name}")

        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(engine, "before_cursor_execute", count)
        for label, work in (
            (
                "nudge pass (progress + pace of every group)",
                lambda: [_pace(p, term, NOW.date()) for p in _progress(runtime, term)],
            ),
            ("weekly digest (figures + content)", lambda: term_digest(runtime, term)),
        ):
            timings = []
            for _ in range(args.repeat):
                statements = 0
                began = time.perf_counter()
                work()
                timings.append(time.perf_counter() - began)
            print(
                f"{label}: median {statistics.median(timings) * 1000:.0f} ms, "
                f"max {max(timings) * 1000:.0f} ms, {statements} SQL statements per pass"
            )
        engine.dispose()


def _progress(runtime: Runtime, term: Term) -> list[GroupProgress]:
    with read_session(runtime.engine) as session:
        return progress_of_term(session, term=term, now=NOW)


if __name__ == "__main__":
    main()
