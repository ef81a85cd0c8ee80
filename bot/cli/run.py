"""`mentorbot run`: the bot until SIGTERM or Ctrl-C, as two processes: this one answers Slack
(Socket Mode or HTTP), and a worker it starts, watches and stops does everything else."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
import urllib.error
from dataclasses import replace
from types import FrameType

import click
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.app import create_app
from bot.cli.checks import check_slack, quiet_slack_sdk
from bot.cli.common import (
    Wiring,
    configure_logging,
    migrated_runtime,
    settings_or_exit,
    wiring_or_exit,
)
from bot.cli.errors import fail
from bot.config import Settings
from bot.doorbell import ring, wake_up_pipe
from bot.runtime import Runtime
from bot.server import HttpServer, make_wsgi_app
from bot.slack_client import background_client
from storage.db import GroupCommit

logger = logging.getLogger("mentorbot")

LOG_LEVELS = click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False)


@click.command()
@click.option(
    "--http", "force_http", is_flag=True, help="HTTP mode even if SLACK_APP_TOKEN is set."
)
@click.option("--port", default=3000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option(
    "--web-only",
    is_flag=True,
    help="Start no worker: for several bot processes sharing one `mentorbot worker`.",
)
@click.option("--log-level", default="INFO", show_default=True, type=LOG_LEVELS)
def run(force_http: bool, port: int, host: str, web_only: bool, log_level: str) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP."""
    wiring = wiring_or_exit()
    configure_logging(log_level.upper())
    settings = settings_or_exit()
    _check_slack_and_coordinators(settings)
    runtime = migrated_runtime(settings)
    worker = None if web_only else WorkerProcess(wiring, log_level.upper())
    group_commit = GroupCommit(runtime.engine)
    runtime = replace(
        runtime,
        group_commit=group_commit,
        wake_worker=worker.ring if worker else runtime.wake_worker,
    )
    try:
        if worker is not None:
            worker.start()
        app = _create_app_or_exit(runtime, wiring)
        if settings.socket_mode and not force_http:
            _run_socket_mode(app, settings.slack_app_token or "")
        else:
            _run_http(app, runtime, host=host, port=port)
    finally:
        if worker is not None:
            worker.stop()
        group_commit.close()
        runtime.engine.dispose()
        logger.info("stopped")


class WorkerProcess:
    """The worker as a child process: started with the bot, started again if it dies, and
    stopped with the bot. It learns of new work through a pipe (`ring`), and stops by itself
    if this process is killed and the pipe closes."""

    RESTART_DELAYS = (1.0, 2.0, 5.0, 15.0, 60.0)
    HEALTHY_AFTER_SECONDS = 60.0

    def __init__(self, wiring: Wiring, log_level: str) -> None:
        self._command = wiring.command
        self._log_level = log_level
        self._read_end, self._write_end = wake_up_pipe()
        self._stopping = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._spawn()
        threading.Thread(target=self._watch, name="worker-watch", daemon=True).start()

    def ring(self) -> None:
        ring(self._write_end)

    def stop(self) -> None:
        self._stopping.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                logger.warning("the worker did not stop within 30 s; killing it")
                process.kill()
                process.wait()
        os.close(self._read_end)
        os.close(self._write_end)

    def _spawn(self) -> None:
        command = [*self._command, "worker", "--doorbell-fd", str(self._read_end)]
        self._process = subprocess.Popen(
            [*command, "--log-level", self._log_level], pass_fds=(self._read_end,)
        )
        logger.info("started the worker (process %s)", self._process.pid)

    def _watch(self) -> None:
        failures = 0
        while self._process is not None:
            started = time.monotonic()
            code = self._process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > self.HEALTHY_AFTER_SECONDS:
                failures = 0
            delay = self.RESTART_DELAYS[min(failures, len(self.RESTART_DELAYS) - 1)]
            failures += 1
            logger.error("the worker exited with %s; starting it again in %.0f s", code, delay)
            if self._stopping.wait(delay):
                return
            self._spawn()


def _create_app_or_exit(runtime: Runtime, wiring: Wiring) -> App:
    try:
        return create_app(runtime, wiring.listeners)
    except BoltError as error:
        fail(
            f"Slack refused SLACK_BOT_TOKEN ({error}); create the app from manifest.yml "
            "and copy its Bot User OAuth Token"
        )
    except (urllib.error.URLError, OSError) as error:
        fail(f"cannot reach Slack at SLACK_API_URL={runtime.settings.slack_api_url}: {error}")


def _check_slack_and_coordinators(settings: Settings) -> None:
    """Before anything is migrated or started: Slack accepts the token (else one line and
    exit 1), and someone can act as coordinator (else a warning: the bot runs, but nobody
    can start a term or form groups from Slack)."""
    identity = check_slack(background_client(settings))
    logger.info(
        "Slack accepted the token: workspace %r, bot user %s", identity.team, identity.bot_user_id
    )
    if not settings.coordinators:
        logger.warning(
            "MENTORBOT_COORDINATORS is empty: nobody can use the coordinator commands "
            "(/mentor term new, certify, group create) or gets the weekly digest; put the "
            "coordinators' Slack member IDs there (profile → ⋮ → Copy member ID)"
        )


def _run_http(app: App, runtime: Runtime, *, host: str, port: int) -> None:
    try:
        # Replay records join the group commit of the acknowledgements' own writes.
        wsgi_app = make_wsgi_app(app, runtime.engine, write=runtime.write)
        server = HttpServer(wsgi_app, host=host, port=port)
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror}; choose another --port")
    signal.signal(signal.SIGTERM, _exit_on_signal)
    logger.info(
        "HTTP mode: listening on %s:%s (POST /slack/events, GET /healthz)", host, server.port
    )
    server.serve_forever()


def _run_socket_mode(app: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    handler = SocketModeHandler(app, app_token)
    try:
        with quiet_slack_sdk():
            handler.connect()
    except SlackApiError as error:
        fail(
            f"Slack refused SLACK_APP_TOKEN ({error.response.get('error')}): create an "
            "app-level token with the connections:write scope (Basic Information → App-Level "
            "Tokens), or leave SLACK_APP_TOKEN unset to run in HTTP mode",
            code=1,
        )
    logger.info("Socket Mode: connected")
    stop.wait()
    handler.close()


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    logger.info("received %s, shutting down", signal.Signals(signum).name)
    raise SystemExit(0)
