"""A scheduled job that fails on one group, poll, meeting or person records the failure in
`job_failure`, goes on with the others, and retries it on the next run: one poisoned group
never stops the reminders, "did you meet?" questions, nudges, poll closings and reminders,
or digests of the rest."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.jobs import digest_job, meetings_job, nudges_job, polls_job
from bot.runtime import Runtime
from storage.db import write_session
from storage.models import JobFailure, Meeting, Outbox
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, stored, vote

# The fake clock starts on Monday 2026-11-23 09:00 UTC (10:00 in Copenhagen).
MONDAY_AFTERNOON = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
GONE_COORDINATOR = "UCOORDGONE"


def at(bot: BotUnderTest, moment: datetime, **settings: Any) -> Runtime:
    runtime = replace(bot.runtime, clock=lambda: moment)
    if settings:
        runtime = replace(runtime, settings=runtime.settings.model_copy(update=settings))
    return runtime


class PoisonedClient(WebClient):
    """The bot's client, except that anything sent to `poisoned` conversations raises an
    error no code expects (not a Slack error): a bug that strikes one group only."""

    def __init__(self, bot: BotUnderTest, poisoned: set[str]) -> None:
        base = bot.client
        super().__init__(token=base.token, base_url=base.base_url)
        self.poisoned = poisoned

    def _check(self, channel: object) -> None:
        if channel in self.poisoned:
            raise RuntimeError("poisoned: text people wrote must never reach the log line")

    def chat_postMessage(self, *, channel: str, **kwargs: Any) -> Any:  # type: ignore[override]
        self._check(channel)
        return super().chat_postMessage(channel=channel, **kwargs)

    def files_upload_v2(self, *, channel: str | None = None, **kwargs: Any) -> Any:  # type: ignore[override]
        self._check(channel)
        return super().files_upload_v2(channel=channel, **kwargs)


@pytest.fixture
def groups(bot: BotUnderTest) -> list[Group]:
    first = form_group(bot, prefix="a")
    return [
        first,
        form_group(bot, prefix="b", start_term=False),
        form_group(bot, prefix="c", start_term=False),
    ]


def _plan(bot: BotUnderTest, group: Group, starts_at: datetime) -> int:
    """A planned meeting, as a closed poll leaves one."""
    with write_session(bot.runtime.engine) as session:
        meeting = Meeting(
            group_id=group.group_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            created_at=bot.runtime.now(),
        )
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        return meeting.id


def _failures(bot: BotUnderTest) -> dict[tuple[str, str], JobFailure]:
    return {(f.job, f.subject): f for f in stored(bot, JobFailure)}


def _day_before_reminders(bot: BotUnderTest, group: Group) -> int:
    return sum(
        "meets tomorrow" in json.dumps(m.blocks) for m in bot.slack.messages_in(group.channel_id)
    )


def _questions(bot: BotUnderTest, group: Group) -> int:
    return sum(
        m.text.startswith("Did ") and " meet on " in m.text
        for m in bot.slack.dm_messages_to(group.mentor.id)
    )


def _nudges(bot: BotUnderTest, group: Group) -> int:
    """The nudges the group's mentor was sent (the DM with the nudge's buttons)."""
    return sum(
        "planned_offline" in json.dumps(m.blocks) for m in bot.slack.dm_messages_to(group.mentor.id)
    )


def test_a_bug_striking_one_group_stops_no_nudge_and_is_retried(
    bot: BotUnderTest, groups: list[Group]
) -> None:
    """Nudges (Monday 10:30 in Copenhagen; nobody has met or planned anything yet)."""
    poisoned = groups[1]
    client = PoisonedClient(bot, {poisoned.channel_id, poisoned.mentor.id})
    nudge_time = at(bot, datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    assert nudges_job(nudge_time, client) == "nudged 2 groups, 1 failed"
    assert [_nudges(bot, g) for g in groups] == [1, 0, 1]
    failure = _failures(bot)[("nudges", f"group:{poisoned.group_id}")]
    assert (failure.error, failure.attempts) == ("RuntimeError", 1)
    assert nudges_job(
        replace(nudge_time, clock=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC)), client
    ) == ("nudged 0 groups, 1 failed")
    assert _failures(bot)[("nudges", f"group:{poisoned.group_id}")].attempts == 2
    later = replace(nudge_time, clock=lambda: datetime(2026, 11, 23, 10, 30, tzinfo=UTC))
    assert nudges_job(later, bot.client) == "nudged 1 group"
    assert [_nudges(bot, g) for g in groups] == [1, 1, 1]
    assert ("nudges", f"group:{poisoned.group_id}") not in _failures(bot)


def test_a_bug_striking_one_meeting_stops_no_reminder_and_is_retried(
    bot: BotUnderTest, groups: list[Group]
) -> None:
    """The day-before reminder and "did you meet?" (the meetings job)."""
    poisoned = groups[1]
    client = PoisonedClient(bot, {poisoned.channel_id, poisoned.mentor.id})
    upcoming = {
        g.group_id: _plan(bot, g, datetime(2026, 11, 24, 15, 0, tzinfo=UTC)) for g in groups
    }
    past = {g.group_id: _plan(bot, g, datetime(2026, 11, 22, 10, 0, tzinfo=UTC)) for g in groups}
    afternoon = at(bot, MONDAY_AFTERNOON)
    report = meetings_job(afternoon, client)
    assert report == (
        "sent 2 day-before reminders and 2 “did you meet?” questions; 2 failed, retried next run"
    )
    assert [_day_before_reminders(bot, g) for g in groups] == [1, 0, 1]
    assert [_questions(bot, g) for g in groups] == [1, 0, 1]
    failures = _failures(bot)
    assert failures[("meetings", f"meeting:{upcoming[poisoned.group_id]}")].error == "RuntimeError"
    assert failures[("meetings", f"meeting:{past[poisoned.group_id]}")].error == "RuntimeError"
    # The claims of the failed sends are marked failed, not left pending for ten minutes.
    assert {
        o.status
        for o in stored(bot, Outbox)
        if o.key in {str(upcoming[poisoned.group_id]), str(past[poisoned.group_id])}
    } == {"failed"}
    assert "sent 1 day-before reminder and 1 “did you meet?” question" in meetings_job(
        afternoon, bot.client
    )
    assert [_day_before_reminders(bot, g) for g in groups] == [1, 1, 1]
    assert [_questions(bot, g) for g in groups] == [1, 1, 1]
    assert stored(bot, JobFailure) == []


def test_a_bug_striking_one_poll_stops_no_closing_and_is_retried(
    bot: BotUnderTest, groups: list[Group]
) -> None:
    """Closing polls at their deadline and announcing the dates (the polls job)."""
    poisoned = groups[1]
    client = PoisonedClient(bot, {poisoned.channel_id})
    for group in groups:
        bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
        vote(bot, group, group.mentor, 0, "yes")
    after_deadline = at(bot, datetime(2026, 11, 25, 11, 1, tzinfo=UTC))
    assert "closed 3 polls" in polls_job(after_deadline, client)
    assert [len(bot.slack.files_in(g.channel_id)) for g in groups] == [1, 0, 1]
    [poll_failure] = stored(bot, JobFailure)
    assert (poll_failure.job, poll_failure.error) == ("polls", "RuntimeError")
    assert poll_failure.subject.startswith("poll:")
    assert "finished 1 earlier announcement," in polls_job(after_deadline, bot.client)
    assert [len(bot.slack.files_in(g.channel_id)) for g in groups] == [1, 1, 1]
    assert stored(bot, JobFailure) == []


def test_a_bug_striking_one_coordinator_stops_no_digest_and_is_retried(
    bot: BotUnderTest, groups: list[Group], caplog: pytest.LogCaptureFixture
) -> None:
    """The weekly digest, with a second coordinator the bug strikes (the digest job)."""
    client = PoisonedClient(bot, {GONE_COORDINATOR})
    digest_time = at(bot, MONDAY_AFTERNOON, coordinators=frozenset({COORDINATOR, GONE_COORDINATOR}))
    bot.slack.add_user("gone", user_id=GONE_COORDINATOR)
    assert digest_job(digest_time, client) == "sent 1 digest; 1 failed, retried next run"
    assert len(bot.slack.dm_messages_to(COORDINATOR)) == 1
    [failure] = stored(bot, JobFailure)
    assert failure.job == "digest"
    assert failure.subject.endswith(f"person:{GONE_COORDINATOR}")
    # The log names the job, the subject and the error's class: never its message.
    lines = [r.getMessage() for r in caplog.records if "failed (" in r.getMessage()]
    assert lines == [
        f"digest job: {failure.subject} failed (RuntimeError); the next run retries it"
    ]
    assert digest_job(digest_time, bot.client) == "sent 1 digest"
    assert len(bot.slack.dm_messages_to(GONE_COORDINATOR)) == 1
    assert stored(bot, JobFailure) == []


def test_slack_refusing_one_group_is_recorded_and_retried(
    bot: BotUnderTest, groups: list[Group]
) -> None:
    poisoned = groups[1]
    channel = bot.slack.channel(poisoned.channel_id)

    # A channel archived by hand, and a mentor deactivated, without the bot being told.
    channel.is_archived = True
    bot.slack.workspace.users[poisoned.mentor.id].deleted = True
    upcoming = {
        g.group_id: _plan(bot, g, datetime(2026, 11, 24, 15, 0, tzinfo=UTC)) for g in groups
    }
    past = {g.group_id: _plan(bot, g, datetime(2026, 11, 22, 10, 0, tzinfo=UTC)) for g in groups}
    afternoon = at(bot, MONDAY_AFTERNOON)
    assert meetings_job(afternoon, bot.client).startswith(
        "sent 2 day-before reminders and 2 “did you meet?” questions; 2 failed"
    )
    failures = _failures(bot)
    assert failures[("meetings", f"meeting:{upcoming[poisoned.group_id]}")].error == (
        "SlackApiError: is_archived"
    )
    assert failures[("meetings", f"meeting:{past[poisoned.group_id]}")].error == (
        "SlackApiError: channel_not_found"
    )
    channel.is_archived = False
    bot.slack.workspace.users[poisoned.mentor.id].deleted = False
    assert meetings_job(afternoon, bot.client) == (
        "sent 1 day-before reminder and 1 “did you meet?” question"
    )
    assert [_day_before_reminders(bot, g) for g in groups] == [1, 1, 1]
    assert [_questions(bot, g) for g in groups] == [1, 1, 1]
    assert stored(bot, JobFailure) == []
