"""Slack listeners: thin adapters from Slack payloads to services and back."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers import actions, commands, errors, events, middleware, views


def register_listeners(app: App, runtime: Runtime) -> None:
    errors.register(app)
    middleware.register(app, runtime)
    # Bolt tries the listeners in the order they were added, for every request, and trying
    # one costs about as much as a small query: the busiest go first (`/mentor`, votes, the
    # forms), the rare ones after.
    commands.register(app, runtime)
    actions.register_votes(app, runtime)
    views.register(app, runtime)
    actions.register_buttons(app, runtime)
    events.register(app, runtime)
