"""The bot under test: the real Bolt app behind the real HTTP server, talking to the fake
Slack, driven by signed deliveries, and its worker. After each delivery the test does the
worker's part itself (`settle`: every follow-up and redraw the delivery left, in the test's
own thread), so it never sleeps and never races the bot."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient

from bot.app import create_app
from bot.runtime import Runtime
from bot.sandbox.fakeslack.driver import DriverResponse, SlackDriver
from bot.sandbox.fakeslack.server import FakeSlack
from bot.server import EVENTS_PATH, HttpServer, make_wsgi_app
from bot.slack_client import background_client, interactive_client
from bot.worker import Worker
from handlers import LISTENERS
from storage.db import GroupCommit


@dataclass
class BotUnderTest:
    slack: FakeSlack
    driver: SlackDriver
    runtime: Runtime
    server: HttpServer
    worker: Worker

    @property
    def client(self) -> WebClient:
        """A client for the bot's own background work (jobs), as `mentorbot run` builds it."""
        return background_client(self.runtime.settings, paced=False)

    def settle(self) -> int:
        """Do the worker's part of what was delivered so far; returns how much there was."""
        return self.worker.drain()

    def command(self, user_id: str, channel_id: str, text: str) -> DriverResponse:
        response = self.driver.command(user_id, channel_id, text)
        self.settle()
        return response

    def click(self, user_id: str, **kwargs: Any) -> DriverResponse:
        response = self.driver.click(user_id, **kwargs)
        self.settle()
        return response

    def submit_view(self, user_id: str, view_id: str, values: dict[str, Any]) -> DriverResponse:
        response = self.driver.submit_view(user_id, view_id, values)
        self.settle()
        return response

    def event(self, inner_event: dict[str, Any], **kwargs: Any) -> DriverResponse:
        response = self.driver.event(inner_event, **kwargs)
        self.settle()
        return response

    def answer(self, response: DriverResponse) -> dict[str, Any]:
        """What the person was shown last in answer to a command or click: the body of the
        last post to its response_url, or the acknowledgement's if nothing was posted."""
        if response.response_url_id:
            posts = self.slack.responses_to(response.response_url_id)
            if posts:
                return posts[-1].body
        return response.json if isinstance(response.json, dict) else {}

    def replies_to(self, response: DriverResponse) -> list[str]:
        """Every text the person saw in answer: the acknowledgement and response_url posts."""
        texts = []
        if isinstance(response.json, dict) and response.json.get("text"):
            texts.append(response.json["text"])
        if response.response_url_id:
            texts += [
                post.body.get("text", "")
                for post in self.slack.responses_to(response.response_url_id)
            ]
        return texts


@contextmanager
def running_bot(runtime: Runtime) -> Iterator[BotUnderTest]:
    with FakeSlack() as slack:
        settings = runtime.settings.model_copy(
            update={"slack_api_url": slack.api_url, "slack_bot_token": slack.bot_token}
        )
        runtime = replace(runtime, settings=settings)
        for number, coordinator in enumerate(sorted(settings.coordinators), start=1):
            slack.add_user(f"coordinator{number}", user_id=coordinator, real_name="Coordinator")
        group_commit = GroupCommit(runtime.engine)
        web_runtime = replace(runtime, group_commit=group_commit)
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        app = create_app(web_runtime, LISTENERS, client=client)
        server = HttpServer(make_wsgi_app(app, runtime.engine), host="127.0.0.1", port=0)
        server.start_in_thread()
        driver = SlackDriver(slack, server.url + EVENTS_PATH, settings.slack_signing_secret)
        worker = Worker(
            runtime,
            client=interactive_client(settings),
            slow_client=background_client(settings, paced=False),
            follow_ups=LISTENERS.follow_ups,
            name="test-worker",
        )
        try:
            yield BotUnderTest(slack, driver, runtime, server, worker)
        finally:
            server.stop()
            group_commit.close()
