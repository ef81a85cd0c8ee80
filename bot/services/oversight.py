"""Nudges for groups behind pace, the weekly digest, pauses and the term report.

Every send is claimed in the database before it goes out (a nudge per group per day, a
digest per coordinator per term per week), so a restart, a re-run or a second bot process
never sends one twice; a Slack error is recorded and retried by the next run.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.blocks.digest import (
    FIRM_NUDGE_WEEKS,
    channel_nudge_text,
    digest_blocks,
    digest_text,
    mentor_nudge_blocks,
    mentor_nudge_text,
    nudge_text,
    paused_text,
)
from bot.blocks.text import md
from bot.domain.digest import Digest, GroupFigures, build_digest, counted
from bot.domain.errors import UserError
from bot.domain.pace import GroupPace, Period, group_pace, weeks_left
from bot.domain.text import Mrkdwn, shorten
from bot.i18n import Translator, language_or_default, phrase, translator
from bot.runtime import Runtime
from bot.services.group_context import mentor_context
from bot.services.job_runs import JobRun
from bot.services.language import reader
from bot.services.outbox import SEND_LEASE, send_once
from bot.services.pulse import term_pulse
from bot.services.snooze import awake_among
from bot.services.terms import require_current_term
from storage.db import Session, read_session, write_session
from storage.groups import group_by_id, group_by_name
from storage.ids import stored_id
from storage.meetings import planned_meetings_starting_between
from storage.models import Term
from storage.people import people_by_id
from storage.progress import (
    GroupProgress,
    add_pause,
    claim_nudge,
    current_terms,
    finish_nudge,
    progress_of_term,
)

logger = logging.getLogger(__name__)

NUDGES_JOB = "nudges"
DIGEST_JOB = "digest"
NUDGE_SPACING = timedelta(days=7)
NUDGE_HOURS = range(10, 18)
"""Nudges go out on weekdays from 10:00, never in the evening or at night, term time."""
QUIET_DAYS_AT_TERM_END = 3
DIGEST_WEEKDAY = 0  # Monday
DIGEST_FROM_HOUR = 8


def _pace(progress: GroupProgress, term: Term, today: date) -> GroupPace:
    return group_pace(
        held=progress.held,
        minimum=term.min_meetings,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        today=today,
        # A meeting that has just started counts as a plan until "did you meet?" is answered:
        # nudging a group to plan the meeting it is sitting in would be wrong.
        has_plan=progress.planned_upcoming > 0
        or progress.planned_awaiting_answer > 0
        or progress.open_polls > 0,
        pauses=[Period(start, end) for start, end in progress.pauses],
    )


def _paused(progress: GroupProgress, today: date) -> bool:
    return any(start <= today <= end for start, end in progress.pauses)


@dataclass
class NudgeReport:
    nudged: int = 0
    failed: int = 0

    def __str__(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return f"nudged {counted(self.nudged, 'group')}{failed}"


def run_nudges(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> NudgeReport:
    """Nudge each group behind pace, each on its own: one that fails is recorded in `run`
    and nudged by the next run (its day's claim is marked failed, so it can be taken again)."""
    run = run or JobRun(runtime, NUDGES_JOB)
    report = NudgeReport()
    now = runtime.now()
    with read_session(runtime.engine) as session:
        terms = [
            (term, progress_of_term(session, term=term, now=now)) for term in current_terms(session)
        ]
    for term, groups in terms:
        local = now.astimezone(ZoneInfo(term.timezone))
        today = local.date()
        if not _nudging_hours(term, local):
            continue
        for progress in groups:
            outcome = run.attempt(
                f"group:{progress.group.id}",
                partial(_nudge_if_behind, runtime, client, term, progress, today),
            )
            report.nudged += bool(outcome)
    report.failed = len(run.failed)
    return report


def _nudge_if_behind(
    runtime: Runtime, client: WebClient, term: Term, progress: GroupProgress, today: date
) -> bool:
    """Nudge the group if it is behind pace and not paused; True if this call sent it."""
    if _paused(progress, today) or not _pace(progress, term, today).needs_nudge:
        return False
    return bool(_nudge(runtime, client, term, progress, today))


def _nudging_hours(term: Term, local: datetime) -> bool:
    today = local.date()
    return (
        local.weekday() < 5
        and local.hour in NUDGE_HOURS
        and term.starts_on <= today
        and (term.ends_on - today).days >= QUIET_DAYS_AT_TERM_END
    )


def _nudge(
    runtime: Runtime, client: WebClient, term: Term, progress: GroupProgress, today: date
) -> bool | None:
    """Nudge one group; None if another run already did (or one went out this week). Any
    error is raised after the day's claim is marked failed, so the next run retries it."""
    group = progress.group
    if group.channel_id is None:
        return None
    now = runtime.now()
    with write_session(runtime.engine) as session:
        if not claim_nudge(
            session,
            group_id=stored_id(group),
            today=today,
            spacing=NUDGE_SPACING,
            now=now,
            stale_before=now - SEND_LEASE,
        ):
            return None
    left = weeks_left(ends_on=term.ends_on, today=today)
    try:
        # The channel gets one gentle line, and nothing once the nudge is firm: there it
        # would name the mentor as failing. The figures and the buttons go to the mentor.
        if left > FIRM_NUDGE_WEEKS:
            client.chat_postMessage(
                channel=group.channel_id,
                text=channel_nudge_text(
                    _channel_language(term),
                    mentor_name=_mentor_name(runtime, progress.mentor_ids),
                ),
            )
        # A snoozed mentor misses this week's DM; next week's nudge (if still needed) has one.
        for mentor in awake_among(runtime, progress.mentor_ids):
            t = reader(runtime, mentor)
            text = nudge_text(t, held=progress.held, minimum=term.min_meetings, weeks_left=left)
            mentor_text = mentor_nudge_text(
                t, group_name=group.name, channel_id=group.channel_id, text=text
            )
            client.chat_postMessage(
                channel=mentor,
                text=mentor_text,
                blocks=mentor_nudge_blocks(t, group_id=stored_id(group), text=mentor_text),
            )
    except Exception:
        with write_session(runtime.engine) as session:
            finish_nudge(session, group_id=stored_id(group), today=today, sent=False)
        raise
    with write_session(runtime.engine) as session:
        finish_nudge(session, group_id=stored_id(group), today=today, sent=True)
    return True


def _channel_language(term: Term) -> Translator:
    """What is posted in a group's channel is in its term's language."""
    return translator(language_or_default(term.language))


def _mentor_name(runtime: Runtime, mentor_ids: list[str]) -> str | None:
    if not mentor_ids:
        return None
    with read_session(runtime.engine) as session:
        person = people_by_id(session, [mentor_ids[0]]).get(mentor_ids[0])
    return person.name if person else None


def term_digest(runtime: Runtime, term: Term) -> Digest:
    now = runtime.now()
    zone = ZoneInfo(term.timezone)
    today = now.astimezone(zone).date()
    week_of = today - timedelta(days=today.weekday())
    with read_session(runtime.engine) as session:
        groups = progress_of_term(session, term=term, now=now)
        this_week = _planned_in_week(session, term, week_of)
    figures = [
        GroupFigures(
            group_id=stored_id(p.group),
            name=p.group.name,
            channel_id=p.group.channel_id,
            mentor_ids=tuple(p.mentor_ids),
            held=p.held,
            held_last_week=p.held_last_week,
            planned_next_week=this_week[stored_id(p.group)],
            open_polls=p.open_polls,
            pace=_pace(p, term, today).pace,
            members_left_recently=p.left_last_week,
            mentor_silent_on_poll=p.mentor_silent_on_poll,
            planned_upcoming=p.planned_upcoming,
            formed_on=p.group.created_at.astimezone(zone).date(),
            last_held_on=p.last_held_at.astimezone(zone).date() if p.last_held_at else None,
            next_meeting_at=p.next_planned_at.astimezone(zone) if p.next_planned_at else None,
        )
        for p in groups
    ]
    return build_digest(
        term_name=term.name,
        week_of=week_of,
        minimum=term.min_meetings,
        groups=figures,
        pulse=term_pulse(runtime, term),
    )


def _planned_in_week(session: Session, term: Term, monday: date) -> Counter[int]:
    """Planned meetings per group of `term` in the calendar week from `monday` (Monday to
    Sunday in the term's zone: "this week" as the coordinator reads it, not the next seven
    days from whenever the digest is made)."""
    zone = ZoneInfo(term.timezone)
    # Wall-clock arithmetic in the zone: the week ends at next Monday's midnight even when
    # the clocks change during it. The query's start is exclusive, hence a microsecond.
    start = datetime.combine(monday, time.min, tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone)
    return Counter(
        stored_id(group)
        for meeting, group in planned_meetings_starting_between(
            session, start=start - timedelta(microseconds=1), end=end - timedelta(microseconds=1)
        )
        if group.term_id == term.id
    )


def run_digests(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> int:
    """On Mondays from 08:00 term time, each coordinator gets the week's digest once; each
    coordinator on their own: one whose digest fails is recorded in `run` and retried."""
    run = run or JobRun(runtime, DIGEST_JOB)
    now = runtime.now()
    with read_session(runtime.engine) as session:
        terms = current_terms(session)
    sent = 0
    for term in terms:
        local = now.astimezone(ZoneInfo(term.timezone))
        if local.weekday() != DIGEST_WEEKDAY or local.hour < DIGEST_FROM_HOUR:
            continue
        digest = run.attempt(f"term:{term.id}", partial(term_digest, runtime, term))
        if digest is None:
            continue
        year, week, _ = local.isocalendar()
        for coordinator in sorted(runtime.settings.coordinators):

            def send(
                coordinator: str = coordinator,
                digest: Digest = digest,
                key: str = f"{term.id}:{year}-W{week:02d}:{coordinator}",
            ) -> bool:
                return send_once(
                    runtime,
                    kind="digest",
                    key=key,
                    send=lambda: _send_digest(runtime, client, coordinator, digest),
                    raise_errors=True,
                )

            sent += bool(run.attempt(f"term:{term.id}:person:{coordinator}", send))
    return sent


def send_digest_now(runtime: Runtime, client: WebClient, *, user_id: str) -> None:
    """`/mentor digest`: the current term's digest to the coordinator who asked."""
    with read_session(runtime.engine) as session:
        term = require_current_term(session)
    _send_digest(runtime, client, user_id, term_digest(runtime, term))


def _send_digest(runtime: Runtime, client: WebClient, user_id: str, digest: Digest) -> None:
    """The digest in the coordinator's own language."""
    t = reader(runtime, user_id)
    client.chat_postMessage(
        channel=user_id, text=digest_text(t, digest), blocks=digest_blocks(t, digest)
    )


def pause(
    runtime: Runtime, t: Translator, *, group_name: str | None, until: date, user_id: str
) -> Mrkdwn:
    """Pause a group or the whole current term from today until `until` (included); the
    answer in `t`, the coordinator's language."""
    with write_session(runtime.engine) as session:
        term = require_current_term(session)
        today = runtime.now().astimezone(ZoneInfo(term.timezone)).date()
        if until < today:
            raise UserError(phrase("That date has passed; give the last day of the pause."))
        if until > term.ends_on:
            raise UserError(
                md(
                    t.gettext("The term ends on {day}; pause until then at most."),
                    day=t.long_day(term.ends_on),
                )
            )
        group_id = None
        if group_name is not None:
            group = group_by_name(session, term_id=stored_id(term), name=group_name)
            if group is None:
                raise UserError(
                    phrase(
                        "There is no group called “{name}” this term; see `/mentor group list`.",
                        name=shorten(group_name),
                    )
                )
            group_id = group.id
        add_pause(
            session,
            term_id=stored_id(term),
            group_id=group_id,
            starts_on=today,
            ends_on=until,
            created_by=user_id,
            now=runtime.now(),
        )
    return paused_text(t, group_name=group_name, term_name=term.name, until=until)


PAUSE_BUTTON_DAYS = 7
PLANNED_OFFLINE_DAYS = 7


def _pause_group_for(
    session: Session, *, term: Term, group_id: int, days: int, by: str, now: datetime
) -> date:
    """Pause one group's nudges from today (term time) for `days` days, to the term's end at
    most; returns the last paused day."""
    today = now.astimezone(ZoneInfo(term.timezone)).date()
    until = min(today + timedelta(days=days - 1), term.ends_on)
    add_pause(
        session,
        term_id=stored_id(term),
        group_id=group_id,
        starts_on=today,
        ends_on=until,
        created_by=by,
        now=now,
    )
    return until


@dataclass(frozen=True)
class PausedGroup:
    """A group's nudges stopped: its name and the last quiet day (worded by the listener,
    in the clicker's language)."""

    name: str
    until: date


def pause_group_for_week(runtime: Runtime, *, group_id: int, user_id: str) -> PausedGroup:
    """The "Pause a week" button (digest, App Home): the group's nudges stop from today for
    seven days (to the term's end at most). Coordinators only: the click is checked here,
    whoever was shown the button."""
    if user_id not in runtime.settings.coordinators:
        raise UserError(phrase("Only coordinators can pause a group."))
    with write_session(runtime.engine) as session:
        term = require_current_term(session)
        group = group_by_id(session, group_id)
        if group is None or group.term_id != term.id:
            raise UserError(phrase("That group is not in the current term any more."))
        until = _pause_group_for(
            session,
            term=term,
            group_id=group_id,
            days=PAUSE_BUTTON_DAYS,
            by=user_id,
            now=runtime.now(),
        )
        name = group.name
    return PausedGroup(name=name, until=until)


def planned_offline(runtime: Runtime, *, group_id: int, user_id: str) -> PausedGroup:
    """ "We planned it offline" in a nudge: the mentor arranged the next meeting outside the
    bot, so the group is not nudged for a week (a pause, to the term's end at most). Only the
    group's mentor: the click is checked here, whoever was shown the button."""
    context = mentor_context(
        runtime, user_id=user_id, action="answer for the group", group_id=group_id
    )
    with write_session(runtime.engine) as session:
        until = _pause_group_for(
            session,
            term=context.term,
            group_id=group_id,
            days=PLANNED_OFFLINE_DAYS,
            by=user_id,
            now=runtime.now(),
        )
    return PausedGroup(name=context.group.name, until=until)


@dataclass(frozen=True)
class ReportRow:
    group: str
    channel: str
    mentors: str
    held: int
    minimum: int
    pace: str
    planned: int
    """Planned meetings this calendar week (Monday to Sunday in the term's zone): the
    digest's "Planned this week", so the report and the digest agree."""
    open_polls: int
    left_last_week: int


def term_report(runtime: Runtime, term: Term) -> list[ReportRow]:
    digest = term_digest(runtime, term)
    return [
        ReportRow(
            group=g.name,
            channel=g.channel_id or "",
            mentors=" ".join(g.mentor_ids),
            held=g.held,
            minimum=digest.minimum,
            pace=g.pace.value,
            planned=g.planned_next_week,
            open_polls=g.open_polls,
            left_last_week=g.members_left_recently,
        )
        for g in digest.groups
    ]
