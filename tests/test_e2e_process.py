"""`mentorbot run` as a real process: HTTP mode and Socket Mode against the fake Slack,
started and stopped the way an operator does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.sandbox.fakeslack.driver import SlackDriver, SocketModeDriver
from bot.sandbox.fakeslack.server import FakeSlack
from tests.support.processes import free_port, wait_until

SECRET = "process-test-secret"
COORDINATOR = "UCOORD001"


@contextmanager
def _bot_process(
    slack: FakeSlack, tmp_path: Path, *args: str, app_token: str | None = None
) -> Iterator[subprocess.Popen[str]]:
    environment = {
        **os.environ,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "MENTORBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "MENTORBOT_COORDINATORS": COORDINATOR,
    }
    environment.pop("SLACK_APP_TOKEN", None)
    if app_token:
        environment["SLACK_APP_TOKEN"] = app_token
    process = subprocess.Popen(
        [sys.executable, "-m", "mentorbot", *args],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _wait_for_health(url: str, process: subprocess.Popen[str], timeout: float = 20.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the bot exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                return answer.status
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    pytest.fail("the bot did not answer /healthz in time")


@contextmanager
def _healthy_http_bot(tmp_path: Path) -> Iterator[tuple[FakeSlack, subprocess.Popen[str], str]]:
    """`mentorbot run --http` against a fake Slack, once its /healthz answers 200."""
    port = free_port()
    with (
        FakeSlack() as slack,
        _bot_process(slack, tmp_path, "run", "--http", "--port", str(port)) as process,
    ):
        base = f"http://127.0.0.1:{port}"
        assert _wait_for_health(base + "/healthz", process) == 200
        yield slack, process, base


def test_http_mode_end_to_end(tmp_path: Path) -> None:
    with _healthy_http_bot(tmp_path) as (slack, process, base):
        user = slack.add_user("mia")
        channel = slack.add_channel("general", [user.id])
        driver = SlackDriver(slack, base + "/slack/events", SECRET)
        answer = driver.command(user.id, channel.id, "help")
        assert answer.acked_in_time
        assert answer.response_url_id is not None
        (help_post,) = slack.wait_for_responses(answer.response_url_id, timeout=10)
        assert "/mentor help" in json.dumps(help_post.body)
        assert (
            driver.forging(signing_secret_override="wrong")
            .command(user.id, channel.id, "help")
            .status
            == 401
        )

        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
        assert process.returncode == 0, output
        assert "refused a request" in output
        assert "worker stopped" in output
        assert "stopped" in output
        assert "Traceback" not in output


def test_socket_mode_end_to_end(tmp_path: Path) -> None:
    with (
        FakeSlack() as slack,
        _bot_process(slack, tmp_path, "run", app_token=slack.app_token) as process,
    ):
        try:
            slack.socket_mode.wait_for_connection(timeout=20)
        except TimeoutError:
            process.kill()
            pytest.fail(f"no Socket Mode connection:\n{process.communicate()[0]}")
        user = slack.add_user("mia")
        channel = slack.add_channel("general", [user.id])
        answer = SocketModeDriver(slack).command(user.id, channel.id, "help")
        assert answer.response_url_id is not None
        (help_post,) = slack.wait_for_responses(answer.response_url_id, timeout=10)
        assert "/mentor help" in json.dumps(help_post.body)

        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=15)
        assert process.returncode == 0, output
        assert "Socket Mode: connected" in output
        assert "Traceback" not in output


def _worker_pids(parent: int) -> list[int]:
    """The worker processes `mentorbot run` started (children of `parent`)."""
    pids = []
    for children in Path(f"/proc/{parent}/task").glob("*/children"):
        try:
            pids += [int(pid) for pid in children.read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return sorted(pid for pid in pids if _alive(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_worker_that_dies_is_started_again_and_one_left_alone_stops(tmp_path: Path) -> None:
    with _healthy_http_bot(tmp_path) as (slack, process, base):
        wait_until(lambda: _worker_pids(process.pid), "the worker has started")
        (first,) = _worker_pids(process.pid)
        os.kill(first, signal.SIGKILL)
        wait_until(
            lambda: _worker_pids(process.pid) not in ([], [first]), "a new worker has started"
        )
        (second,) = _worker_pids(process.pid)

        # A worker started again does the work its predecessor left: the help answer.
        user = slack.add_user("mia")
        channel = slack.add_channel("general", [user.id])
        answer = SlackDriver(slack, base + "/slack/events", SECRET).command(
            user.id, channel.id, "help"
        )
        assert answer.response_url_id is not None
        slack.wait_for_responses(answer.response_url_id, timeout=10)

        # The bot killed outright: its worker notices and stops instead of running on alone.
        process.kill()
        process.wait(timeout=10)
        wait_until(lambda: not _alive(second), "the orphaned worker has stopped")


def test_web_only_bot_with_a_worker_of_its_own(tmp_path: Path) -> None:
    """The halves apart, as a larger deployment runs them: a bot process that starts no
    worker, and `mentorbot worker` beside it, finding the work by looking for it."""
    port = free_port()
    with (
        FakeSlack() as slack,
        _bot_process(slack, tmp_path, "run", "--web-only", "--http", "--port", str(port)) as web,
        _bot_process(slack, tmp_path, "worker") as worker,
    ):
        base = f"http://127.0.0.1:{port}"
        assert _wait_for_health(base + "/healthz", web) == 200
        assert _worker_pids(web.pid) == [], "--web-only starts no worker"
        user = slack.add_user("mia")
        channel = slack.add_channel("general", [user.id])
        answer = SlackDriver(slack, base + "/slack/events", SECRET).command(
            user.id, channel.id, "help"
        )
        assert answer.response_url_id is not None
        (help_post,) = slack.wait_for_responses(answer.response_url_id, timeout=10)
        assert "/mentor help" in json.dumps(help_post.body)

        outputs = []
        for process in (web, worker):
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=15)
            assert process.returncode == 0, output
            assert "Traceback" not in output
            outputs.append(output)
        assert "worker stopped" in outputs[1]
