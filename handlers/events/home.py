"""Publishing the App Home tab whenever someone opens it (by the worker)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.runtime import Runtime
from bot.services.followups import defer
from bot.services.home import home_for
from handlers.followups import DeferredRequest, follow_up

PUBLISH_HOME = "publish home"


def register(app: App, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab") == "home":
            defer(runtime, PUBLISH_HOME, {"user_id": event["user"]})


@follow_up(PUBLISH_HOME)
def publish_home(request: DeferredRequest) -> None:
    request.client.views_publish(
        user_id=request.user_id, view=home_for(request.runtime, request.user_id)
    )
