"""What every CLI command shares: settings, logging and the database, with clear failures."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

import click

from bot import logprivacy
from bot.cli.checks import check_database_url
from bot.cli.errors import (
    DATABASE_URL_KEY,
    SLACK_API_URL_KEY,
    describe_database_failure,
    fail,
    note_setting,
)
from bot.config import ConfigError, Settings, load_settings
from bot.runtime import Runtime
from bot.services.themes import seed_default_themes
from bot.wiring import Listeners
from storage.db import DatabaseError, make_engine, read_database_url
from storage.migrate import upgrade_if_needed


@dataclass(frozen=True)
class Wiring:
    """What the composition root (`mentorbot`) hands the command line as click's `obj`:
    the listeners and follow-ups to run, and how to start this program again (`mentorbot
    run` starts its worker as a child process)."""

    listeners: Listeners
    command: tuple[str, ...]
    """The program and its first arguments, e.g. (python, "-m", "mentorbot")."""


def wiring_or_exit() -> Wiring:
    """The wiring the command line was started with; a clear exit without one."""
    wiring = click.get_current_context().find_object(Wiring)
    if wiring is None:
        fail("this command needs the listeners: start it as `mentorbot` or `python -m mentorbot`")
    return wiring


def settings_or_exit(*, slack: bool = True) -> Settings:
    """The settings, or one line naming every problem; `slack=False` for commands that
    never call Slack, which then run without the Slack tokens."""
    try:
        settings = load_settings(slack=slack)
    except ConfigError as error:
        fail(f"cannot start: {'; '.join(str(error).splitlines())}")
    note_setting(SLACK_API_URL_KEY, settings.slack_api_url)
    note_setting(DATABASE_URL_KEY, _shown(settings.database_url))
    return settings


def _shown(database_url: str) -> str:
    """The database URL with its password hidden, fit for a message."""
    parsed = read_database_url(database_url)
    return parsed.shown if parsed is not None else "MENTORBOT_DATABASE_URL"


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr at `level`; at any level, no record holds what people sent (bodies,
    form values, notes, response_urls, tokens): see bot/logprivacy.py."""
    logprivacy.install()
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("apscheduler", "slack_sdk.web.base_client", "waitress.queue"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def migrated_runtime(settings: Settings) -> Runtime:
    """The runtime with the schema brought up to date, or a clear exit if the database fails."""
    check_database_url(settings.database_url)
    try:
        engine = make_engine(settings.database_url)
        upgrade_if_needed(engine)
        runtime = Runtime(settings=settings, engine=engine)
        seed_default_themes(runtime)
    except DatabaseError as error:
        fail(f"cannot use MENTORBOT_DATABASE_URL: {describe_database_failure(error)}", code=1)
    except OSError as error:
        # The lock file beside a SQLite database: a folder we may not write to.
        fail(
            f"cannot use MENTORBOT_DATABASE_URL: {error.strerror} ({error.filename}); "
            "name a file in a folder this user may write to",
            code=1,
        )
    return runtime
