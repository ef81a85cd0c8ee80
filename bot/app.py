"""The Slack app: the runtime and the table of listeners in, a Bolt `App` with every
listener registered out."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot import logprivacy
from bot.runtime import Runtime
from bot.slack_client import interactive_client
from bot.wiring import Listeners, deferred_click_pattern, store_deferred_click, with_runtime

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
    listeners: Listeners,
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
    register(app, runtime, listeners)
    return app


def register(app: App, runtime: Runtime, listeners: Listeners) -> None:
    """Register the table on `app`, in its order."""
    app.error(listeners.error_handler)
    app.middleware(with_runtime(runtime))
    for middleware in listeners.middleware:
        app.middleware(middleware)
    # Bolt tries the listeners in the order they were added, for every request, and trying
    # one costs about as much as a small query: the busiest go first (`/mentor`, votes, the
    # forms), the rare ones after.
    for command, listener in listeners.commands.items():
        app.command(command)(listener)
    for action, listener in listeners.actions.items():
        app.action(action)(listener)
    for callback_id, listener in listeners.views.items():
        app.view(callback_id)(listener)
    if listeners.deferred_clicks:
        pattern = deferred_click_pattern(listeners.deferred_clicks)
        app.action(pattern)(store_deferred_click(listeners.deferred_clicks))
    for event, listener in listeners.events.items():
        app.event(event)(listener)
