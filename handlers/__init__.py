"""Slack listeners: thin adapters from Slack payloads to services and back."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers import actions, commands, errors, events, middleware, views


def register_listeners(app: App, runtime: Runtime) -> None:
    errors.register(app)
    middleware.register(app, runtime)
    # Bolt tries listeners in the order they were added, trying each costs time, and nearly
    # all traffic is `/mentor` (one listener) and votes: those first, events last.
    commands.register(app, runtime)
    actions.register(app, runtime)
    views.register(app, runtime)
    events.register(app, runtime)
