"""`mentorbot report [--term NAME] [--csv FILE]`: the term's figures per group."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

import click

from bot.cli.checks import terminal_text
from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit
from bot.cli.errors import fail
from bot.domain.digest import counted
from bot.domain.errors import UserError
from bot.domain.pulse import MIN_ANSWERS, STATEMENTS, PulseSummary
from bot.domain.spreadsheet import write_csv
from bot.services.oversight import ReportRow, term_report
from bot.services.pulse import term_pulse
from bot.services.terms import find_term


@click.command()
@click.option("--term", "term_name", help="Term to report on (default: the current term).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the figures to this CSV file.",
)
def report(term_name: str | None, csv_path: Path | None) -> None:
    """Meetings held against the minimum, pace, plans and polls, per group (counts only)."""
    configure_logging("WARNING")
    runtime = migrated_runtime(settings_or_exit(slack=False))
    try:
        term = find_term(runtime, term_name)
    except UserError as error:
        fail(terminal_text(runtime, error.message))
    rows = term_report(runtime, term)
    click.echo(
        f"{term.name}: {counted(len(rows), 'group')}, "
        f"at least {counted(term.min_meetings, 'meeting')} each"
    )
    click.echo(f"{'group':30} {'held':>6} {'pace':12} {'planned':>8} {'polls':>6}")
    for row in rows:
        click.echo(
            f"{row.group[:30]:30} {row.held:>3}/{row.minimum:<2} {row.pace:12} "
            f"{row.planned:>8} {row.open_polls:>6}"
        )
    _echo_pulse(term_pulse(runtime, term))
    if csv_path is not None:
        try:
            with csv_path.open("w", newline="", encoding="utf-8") as handle:
                write_csv(handle, [f.name for f in fields(ReportRow)], (asdict(r) for r in rows))
        except OSError as error:
            fail(f"cannot write {csv_path}: {error.strerror}")
        click.echo(f"wrote {csv_path}")


def _echo_pulse(summary: PulseSummary) -> None:
    """The belonging pulse per round and role: how many answered and the mean score of each
    statement (1-5), only where at least MIN_ANSWERS people answered; never per group."""
    if not summary.rounds:
        click.echo("Belonging pulse: no round yet")
        return
    click.echo(f"Belonging pulse (scale 1-5; figures only where {MIN_ANSWERS} or more answered)")
    for result in summary.rounds:
        label = f"  {result.role} {result.kind.value}"
        if not result.shown:
            click.echo(f"{label}: not enough answers to show")
            continue
        click.echo(f"{label}: {result.answered} answered")
        for statement in result.statements:
            wording = str(STATEMENTS[statement.statement])
            figure = (
                f"{statement.mean:.1f} ({statement.answers} answered)"
                if statement.mean is not None
                else "not enough answers to show"
            )
            click.echo(f"    {statement.statement}. {wording[:60]:60} {figure}")
    for change in summary.changes:
        figure = f"{change.change:+.1f}" if change.change is not None else "not enough answers yet"
        click.echo(f"  {change.role} change from start to end: {figure}")
