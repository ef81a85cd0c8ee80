"""Bulk work at Slack's pace (bot/slack_client.py): each method kept under its tier, every
429 waited out for exactly the `Retry-After` Slack names, and a whole term's groups formed
through a 429 storm with none failing. Time is a manual clock that the client's sleeps move
forward, shared with the fake Slack: nothing sleeps for real."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlmodel import col, select

from bot.runtime import Runtime
from bot.sandbox.fakeslack import FakeSlack
from bot.services.roster import RowReport, RowStatus, create_groups_from_csv
from bot.slack_client import (
    CALLS_PER_MINUTE,
    PACING_WINDOW_SECONDS,
    TierPacer,
    background_client,
)
from storage.db import read_session, write_session
from storage.models import GroupSetup, MentorGroup, Person, Term

CREATE = "conversations.create"


@dataclass
class ManualTime:
    """Seconds that pass only when someone sleeps; every sleep is kept."""

    now_seconds: float = 1_780_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.now_seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now_seconds += seconds


@pytest.fixture
def manual_time() -> ManualTime:
    return ManualTime()


# -- the pacer on its own --------------------------------------------------------------


def test_a_tier_goes_at_once_then_waits_for_its_minute(manual_time: ManualTime) -> None:
    pacer = TierPacer(clock=manual_time.now, sleep=manual_time.sleep)
    start = manual_time.now()

    waits = [pacer.wait_turn(CREATE) for _ in range(CALLS_PER_MINUTE[CREATE])]
    assert waits == [0.0] * 20, "Slack's minute allows the tier's calls at once"

    pacer.wait_turn(CREATE)
    assert manual_time.now() == start + PACING_WINDOW_SECONDS
    assert pacer.wait_turn("users.info") == 0.0, "each method has its own minute"
    for _ in range(19):
        pacer.wait_turn(CREATE)
    assert manual_time.now() == start + PACING_WINDOW_SECONDS, "the first 20 have left the window"
    pacer.wait_turn(CREATE)
    assert manual_time.now() == start + 2 * PACING_WINDOW_SECONDS


def test_a_retry_after_holds_the_method_for_every_caller(manual_time: ManualTime) -> None:
    pacer = TierPacer(clock=manual_time.now, sleep=manual_time.sleep)
    pacer.hold(CREATE, 12)

    assert pacer.wait_turn(CREATE) == 12
    assert pacer.wait_turn("chat.postMessage") == 0.0
    assert pacer.wait_turn(CREATE) == 0.0


def test_methods_without_a_tier_are_not_paced(manual_time: ManualTime) -> None:
    pacer = TierPacer(clock=manual_time.now, sleep=manual_time.sleep)

    assert all(pacer.wait_turn("chat.postMessage") == 0.0 for _ in range(500))
    assert manual_time.sleeps == []


# -- through the creation path, against the fake with its tiers enforced ----------------


@dataclass
class Bench:
    slack: FakeSlack
    runtime: Runtime
    client: WebClient
    time: ManualTime


@pytest.fixture
def bench(runtime: Runtime, manual_time: ManualTime) -> Iterator[Bench]:
    with FakeSlack(clock=manual_time.now) as slack:
        settings = runtime.settings.model_copy(
            update={"slack_api_url": slack.api_url, "slack_bot_token": slack.bot_token}
        )
        client = background_client(settings, clock=manual_time.now, sleep=manual_time.sleep)
        yield Bench(slack, replace(runtime, settings=settings), client, manual_time)


def _groups_file(bench: Bench, groups: int) -> str:
    """A current term, `groups` certified mentors with three mentees each, all on the roster
    (as `mentorbot roster import` leaves them), and the file that forms their groups."""
    now = bench.runtime.now()
    rows = ["mentor_email,mentee_emails,name"]
    with write_session(bench.runtime.engine) as session:
        session.add(
            Term(
                name="Pacing term",
                starts_on=(now - timedelta(days=10)).date(),
                ends_on=(now + timedelta(days=120)).date(),
                timezone="Europe/Copenhagen",
                is_current=True,
                created_at=now,
                created_by="UTEST",
            )
        )
        for g in range(groups):
            mentor = bench.slack.add_user(f"mentor{g:02d}", real_name=f"Mentor {g:02d}")
            session.add(
                Person(
                    slack_user_id=mentor.id,
                    name=mentor.real_name,
                    email=mentor.email,
                    certified_at=now,
                    certified_by="UTEST",
                )
            )
            mentees = [bench.slack.add_user(f"mentee{g:02d}{m}") for m in range(3)]
            for mentee in mentees:
                session.add(
                    Person(slack_user_id=mentee.id, name=mentee.real_name, email=mentee.email)
                )
            emails = " ".join(mentee.email or "" for mentee in mentees)
            rows.append(f"{mentor.email},{emails},Group {g:02d}")
    return "\n".join(rows) + "\n"


def _create(bench: Bench, text: str) -> list[RowReport]:
    reports: list[RowReport] = []
    create_groups_from_csv(
        bench.runtime, bench.client, text, created_by="UTEST", on_row=reports.append
    )
    return reports


def _stored_groups(bench: Bench) -> list[MentorGroup]:
    with read_session(bench.runtime.engine) as session:
        return list(session.exec(select(MentorGroup).order_by(col(MentorGroup.name))).all())


def test_paced_creation_meets_no_429_and_keeps_to_the_tier(bench: Bench) -> None:
    text = _groups_file(bench, 45)
    bench.slack.enforce_tiers()
    start = bench.time.now()

    reports = _create(bench, text)

    assert {report.status for report in reports} == {RowStatus.CREATED}
    assert not [call for call in bench.slack.calls if call.http_status == 429]
    creates = [call.at - start for call in bench.slack.calls_to(CREATE)]
    assert len(creates) == 45
    # 20 in the first minute, 20 in the next, then the last 5: Slack's ceiling, used in full.
    assert creates[19] < PACING_WINDOW_SECONDS <= creates[20]
    assert creates[39] < 2 * PACING_WINDOW_SECONDS <= creates[40]
    assert creates[-1] < 3 * PACING_WINDOW_SECONDS


def test_a_429_storm_delays_groups_but_fails_none(bench: Bench) -> None:
    text = _groups_file(bench, 25)
    bench.slack.enforce_tiers()
    # Slack throttling the app's other work too: long refusals on the Tier 2 steps, and a
    # third of every call refused at random.
    bench.slack.rate_limit(CREATE, count=8, retry_after=20)
    bench.slack.rate_limit("conversations.setPurpose", count=6, retry_after=9)
    bench.slack.rate_limit("pins.add", count=4, retry_after=3)
    bench.slack.rate_limit("conversations.invite", count=3, retry_after=2)
    bench.slack.random_faults(0.33, kinds=("429",), seed=17)

    reports = _create(bench, text)

    assert [report.status for report in reports] == [RowStatus.CREATED] * 25
    groups = _stored_groups(bench)
    assert [group.setup for group in groups] == [GroupSetup.WELCOMED] * 25
    channels = [call for call in bench.slack.calls_to(CREATE) if call.ok]
    assert len(channels) == 25, "a refused create made no channel, and none was made twice"
    for group in groups:
        assert group.channel_id is not None
        assert len(bench.slack.channel(group.channel_id).members) == 5
        assert len(bench.slack.pins_in(group.channel_id)) == 1
    assert sum(1 for call in bench.slack.calls if call.http_status == 429) > 50


def test_every_retry_after_is_waited_out_exactly(bench: Bench) -> None:
    text = _groups_file(bench, 6)
    bench.slack.rate_limit(CREATE, count=3, retry_after=7)
    bench.slack.rate_limit("conversations.setPurpose", count=2, retry_after=30)
    bench.slack.random_faults(0.25, kinds=("429",), seed=3)

    reports = _create(bench, text)

    assert {report.status for report in reports} == {RowStatus.CREATED}
    calls = bench.slack.calls
    limited = [(i, call) for i, call in enumerate(calls) if call.http_status == 429]
    assert len(limited) >= 5
    for index, refused in limited:
        retry = next(call for call in calls[index + 1 :] if call.method == refused.method)
        waited = retry.at - refused.at
        # Neither sooner (another 429) nor later (time lost) than Slack said.
        assert refused.retry_after is not None
        assert waited == pytest.approx(refused.retry_after)


def test_a_storm_longer_than_the_patience_stops_a_group_and_a_rerun_resumes_it(
    bench: Bench,
) -> None:
    text = _groups_file(bench, 3)
    bench.slack.rate_limit("conversations.setPurpose", count=40, retry_after=30)

    first = _create(bench, text)

    assert [report.status for report in first] == [RowStatus.STOPPED, *[RowStatus.CREATED] * 2]
    assert sum(bench.time.sleeps) >= 600 - 30, "it waited out ten minutes of 429s first"
    assert [group.setup for group in _stored_groups(bench)] == [
        GroupSetup.INVITED,  # its purpose is the step Slack kept refusing
        GroupSetup.WELCOMED,
        GroupSetup.WELCOMED,
    ]

    second = _create(bench, text)

    assert [report.status for report in second] == [RowStatus.EXISTED] * 3
    assert [group.setup for group in _stored_groups(bench)] == [GroupSetup.WELCOMED] * 3
    assert len([call for call in bench.slack.calls_to(CREATE) if call.ok]) == 3
