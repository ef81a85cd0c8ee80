"""Acknowledgement latency under load, next to a bare Bolt app that only acknowledges.

    python -m bench.bench_ack [--groups 500] [--polls 200] [--requests 400] [--repeats 5]

Seeds a database with 500 groups (2,000 people) and 200 open polls through the bot's own
services against the fake Slack, then starts `mentorbot run --http` (the bot and its worker
process) and `bench/bare_app.py` twice: Bolt acknowledging and nothing else behind the same
HTTP server, with Bolt's defaults (the floor the targets are measured against) and with
`process_before_response` as the bot runs. A separate load-generator process
(`bench/loadgen.py`) sends each of them signed slash commands (`/mentor status`), vote
clicks and modal submissions at 1, 10 and 50 concurrent clients, one target right after the
other for each row, after a few unmeasured warm-up requests; all of it `--repeats` times.

Prints per kind and concurrency p50/p95/p99 of the acknowledgements and the ratio of p99 to
the bare app's; how long people waited for the answer itself (the `/mentor status` reply
the worker posts to the response_url); votes recorded per second, and how soon polls that
everyone answered are closed and announced; memory of both bot processes idle and after the
load; and start-up time.
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
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlmodel import func, select

from bot.blocks.meetings import log_modal
from bot.i18n import ENGLISH, translator
from bot.sandbox.fakeslack.model import Message
from bot.sandbox.fakeslack.payloads import PayloadFactory
from bot.sandbox.fakeslack.server import FakeSlack
from bot.worker import REDRAWS_PER_MINUTE
from storage.db import make_engine, read_session
from storage.models import FollowUp, Outbox, PollRedraw, Vote
from tests.support.seed import SeededGroup, Seeder

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
CONCURRENCY = (1, 10, 50)
KINDS = ("slash command", "vote click", "modal submission")
FORM = "application/x-www-form-urlencoded"
FAKE_SLACK_NICENESS = 10

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
                    translator(ENGLISH),
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


@dataclass(frozen=True)
class Memory:
    """Resident memory of one process, and its proportional share (PSS: pages it shares
    with others, such as shared libraries, divided among them), in MB."""

    rss: float
    pss: float


def memory_of(pid: int) -> Memory:
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            figures[name] = int(rest.split()[0]) / 1024
    return Memory(figures["Rss"], figures["Pss"])


def describe_memory(bot: Memory, worker: Memory) -> str:
    return (
        f"bot {bot.rss:.0f} MB + worker {worker.rss:.0f} MB resident; "
        f"{bot.pss + worker.pss:.0f} MB together with shared libraries counted once (PSS)"
    )


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


class LoadGenerator:
    """`bench/loadgen.py`, started once, before this process lowers its own priority."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.loadgen", SECRET],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def load(self, url: str, requests: list[Request], concurrency: int) -> list[Sample]:
        """Send `requests`, `concurrency` at a time; every one must be answered with 2xx."""
        requests_file, out = self._folder / "requests.json", self._folder / "samples.json"
        requests_file.write_text(json.dumps(requests))
        job = {"url": url, "requests": str(requests_file), "concurrency": concurrency}
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.write(json.dumps({**job, "out": str(out)}) + "\n")
        self._process.stdin.flush()
        if self._process.stdout.readline().strip() != "done":
            raise SystemExit("the load generator failed")
        samples = [Sample(**s) for s in json.loads(out.read_text())]
        refused = [s for s in samples if not 200 <= s.status < 300]
        if refused:
            raise SystemExit(f"{len(refused)} requests refused (first: HTTP {refused[0].status})")
        return samples

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


def wait_for_worker(database_url: str, timeout: float = 300) -> float:
    """Seconds until the worker has answered every command and click left to it (tallies
    it redraws at Slack's pace for chat.update, and may still be doing so)."""
    return _wait_for(database_url, lambda counts: counts.waiting == 0, timeout)


@dataclass
class Counts:
    waiting: int
    """Follow-ups not done yet."""
    behind: int
    """Poll messages behind the votes stored."""
    announced: int
    """Poll results sent."""


def _wait_for(database_url: str, done: Callable[[Counts], bool], timeout: float) -> float:
    engine = make_engine(database_url)
    began = time.perf_counter()
    try:
        while time.perf_counter() - began < timeout:
            if done(_counts(engine)):
                return time.perf_counter() - began
            time.sleep(0.02)
        raise SystemExit("the worker did not catch up")
    finally:
        engine.dispose()


