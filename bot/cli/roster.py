"""`mentorbot roster import` and `mentorbot groups create`: bulk work from CSV files."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from bot.cli.common import configure_logging, fail, migrated_runtime, settings_or_exit
from bot.domain.errors import UserError
from bot.domain.roster import CsvFormatError
from bot.services.roster import RowReport, RowStatus, create_groups_from_csv, import_roster
from bot.slack_client import background_client

_PROBLEMS = {RowStatus.NOT_IN_SLACK, RowStatus.INVALID, RowStatus.STOPPED}


def _read_csv(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text: save it as “CSV UTF-8” and try again")
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")


def _count_rows(text: str) -> int:
    return max(0, sum(1 for line in text.splitlines()[1:] if line.strip()))


def _run_with_progress(
    label: str, text: str, work: Callable[[Callable[[RowReport], None]], object]
) -> list[RowReport]:
    reports: list[RowReport] = []
    with click.progressbar(
        length=_count_rows(text), label=label, file=sys.stderr, show_pos=True
    ) as bar:

        def on_row(report: RowReport) -> None:
            reports.append(report)
            bar.update(1)

        work(on_row)
    return reports


def _run_csv_command(label: str, file: Path, work: Callable[..., list[RowReport]]) -> None:
    """Read FILE, run `work(runtime, client, text, on_row)` with a progress bar, print a line
    per row and a summary; exit 1 if any row was not done."""
    configure_logging("WARNING")
    text = _read_csv(file)
    runtime = migrated_runtime(settings_or_exit())
    client = background_client(runtime.settings)
    try:
        reports = _run_with_progress(
            label, text, lambda on_row: work(runtime, client, text, on_row)
        )
    except (UserError, CsvFormatError) as error:
        fail(f"{file}: {getattr(error, 'message', error)}")
    _print_reports(reports)
    if any(report.status in _PROBLEMS for report in reports):
        raise SystemExit(1)


def _print_reports(reports: list[RowReport]) -> None:
    for report in sorted(reports, key=lambda r: r.line):
        click.echo(str(report))
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.status.value] = counts.get(report.status.value, 0) + 1
    click.echo("summary: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))


@click.group()
def roster() -> None:
    """The term's roster of mentors and mentees."""


@roster.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--term", "term_name", help="Term to import into (default: the current term).")
def roster_import(file: Path, term_name: str | None) -> None:
    """Import FILE.csv with columns name, email, role (mentor/mentee) and optionally
    programme, year, language, certified (yes/no). Safe to run again."""
    _run_csv_command(
        "importing",
        file,
        lambda runtime, client, text, on_row: import_roster(
            runtime, client, text, term_name=term_name, on_row=on_row
        ),
    )


@click.group()
def groups() -> None:
    """Mentor groups and their channels."""


@groups.command("create")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def groups_create(file: Path) -> None:
    """Form groups from FILE.csv (one row per group: mentor_email, mentee_emails separated
    by ";", optional name), each with its private channel. If interrupted, run it again:
    it resumes where it stopped and never makes a second channel."""
    _run_csv_command(
        "forming groups",
        file,
        lambda runtime, client, text, on_row: create_groups_from_csv(
            runtime, client, text, created_by="cli", on_row=on_row
        ),
    )
