"""`mentorbot sandbox`: start the sandbox and print the one link to open."""

from __future__ import annotations

import logging
import signal
import threading
import webbrowser
from pathlib import Path

import click

from bot.cli.common import configure_logging, wiring_or_exit
from bot.cli.errors import fail

logger = logging.getLogger("mentorbot")


@click.command()
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port for the page on 127.0.0.1; 0 picks any free port.",
)
@click.option("--empty", is_flag=True, help="Start with no term and no groups, only people.")
@click.option(
    "--database",
    help="Keep the bot's database here (a new SQLite file, or a URL); default: a "
    "temporary file removed at exit.",
)
@click.option(
    "--open/--no-browser",
    "open_browser",
    default=False,
    show_default=True,
    help="Open the page in the default browser (by default nothing opens).",
)
@click.option(
    "--log-level",
    default="WARNING",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
def sandbox(
    port: int, empty: bool, database: str | None, open_browser: bool, log_level: str
) -> None:
    """The whole bot in a browser, against a stand-in for Slack: no workspace needed."""
    # Imported here, not when `mentorbot` starts: every other command (the bot and its
    # worker included) would otherwise load the fake Slack and the web server too.
    from bot.sandbox.app import Sandbox, SandboxOptions
    from bot.sandbox.web import SandboxWebServer

    listeners = wiring_or_exit().listeners
    configure_logging(log_level.upper())
    options = SandboxOptions(empty=empty, database_url=_database_url(database))
    box = Sandbox(listeners, options)
    try:
        # Listen first, so a port in use fails before the slower start.
        web = SandboxWebServer(box, port=port)
    except OSError as error:
        fail(f"cannot listen on 127.0.0.1:{port}: {error.strerror}; choose another --port")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("mentorbot sandbox: starting (the demo term takes a few seconds)…", err=True)
    try:
        box.start()
        web.start()
        click.echo(f"mentorbot sandbox: open {web.url}  (Ctrl-C stops it)")
        if open_browser:
            webbrowser.open(web.url)
        stop.wait()
    finally:
        click.echo("mentorbot sandbox: stopping", err=True)
        web.stop()
        box.stop()


def _database_url(database: str | None) -> str | None:
    if database is None or "://" in database:
        return database
    path = Path(database).expanduser().resolve()
    if path.exists() and path.stat().st_size > 0:
        fail(
            f"{path} already exists: the sandbox's Slack starts empty every time, so its "
            "database must be new; give another file"
        )
    return f"sqlite:///{path}"
