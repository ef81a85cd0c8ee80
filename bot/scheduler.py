"""Scheduled work inside `mentorbot run`.

Each job works out what is due from the database, so a restart catches up by itself and a
second bot process sending the same thing is stopped by the database's unique keys, not by
the scheduler (APScheduler 3 cannot share a job store between processes).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.runtime import Runtime
from storage.db import write_session
from storage.events import forget_events_before

logger = logging.getLogger(__name__)

EVENT_DEDUPE_WINDOW = timedelta(hours=2)
"""Slack's last retry comes about 5 minutes after the first try; hourly Delayed Events
retries are not enabled in our manifest."""


def forget_old_events(runtime: Runtime) -> int:
    with write_session(runtime.engine) as session:
        return forget_events_before(session, cutoff=runtime.now() - EVENT_DEDUPE_WINDOW)


def build_scheduler(runtime: Runtime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        timezone=runtime.settings.timezone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    scheduler.add_job(
        forget_old_events,
        IntervalTrigger(hours=1),
        args=[runtime],
        id="forget-old-events",
        name="forget old event ids",
        replace_existing=True,
    )
    return scheduler
