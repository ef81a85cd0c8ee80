"""Publishing the App Home tab whenever someone opens it (by the worker)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.followups import DeferredRequest, defer
from bot.services.home import home_for
from bot.wiring import runtime_of

PUBLISH_HOME = "publish home"


def home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab") == "home":
        defer(runtime_of(context), PUBLISH_HOME, {"user_id": event["user"]})


def publish_home(request: DeferredRequest) -> None:
    publish_home_with(request)


def publish_home_with(request: DeferredRequest, *, notice: str | None = None) -> None:
    """Draw the person's App Home tab again, with `notice` (what their click did) on top."""
    request.client.views_publish(
        user_id=request.user_id,
        view=home_for(request.runtime, request.user_id, notice=notice, client=request.client),
    )


EVENTS = {"app_home_opened": home_opened}
FOLLOW_UPS = {PUBLISH_HOME: publish_home}
