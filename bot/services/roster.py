"""Importing a term's roster and forming groups from CSV files, row by row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import UserError
from bot.domain.roster import GroupRow, RosterRow, parse_groups, parse_roster
from bot.domain.signup import is_slack_user_id
from bot.runtime import Runtime
from bot.services.groups import GroupOutcome, GroupRequest, create_group
from bot.services.people import SlackProfile, profile_from_user
from bot.services.terms import find_term
from storage.db import read_session, write_session
from storage.ids import stored_id
from storage.models import MemberRole
from storage.people import certify, people_by_email, save_participant, save_person
from storage.signup import set_roster_wishes


class RowStatus(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    NOT_IN_SLACK = "not found in Slack"
    INVALID = "invalid"
    CREATED = "created"
    EXISTED = "already existed"
    STOPPED = "setup stopped"


@dataclass(frozen=True)
class RowReport:
    line: int
    subject: str
    status: RowStatus
    detail: str = ""

    def __str__(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"line {self.line}: {self.subject} {self.status.value}{detail}"


OnRow = Callable[[RowReport], None]


def lookup_by_email(client: WebClient, email: str) -> SlackProfile | None:
    try:
        user = client.users_lookupByEmail(email=email)["user"]
    except SlackApiError as error:
        if error.response.get("error") in ("users_not_found", "user_not_found"):
            return None
        raise
    return profile_from_user(user)


def import_roster(
    runtime: Runtime, client: WebClient, text: str, *, term_name: str | None, on_row: OnRow
) -> list[RowReport]:
    term = find_term(runtime, term_name)
    rows, problems = parse_roster(text)
    reports = [RowReport(p.line, "row", RowStatus.INVALID, p.message) for p in problems]
    for report in reports:
        on_row(report)
    for row in rows:
        report = _import_row(runtime, client, row, term_id=stored_id(term))
        reports.append(report)
        on_row(report)
    return sorted(reports, key=lambda report: report.line)


def _import_row(runtime: Runtime, client: WebClient, row: RosterRow, *, term_id: int) -> RowReport:
    profile = lookup_by_email(client, row.email)
    if profile is None:
        return RowReport(row.line, row.email, RowStatus.NOT_IN_SLACK, "check the address")
    wishes, unknown = _people_wishes(client, row)
    with write_session(runtime.engine) as session:
        person, person_changed = save_person(
            session,
            slack_user_id=profile.user_id,
            name=row.name,
            email=row.email,
            language=row.language,
        )
        on_roster = save_participant(
            session,
            term_id=term_id,
            slack_user_id=profile.user_id,
            role=MemberRole(row.role),
            programme=row.programme,
            year=row.year,
        )
        certified_now = bool(row.certified) and certify(
            session, person, by="roster", now=runtime.now()
        )
        wishes_changed = set_roster_wishes(
            session, term_id=term_id, slack_user_id=profile.user_id, values=wishes
        )
    if on_roster == "added":
        status = RowStatus.ADDED
    elif on_roster == "updated" or person_changed or certified_now or wishes_changed:
        status = RowStatus.UPDATED
    else:
        status = RowStatus.UNCHANGED
    detail = f"<@{profile.user_id}> as {row.role.value}" + (", certified" if certified_now else "")
    # The row is imported; a wish naming someone Slack does not know is left out and said.
    detail += "".join(f"; {column} {ref} not found in Slack" for column, ref in unknown)
    return RowReport(row.line, row.email, status, detail)


def _people_wishes(
    client: WebClient, row: RosterRow
) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The row's sign-up columns with its preferred mentor and friend as Slack user IDs
    (an email is looked up; an empty cell clears the wish); and the emails not found."""
    wishes: dict[str, object] = dict(row.wishes)
    unknown: list[tuple[str, str]] = []
    for column, ref in row.people.items():
        if not ref or is_slack_user_id(ref):
            wishes[column] = ref or None
            continue
        found = lookup_by_email(client, ref)
        if found is None:
            unknown.append((column, ref))
        else:
            wishes[column] = found.user_id
    return wishes, unknown


def create_groups_from_csv(
    runtime: Runtime, client: WebClient, text: str, *, created_by: str, on_row: OnRow
) -> list[RowReport]:
    """Form every group in the file, then set up each channel. Running it again after an
    interruption finds the groups already formed and finishes their setup."""
    rows, problems = parse_groups(text)
    reports = [RowReport(p.line, "row", RowStatus.INVALID, p.message) for p in problems]
    for report in reports:
        on_row(report)
    for row in rows:
        report = _create_group_row(runtime, client, row, created_by=created_by)
        reports.append(report)
        on_row(report)
    return sorted(reports, key=lambda report: report.line)


def _create_group_row(
    runtime: Runtime, client: WebClient, row: GroupRow, *, created_by: str
) -> RowReport:
    subject = row.name or row.mentor_email
    emails = [row.mentor_email, *row.mentee_emails]
    known = _known_profiles(runtime, emails)
    profiles: dict[str, SlackProfile] = {}
    for email in emails:
        profile = known.get(email) or lookup_by_email(client, email)
        if profile is None:
            return RowReport(
                row.line, subject, RowStatus.NOT_IN_SLACK, f"no Slack user has {email}"
            )
        profiles[email] = profile
    request = GroupRequest(
        mentor=profiles[row.mentor_email],
        mentees=tuple(profiles[email] for email in row.mentee_emails),
        name=row.name,
    )
    try:
        outcome = create_group(runtime, client, request, created_by=created_by)
    except UserError as error:
        # Slack markup kept: the CLI names people by name and email (bot/cli/checks.py).
        return RowReport(row.line, subject, RowStatus.INVALID, error.message)
    return _group_report(row.line, outcome)


def _known_profiles(runtime: Runtime, emails: list[str]) -> dict[str, SlackProfile]:
    """People the roster import or a sign-up already stored, by lower-case email: asking
    Slack for them again (users.lookupByEmail, Tier 3: 50 a minute) would make five lookups
    per group the limit of a bulk run, below conversations.create's 20 groups a minute."""
    with read_session(runtime.engine) as session:
        people = people_by_email(session, emails)
    return {
        email: SlackProfile(person.slack_user_id, person.name, person.email, person.language)
        for email, person in people.items()
    }


def _group_report(line: int, outcome: GroupOutcome) -> RowReport:
    group = outcome.group
    channel = f"#{group.channel_name}" if group.channel_name else "no channel yet"
    if outcome.setup_problem:
        return RowReport(
            line,
            group.name,
            RowStatus.STOPPED,
            f"{outcome.setup_problem}; run the command again to resume",
        )
    status = RowStatus.CREATED if outcome.created else RowStatus.EXISTED
    # The CLI's report stays English (its output is the coordinator's terminal).
    detail = "; ".join([channel, *(str(warning) for warning in outcome.warnings)])
    return RowReport(line, group.name, status, detail)
