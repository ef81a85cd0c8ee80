"""Publishing the App Home tab whenever someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.domain.commands import commands_for
from bot.domain.roles import role_label
from bot.runtime import Runtime
from bot.services.roles import roles_of


def register(app: App, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        user_id = event["user"]
        roles = roles_of(runtime, user_id)
        view = home_view(commands=commands_for(roles), role=role_label(roles))
        client.views_publish(user_id=user_id, view=view)
