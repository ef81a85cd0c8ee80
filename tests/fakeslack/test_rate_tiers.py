"""The fake's rate tiers as a bulk run meets them: the `Retry-After` it names, the same
figures as the bot's pacer, and its minute in scaled time (timescale.py)."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.sandbox.fakeslack import FakeSlack
from bot.sandbox.fakeslack.catalog import calls_per_minute
from bot.sandbox.fakeslack.timescale import ScaledTime
from bot.slack_client import CALLS_PER_MINUTE
from tests.fakeslack.helpers import FakeClock, refusal

CREATE = "conversations.create"


def test_the_bots_pacing_figures_are_the_tiers_the_fake_enforces() -> None:
    assert {method: calls_per_minute(method) for method in CALLS_PER_MINUTE} == dict(
        CALLS_PER_MINUTE
    )


def test_retry_after_names_the_second_the_minute_frees_a_call(
    slack: FakeSlack, client: WebClient, clock: FakeClock
) -> None:
    slack.enforce_tiers()
    first = clock.now
    for number in range(20):
        clock.now = first + number
        client.conversations_create(name=f"group-{number}")
    clock.now = first + 30

    assert refusal(lambda: client.conversations_create(name="too-soon"))["error"] == "ratelimited"
    clock.now = first + 59.5
    refusal(lambda: client.conversations_create(name="still-too-soon"))
    clock.now = first + 60

    assert client.conversations_create(name="on-time")["ok"]
    assert [call.retry_after for call in slack.calls_to(CREATE) if call.http_status == 429] == [
        30,
        1,
    ]
    assert all(call.retry_after is None for call in slack.calls_to(CREATE) if call.ok)


def test_scaled_time_runs_the_fakes_minute_and_the_sleeps_faster() -> None:
    wall = {"now": 1000.0}
    slept: list[float] = []

    def wall_sleep(seconds: float) -> None:
        slept.append(seconds)
        wall["now"] += seconds

    scaled = ScaledTime(
        20, start=1_780_000_000.0, wall_clock=lambda: wall["now"], wall_sleep=wall_sleep
    )

    scaled.sleep(60)
    assert slept == [3.0], "a scaled minute is three real seconds at 20x"
    assert scaled.now() == 1_780_000_060.0

    with FakeSlack(clock=scaled.now) as slack:
        client = WebClient(base_url=slack.api_url, token=slack.bot_token)
        slack.enforce_tiers()
        for number in range(20):
            client.conversations_create(name=f"scaled-{number}")
        limited = refusal(lambda: client.conversations_create(name="scaled-too-soon"))
        wall["now"] += 3.0
        assert client.conversations_create(name="scaled-a-minute-later")["ok"]

    assert limited["error"] == "ratelimited"


def test_scaled_time_refuses_a_scale_that_stops_or_reverses_time() -> None:
    with pytest.raises(ValueError, match="positive"):
        ScaledTime(0)
