"""Scheduled work inside `mentorbot run`.

Each job works out what is due from the database, so a restart catches up by itself, and a
second bot process doing the same work is stopped by the database's unique keys and
conditional updates, not by the scheduler (APScheduler 3 cannot share a job store between
processes).
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.jobs import JOBS
from bot.runtime import Runtime

logger = logging.getLogger(__name__)

INTERVALS = {
    "polls": IntervalTrigger(minutes=1),
    "meetings": IntervalTrigger(minutes=15),
    # Both check each term's local time themselves (weekdays from 10:00; Mondays from
    # 08:00), so one schedule serves terms in every time zone.
    "nudges": IntervalTrigger(minutes=30),
    "digest": IntervalTrigger(minutes=30),
    # The belonging check-ins: weekdays 10:00–18:00 term time, each round's DM once.
    "pulse": IntervalTrigger(minutes=30),
    "housekeeping": IntervalTrigger(hours=1),
    # Closes terms whose last day is over in their own zone, archives channels after the
    # grace period and invites past participants to a new term; each send once.
    "closing": IntervalTrigger(minutes=30),
    # Retention counts in days and months: once a day is enough, and the run at start
    # catches up after a stop.
    "retention": IntervalTrigger(hours=24),
}


def _run(name: str, runtime: Runtime, client: WebClient) -> None:
    try:
        logger.info("job %s: %s", name, JOBS[name](runtime, client))
    except Exception:
        logger.exception("Failed to run job %s", name)


def build_scheduler(runtime: Runtime, client: WebClient) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        timezone=runtime.settings.timezone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    for name, trigger in INTERVALS.items():
        scheduler.add_job(
            _run,
            trigger,
            args=[name, runtime, client],
            id=name,
            name=name,
            replace_existing=True,
        )
        # Run once at start so work that fell due while the bot was down is done at once.
        scheduler.add_job(_run, args=[name, runtime, client], id=f"{name}-at-start")
    return scheduler
