"""The fake Slack on a clock that stands still, a Web API client pointed at it, and two
people: what every test of the fake starts from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.sandbox.fakeslack import FakeSlack, User
from tests.fakeslack.helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def slack(clock: FakeClock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock) as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(base_url=slack.api_url, token=slack.bot_token)


@pytest.fixture
def alice(slack: FakeSlack) -> User:
    return slack.add_user("alice", tz="Europe/Copenhagen")


@pytest.fixture
def bob(slack: FakeSlack) -> User:
    return slack.add_user("bob", email="bob@uni.example")
