"""Acknowledgement latency under load, next to a bare Bolt app that only acknowledges.

    python -m bench.bench_ack [--groups 500] [--polls 200] [--requests 200]

Seeds a database with 500 groups (2,000 people) and 200 open polls through the bot's own
services against the fake Slack, then starts `mentorbot run --http` (the bot and its worker
process) and sends it signed requests from a separate load-generator process
(`bench/loadgen.py`): slash commands (`/mentor status`), vote clicks and modal submissions,
at 1, 10 and 50 concurrent clients. Then the same requests go to `bench/bare_app.py`, Bolt
acknowledging and nothing else behind the same HTTP server, twice: with Bolt's defaults (the
floor the targets are measured against) and with `process_before_response` as the bot runs.

Prints per kind and concurrency p50/p95/p99 of the acknowledgements and the ratio of p99 to
the bare app's; how long people waited for the answer itself (the `/mentor status` reply
the worker posts to the response_url) and for every tally to be redrawn; votes recorded per
second; resident memory of both bot processes idle and after the load; and start-up time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlmodel import func, select

from bot.blocks.meetings import log_modal
from storage.db import make_engine, read_session
from storage.models import FollowUp, PollRedraw, Vote
from tests.fakeslack.model import Message
from tests.fakeslack.payloads import PayloadFactory
from tests.fakeslack.server import FakeSlack
from tests.support.seed import SeededGroup, Seeder

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
CONCURRENCY = (1, 10, 50)
KINDS = ("slash command", "vote click", "modal submission")
FORM = "application/x-www-form-urlencoded"

Request = dict[str, str]


@dataclass
class Sample:
    sent: float
    elapsed: float
    status: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(slack: FakeSlack, database_url: str, *, groups: int, polls: int) -> list[SeededGroup]:
    seeder = Seeder(slack, database_url, SECRET)
    made = []
    for number in range(groups):
        group = seeder.group(f"Group {number}")
        if number < polls:
            seeder.poll(group, options=3)
        made.append(group)
    seeder.close()
    return made


class Workload:
    """Signed-to-be requests of each kind, built in advance from what the fake holds."""

    def __init__(self, slack: FakeSlack, groups: list[SeededGroup]) -> None:
        self.slack = slack
        self.payloads = PayloadFactory(slack)
        self.groups = groups
        self.polled = [g for g in groups if g.poll_id is not None]

    def commands(self, count: int) -> tuple[list[Request], list[str]]:
        """`/mentor status` by mentees; also the response_url of each, to time the answer."""
        requests, response_urls = [], []
        for index in range(count):
            group = self.groups[index % len(self.groups)]
            built = self.payloads.slash_command(
                group.member_ids[1 + index % 3], group.channel_id, "status", "/mentor"
            )
            requests.append({"content_type": FORM, "body": urlencode(built.fields)})
            assert built.response_url_id is not None
            response_urls.append(built.response_url_id)
        return requests, response_urls

    def votes(self, count: int, rng: random.Random) -> list[Request]:
        """Clicks by the mentor and two mentees: no poll gets every answer and closes."""
        requests = []
        for _ in range(count):
            group = rng.choice(self.polled)
            block, button = self._vote_button(group, rng)
            requests.append(self._click(rng.choice(group.member_ids[:3]), group, block, button))
        return requests

    def every_answer(self) -> list[Request]:
        """Every member answering every option of every poll (the polls then close)."""
        requests = []
        for group in self.polled:
            for block in self._vote_blocks(group):
                for member in group.member_ids:
                    requests.append(self._click(member, group, block, block["elements"][0]))
        return requests

    def submissions(self, count: int) -> list[Request]:
        """The log form with a date in the future: refused on the field, the form stays."""
        views = {}
        future = int((datetime.now(UTC) + timedelta(days=3)).timestamp())
        requests = []
        for index in range(count):
            group = self.groups[index % len(self.groups)]
            if group.mentor_id not in views:
                form = log_modal(
                    group_id=group.group_id,
                    group_name="Bench",
                    starts_at=datetime.now(UTC),
                    members=[],
                    themes=[],
                ).to_dict()
                views[group.mentor_id] = self.slack.workspace.open_modal(group.mentor_id, form)
            built = self.payloads.view_submission(
                group.mentor_id,
                views[group.mentor_id].id,
                {"when": {"value": {"type": "datetimepicker", "selected_date_time": future}}},
            )
            requests.append({"content_type": FORM, "body": urlencode({"payload": _json(built)})})
        return requests

    def _poll_message(self, group: SeededGroup) -> Message:
        return next(m for m in self.slack.messages_in(group.channel_id) if _vote_blocks(m))

    def _vote_blocks(self, group: SeededGroup) -> list[dict[str, Any]]:
        return _vote_blocks(self._poll_message(group))

    def _vote_button(
        self, group: SeededGroup, rng: random.Random
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        block = rng.choice(self._vote_blocks(group))
        return block, rng.choice(block["elements"])

    def _click(
        self, user_id: str, group: SeededGroup, block: dict[str, Any], button: dict[str, Any]
    ) -> Request:
        message = self._poll_message(group)
        built = self.payloads.block_actions(
            user_id,
            message=(group.channel_id, message.ts),
            view_id=None,
            action_id=button["action_id"],
            value=button["value"],
            block_id=block["block_id"],
            state_values=None,
            extra={},
        )
        return {"content_type": FORM, "body": urlencode({"payload": _json(built)})}


def _vote_blocks(message: Message) -> list[dict[str, Any]]:
    return [
        b
        for b in message.blocks or []
        if b.get("type") == "actions" and "vote" in b.get("block_id", "")
    ]


def _json(built: Any) -> str:
    return json.dumps(built.payload)


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
            time.sleep(0.02)
    process.kill()
    raise SystemExit(f"{command} did not come up")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children_of(pid: int) -> list[int]:
    pids = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        pids += [int(child) for child in children.read_text().split()]
    return pids


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    return statistics.median(ordered), at(0.95), at(0.99)


def load(url: str, requests: list[Request], concurrency: int, folder: Path) -> list[Sample]:
    """Send `requests` from the load-generator process, `concurrency` at a time."""
    requests_file, out = folder / "requests.json", folder / "samples.json"
    requests_file.write_text(json.dumps(requests))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.loadgen",
            url,
            SECRET,
            str(requests_file),
            str(concurrency),
            str(len(requests)),
            str(out),
        ],
        cwd=ROOT,
        check=True,
    )
    samples = [Sample(**s) for s in json.loads(out.read_text())]
    refused = [s for s in samples if not 200 <= s.status < 300]
    if refused:
        raise SystemExit(f"{len(refused)} requests refused (first: HTTP {refused[0].status})")
    return samples


def wait_for_worker(database_url: str, timeout: float = 300) -> float:
    """Seconds until no follow-up waits and no poll message is behind."""
    engine = make_engine(database_url)
    began = time.perf_counter()
    try:
        while time.perf_counter() - began < timeout:
            with read_session(engine) as session:
                waiting = session.exec(select(func.count()).select_from(FollowUp)).one()
                behind = session.exec(select(func.count()).select_from(PollRedraw)).one()
            if not waiting and not behind:
                return time.perf_counter() - began
            time.sleep(0.02)
        raise SystemExit("the worker did not catch up")
    finally:
        engine.dispose()


def wait_for_quiet(slack: FakeSlack, quiet_for: float = 1.0, timeout: float = 300) -> None:
    """Until the bot has made no Web API call for `quiet_for` seconds: the jobs the worker
    runs at start (here: nudging the 500 groups, none of which has met yet) are done."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        calls = slack.calls
        if not calls or time.time() - calls[-1].at > quiet_for:
            return
        time.sleep(0.1)
    raise SystemExit("the bot did not go quiet after starting")


