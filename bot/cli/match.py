"""`mentorbot match`: propose the term's groups, check an edited proposal, and write the file
`mentorbot groups create` forms them from (approval is that command: the existing path,
resumable and rate-limit safe).

The proposal file has one row per person: group, role, name, email, locked, reasons.
Everyone left out has a row without a group, and the reason. A coordinator moves people by
changing their group, marks groups to keep with `locked` = yes and runs `match --keep FILE`
to re-solve the rest around them, then `match --check FILE --groups-out groups.csv`."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit
from bot.cli.errors import fail
from bot.domain.csvtext import column_separator, decode_csv
from bot.domain.digest import counted
from bot.domain.errors import UserError
from bot.domain.matching import (
    Candidate,
    FixedGroup,
    LeftOutReason,
    ProblemCode,
    Proposal,
    check_groups,
    describe_reasons,
)
from bot.domain.roster import CsvFormatError, ParticipantRole
from bot.services.matching import (
    MatchingResult,
    MatchingRoster,
    load_matching_roster,
    propose_for_roster,
)

COLUMNS = ("group", "role", "name", "email", "locked", "reasons")
GROUP_COLUMNS = ("mentor_email", "mentee_emails", "name")
_YES = {"yes", "y", "true", "1", "x", "ja", "j"}
_LEFT_OUT = "left out: "


@dataclass(frozen=True)
class ProposalRow:
    line: int
    group: str
    role: str
    email: str
    locked: bool


@dataclass(frozen=True)
class ReadGroup:
    """A group as the file has it: its label, its people's rows, and who they are."""

    label: str
    rows: tuple[ProposalRow, ...]
    group: FixedGroup
    locked: bool


# --- Writing ----------------------------------------------------------------------------------


def _label(index: int) -> str:
    return str(index + 1)


def proposal_rows(proposal: Proposal, people: Mapping[str, Candidate]) -> list[list[str]]:
    """The proposal file's rows: each group (mentor first), then everyone left out."""
    names = {person_id: person.name for person_id, person in people.items()}
    rows: list[list[str]] = []
    for index, group in enumerate(proposal.groups):
        reasons = describe_reasons(group.reasons, names)
        for person_id in (group.mentor, *group.mentees):
            person = people[person_id]
            rows.append(
                [
                    _label(index),
                    person.role.value,
                    person.name,
                    person.email or "",
                    "yes" if group.locked else "",
                    reasons,
                ]
            )
    for left_out in proposal.left_out:
        person = people[left_out.person_id]
        rows.append(
            [
                "",
                person.role.value,
                person.name,
                person.email or "",
                "",
                _LEFT_OUT + left_out.reason.value,
            ]
        )
    return rows


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write(path: Path, text: str) -> None:
    try:
        # utf-8-sig: Excel opens it with every letter intact.
        path.write_text(text, encoding="utf-8-sig")
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}", code=1)


def groups_file_rows(
    groups: Sequence[tuple[str, FixedGroup]], people: Mapping[str, Candidate]
) -> list[list[str]]:
    """Rows for `mentorbot groups create`: a group labelled with a number gets the default
    name (the mentor's); a label the coordinator wrote becomes its name."""
    rows = []
    for label, group in groups:
        mentees = " ".join(people[m].email or "" for m in group.mentees)
        name = "" if label.isdigit() else label
        rows.append([people[group.mentor].email or "", mentees, name])
    return rows


