"""Events API listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers.events import home, membership


def register(app: App, runtime: Runtime) -> None:
    home.register(app, runtime)
    membership.register(app, runtime)
