"""The bot under test: the real Bolt app behind the real HTTP server, talking to the fake
Slack, driven by signed deliveries. Tests wait for the bot's work after each acknowledgement
(`settle`) instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient

from bot.app import create_app
from bot.runtime import Runtime
from bot.server import EVENTS_PATH, HttpServer, make_wsgi_app
from bot.slack_client import background_client
from tests.fakeslack.driver import DriverResponse, SlackDriver
from tests.fakeslack.server import FakeSlack
from tests.support.executor import TrackingExecutor


@dataclass
class BotUnderTest:
    slack: FakeSlack
    driver: SlackDriver
    runtime: Runtime
    server: HttpServer
    executor: TrackingExecutor

    @property
    def client(self) -> WebClient:
        """A client for the bot's own background work (jobs), as `mentorbot run` builds it."""
        return background_client(self.runtime.settings)

    def settle(self) -> None:
        self.executor.wait_idle()

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
        executor = TrackingExecutor()
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        app = create_app(runtime, client=client, listener_executor=executor)
        server = HttpServer(make_wsgi_app(app, runtime.engine), host="127.0.0.1", port=0)
        server.start_in_thread()
        driver = SlackDriver(slack, server.url + EVENTS_PATH, settings.slack_signing_secret)
        try:
            yield BotUnderTest(slack, driver, runtime, server, executor)
        finally:
            executor.wait_idle()
            server.stop()
            executor.shutdown(wait=True)
