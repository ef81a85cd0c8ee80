"""Rate limits and injected faults (bot/sandbox/fakeslack/faults.py)."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.sandbox.fakeslack import FakeSlack, User
from tests.fakeslack.helpers import (
    FakeClock,
    error_of,
    refusal,
)


def test_rate_limit_is_seen_by_the_client(slack: FakeSlack, client: WebClient) -> None:
    slack.rate_limit("conversations.create", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.conversations_create(name="limited")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert slack.workspace.channel_named("limited") is None, "a 429 does nothing"
    assert client.conversations_create(name="limited")["ok"]


def test_rate_limit_retry_handler_waits_and_retries(slack: FakeSlack) -> None:
    patient = WebClient(
        base_url=slack.api_url,
        token=slack.bot_token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.rate_limit("auth.test", retry_after=1)

    assert patient.auth_test()["ok"]
    assert [c.http_status for c in slack.calls_to("auth.test")] == [429, 200]


def test_tiers_count_calls_by_the_fake_clock(
    slack: FakeSlack, client: WebClient, alice: User, bob: User, clock: FakeClock
) -> None:
    slack.enforce_tiers()
    client.chat_postMessage(channel=alice.id, text="1")

    limited = refusal(lambda: client.chat_postMessage(channel=alice.id, text="2"))
    client.chat_postMessage(channel=bob.id, text="other channel")
    clock.now += 1.0
    client.chat_postMessage(channel=alice.id, text="a second later")

    assert limited["error"] == "ratelimited"
    for _ in range(20):  # conversations.create is Tier 2: 20 a minute
        client.conversations_create(name=f"c-{len(slack.calls)}")
    assert error_of(lambda: client.conversations_create(name="one-too-many")) == "ratelimited"


def test_faults_before_and_after_the_effect(slack: FakeSlack, alice: User) -> None:
    no_retries = WebClient(base_url=slack.api_url, token=slack.bot_token, retry_handlers=[])
    slack.fail_next("chat.postMessage", "500")
    slack.fail_next("chat.postMessage", "500_after")

    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            no_retries.chat_postMessage(channel=alice.id, text="hello")
        assert raised.value.response.status_code == 500

    assert len(slack.dm_messages_to(alice.id)) == 1, "only 500_after carried the call out"


def test_a_lost_reply_makes_the_default_retry_post_twice(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    slack.fail_next("chat.postMessage", "drop_after")

    client.chat_postMessage(channel=alice.id, text="Reminder")

    assert [m.text for m in slack.dm_messages_to(alice.id)] == ["Reminder", "Reminder"]
    assert [c.http_status for c in slack.calls_to("chat.postMessage")] == [0, 200]


def test_slow_answers_arrive_late(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("auth.test", "slow", delay=0.3)

    started = time.perf_counter()
    client.auth_test()

    assert time.perf_counter() - started >= 0.3


def test_random_faults_follow_the_seed(slack: FakeSlack) -> None:
    no_retries = WebClient(base_url=slack.api_url, token=slack.bot_token, retry_handlers=[])
    slack.random_faults(0.5, kinds=["500"], seed=7)

    outcomes = []
    for _ in range(12):
        try:
            no_retries.auth_test()
            outcomes.append("ok")
        except SlackApiError:
            outcomes.append("500")

    assert {"ok", "500"} == set(outcomes)
    slack.clear_faults()
    assert no_retries.auth_test()["ok"]
