"""The bot as real processes for end-to-end tests: `mentorbot run` (with the worker it
starts) and `mentorbot run-job`, pointed at the fake Slack and a shared database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from bot.sandbox.fakeslack.server import FakeSlack

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def bot_environment(
    slack: FakeSlack, database_url: str, secret: str, coordinators: str = ""
) -> dict[str, str]:
    environment = {
        **os.environ,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": slack.api_url,
        "MENTORBOT_DATABASE_URL": database_url,
        "MENTORBOT_TIMEZONE": "Europe/Copenhagen",
        "MENTORBOT_COORDINATORS": coordinators,
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("SLACK_APP_TOKEN", None)
    return environment


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    def kill(self) -> None:
        """SIGKILL the bot and its worker at once, as when its container or machine dies."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as an operator stops it; the worker is stopped by the bot."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


@contextmanager
def bot_process(
    slack: FakeSlack, database_url: str, workdir: Path, *, secret: str, coordinators: str = ""
) -> Iterator[BotProcess]:
    """`mentorbot run --http` in its own process group, until the block ends."""
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"bot-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mentorbot", "run", "--http", "--port", str(port)],
            cwd=workdir,
            env=bot_environment(slack, database_url, secret, coordinators),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    bot = BotProcess(process, f"http://127.0.0.1:{port}", log)

    def healthy() -> bool:
        if process.poll() is not None:
            pytest.fail(f"the bot exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(bot.url + "/healthz", timeout=1) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    try:
        wait_until(healthy, "the bot to start")
        yield bot
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def run_jobs_at(
    slack: FakeSlack,
    database_url: str,
    workdir: Path,
    moment: datetime,
    *,
    secret: str,
    coordinators: str = "",
    copies: int = 2,
) -> None:
    """Every scheduled job as if at `moment`, in `copies` `mentorbot run-job` processes at
    once (as that many bot processes would); each must succeed."""
    command = [sys.executable, "-m", "mentorbot", "run-job", "polls", "meetings", "nudges"]
    command += ["digest", "housekeeping", "--now", moment.isoformat()]
    environment = bot_environment(slack, database_url, secret, coordinators)
    runs = [
        subprocess.Popen(
            command, cwd=workdir, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(copies)
    ]
    for run in runs:
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 0, output.decode()
