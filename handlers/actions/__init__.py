"""Button clicks (block_actions)."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers.actions import join_offer, meetings, polls


def register(app: App, runtime: Runtime) -> None:
    polls.register(app, runtime)
    meetings.register(app, runtime)
    join_offer.register(app, runtime)