def _print_proposal(result: MatchingResult) -> None:
    people = result.roster.people
    names = {person_id: person.name for person_id, person in people.items()}

    def who(person_id: str) -> str:
        person = people[person_id]
        return f"{person.name} <{person.email}>" if person.email else person.name

    for index, group in enumerate(result.proposal.groups):
        locked = " (locked)" if group.locked else ""
        mentees = ", ".join(who(m) for m in group.mentees)
        click.echo(f"group {_label(index)}{locked}: {who(group.mentor)} with {mentees}")
        click.echo(f"  {describe_reasons(group.reasons, names)}")
    if result.proposal.left_out:
        click.echo("left out:")
    for left_out in result.proposal.left_out:
        role = people[left_out.person_id].role.value
        click.echo(f"  {who(left_out.person_id)} ({role}): {left_out.reason.value}")
    placed = sum(len(g.mentees) for g in result.proposal.groups)
    waiting = sum(
        1
        for o in result.proposal.left_out
        if people[o.person_id].role is ParticipantRole.MENTEE
        and o.reason is not LeftOutReason.WITHDRAWN
    )
    proven = "; no better proposal exists" if result.proposal.proven_best else ""
    click.echo(
        f"summary: {counted(len(result.proposal.groups), 'group')}, "
        f"{counted(placed, 'mentee')} placed, {waiting} not placed{proven}"
    )


# --- Reading an edited proposal ---------------------------------------------------------------


