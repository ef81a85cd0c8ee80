"""Closing a term: at its end (the `closing` job) or earlier by `/mentor term close`.

Closing is one conditional update of `Term.closed_at`, so it happens once. Everything it
sends (a thank-you per group, a summary per mentor, the final report per coordinator) is
claimed in the outbox under the term's key before it goes out, and the job comes back to a
recently closed term on every run: a send that failed, or that a dying process never made,
goes out on the next run, and nothing goes twice. After the term's grace period the group
channels are told one line and archived, each once. When a new term is running, everyone
who was in a group of the one before is invited to sign up again, once per person and term.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.closing import (
    archive_notice_text,
    final_report_text,
    group_thanks_text,
    invitation_blocks,
    invitation_text,
    mentor_summary_text,
    pulse_report_text,
    report_file_name,
)
from bot.blocks.text import message_text
from bot.domain.closing import (
    GroupRecord,
    archive_due_at,
    closes_at_its_end,
    contributions,
    is_due_to_close,
)
from bot.domain.errors import UserError
from bot.domain.spreadsheet import write_csv
from bot.domain.text import Mrkdwn
from bot.i18n import Translator, language_or_default, phrase, translator
from bot.runtime import Runtime
from bot.services.job_runs import JobRun
from bot.services.language import reader
from bot.services.outbox import send_once
from bot.services.oversight import ReportRow, term_report
from bot.services.pulse import term_pulse
from bot.services.snooze import awake_among
from bot.services.terms import require_current_term
from storage.closing import (
    channels_of_closed_terms,
    groups_of_term,
    mark_archived,
    open_polls_of_term,
    past_participants,
    previous_term,
    sent_keys,
    terms_closed_since,
    unclosed_terms,
)
from storage.closing import close_term as mark_term_closed
from storage.db import read_session, write_session
from storage.ids import stored_id
from storage.models import MentorGroup, Person, Term
from storage.polls import cancel_open_poll
from storage.terms import current_term, term_by_id

logger = logging.getLogger(__name__)

CLOSING_JOB = "closing"
THANKS = "term_thanks"
SUMMARY = "term_summary"
REPORT = "term_report"
ARCHIVE_NOTICE = "archive_notice"
INVITATION = "term_invitation"
POLL_CLOSED_BY_TERM = "term closed"

SENDS_REVISITED = timedelta(days=30)
"""How long after closing the job still looks for a term's sends that did not go out (a
snoozed mentor's summary waits for the snooze to end)."""

GONE_CHANNEL = frozenset({"channel_not_found", "is_archived", "not_in_channel"})
"""A channel the bot can no longer post in: archived or deleted by someone, or the bot
removed; its thank-you or notice is moot, not failed."""
ARCHIVED_ALREADY = frozenset({"already_archived", "channel_not_found"})


@dataclass
class ClosingReport:
    closed: int = 0
    thanked: int = 0
    summaries: int = 0
    reports: int = 0
    archived: int = 0
    invited: int = 0
    failed: int = 0

    def __str__(self) -> str:
        failed = f"; {self.failed} failed, retried next run" if self.failed else ""
        return (
            f"closed {self.closed} term(s); sent {self.thanked} thank-you(s), "
            f"{self.summaries} mentor summary(ies), {self.reports} final report(s); "
            f"archived {self.archived} channel(s); invited {self.invited} person(s) back"
            f"{failed}"
        )


