"""`mentorbot run-job NAME [--now ISO]`: run one scheduled job once, as if at --now."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from bot.cli.checks import slack_client_or_exit
from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit
from bot.cli.errors import fail
from bot.jobs import JOBS
from bot.runtime import Runtime
from storage.db import read_session
from storage.terms import current_term


@click.command("run-job")
@click.argument("names", nargs=-1, required=True, type=click.Choice(sorted(JOBS)))
@click.option(
    "--now",
    "now_text",
    help="ISO 8601 time to run as (without an offset: the current term's time zone).",
)
def run_job(names: tuple[str, ...], now_text: str | None) -> None:
    """Run jobs once, in the order given: polls (close due polls, send reminders, redraw),
    meetings (day-before reminders, "did you meet?"), nudges, digest, housekeeping. Nothing
    is sent twice, however often they run."""
    configure_logging("WARNING")
    settings = settings_or_exit()
    client = slack_client_or_exit(settings)
    runtime = migrated_runtime(settings)
    if now_text is not None:
        moment = _parse_now(now_text, runtime)
        runtime = replace(runtime, clock=lambda: moment)
    for name in names:
        click.echo(f"{name}: {JOBS[name](runtime, client)}")


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