def read_proposal(text: str) -> tuple[list[ProposalRow], list[str]]:
    """The rows of a proposal file, and a line per row that cannot be read."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=column_separator(text))
    headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    missing = [c for c in ("group", "role", "email") if c not in headers]
    if missing:
        raise CsvFormatError(
            f"the first line must name the columns {', '.join(COLUMNS)} "
            f"(missing: {', '.join(missing)})"
        )
    rows: list[ProposalRow] = []
    problems: list[str] = []
    for record in reader:

        def value(column: str, record: dict[str | None, str | None] = record) -> str:
            header = headers.get(column)
            return (record.get(header) or "").strip() if header else ""

        if not any(value(c) for c in COLUMNS):
            continue
        line = reader.line_num
        group, role, email = value("group"), value("role").lower(), value("email").lower()
        if not group:
            continue
        if role not in {r.value for r in ParticipantRole}:
            problems.append(f"line {line}: role “{value('role')}” should be mentor or mentee")
            continue
        if not email:
            problems.append(f"line {line}: no email")
            continue
        rows.append(ProposalRow(line, group, role, email, value("locked").lower() in _YES))
    return rows, problems


def _group_rows(
    rows: Sequence[ProposalRow], roster: MatchingRoster
) -> tuple[list[ReadGroup], list[str]]:
    """Rows gathered into groups by label, people found by email."""
    by_email = {p.email.lower(): p for p in roster.people.values() if p.email}
    problems: list[str] = []
    labelled: dict[str, list[ProposalRow]] = defaultdict(list)
    for row in rows:
        person = by_email.get(row.email)
        if person is None:
            problems.append(f"line {row.line}: {row.email} is not on the term's roster")
        elif person.person_id in roster.already_grouped:
            problems.append(f"line {row.line}: {row.email} is already in a group this term")
        else:
            labelled[row.group].append(row)
    groups: list[ReadGroup] = []
    for label, members in labelled.items():
        mentors = [r for r in members if r.role == ParticipantRole.MENTOR.value]
        where = f"group “{label}” (line {members[0].line})"
        if len(mentors) != 1:
            problems.append(f"{where}: {len(mentors)} mentor rows, a group needs exactly one")
            continue
        mentees = tuple(by_email[r.email].person_id for r in members if r not in mentors)
        groups.append(
            ReadGroup(
                label,
                tuple(members),
                FixedGroup(by_email[mentors[0].email].person_id, mentees),
                locked=any(r.locked for r in members),
            )
        )
    return groups, problems


def rule_problems(groups: Sequence[ReadGroup], roster: MatchingRoster) -> list[str]:
    """A line for each hard rule an edited proposal breaks."""
    rules = roster.rules
    lines = []
    for problem in check_groups([g.group for g in groups], roster.people, rules):
        read = groups[problem.group]
        where = f"group “{read.label}” (line {read.rows[0].line})"
        if problem.person_id is not None:
            person = roster.people.get(problem.person_id)
            email = person.email if person and person.email else problem.person_id
            line = next((r.line for r in read.rows if r.email == email.lower()), read.rows[0].line)
            lines.append(f"line {line}: {email}: {problem.code.value}")
        elif problem.code is ProblemCode.SIZE:
            lines.append(
                f"{where}: {counted(len(read.group.mentees), 'mentee')}, "
                f"the term's groups have {rules.size_min}–{rules.size_max}"
            )
        else:
            lines.append(f"{where}: {problem.code.value}")
    return lines


def _read_groups(
    file: Path, roster: MatchingRoster, *, locked_only: bool = False
) -> list[ReadGroup]:
    """An edited proposal's groups (`locked_only`: those marked locked, the rest being
    proposed again); one line per problem and exit 1 if any rule is broken."""
    try:
        text = decode_csv(file.read_bytes()).text
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    try:
        rows, problems = read_proposal(text)
    except CsvFormatError as error:
        fail(f"{file}: {error}", code=1)
    if locked_only:
        locked = {row.group for row in rows if row.locked}
        rows = [row for row in rows if row.group in locked]
    groups, more = _group_rows(rows, roster)
    problems += more + rule_problems(groups, roster)
    if problems:
        for problem in problems:
            click.echo(problem)
        click.echo(f"{counted(len(problems), 'problem')} to correct in {file}")
        raise SystemExit(1)
    return groups


# --- The command ------------------------------------------------------------------------------


@click.command()
@click.option("--term", "term_name", help="Term to match (default: the current term).")
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), help="Write the proposal here."
)
@click.option(
    "--keep",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An edited proposal: its groups marked locked are kept, the rest is proposed again.",
)
@click.option(
    "--check",
    "check_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Check an edited proposal against the rules instead of proposing.",
)
@click.option(
    "--groups-out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the groups as `mentorbot groups create` reads them (the approval step).",
)
def match(
    term_name: str | None,
    out: Path | None,
    keep: Path | None,
    check_file: Path | None,
    groups_out: Path | None,
) -> None:
    """Propose the term's groups: each led by a certified mentor, with the term's number of
    mentees sharing a language; preferred mentors, friends, common meeting times, programmes
    and years weighed. Prints each group with its reasons and everyone left out with why."""
    configure_logging("WARNING")
    runtime = migrated_runtime(settings_or_exit(slack=False))
    try:
        roster = load_matching_roster(runtime, term_name=term_name)
    except UserError as error:
        fail(error.message)
    if check_file is not None:
        groups = _read_groups(check_file, roster)
        mentees = sum(len(g.group.mentees) for g in groups)
        click.echo(
            f"{check_file}: {counted(len(groups), 'group')} with "
            f"{counted(mentees, 'mentee')}, every rule kept"
        )
        _write_groups_file(groups_out, [(g.label, g.group) for g in groups], roster)
        return
    locked = [g.group for g in _read_groups(keep, roster, locked_only=True)] if keep else []
    result = propose_for_roster(roster, locked)
    _print_proposal(result)
    if out is not None:
        _write(out, _csv_text(COLUMNS, proposal_rows(result.proposal, result.roster.people)))
        click.echo(f"proposal written to {out}")
    labelled = [(_label(i), g) for i, g in enumerate(result.proposal.groups)]
    _write_groups_file(
        groups_out, [(label, FixedGroup(g.mentor, g.mentees)) for label, g in labelled], roster
    )


def _write_groups_file(
    path: Path | None, groups: Sequence[tuple[str, FixedGroup]], roster: MatchingRoster
) -> None:
    if path is None:
        return
    missing = [
        person.name
        for _, group in groups
        for person in (roster.people[p] for p in (group.mentor, *group.mentees))
        if not person.email
    ]
    if missing:
        fail(f"no email stored for {', '.join(missing)}: import them with their email", code=1)
    _write(path, _csv_text(GROUP_COLUMNS, groups_file_rows(groups, roster.people)))
    click.echo(f"groups written to {path}; form them with: mentorbot groups create {path}")
