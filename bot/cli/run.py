"""`mentorbot run`: start the bot in Socket Mode or HTTP mode until SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
import signal
import threading
import urllib.error
from types import FrameType

import click
from slack_bolt import App
from slack_bolt.error import BoltError

from bot.app import create_app
from bot.cli.common import configure_logging, fail, migrated_runtime, settings_or_exit
from bot.runtime import Runtime
from bot.scheduler import build_scheduler
from bot.server import HttpServer, make_wsgi_app
from bot.slack_client import background_client

logger = logging.getLogger("mentorbot")


@click.command()
@click.option(
    "--http", "force_http", is_flag=True, help="HTTP mode even if SLACK_APP_TOKEN is set."
)
@click.option("--port", default=3000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option(
    "--log-level",
    default="INFO",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
def run(force_http: bool, port: int, host: str, log_level: str) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP."""
    configure_logging(log_level.upper())
    settings = settings_or_exit()
    runtime = migrated_runtime(settings)
    app = _create_app_or_exit(runtime)
    scheduler = build_scheduler(runtime, background_client(settings))
    scheduler.start()
    try:
        if settings.socket_mode and not force_http:
            _run_socket_mode(app, settings.slack_app_token or "")
        else:
            _run_http(app, runtime, host=host, port=port)
    finally:
        scheduler.shutdown(wait=False)
        runtime.engine.dispose()
        logger.info("stopped")


def _create_app_or_exit(runtime: Runtime) -> App:
    try:
        return create_app(runtime)
    except BoltError as error:
        fail(
            f"Slack refused SLACK_BOT_TOKEN ({error}); create the app from manifest.yml "
            "and copy its Bot User OAuth Token"
        )
    except (urllib.error.URLError, OSError) as error:
        fail(f"cannot reach Slack at SLACK_API_URL={runtime.settings.slack_api_url}: {error}")


def _run_http(app: App, runtime: Runtime, *, host: str, port: int) -> None:
    try:
        server = HttpServer(make_wsgi_app(app, runtime.engine), host=host, port=port)
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
    handler.connect()
    logger.info("Socket Mode: connected")
    stop.wait()
    handler.close()


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    logger.info("received %s, shutting down", signal.Signals(signum).name)
    raise SystemExit(0)
