"""The bot's scheduled jobs, each a plain function of the runtime and a Slack client, run by
the scheduler inside `mentorbot run` and on demand by `mentorbot run-job`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from slack_sdk import WebClient

from bot.domain.digest import counted
from bot.domain.flood import LIMITS as FLOOD_LIMITS
from bot.runtime import Runtime
from bot.services.closing import CLOSING_JOB, run_closing
from bot.services.job_runs import JobRun
from bot.services.meetings import ask_did_you_meet, run_day_before_reminders
from bot.services.oversight import run_digests, run_nudges
from bot.services.polls.reminders import POLLS_JOB, JobReport, run_poll_job
from bot.services.privacy import RETENTION_JOB, run_retention
from bot.services.pulse import PULSE_JOB, run_pulse
from bot.worker import reap_abandoned
from storage.db import write_session
from storage.events import forget_events_before
from storage.rate_counts import forget_counts_before
from storage.replays import forget_requests_before

EVENT_DEDUPE_WINDOW = timedelta(hours=2)
"""Slack's last retry comes about 5 minutes after the first try; hourly Delayed Events
retries are not enabled in our manifest."""

REPLAY_WINDOW = timedelta(minutes=10)
"""A Slack signature is valid for five minutes either side of its timestamp; a request whose
signed time is older than that is refused by its signature alone, so its record can go. Ten
minutes leaves room for clocks that differ a little between processes."""

FLOOD_COUNTS_KEPT = max(limit.per for limit in FLOOD_LIMITS.values())
"""A flood counter matters only while its window is open."""


# Each job goes through its subjects (polls, meetings, groups, coordinators) one by one in a
# JobRun: a subject that fails is logged, recorded in `job_failure` and retried by the next
# run, and the others still get theirs.


def _failed(run: JobRun) -> str:
    return f"; {len(run.failed)} failed, retried next run" if run.failed else ""


def polls_job(runtime: Runtime, client: WebClient) -> str:
    return poll_job_text(run_poll_job(runtime, client, JobRun(runtime, POLLS_JOB)))


def poll_job_text(report: JobReport) -> str:
    """The polls job's report, counted in words ("closed 1 poll")."""
    return (
        f"closed {counted(report.closed, 'poll')}, "
        f"finished {counted(report.announced, 'earlier announcement')}, "
        f"sent {counted(report.reminded, 'poll reminder')}, "
        f"redrew {counted(report.redrawn, 'poll message')}"
    ) + (f"; {report.failed} failed, retried next run" if report.failed else "")


def meetings_job(runtime: Runtime, client: WebClient) -> str:
    run = JobRun(runtime, "meetings")
    reminders = run_day_before_reminders(runtime, client, run)
    questions = ask_did_you_meet(runtime, client, run)
    return (
        f"sent {counted(reminders, 'day-before reminder')} and "
        f"{counted(questions, '“did you meet?” question')}" + _failed(run)
    )


def nudges_job(runtime: Runtime, client: WebClient) -> str:
    return str(run_nudges(runtime, client, JobRun(runtime, "nudges")))


def digest_job(runtime: Runtime, client: WebClient) -> str:
    run = JobRun(runtime, "digest")
    return f"sent {counted(run_digests(runtime, client, run), 'digest')}" + _failed(run)


def closing_job(runtime: Runtime, client: WebClient) -> str:
    return str(run_closing(runtime, client, JobRun(runtime, CLOSING_JOB)))


def pulse_job(runtime: Runtime, client: WebClient) -> str:
    return str(run_pulse(runtime, client, JobRun(runtime, PULSE_JOB)))


def housekeeping_job(runtime: Runtime, client: WebClient) -> str:  # noqa: ARG001 - every job has this shape
    with write_session(runtime.engine) as session:
        forgotten = forget_events_before(session, cutoff=runtime.now() - EVENT_DEDUPE_WINDOW)
        requests = forget_requests_before(session, cutoff=runtime.now() - REPLAY_WINDOW)
        counts = forget_counts_before(session, cutoff=runtime.now() - FLOOD_COUNTS_KEPT)
    interrupted = reap_abandoned(runtime)
    return (
        f"forgot {counted(forgotten, 'old event id')}, "
        f"{counted(requests, 'old request signature')} and {counted(counts, 'old flood counter')}; "
        f"told {counted(interrupted, 'person', 'people')} their request was interrupted by a "
        "restart"
    )


def retention_job(runtime: Runtime, client: WebClient) -> str:  # noqa: ARG001 - every job has this shape
    run = JobRun(runtime, RETENTION_JOB)
    report = run_retention(runtime, run)
    return (
        f"deleted {counted(report.meeting_notes, 'private meeting note')} and "
        f"{counted(report.participant_notes, 'note to coordinators', 'notes to coordinators')}, "
        f"pseudonymised {counted(report.pseudonymised, 'person', 'people')}" + _failed(run)
    )


JOBS: dict[str, Callable[[Runtime, WebClient], str]] = {
    "polls": polls_job,
    "meetings": meetings_job,
    "nudges": nudges_job,
    "digest": digest_job,
    "pulse": pulse_job,
    "housekeeping": housekeeping_job,
    "closing": closing_job,
    "retention": retention_job,
}
