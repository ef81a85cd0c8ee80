"""The `mentorbot` command line: one module per command group, gathered here.

The commands that run listeners (`run`, `worker`, `sandbox`) take them from the `Wiring`
the composition root (`mentorbot`) passes as click's `obj`: `cli(obj=Wiring(…))`."""

from __future__ import annotations

import click

from bot.cli.db import db
from bot.cli.errors import FriendlyErrors
from bot.cli.jobs import run_job
from bot.cli.match import match
from bot.cli.parse_date import parse_date
from bot.cli.people import certify
from bot.cli.privacy import privacy
from bot.cli.report import report
from bot.cli.roster import groups, roster
from bot.cli.run import run
from bot.cli.term import term
from bot.cli.worker import worker
from bot.sandbox.cli import sandbox


@click.group(cls=FriendlyErrors, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """mentorbot: peer-mentoring groups in Slack."""


cli.add_command(run)
cli.add_command(worker)
cli.add_command(db)
cli.add_command(run_job)
cli.add_command(parse_date)
cli.add_command(report)
cli.add_command(roster)
cli.add_command(groups)
cli.add_command(sandbox)
cli.add_command(term)
cli.add_command(certify)
cli.add_command(match)
cli.add_command(privacy)