def count_votes(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with read_session(engine) as session:
            return int(session.exec(select(func.count()).select_from(Vote)).one())
    finally:
        engine.dispose()


@dataclass
class Run:
    acks: dict[tuple[str, int], list[Sample]]
    caught_up: dict[tuple[str, int], float]


Work = dict[tuple[str, int], list[Request]]


def run_kinds(url: str, work: Work, folder: Path, database_url: str | None) -> Run:
    run = Run({}, {})
    for kind in KINDS:
        for concurrency in CONCURRENCY:
            requests = work[(kind, concurrency)]
            run.acks[(kind, concurrency)] = load(url, requests, concurrency, folder)
            if database_url is not None:
                run.caught_up[(kind, concurrency)] = wait_for_worker(database_url)
    return run


def answer_latencies(
    slack: FakeSlack, samples: list[Sample], response_urls: list[str]
) -> list[float]:
    """Seconds from sending each command to its answer reaching the response_url."""
    waits = []
    for sample, response_url in zip(samples, response_urls, strict=True):
        posts = slack.responses_to(response_url)
        if not posts:
            raise SystemExit("a /mentor status command was never answered")
        waits.append(posts[0].at - sample.sent)
    return waits


def bot_environment(slack: FakeSlack, database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "MENTORBOT_DATABASE_URL": database_url,
        "MENTORBOT_TIMEZONE": "Europe/Copenhagen",
    }
    env.pop("SLACK_APP_TOKEN", None)
    return env


def bare_floor(slack: FakeSlack, work: Work, folder: Path, *flags: str) -> Run:
    port = _free_port()
    bare, _ = start(
        [
            sys.executable,
            str(ROOT / "bench" / "bare_app.py"),
            str(port),
            SECRET,
            slack.api_url,
            *flags,
        ],
        {**os.environ, "PYTHONPATH": str(ROOT)},
        f"http://127.0.0.1:{port}/healthz",
    )
    try:
        return run_kinds(f"http://127.0.0.1:{port}/slack/events", work, folder, None)
    finally:
        bare.terminate()
        bare.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200, help="per kind and concurrency")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as slack:
        folder = Path(scratch)
        database_url = f"sqlite:///{folder / 'bench.db'}"
        began = time.perf_counter()
        groups = seed(slack, database_url, groups=args.groups, polls=args.polls)
        print(
            f"seeded {args.groups} groups ({args.groups * 4} people), {args.polls} open polls "
            f"in {time.perf_counter() - began:.0f} s",
            flush=True,
        )
        workload = Workload(slack, groups)
        work: Work = {}
        response_urls: dict[int, list[str]] = {}
        for concurrency in CONCURRENCY:
            commands, response_urls[concurrency] = workload.commands(args.requests)
            work[("slash command", concurrency)] = commands
            work[("vote click", concurrency)] = workload.votes(args.requests, rng)
            work[("modal submission", concurrency)] = workload.submissions(args.requests)

        port = _free_port()
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
            bot_environment(slack, database_url),
            f"http://127.0.0.1:{port}/healthz",
        )
        try:
            wait_for_quiet(slack)
            (worker,) = children_of(bot.pid)
            idle = (rss_mb(bot.pid), rss_mb(worker))
            url = f"http://127.0.0.1:{port}/slack/events"
            ours = run_kinds(url, work, folder, database_url)
            answers = {
                concurrency: answer_latencies(
                    slack, ours.acks[("slash command", concurrency)], response_urls[concurrency]
                )
                for concurrency in CONCURRENCY
            }
            everything = workload.every_answer()
            votes_before = count_votes(database_url)
            clicked = time.perf_counter()
            load(url, everything, 50, folder)
            stored_in = time.perf_counter() - clicked
            redrawn_in = stored_in + wait_for_worker(database_url)
            stored = count_votes(database_url) - votes_before
            loaded = (rss_mb(bot.pid), rss_mb(worker))
        finally:
            bot.terminate()
            bot.wait(timeout=30)

        floor = bare_floor(slack, work, folder)
        floor_sync = bare_floor(slack, work, folder, "--process-before-response")

    print(
        f"\nacknowledgement latency in ms ({args.requests} requests per row); the bare app "
        "with Bolt's defaults is the floor of the ratio; bare (pbr) is Bolt configured as the "
        "bot is:"
    )
    print(
        f"{'kind':17} {'clients':>7} | {'p50':>6} {'p95':>6} {'p99':>6} | "
        f"{'bare p50':>8} {'p95':>6} {'p99':>6} | {'p99 ratio':>9} | "
        f"{'bare (pbr) p99':>14} {'ratio':>6}"
    )
    for (kind, concurrency), samples in ours.acks.items():
        p50, p95, p99 = (v * 1000 for v in percentiles([s.elapsed for s in samples]))
        b50, b95, b99 = (
            v * 1000 for v in percentiles([s.elapsed for s in floor.acks[(kind, concurrency)]])
        )
        s99 = percentiles([s.elapsed for s in floor_sync.acks[(kind, concurrency)]])[2] * 1000
        print(
            f"{kind:17} {concurrency:>7} | {p50:>6.1f} {p95:>6.1f} {p99:>6.1f} | "
            f"{b50:>8.1f} {b95:>6.1f} {b99:>6.1f} | {p99 / b99:>8.2f}x | "
            f"{s99:>14.1f} {p99 / s99:>5.2f}x"
        )
    slowest = max(s.elapsed for samples in ours.acks.values() for s in samples)
    print(f"\nslowest acknowledgement of all: {slowest * 1000:.0f} ms (Slack allows 3000 ms)")
    print("\n/mentor status: ms until the answer (posted by the worker) reached Slack:")
    for concurrency, waits in answers.items():
        p50, p95, p99 = (v * 1000 for v in percentiles(waits))
        print(f"  {concurrency:>2} clients: p50 {p50:.0f}, p95 {p95:.0f}, p99 {p99:.0f}")
    print("\nseconds the worker took to finish after each row (answers, redraws):")
    for (kind, concurrency), seconds in ours.caught_up.items():
        print(f"  {kind:17} {concurrency:>2} clients: {seconds:.2f}")
    print(
        f"\nvotes recorded: {stored} clicks (every member, every option, 50 clients) stored in "
        f"{stored_in:.2f} s = {stored / stored_in:.0f} per second; every tally redrawn and "
        f"every completed poll closed and announced {redrawn_in:.2f} s after the first click"
    )
    print(
        f"resident memory: bot {idle[0]:.0f} MB + worker {idle[1]:.0f} MB idle, "
        f"{loaded[0]:.0f} + {loaded[1]:.0f} MB after the load"
    )
    print(f"start-up to a healthy /healthz: {startup:.2f} s")


if __name__ == "__main__":
    main()
