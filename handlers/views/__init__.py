"""Modal submissions (view_submission)."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from handlers.views import meetings, poll_modal


def register(app: App, runtime: Runtime) -> None:
    poll_modal.register(app, runtime)
    meetings.register(app, runtime)
