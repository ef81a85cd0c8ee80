"""`mentorbot run-job NAME [--now ISO]`: run one scheduled job once, as if at --now."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from bot.cli.common import configure_logging, fail, migrated_runtime, settings_or_exit
from bot.jobs import JOBS
from bot.runtime import Runtime
from bot.slack_client import background_client
from storage.db import read_session
from storage.terms import current_term


@click.command("run-job")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option(
    "--now",
    "now_text",
    help="ISO 8601 time to run as (without an offset: the current term's time zone).",
)
def run_job(name: str, now_text: str | None) -> None:
    """Run one job once: polls (close due polls, send reminders), meetings (day-before
    reminders), housekeeping. Nothing is sent twice, however often it runs."""
    configure_logging("WARNING")
    runtime = migrated_runtime(settings_or_exit())
    if now_text is not None:
        moment = _parse_now(now_text, runtime)
        runtime = replace(runtime, clock=lambda: moment)
    click.echo(f"{name}: {JOBS[name](runtime, background_client(runtime.settings))}")


def _parse_now(text: str, runtime: Runtime) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--now {text!r} is not an ISO 8601 time; write it like 2026-11-27T09:00")
    if moment.tzinfo is None:
        with read_session(runtime.engine) as session:
            term = current_term(session)
        zone = ZoneInfo(term.timezone) if term else runtime.settings.zone
        moment = moment.replace(tzinfo=zone)
    return moment
