"""Acknowledgement latency under load, next to a bare Bolt app that only acknowledges.

    python -m bench.bench_ack [--groups 500] [--polls 200] [--requests 200]

Seeds a database with 500 groups (2,000 people) and 200 open polls through the bot's own
services against the fake Slack, then starts `mentorbot run --http` as a process and drives
it with signed requests: slash commands (`/mentor status`), vote clicks and modal
submissions, at 1, 10 and 50 concurrent clients; then the same against `bench/bare_app.py`
(Bolt acknowledging and nothing else, behind the same HTTP server). Prints p50/p95/p99 per
kind and concurrency with the ratio to the bare app, the rate at which votes are recorded,
the bot's resident memory idle and after the load, and its start-up time.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import func, select

from bot.blocks.meetings import log_modal
from storage.db import make_engine, read_session
from storage.models import Vote
from tests.fakeslack.driver import DriverResponse, SlackDriver
from tests.fakeslack.server import FakeSlack
from tests.support.seed import Seeder

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
CONCURRENCY = (1, 10, 50)


@dataclass
class Group:
    channel_id: str
    mentor_id: str
    member_ids: list[str]
    poll_ts: str | None = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(slack: FakeSlack, database_url: str, *, groups: int, polls: int) -> list[Group]:
    seeder = Seeder(slack, database_url, SECRET)
    made = []
    for number in range(groups):
        seeded = seeder.group(f"Group {number}")
        made.append(Group(seeded.channel_id, seeded.mentor_id, seeded.member_ids))
        if number < polls:
            seeder.poll(seeded, options=3)
            made[-1].poll_ts = slack.messages_in(seeded.channel_id)[-1].ts
    seeder.close()
    return made


def start(
    command: list[str], env: dict[str, str], health_url: str
) -> tuple[subprocess.Popen[bytes], float]:
    began = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while time.perf_counter() - began < 60:
        try:
            with urllib.request.urlopen(health_url, timeout=1):
                return process, time.perf_counter() - began
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{command} did not come up")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000

    return statistics.median(ordered) * 1000, at(0.95), at(0.99)


def load(send: Callable[[int], DriverResponse], *, concurrency: int, requests: int) -> list[float]:
    def one(index: int) -> float:
        answer = send(index)
        if not answer.ok:
            raise RuntimeError(f"request refused: {answer.status} {answer.body[:200]}")
        return answer.elapsed

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, range(requests)))


class Workload:
    """The three kinds of request, built by the fake from what it really holds."""

    def __init__(self, slack: FakeSlack, driver: SlackDriver, groups: list[Group]) -> None:
        self.slack, self.driver = slack, driver
        self.groups = groups
        self.polled = [g for g in groups if g.poll_ts]
        self._modal_lock = threading.Lock()

    def command(self, index: int) -> DriverResponse:
        group = self.groups[index % len(self.groups)]
        return self.driver.command(group.member_ids[1 + index % 3], group.channel_id, "status")

    def vote(self, index: int) -> DriverResponse:
        group = random.choice(self.polled)
        message = next(m for m in self.slack.messages_in(group.channel_id) if m.ts == group.poll_ts)
        actions = [
            b for b in message.blocks if b.get("type") == "actions" and "vote" in b["block_id"]
        ]
        if not actions:  # closed: everyone answered
            return self.command(index)
        block = random.choice(actions)
        button = random.choice(block["elements"])
        return self.driver.click(
            random.choice(group.member_ids),
            message=(group.channel_id, group.poll_ts),
            action_id=button["action_id"],
            value=button["value"],
            block_id=block["block_id"],
        )

    def submit(self, index: int) -> DriverResponse:
        """The log form with a date in the future: refused on the field, the form stays open."""
        group = self.groups[index % len(self.groups)]
        with self._modal_lock:
            views = self.slack.open_views(group.mentor_id)
            if not views:
                payload = log_modal(
                    group_id=index % len(self.groups) + 1,
                    group_name="Bench",
                    starts_at=datetime.now(UTC),
                    members=[],
                    themes=[],
                ).to_dict()
                views = [self.slack.workspace.open_modal(group.mentor_id, payload)]
        future = int((datetime.now(UTC) + timedelta(days=3)).timestamp())
        return self.driver.submit_view(
            group.mentor_id,
            views[-1].id,
            {"when": {"value": {"type": "datetimepicker", "selected_date_time": future}}},
        )


def run_kinds(workload: Workload, requests: int) -> dict[tuple[str, int], list[float]]:
    results = {}
    for kind, send in (
        ("slash command", workload.command),
        ("vote click", workload.vote),
        ("modal submission", workload.submit),
    ):
        for concurrency in CONCURRENCY:
            results[(kind, concurrency)] = load(send, concurrency=concurrency, requests=requests)
    return results


def votes_per_second(workload: Workload, database_url: str) -> float:
    """Every member answers every option of every open poll, 50 at a time; the rate is
    counted until the last vote is stored (the work after each acknowledgement included)."""
    engine = make_engine(database_url)
    with read_session(engine) as session:
        before = session.exec(select(func.count()).select_from(Vote)).one()
    clicks = []
    for group in workload.polled:
        message = next(
            m for m in workload.slack.messages_in(group.channel_id) if m.ts == group.poll_ts
        )
        for block in (
            b for b in message.blocks if b.get("type") == "actions" and "vote" in b["block_id"]
        ):
            for member in group.member_ids:
                clicks.append((group, block, member))
    began = time.perf_counter()

    def click(item: tuple[Group, dict, str]) -> None:
        group, block, member = item
        button = block["elements"][0]
        workload.driver.click(
            member,
            message=(group.channel_id, group.poll_ts),
            action_id=button["action_id"],
            value=button["value"],
            block_id=block["block_id"],
        )

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(click, clicks))
    deadline = time.perf_counter() + 120
    stored = before
    while time.perf_counter() < deadline:
        with read_session(engine) as session:
            stored = session.exec(select(func.count()).select_from(Vote)).one()
        if stored >= len(clicks):
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - began
    engine.dispose()
    return len(clicks) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200, help="per kind and concurrency")
    args = parser.parse_args()
    random.seed(7)
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        began = time.perf_counter()
        groups = seed(slack, database_url, groups=args.groups, polls=args.polls)
        print(
            f"seeded {args.groups} groups ({args.groups * 4} people), {args.polls} open polls "
            f"in {time.perf_counter() - began:.0f} s"
        )

        port = _free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "MENTORBOT_DATABASE_URL": database_url,
            "MENTORBOT_TIMEZONE": "Europe/Copenhagen",
        }
        env.pop("SLACK_APP_TOKEN", None)
        bot, startup = start(
            [
                sys.executable,
                "-m",
                "bot",
                "run",
                "--http",
                "--port",
                str(port),
                "--log-level",
                "WARNING",
            ],
            env,
            f"http://127.0.0.1:{port}/healthz",
        )
        time.sleep(2)
        idle = rss_mb(bot.pid)
        workload = Workload(
            slack, SlackDriver(slack, f"http://127.0.0.1:{port}/slack/events", SECRET), groups
        )
        ours = run_kinds(workload, args.requests)
        rate = votes_per_second(workload, database_url)
        loaded = rss_mb(bot.pid)
        bot.terminate()
        bot.wait(timeout=30)

        bare_port = _free_port()
        bare, _ = start(
            [
                sys.executable,
                str(ROOT / "bench" / "bare_app.py"),
                str(bare_port),
                SECRET,
                slack.api_url,
            ],
            {**os.environ, "PYTHONPATH": str(ROOT)},
            f"http://127.0.0.1:{bare_port}/healthz",
        )
        bare_workload = Workload(
            slack, SlackDriver(slack, f"http://127.0.0.1:{bare_port}/slack/events", SECRET), groups
        )
        floor = run_kinds(bare_workload, args.requests)
        bare.terminate()
        bare.wait(timeout=30)

    print(f"\nacknowledgement latency in ms ({args.requests} requests per row), vs bare Bolt:")
    print(
        f"{'kind':18} {'clients':>7} {'p50':>7} {'p95':>7} {'p99':>7} | "
        f"{'bare p50':>8} {'p95':>6} {'p99':>6} | {'p99 ratio':>9}"
    )
    for (kind, concurrency), samples in ours.items():
        p50, p95, p99 = percentiles(samples)
        b50, b95, b99 = percentiles(floor[(kind, concurrency)])
        print(
            f"{kind:18} {concurrency:>7} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} | "
            f"{b50:>8.1f} {b95:>6.1f} {b99:>6.1f} | {p99 / b99:>8.2f}x"
        )
    slowest = max(max(samples) for samples in ours.values())
    print(f"\nslowest acknowledgement of all: {slowest * 1000:.0f} ms (Slack allows 3000 ms)")
    print(f"votes recorded: {rate:.0f} per second (50 clients, until the last is stored)")
    print(f"resident memory: {idle:.0f} MB idle, {loaded:.0f} MB after the load")
    print(f"start-up to a healthy /healthz: {startup:.2f} s")


if __name__ == "__main__":
    main()
