"""The poll job: polls past their deadline closed, results whose announcement failed sent,
members reminded halfway to the deadline, and messages behind their votes redrawn."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from bot.blocks.polls import poll_reminder_blocks, reminder_text
from bot.blocks.text import Mrkdwn, channel
from bot.domain.digest import counted
from bot.domain.polls import members_yet_to_answer
from bot.i18n import Translator
from bot.runtime import Runtime
from bot.services.job_runs import JobRun
from bot.services.language import reader
from bot.services.outbox import SEND_LEASE, send_once
from bot.services.polls.closing import announce_result, close_poll
from bot.services.polls.loading import StoredPoll, read_poll
from bot.services.polls.redraw import redraw_polls_behind
from bot.services.polls.tally import unanswered_dates
from bot.services.snooze import awake_among
from storage.db import read_session
from storage.polls import closed_polls_not_announced, polls_due_a_reminder, polls_due_to_close

logger = logging.getLogger(__name__)

POLLS_JOB = "polls"

ANNOUNCE_RETRY_WINDOW = timedelta(days=7)
"""How long after closing a result that could not be sent is still tried again."""


@dataclass
class JobReport:
    closed: int = 0
    announced: int = 0
    """Results of polls closed earlier whose announcement failed and was sent now."""
    reminded: int = 0
    redrawn: int = 0
    failed: int = 0
    """Polls or reminders that failed (recorded in `job_failure`, retried next run)."""

    def __str__(self) -> str:
        return (
            f"closed {counted(self.closed, 'poll')}, "
            f"finished {counted(self.announced, 'earlier announcement')}, "
            f"sent {counted(self.reminded, 'poll reminder')}, "
            f"redrew {counted(self.redrawn, 'poll message')}"
        ) + (f"; {self.failed} failed, retried next run" if self.failed else "")


def run_poll_job(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> JobReport:
    """Close polls past their deadline and remind members halfway to it; safe to run twice.
    Each poll (and each member's reminder) on its own: one that fails is recorded in `run`
    and stays due (open, unannounced or unreminded) for the next run."""
    run = run or JobRun(runtime, POLLS_JOB)
    report = JobReport()
    now = runtime.now()
    with read_session(runtime.engine) as session:
        due_to_close = polls_due_to_close(session, now=now)
        due_a_reminder = polls_due_a_reminder(session, now=now)
        unannounced = closed_polls_not_announced(
            session, since=now - ANNOUNCE_RETRY_WINDOW, stale_before=now - SEND_LEASE
        )
    for poll_id in due_to_close:

        def close(poll_id: int = poll_id) -> None:
            if close_poll(runtime, client, poll_id, reason="deadline", announce=False):
                # Counted once closed: a failed announcement is the next run's to finish.
                report.closed += 1
                announce_result(runtime, client, poll_id, raise_errors=True)

        run.attempt(f"poll:{poll_id}", close)
    for poll_id in unannounced:
        report.announced += bool(
            run.attempt(
                f"poll:{poll_id}",
                partial(announce_result, runtime, client, poll_id, raise_errors=True),
            )
        )
    for poll_id in due_a_reminder:
        report.reminded += _remind(runtime, client, poll_id, run)
    report.redrawn = redraw_polls_behind(runtime, client, run)
    report.failed = len(run.failed)
    return report


def _remind(runtime: Runtime, client: WebClient, poll_id: int, run: JobRun) -> int:
    """Remind each member yet to answer, each on their own (one person's DM failing must
    not keep the reminder from the others). Each reminder lists the dates that person has
    not answered, with the poll's own vote buttons, and links to the poll; all in that
    person's language."""
    stored = run.attempt(f"poll:{poll_id}", lambda: read_poll(runtime, poll_id))
    if stored is None:
        return 0
    context = stored.context
    waiting_for = members_yet_to_answer(stored.options, stored.votes, context.member_ids)
    permalink = poll_permalink(client, stored)
    sent = 0
    # Someone snoozed is skipped, not marked reminded: still due when the snooze ends (the
    # poll still open), their reminder goes then.
    for user_id in awake_among(runtime, waiting_for):

        def remind(user_id: str = user_id) -> bool:
            text, blocks = _reminder(stored, user_id, reader(runtime, user_id), permalink)
            return send_once(
                runtime,
                kind="poll_reminder",
                key=f"{poll_id}:{user_id}",
                send=lambda: client.chat_postMessage(channel=user_id, text=text, blocks=blocks),
                raise_errors=True,
            )

        sent += bool(run.attempt(f"poll:{poll_id}:{user_id}", remind))
    return sent


def _reminder(
    stored: StoredPoll, user_id: str, t: Translator, permalink: str | None
) -> tuple[Mrkdwn, list[Block]]:
    """The reminder `user_id` reads (text, blocks), in their language `t`."""
    text = reminder_text(
        t,
        group_name=stored.context.group.name,
        deadline=t.moment(stored.poll.deadline.astimezone(stored.context.zone)),
        permalink_hint=channel(stored.poll.channel_id),
    )
    blocks = poll_reminder_blocks(
        t,
        text=text,
        poll_id=stored.poll_id,
        unanswered=unanswered_dates(stored, user_id, t),
        permalink=permalink,
    )
    return text, blocks


def reminder_now(
    runtime: Runtime, client: WebClient, *, poll_id: int, user_id: str
) -> tuple[Mrkdwn, list[Block]] | None:
    """The reminder `user_id` was sent, as it reads now (text, blocks): the dates they
    still have to answer, or a thank-you once none are left; None once the poll is closed
    (the poll's message then says how it ended)."""
    stored = read_poll(runtime, poll_id)
    if stored is None or not stored.is_open:
        return None
    return _reminder(stored, user_id, reader(runtime, user_id), poll_permalink(client, stored))


def poll_permalink(client: WebClient, stored: StoredPoll) -> str | None:
    """A link to the poll's message; None when it has none or Slack gave none (a reminder
    still names the channel, so it goes without)."""
    if stored.poll.message_ts is None:
        return None
    try:
        answer = client.chat_getPermalink(
            channel=stored.poll.channel_id, message_ts=stored.poll.message_ts
        )
    except (SlackApiError, OSError):
        logger.warning("no permalink for poll %s's message", stored.poll_id, exc_info=True)
        return None
    permalink = answer.get("permalink")
    return permalink if isinstance(permalink, str) else None