def _counts(engine: Any) -> Counts:
    with read_session(engine) as session:
        return Counts(
            waiting=session.exec(select(func.count()).select_from(FollowUp)).one(),
            behind=session.exec(select(func.count()).select_from(PollRedraw)).one(),
            announced=session.exec(
                select(func.count())
                .select_from(Outbox)
                .where(Outbox.kind == "poll_result", Outbox.status == "sent")
            ).one(),
        )


def count(database_url: str) -> Counts:
    engine = make_engine(database_url)
    try:
        return _counts(engine)
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


Cell = tuple[str, int]
"""A row of the table: the kind of request and the number of concurrent clients."""


@dataclass
class Target:
    name: str
    url: str
    database_url: str | None = None
    """Set for the bot: after each row, wait until its worker has caught up."""


@dataclass
class Measurements:
    acks: dict[Cell, list[list[Sample]]]
    """Per cell, the samples of each repeat."""
    caught_up: dict[Cell, list[float]]

    def p(self, cell: Cell) -> tuple[float, float, float]:
        """p50, p95 and p99 in ms: the median over the repeats of each."""
        runs = [percentiles([s.elapsed for s in samples]) for samples in self.acks[cell]]
        return tuple(statistics.median(run[i] for run in runs) * 1000 for i in range(3))  # type: ignore[return-value]


def measure(
    targets: list[Target],
    work: dict[Cell, list[list[Request]]],
    clients: LoadGenerator,
    repeats: int,
) -> dict[str, Measurements]:
    """Every cell for every target, the targets one right after the other for each cell (so
    that whatever else the machine does at that moment falls on all of them), `repeats`
    times. Each run starts with unmeasured warm-up requests: the first requests a process
    serves open its database connections and fill its caches."""
    results = {t.name: Measurements({}, {}) for t in targets}
    for repeat in range(repeats):
        for cell, runs in work.items():
            _kind, concurrency = cell
            requests = runs[repeat]
            warm_up, measured = requests[: 2 * concurrency], requests[2 * concurrency :]
            for target in targets:
                clients.load(target.url, warm_up, concurrency)
                samples = clients.load(target.url, measured, concurrency)
                results[target.name].acks.setdefault(cell, []).append(samples)
                if target.database_url is not None:
                    waited = wait_for_worker(target.database_url)
                    results[target.name].caught_up.setdefault(cell, []).append(waited)
    return results


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


