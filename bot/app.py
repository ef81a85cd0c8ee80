"""The Slack app: settings and storage in, a Bolt `App` with every listener out."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot import logprivacy
from bot.runtime import Runtime
from bot.slack_client import interactive_client
from handlers import register_listeners

LISTENER_THREADS = 4
"""Only for Bolt's own asynchronous chores: listeners run on the thread that received the
request (`process_before_response`), since none of them calls Slack or does slow work."""


class _DropTokenSkippedWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and then warns that the client
    we pass (holding that same token) wins; the warning would only confuse operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOGGER = "mentorbot.bolt"
"""Bolt's own logger, and its app name: Bolt names the loggers it makes for listeners and
middleware after the app, so all of them start with this (bot/logprivacy.py keeps what they
say to descriptions)."""

_bolt_logger = logging.getLogger(BOLT_LOGGER)
_bolt_logger.addFilter(_DropTokenSkippedWarning())


def create_app(
    runtime: Runtime,
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
) -> App:
    """Every listener checks the request, stores what must survive (a vote, a follow-up for
    the worker) and acknowledges; so Bolt runs it on the request's own thread and answers
    Slack when it returns, without handing it to a pool and polling for the acknowledgement
    every 10 ms (Bolt's default, which alone costs each request about 10 ms).

    The app checks no signatures itself: over HTTP the boundary in bot/server.py has checked
    the raw bytes before Bolt sees them (Bolt's own check would log a refused body whole),
    and Socket Mode has none. Serve it only through `make_wsgi_app` or Socket Mode."""
    logprivacy.install()
    app = App(
        name=BOLT_LOGGER,
        client=client or interactive_client(runtime.settings),
        signing_secret=runtime.settings.slack_signing_secret,
        request_verification_enabled=False,
        process_before_response=True,
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
        logger=_bolt_logger,
    )
    register_listeners(app, runtime)
    return app