def run_closing(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> ClosingReport:
    """Close each term whose last day is over in its zone, finish the sends of recently
    closed terms, archive channels past their grace period and invite past participants
    to the current term."""
    run = run or JobRun(runtime, CLOSING_JOB)
    report = ClosingReport()
    now = runtime.now()
    with read_session(runtime.engine) as session:
        unclosed = unclosed_terms(session)
    for term in unclosed:
        if closes_at_its_end(ends_on=term.ends_on, timezone=term.timezone, now=now):
            with write_session(runtime.engine) as session:
                report.closed += mark_term_closed(session, term_id=stored_id(term), now=now)
    with read_session(runtime.engine) as session:
        closed = terms_closed_since(session, since=now - SENDS_REVISITED)
    for term in closed:
        _finish_closing(runtime, client, term, run, report)
    _archive_due_channels(runtime, client, run, report)
    _invite_past_participants(runtime, client, run, report)
    report.failed = len(run.failed)
    return report


def close_current_term(
    runtime: Runtime, client: WebClient, *, term_id: int, user_id: str
) -> tuple[Term, ClosingReport | None]:
    """`/mentor term close`, confirmed by a coordinator's click."""
    if user_id not in runtime.settings.coordinators:
        raise UserError(phrase("Only coordinators can close a term."))
    return close_term_now(runtime, client, term_id=term_id, by=user_id)


def close_term_now(
    runtime: Runtime, client: WebClient, *, term_id: int, by: str
) -> tuple[Term, ClosingReport | None]:
    """Close the term now and send what closing sends. Returns the term and the report, or
    None for the report when the term was closed already (by the job, another coordinator,
    or a second click)."""
    now = runtime.now()
    with write_session(runtime.engine) as session:
        term = term_by_id(session, term_id)
        if term is None:
            raise UserError(phrase("That term no longer exists."))
        closed_now = mark_term_closed(session, term_id=term_id, now=now)
        session.refresh(term)
    if not closed_now:
        return term, None
    logger.info("term %s closed by %r", term_id, by)
    report = ClosingReport(closed=1)
    run = JobRun(runtime, CLOSING_JOB)
    _finish_closing(runtime, client, term, run, report)
    report.failed = len(run.failed)
    return term, report


@dataclass(frozen=True)
class TermToClose:
    term_id: int
    name: str
    archive_after_days: int
    closed_on: date | None
    """The day (in the term's zone) it was closed, if it already was."""


def term_to_close(runtime: Runtime) -> TermToClose:
    """The term `/mentor term close` asks about: the current one."""
    with read_session(runtime.engine) as session:
        term = require_current_term(session)
    closed_on = (
        term.closed_at.astimezone(ZoneInfo(term.timezone)).date() if term.closed_at else None
    )
    return TermToClose(stored_id(term), term.name, term.archive_after_days, closed_on)


def _finish_closing(
    runtime: Runtime, client: WebClient, term: Term, run: JobRun, report: ClosingReport
) -> None:
    term_id = stored_id(term)
    _cancel_open_polls(runtime, term_id)
    records = term_records(runtime, term)
    channel_t = translator(language_or_default(term.language))
    assert term.closed_at is not None, "only a closed term is finished"
    archive_on = archive_due_at(
        closed_at=term.closed_at, archive_after_days=term.archive_after_days
    ).astimezone(ZoneInfo(term.timezone))
    with read_session(runtime.engine) as session:
        thanked = sent_keys(session, kind=THANKS, keys=(f"{term_id}:{r.group_id}" for r in records))
    for record in records:
        key = f"{term_id}:{record.group_id}"
        if record.channel_id is None or key in thanked:
            continue
        text = group_thanks_text(
            channel_t, term_name=term.name, record=record, archive_on=archive_on.date()
        )
        report.thanked += _attempt_once(
            runtime,
            run,
            subject=f"term:{term_id}:group:{record.group_id}",
            kind=THANKS,
            key=key,
            send=partial(_post_in_channel, client, record.channel_id, text),
        )
    mentors = contributions(records)
    with read_session(runtime.engine) as session:
        summed = sent_keys(
            session, kind=SUMMARY, keys=(f"{term_id}:{c.mentor_id}" for c in mentors)
        )
    awake = set(awake_among(runtime, [c.mentor_id for c in mentors]))
    for contribution in mentors:
        key = f"{term_id}:{contribution.mentor_id}"
        if key in summed or contribution.mentor_id not in awake:
            continue
        t = reader(runtime, contribution.mentor_id)
        text = mentor_summary_text(
            t,
            term_name=term.name,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            contribution=contribution,
        )
        report.summaries += _attempt_once(
            runtime,
            run,
            subject=f"term:{term_id}:person:{contribution.mentor_id}",
            kind=SUMMARY,
            key=key,
            send=partial(client.chat_postMessage, channel=contribution.mentor_id, text=text),
        )
    coordinators = sorted(runtime.settings.coordinators)
    with read_session(runtime.engine) as session:
        reported = sent_keys(session, kind=REPORT, keys=(f"{term_id}:{c}" for c in coordinators))
    for coordinator in coordinators:
        key = f"{term_id}:{coordinator}"
        if key in reported:
            continue
        report.reports += _attempt_once(
            runtime,
            run,
            subject=f"term:{term_id}:report:{coordinator}",
            kind=REPORT,
            key=key,
            send=partial(_send_report, runtime, client, term, records, coordinator),
        )


def _attempt_once(
    runtime: Runtime,
    run: JobRun,
    *,
    subject: str,
    kind: str,
    key: str,
    send: Callable[[], object],
) -> bool:
    """One send, claimed in the outbox, isolated from the others in `run`."""
    return bool(
        run.attempt(
            subject, partial(send_once, runtime, kind=kind, key=key, send=send, raise_errors=True)
        )
    )


def _post_in_channel(client: WebClient, channel_id: str, text: Mrkdwn) -> None:
    try:
        client.chat_postMessage(channel=channel_id, text=message_text(text))
    except SlackApiError as error:
        if error.response.get("error") not in GONE_CHANNEL:
            raise
        logger.info("channel %s is gone; its closing message is left out", channel_id)


def _cancel_open_polls(runtime: Runtime, term_id: int) -> None:
    """A poll still open when its term closes is cancelled plainly: no date is chosen and
    nobody is told again; the redraw shows it cancelled."""
    now = runtime.now()
    # Read first: the job comes back to a closed term on every run, and has nothing to
    # cancel after the first.
    with read_session(runtime.engine) as session:
        still_open = open_polls_of_term(session, term_id=term_id)
    if not still_open:
        return
    with write_session(runtime.engine) as session:
        cancelled = sum(
            cancel_open_poll(session, poll_id=poll_id, now=now, reason=POLL_CLOSED_BY_TERM)
            for poll_id in still_open
        )
    if cancelled:
        runtime.wake_worker()


def term_records(runtime: Runtime, term: Term) -> list[GroupRecord]:
    """What each group of `term` did: held meetings, themes covered and meeting days."""
    zone = ZoneInfo(term.timezone)
    with read_session(runtime.engine) as session:
        found = groups_of_term(session, term_id=stored_id(term))
    records = []
    for group in found.groups:
        group_id = stored_id(group)
        held = [meeting for meeting in found.held if meeting.group_id == group_id]
        days = [meeting.starts_at.astimezone(zone).date() for meeting in held]
        records.append(
            GroupRecord(
                group_id=group_id,
                name=group.name,
                channel_id=group.channel_id,
                mentor_ids=tuple(found.mentors.get(group_id, ())),
                held=len(held),
                theme_names=tuple(
                    dict.fromkeys(meeting.theme_name for meeting in held if meeting.theme_name)
                ),
                first_met_on=min(days) if days else None,
                last_met_on=max(days) if days else None,
            )
        )
    return records


def pulse_results_for_report(runtime: Runtime, term: Term, t: Translator) -> Mrkdwn | None:
    """The belonging pulse's results for the final report (bot.services.pulse)."""
    return pulse_report_text(t, term_pulse(runtime, term))


def _send_report(
    runtime: Runtime,
    client: WebClient,
    term: Term,
    records: list[GroupRecord],
    coordinator: str,
) -> None:
    """The final report: the per-group CSV (the same rows as `mentorbot report --csv`) as a
    file in the coordinator's DM, the report's text as its comment."""
    t = reader(runtime, coordinator)
    text = final_report_text(
        t,
        term_name=term.name,
        groups=records,
        pulse=pulse_results_for_report(runtime, term, t),
    )
    rows = term_report(runtime, term)
    csv_file = io.StringIO()
    write_csv(csv_file, [f.name for f in fields(ReportRow)], (asdict(row) for row in rows))
    opened = client.conversations_open(users=coordinator)
    channel = opened["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        content=csv_file.getvalue(),
        filename=report_file_name(t),
        title=term.name,
        initial_comment=message_text(text),
    )


def _archive_due_channels(
    runtime: Runtime, client: WebClient, run: JobRun, report: ClosingReport
) -> None:
    now = runtime.now()
    with read_session(runtime.engine) as session:
        waiting = channels_of_closed_terms(session)
    for group, term in waiting:
        assert term.closed_at is not None, "the query reads closed terms only"
        due = archive_due_at(closed_at=term.closed_at, archive_after_days=term.archive_after_days)
        if now < due:
            continue
        report.archived += bool(
            run.attempt(
                f"archive:{stored_id(group)}",
                partial(_archive_channel, runtime, client, group, term),
            )
        )


def _archive_channel(runtime: Runtime, client: WebClient, group: MentorGroup, term: Term) -> bool:
    """Tell the channel, archive it, and record it; True if this call recorded it."""
    assert group.channel_id is not None, "the query reads groups with a channel only"
    channel_id = group.channel_id
    t = translator(language_or_default(term.language))
    send_once(
        runtime,
        kind=ARCHIVE_NOTICE,
        key=str(stored_id(group)),
        send=partial(
            _post_in_channel, client, channel_id, archive_notice_text(t, term_name=term.name)
        ),
        raise_errors=True,
    )
    try:
        client.conversations_archive(channel=channel_id)
    except SlackApiError as error:
        if error.response.get("error") not in ARCHIVED_ALREADY:
            raise
    with write_session(runtime.engine) as session:
        return mark_archived(session, group_id=stored_id(group), now=runtime.now())


def _invite_past_participants(
    runtime: Runtime, client: WebClient, run: JobRun, report: ClosingReport
) -> None:
    """Everyone in a group of the previous term, invited to the current one once."""
    now = runtime.now()
    with read_session(runtime.engine) as session:
        term = current_term(session)
        if term is None or term.closed_at is not None:
            return
        if is_due_to_close(ends_on=term.ends_on, timezone=term.timezone, now=now):
            return
        before = previous_term(session, term)
        if before is None:
            return
        people = past_participants(
            session, previous_term_id=stored_id(before), term_id=stored_id(term)
        )
        invited = sent_keys(
            session,
            kind=INVITATION,
            keys=(f"{term.id}:{person.slack_user_id}" for person in people),
        )
    waiting = [p for p in people if f"{term.id}:{p.slack_user_id}" not in invited]
    awake = set(awake_among(runtime, [person.slack_user_id for person in waiting]))
    for person in waiting:
        if person.slack_user_id not in awake:
            continue
        report.invited += _attempt_once(
            runtime,
            run,
            subject=f"term:{term.id}:invite:{person.slack_user_id}",
            kind=INVITATION,
            key=f"{term.id}:{person.slack_user_id}",
            send=partial(_invite, runtime, client, term, person),
        )


def _invite(runtime: Runtime, client: WebClient, term: Term, person: Person) -> None:
    t = reader(runtime, person.slack_user_id)
    text = invitation_text(
        t,
        term_name=term.name,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        certified=person.certified_at is not None,
    )
    client.chat_postMessage(
        channel=person.slack_user_id, text=message_text(text), blocks=invitation_blocks(t, text)
    )
