"""Where one acknowledgement's time goes, in one process, without HTTP.

    python -m bench.profile_ack [--groups 50] [--polls 20] [--requests 300] [--threads 1]
                                [--profile cprofile|none] [--kinds ...]

Seeds a database as `bench.bench_ack` does (fewer groups by default), wires the bot as
`mentorbot run --http` does (the group commit, the replay record through it) and calls the
WSGI application directly with signed requests of each kind. Prints per kind the median and
p95 of the whole call and of its parts: Bolt's dispatch (middleware, the listener and its own
database work) and, where the code still has it, the replay record stored alone before it
(`SlackBoundary._first_sight`, before 2026-11-26's change). With
`--profile cprofile` and one thread it also prints the functions that cost the most.

No worker runs: follow-ups pile up in the database, which the acknowledgements never read.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import hmac
import io
import pstats
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

from bench.bench_ack import KINDS, SECRET, Request, Workload, seed
from bot.app import create_app
from bot.config import Settings
from bot.runtime import Runtime
from bot.sandbox.fakeslack.server import FakeSlack
from bot.server import SlackBoundary, make_wsgi_app
from handlers import LISTENERS
from storage.db import GroupCommit, make_engine

Timings = dict[str, list[float]]


def _environ(request: Request) -> dict[str, Any]:
    body = request["body"].encode()
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "CONTENT_TYPE": request["content_type"],
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
        "HTTP_X_SLACK_SIGNATURE": f"v0={digest.hexdigest()}",
        "wsgi.input": io.BytesIO(body),
    }


@contextmanager
def timed_parts(timings: Timings) -> Iterator[None]:
    """Time `_first_sight` and `_dispatch` of every request, by wrapping them in place."""
    parts = ("_first_sight", "_dispatch")  # the first is gone once the record moved
    originals = {
        name: getattr(SlackBoundary, name) for name in parts if hasattr(SlackBoundary, name)
    }

    def wrap(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timings[name].append(time.perf_counter() - began)

        return timed

    for name, original in originals.items():
        setattr(SlackBoundary, name, wrap(name, original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(SlackBoundary, name, original)


def call_all(wsgi_app: Any, requests: list[Request], threads: int) -> list[float]:
    """Every request through the WSGI app, `threads` at a time; seconds each took."""
    took: list[float] = []
    pending = iter(requests)
    lock = threading.Lock()

    def caller() -> None:
        while True:
            with lock:
                request = next(pending, None)
            if request is None:
                return
            environ = _environ(request)
            statuses: list[str] = []
            began = time.perf_counter()
            wsgi_app(environ, lambda status, _headers, seen=statuses: seen.append(status))
            elapsed = time.perf_counter() - began
            if not statuses[0].startswith("2"):
                raise SystemExit(f"refused: {statuses[0]}")
            with lock:
                took.append(elapsed)

    workers = [threading.Thread(target=caller) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return took


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:6.2f} ms, p95 {p95 * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--polls", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--profile", choices=("cprofile", "none"), default="none")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as slack:
        database_url = f"sqlite:///{Path(scratch) / 'profile.db'}"
        groups = seed(slack, database_url, groups=args.groups, polls=args.polls)
        workload = Workload(slack, groups)
        settings = Settings(
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.api_url,
            MENTORBOT_DATABASE_URL=database_url,
            MENTORBOT_TIMEZONE="Europe/Copenhagen",
            _env_file=None,
        )
        engine = make_engine(database_url)
        group_commit = GroupCommit(engine)
        runtime = replace(Runtime(settings=settings, engine=engine), group_commit=group_commit)
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        app = create_app(runtime, LISTENERS, client=client)
        wsgi_app = make_wsgi_app(app, engine, write=runtime.write)
        rng = random.Random(7)
        work = {
            "slash command": lambda n: workload.commands(n)[0],
            "vote click": lambda n: workload.votes(n, rng),
            "modal submission": workload.submissions,
        }
        try:
            for kind in args.kinds:
                make = work[kind]
                call_all(wsgi_app, make(20), args.threads)  # warm-up
                requests = make(args.requests)
                timings: Timings = defaultdict(list)
                profiler = cProfile.Profile() if args.profile == "cprofile" else None
                with timed_parts(timings):
                    if profiler is not None:
                        profiler.enable()
                    took = call_all(wsgi_app, requests, args.threads)
                    if profiler is not None:
                        profiler.disable()
                print(f"\n{kind}, {args.threads} thread(s), {len(took)} requests:")
                print(f"  whole call      {_ms(took)}")
                for part, values in timings.items():
                    print(f"  {part:15} {_ms(values)}")
                if profiler is not None:
                    stats = pstats.Stats(profiler).sort_stats("cumulative")
                    stats.print_stats(35)
        finally:
            group_commit.close()
            engine.dispose()


if __name__ == "__main__":
    main()
