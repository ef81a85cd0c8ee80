"""Group membership follows Slack: leaving the channel leaves the group; someone added by
hand is asked whether to join."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.groups import join_offer_blocks
from bot.runtime import Runtime
from bot.services.groups import needs_join_offer, record_departure

logger = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.event("member_left_channel")
    def member_left(event: dict[str, Any]) -> None:
        record_departure(runtime, channel_id=event["channel"], user_id=event["user"])

    @app.event("member_joined_channel")
    def member_joined(event: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        user_id = event["user"]
        if user_id == context.get("bot_user_id"):
            return
        group = needs_join_offer(runtime, channel_id=event["channel"], user_id=user_id)
        if group is None or group.id is None:
            return
        client.chat_postEphemeral(
            channel=event["channel"],
            user=user_id,
            text=f"Do you want to join {group.name} as a mentee?",
            blocks=join_offer_blocks(group_id=group.id, group_name=group.name),
        )
