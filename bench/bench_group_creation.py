"""Group creation throughput against Slack's own ceiling (issue 17, "Measured").

    python -m bench.bench_group_creation [--groups 100] [--scale 20] [--client paced|sdk]

Forms `--groups` groups (a certified mentor and four mentees each, people the term's roster
already holds) through the path `mentorbot groups create FILE` takes
(`create_groups_from_csv`: each row's people, the group, then its channel: create, invite,
purpose, welcome, pin) against the fake Slack with every method's rate tier enforced
(conversations.create, setPurpose and pins.add Tier 2: 20 a minute; users.lookupByEmail and
conversations.invite Tier 3: 50; chat.postMessage one a second per channel).

Time is scaled (bot/sandbox/fakeslack/timescale.py): the fake's minute and the bot's sleeps
both run `--scale` times faster than the wall clock, so a run that takes five minutes at
Slack takes fifteen seconds here; `--scale 1` measures in real time. Real work (HTTP, the
database) counts `scale` times over in scaled time, so high scales slightly understate.

Prints the groups created per (scaled) minute against the ceiling of 20, the same against
the fastest the fake's limiter allows for that many groups (its minute is a sliding window,
so the first 20 may go at once), failed groups, and every 429 the fake answered, per method.

`--client sdk` runs the client as it was before pacing (slack_sdk's RateLimitErrorRetryHandler,
five retries, `Retry-After` plus up to a second at random; its sleep scaled the same way).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from slack_sdk import WebClient
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlmodel import col, select

from bot.config import Settings
from bot.runtime import Runtime
from bot.sandbox.fakeslack.catalog import calls_per_minute
from bot.sandbox.fakeslack.server import FakeSlack
from bot.sandbox.fakeslack.timescale import ScaledTime
from bot.services.roster import RowReport, RowStatus, create_groups_from_csv
from bot.slack_client import background_client
from storage.db import make_engine, read_session, write_session
from storage.migrate import upgrade
from storage.models import GroupSetup, MentorGroup, Person, Term

MENTEES_PER_GROUP = 4
CREATE = "conversations.create"
TARGET_SHARE = 0.9


@dataclass(frozen=True)
class Result:
    groups: int
    created: int
    failed: int
    fully_set_up: int
    scaled_seconds: float
    real_seconds: float
    rate_limited: Counter[str]
    calls: Counter[str]

    @property
    def per_minute(self) -> float:
        return self.created / (self.scaled_seconds / 60)


def fastest_seconds(groups: int) -> float:
    """The least time the fake's limiter allows for `groups` creates: at most 20 in any
    60 s, so the k-th create (from 0) comes no sooner than 60 s × (k // 20) after the first."""
    limit = calls_per_minute(CREATE)
    return 60.0 * ((groups - 1) // limit)


def _seed(runtime: Runtime, slack: FakeSlack, groups: int) -> str:
    """Everyone in the workspace and on the roster (as `mentorbot roster import` leaves
    them: known by Slack ID and email, mentors certified), a current term, and the groups
    file; returns the file's text."""
    now = datetime.now(UTC)
    rows = ["mentor_email,mentee_emails,name"]
    with write_session(runtime.engine) as session:
        session.add(
            Term(
                name="Bench term",
                starts_on=(now - timedelta(days=30)).date(),
                ends_on=(now + timedelta(days=150)).date(),
                timezone="Europe/Copenhagen",
                is_current=True,
                created_at=now,
                created_by="UBENCH",
            )
        )
        for g in range(groups):
            mentor = slack.add_user(f"mentor{g:03d}", real_name=f"Mentor {g:03d}")
            session.add(
                Person(
                    slack_user_id=mentor.id,
                    name=mentor.real_name,
                    email=mentor.email,
                    certified_at=now,
                    certified_by="UBENCH",
                )
            )
            mentee_emails: list[str] = []
            for m in range(MENTEES_PER_GROUP):
                mentee = slack.add_user(f"mentee{g:03d}{m}", real_name=f"Mentee {g:03d} {m}")
                session.add(
                    Person(slack_user_id=mentee.id, name=mentee.real_name, email=mentee.email)
                )
                mentee_emails.append(mentee.email or "")
            rows.append(f"{mentor.email},{' '.join(mentee_emails)},Bench group {g:03d}")
    return "\n".join(rows) + "\n"


def _sdk_client(settings: Settings) -> WebClient:
    """The background client as it was before pacing (bot/slack_client.py until 2026-11-26)."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=30,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


@contextmanager
def _sdk_sleeps_scaled(scaled: ScaledTime) -> Iterator[None]:
    # slack_sdk's handler calls time.sleep itself; only that module's name is replaced.
    with mock.patch.object(builtin_handlers, "time", SimpleNamespace(sleep=scaled.sleep)):
        yield


def run(groups: int, scale: float, client_kind: str) -> Result:
    scaled = ScaledTime(scale)
    with tempfile.TemporaryDirectory() as folder, FakeSlack(clock=scaled.now) as slack:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        settings = Settings(
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET="bench-signing-secret",
            SLACK_API_URL=slack.api_url,
            MENTORBOT_DATABASE_URL=url,
            _env_file=None,
        )
        runtime = Runtime(settings=settings, engine=engine)
        text = _seed(runtime, slack, groups)
        if client_kind == "sdk":
            client = _sdk_client(settings)
        else:
            client = background_client(settings, clock=scaled.now, sleep=scaled.sleep)
        slack.enforce_tiers()
        slack.reset_calls()
        reports: list[RowReport] = []
        real_start, scaled_start = time.monotonic(), scaled.now()
        with _sdk_sleeps_scaled(scaled):
            create_groups_from_csv(
                runtime, client, text, created_by="UBENCH", on_row=reports.append
            )
        scaled_seconds = scaled.now() - scaled_start
        real_seconds = time.monotonic() - real_start
        with read_session(engine) as session:
            welcomed = session.exec(
                select(MentorGroup).where(col(MentorGroup.setup) == GroupSetup.WELCOMED)
            ).all()
        calls = slack.calls
        engine.dispose()
    created = sum(1 for r in reports if r.status is RowStatus.CREATED)
    return Result(
        groups=groups,
        created=created,
        failed=len(reports) - created,
        fully_set_up=len(welcomed),
        scaled_seconds=scaled_seconds,
        real_seconds=real_seconds,
        rate_limited=Counter(c.method for c in calls if c.http_status == 429),
        calls=Counter(c.method for c in calls),
    )


def report(result: Result, scale: float, client_kind: str) -> None:
    ceiling = calls_per_minute(CREATE)
    fastest = fastest_seconds(result.groups)
    print(f"client: {client_kind}; time scale: {scale:g}x (1 scaled minute = {60 / scale:.1f} s)")
    print(
        f"groups: {result.created} created, {result.failed} failed, "
        f"{result.fully_set_up} with channel, members, purpose and pinned welcome"
    )
    print(
        f"elapsed: {result.scaled_seconds:.0f} scaled s ({result.scaled_seconds / 60:.2f} min), "
        f"{result.real_seconds:.1f} real s"
    )
    print(
        f"throughput: {result.per_minute:.1f} groups/min = "
        f"{result.per_minute / ceiling:.0%} of Slack's Tier 2 ceiling ({ceiling}/min)"
    )
    if fastest > 0:
        print(
            f"against the fastest the limiter allows for {result.groups} groups "
            f"({fastest:.0f} s; its first {ceiling} may go at once): "
            f"{fastest / result.scaled_seconds:.0%}"
        )
    limited = ", ".join(f"{m} {n}" for m, n in sorted(result.rate_limited.items())) or "none"
    print(f"429s seen: {sum(result.rate_limited.values())} ({limited})")
    made = ", ".join(f"{m} {n}" for m, n in sorted(result.calls.items()))
    print(f"calls: {sum(result.calls.values())} ({made})")
    met = result.failed == 0 and result.per_minute >= TARGET_SHARE * ceiling
    print(
        f"target (>= {TARGET_SHARE:.0%} of the ceiling, no failures): {'met' if met else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--scale", type=float, default=20.0, help="time runs this much faster")
    parser.add_argument("--client", choices=("paced", "sdk"), default="paced")
    args = parser.parse_args()
    # A stopped group's traceback is the bot's warning; the figures say how many stopped.
    logging.basicConfig(level=logging.CRITICAL)
    result = run(args.groups, args.scale, args.client)
    report(result, args.scale, args.client)


if __name__ == "__main__":
    main()
