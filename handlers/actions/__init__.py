"""Button clicks (block_actions)."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers.actions import join_offer, meetings, polls


def register(app: App, runtime: Runtime) -> None:
    join_offer.register(app, runtime)
    polls.register(app, runtime)
    meetings.register(app, runtime)
