"""What every CLI command shares: settings, logging and the database, with clear failures."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import NoReturn

import click
from sqlalchemy.exc import SQLAlchemyError

from bot import logprivacy
from bot.config import ConfigError, Settings, load_settings
from bot.runtime import Runtime
from bot.services.themes import seed_default_themes
from bot.wiring import Listeners
from storage.db import make_engine
from storage.migrate import upgrade_if_needed


@dataclass(frozen=True)
class Wiring:
    """What the composition root (`mentorbot.py`) hands the command line as click's `obj`:
    the listeners and follow-ups to run, and how to start this program again (`mentorbot
    run` starts its worker as a child process)."""

    listeners: Listeners
    command: tuple[str, ...]
    """The program and its first arguments, e.g. (python, "-m", "mentorbot")."""


def wiring_or_exit() -> Wiring:
    """The wiring the command line was started with; a clear exit without one."""
    wiring = click.get_current_context().find_object(Wiring)
    if wiring is None:
        fail("this command needs the listeners: start it as `mentorbot` (mentorbot.py)")
    return wiring


def fail(message: str, *, code: int = 2) -> NoReturn:
    click.echo(f"mentorbot: {message}", err=True)
    sys.exit(code)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        fail(f"cannot start: {error}")


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
    engine = make_engine(settings.database_url)
    try:
        upgrade_if_needed(engine)
    except SQLAlchemyError as error:
        fail(
            f"cannot use the database in MENTORBOT_DATABASE_URL ({engine.url.render_as_string()}): "
            f"{error.__class__.__name__}: {str(error).splitlines()[0]}"
        )
    runtime = Runtime(settings=settings, engine=engine)
    seed_default_themes(runtime)
    return runtime
