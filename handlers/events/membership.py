"""Group membership follows Slack: leaving the channel leaves the group; someone added by
hand is asked (by the worker) whether to join."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.blocks.groups import join_offer_blocks, join_offer_text
from bot.followups import DeferredRequest, defer
from bot.services.groups import record_departure
from bot.services.joining import join_offer_for
from bot.services.language import reader
from bot.wiring import runtime_of

OFFER_TO_JOIN = "offer to join"


def member_left(event: dict[str, Any], context: BoltContext) -> None:
    record_departure(runtime_of(context), channel_id=event["channel"], user_id=event["user"])


def member_joined(event: dict[str, Any], context: BoltContext) -> None:
    if event["user"] != context.bot_user_id:
        defer(
            runtime_of(context),
            OFFER_TO_JOIN,
            {"user_id": event["user"], "channel": event["channel"]},
        )


def offer_to_join(request: DeferredRequest) -> None:
    channel_id = request.payload["channel"]
    group = join_offer_for(request.runtime, channel_id=channel_id, user_id=request.user_id)
    if group is None or group.id is None:
        return
    t = reader(request.runtime, request.user_id)
    request.client.chat_postEphemeral(
        channel=channel_id,
        user=request.user_id,
        text=join_offer_text(t, group_name=group.name),
        blocks=join_offer_blocks(t, group_id=group.id, group_name=group.name),
    )


EVENTS = {"member_left_channel": member_left, "member_joined_channel": member_joined}
FOLLOW_UPS = {OFFER_TO_JOIN: offer_to_join}
