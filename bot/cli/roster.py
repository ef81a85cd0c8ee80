"""`mentorbot roster import` and `mentorbot groups create`: bulk work from CSV files.

The files are read as spreadsheets save them (bot/domain/csvtext.py: `;` or `,`, a
byte-order mark, UTF-8 or a Windows code page); `--check` reads a file and says what is
wrong with it without Slack, a database or a term."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from slack_sdk import WebClient

from bot.cli.checks import slack_client_or_exit, terminal_text
from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit
from bot.cli.errors import fail
from bot.domain.csvtext import DecodedCsv, column_separator, decode_csv
from bot.domain.digest import counted
from bot.domain.errors import UserError
from bot.domain.roster import (
    CsvFormatError,
    ParticipantRole,
    RowProblem,
    parse_groups,
    parse_roster,
)
from bot.runtime import Runtime
from bot.services.roster import RowReport, RowStatus, create_groups_from_csv, import_roster
from bot.services.terms import find_term

_PROBLEMS = {RowStatus.NOT_IN_SLACK, RowStatus.INVALID, RowStatus.STOPPED}
_SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}

CsvWork = Callable[[Runtime, WebClient, str, Callable[[RowReport], None]], list[RowReport]]


def _read_csv(path: Path) -> DecodedCsv:
    try:
        data = path.read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
    return decode_csv(data)


def _count_rows(text: str) -> int:
    return max(0, sum(1 for line in text.splitlines()[1:] if line.strip()))


def _run_with_progress(label: str, text: str, work: Callable[..., object]) -> list[RowReport]:
    """Run `work(on_row)`; a progress bar on a terminal, nothing on a pipe or in a log."""
    reports: list[RowReport] = []
    if not sys.stderr.isatty():
        work(reports.append)
        return reports
    with click.progressbar(
        length=_count_rows(text), label=label, file=sys.stderr, show_pos=True
    ) as bar:

        def on_row(report: RowReport) -> None:
            reports.append(report)
            bar.update(1)

        work(on_row)
    return reports


def _run_csv_command(label: str, file: Path, work: CsvWork, *, term_name: str | None) -> None:
    """Read FILE, check Slack's token, the database and the term (`term_name`, or the current
    one), then run `work` with a progress bar, print a line per row and a summary; exit 1 if
    any row was not done."""
    configure_logging("WARNING")
    text = _read_csv(file).text
    settings = settings_or_exit()
    client = slack_client_or_exit(settings)
    runtime = migrated_runtime(settings)
    try:
        # Before the first row, so that a missing term stops the command at once.
        find_term(runtime, term_name)
        reports = _run_with_progress(
            label, text, lambda on_row: work(runtime, client, text, on_row)
        )
    except UserError as error:
        fail(f"{file}: {terminal_text(runtime, error.message)}")
    except CsvFormatError as error:
        fail(f"{file}: {error}")
    _print_reports(runtime, reports)
    if any(report.status in _PROBLEMS for report in reports):
        raise SystemExit(1)


def _print_reports(runtime: Runtime, reports: list[RowReport]) -> None:
    for report in sorted(reports, key=lambda r: r.line):
        click.echo(terminal_text(runtime, str(report)))
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.status.value] = counts.get(report.status.value, 0) + 1
    click.echo("summary: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))


def _check_file(file: Path, summarise: Callable[[str], tuple[list[str], list[RowProblem]]]) -> None:
    """`--check`: how the file was read, a line per bad row, what the good rows hold."""
    decoded = _read_csv(file)
    separator = _SEPARATOR_NAMES[column_separator(decoded.text)]
    click.echo(f"{file}: read as {decoded.encoding} text, columns separated by {separator}")
    try:
        summary, problems = summarise(decoded.text)
    except CsvFormatError as error:
        fail(f"{file}: {error}", code=1)
    for problem in problems:
        click.echo(f"line {problem.line}: row invalid: {problem.message}")
    for line in summary:
        click.echo(line)
    if problems:
        click.echo(f"{counted(len(problems), 'row')} to correct; the others are ready")
        raise SystemExit(1)
    click.echo("the file is ready")


def _roster_summary(text: str) -> tuple[list[str], list[RowProblem]]:
    rows, problems = parse_roster(text)
    mentors = [row for row in rows if row.role is ParticipantRole.MENTOR]
    certified = sum(1 for row in mentors if row.certified)
    return [
        f"{counted(len(rows), 'person', 'people')}: {counted(len(mentors), 'mentor')} "
        f"({certified} certified), {counted(len(rows) - len(mentors), 'mentee')}"
    ], problems


def _groups_summary(text: str) -> tuple[list[str], list[RowProblem]]:
    rows, problems = parse_groups(text)
    mentees = sum(len(row.mentee_emails) for row in rows)
    return [f"{counted(len(rows), 'group')} with {counted(mentees, 'mentee')} in all"], problems


CHECK_HELP = "Only read the file and report its problems: no Slack, no database, no term needed."


@click.group()
def roster() -> None:
    """The term's roster of mentors and mentees."""


@roster.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--term", "term_name", help="Term to import into (default: the current term).")
@click.option("--check", "check_only", is_flag=True, help=CHECK_HELP)
def roster_import(file: Path, term_name: str | None, check_only: bool) -> None:
    """Import FILE.csv with columns name, email, role (mentor/mentee) and optionally
    programme, year, language, certified (yes/no), and what a sign-up gives: languages
    (spoken, e.g. "da, English"), themes (separated by ;), availability (e.g. "mon-morning,
    thu-evening"), preferred_mentor and friend (an email or a Slack ID), note, capacity
    (groups a mentor can lead, 1-3). Safe to run again. Separated by commas or semicolons,
    saved as CSV UTF-8 or in the Windows code page (as Excel saves it)."""
    if check_only:
        _check_file(file, _roster_summary)
        return
    _run_csv_command(
        "importing",
        file,
        lambda runtime, client, text, on_row: import_roster(
            runtime, client, text, term_name=term_name, on_row=on_row
        ),
        term_name=term_name,
    )


@click.group()
def groups() -> None:
    """Mentor groups and their channels."""


@groups.command("create")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--check", "check_only", is_flag=True, help=CHECK_HELP)
def groups_create(file: Path, check_only: bool) -> None:
    """Form groups from FILE.csv (one row per group: mentor_email, mentee_emails separated
    by ";" or ",", optional name), each with its private channel. If interrupted, run it
    again: it resumes where it stopped and never makes a second channel."""
    if check_only:
        _check_file(file, _groups_summary)
        return
    _run_csv_command(
        "forming groups",
        file,
        lambda runtime, client, text, on_row: create_groups_from_csv(
            runtime, client, text, created_by="cli", on_row=on_row
        ),
        term_name=None,
    )
