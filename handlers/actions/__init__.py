"""Button clicks (block_actions): votes, stored before they are acknowledged; every other
button is stored as a follow-up for the worker by one listener."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers.actions import join_offer, meetings, polls
from handlers.followups import defer_clicks


def register_votes(app: App, runtime: Runtime) -> None:
    polls.register(app, runtime)


def register_buttons(app: App, runtime: Runtime) -> None:
    defer_clicks(
        app,
        runtime,
        {**polls.DEFERRED_CLICKS, **meetings.DEFERRED_CLICKS, **join_offer.DEFERRED_CLICKS},
    )