def start_bare(slack: FakeSlack, *flags: str) -> tuple[subprocess.Popen[bytes], str]:
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
    return bare, f"http://127.0.0.1:{port}/slack/events"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--requests", type=int, default=400, help="per kind and concurrency")
    parser.add_argument("--repeats", type=int, default=5, help="figures are the median")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as slack, ExitStack() as stop:
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
        work: dict[Cell, list[list[Request]]] = {}
        response_urls: dict[Cell, list[list[str]]] = {}
        for kind in args.kinds:
            for concurrency in CONCURRENCY:
                cell = (kind, concurrency)
                size = args.requests + 2 * concurrency
                for _ in range(args.repeats):
                    if kind == "slash command":
                        requests, urls = workload.commands(size)
                        response_urls.setdefault(cell, []).append(urls[2 * concurrency :])
                    elif kind == "vote click":
                        requests = workload.votes(size, rng)
                    else:
                        requests = workload.submissions(size)
                    work.setdefault(cell, []).append(requests)

        port = _free_port()
        bot, startup = start(
            [
                sys.executable,
                "-m",
                "mentorbot",
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
        stop.callback(_stop, bot)
        wait_for_quiet(slack)
        (worker,) = children_of(bot.pid)
        idle = (memory_of(bot.pid), memory_of(worker))
        bare, bare_url = start_bare(slack)
        stop.callback(_stop, bare)
        bare_pbr, bare_pbr_url = start_bare(slack, "--process-before-response")
        stop.callback(_stop, bare_pbr)
        targets = [
            Target("bot", f"http://127.0.0.1:{port}/slack/events", database_url),
            Target("bare", bare_url),
            Target("bare pbr", bare_pbr_url),
        ]
        clients = LoadGenerator(folder)
        stop.callback(clients.close)
        # This process is the fake Slack from here on: Slack's servers do not share the
        # bot's processors, so the fake takes only what the bot and its clients leave.
        os.nice(FAKE_SLACK_NICENESS)
        results = measure(targets, work, clients, args.repeats)
        ours = results["bot"]
        answers = {
            concurrency: [
                answer_latencies(slack, samples, urls)
                for samples, urls in zip(
                    ours.acks[("slash command", concurrency)],
                    response_urls[("slash command", concurrency)],
                    strict=True,
                )
            ]
            for concurrency in CONCURRENCY
            if ("slash command", concurrency) in ours.acks
        }
        everything = workload.every_answer()
        votes_before = count_votes(database_url)
        clicked = time.perf_counter()
        clients.load(targets[0].url, everything, 50)
        stored_in = time.perf_counter() - clicked
        stored = count_votes(database_url) - votes_before
        polls = len(workload.polled)
        announced_in = stored_in + _wait_for(
            database_url, lambda counts: counts.announced >= polls, timeout=600
        )
        burst = Burst(stored, stored_in, polls, announced_in, count(database_url).behind)
        loaded = (memory_of(bot.pid), memory_of(worker))

    report(args, results, answers, burst, idle, loaded, startup)


@dataclass
class Burst:
    """Every member answering every option of every open poll, 50 at a time."""

    clicks: int
    stored_in: float
    polls: int
    announced_in: float
    """Seconds from the first click until every poll was closed and its date announced."""
    behind: int
    """Tallies still to redraw at that moment (at Slack's pace for chat.update)."""


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def report(
    args: argparse.Namespace,
    results: dict[str, Measurements],
    answers: dict[int, list[list[float]]],
    burst: Burst,
    idle: tuple[Memory, Memory],
    loaded: tuple[Memory, Memory],
    startup: float,
) -> None:
    ours, floor, floor_pbr = results["bot"], results["bare"], results["bare pbr"]
    print(
        f"\nacknowledgement latency in ms, {args.requests} requests per row, median of "
        f"{args.repeats} runs; the ratio is to the bare app with Bolt's defaults (the floor); "
        "bare (pbr) is Bolt configured as the bot is:"
    )
    print(
        f"{'kind':17} {'clients':>7} | {'p50':>6} {'p95':>6} {'p99':>6} | "
        f"{'bare p50':>8} {'p95':>6} {'p99':>6} | {'p99 ratio':>9} | "
        f"{'bare (pbr) p99':>14} {'ratio':>6}"
    )
    for cell in ours.acks:
        kind, concurrency = cell
        p50, p95, p99 = ours.p(cell)
        b50, b95, b99 = floor.p(cell)
        s99 = floor_pbr.p(cell)[2]
        print(
            f"{kind:17} {concurrency:>7} | {p50:>6.1f} {p95:>6.1f} {p99:>6.1f} | "
            f"{b50:>8.1f} {b95:>6.1f} {b99:>6.1f} | {p99 / b99:>8.2f}x | "
            f"{s99:>14.1f} {p99 / s99:>5.2f}x"
        )
    slowest = max(s.elapsed for runs in ours.acks.values() for run in runs for s in run)
    print(f"\nslowest acknowledgement of all: {slowest * 1000:.0f} ms (Slack allows 3000 ms)")
    print("\n/mentor status: ms until the answer (posted by the worker) reached Slack:")
    for concurrency, runs in answers.items():
        p50, p95, p99 = (
            statistics.median(percentiles(run)[i] for run in runs) * 1000 for i in range(3)
        )
        print(f"  {concurrency:>2} clients: p50 {p50:.0f}, p95 {p95:.0f}, p99 {p99:.0f}")
    print("\nseconds the worker took to answer everything after each row, median:")
    for (kind, concurrency), seconds in ours.caught_up.items():
        print(f"  {kind:17} {concurrency:>2} clients: {statistics.median(seconds):.2f}")
    print(
        f"\nvotes recorded: {burst.clicks} clicks (every member, every option, 50 clients) "
        f"stored in {burst.stored_in:.2f} s = {burst.clicks / burst.stored_in:.0f} per second; "
        f"all {burst.polls} polls closed and their dates announced {burst.announced_in:.1f} s "
        f"after the first click, with {burst.behind} tallies still to redraw at Slack's "
        f"chat.update pace ({REDRAWS_PER_MINUTE} a minute)"
    )
    print(f"memory idle: {describe_memory(*idle)}")
    print(f"memory after the load: {describe_memory(*loaded)}")
    print(f"start-up to a healthy /healthz: {startup:.2f} s")


if __name__ == "__main__":
    main()
