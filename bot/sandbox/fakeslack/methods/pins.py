"""pins.add / remove / list: the bot pinning messages in conversations it is in."""

from __future__ import annotations

from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.methods.common import require_bot_member, visible_conversation
from bot.sandbox.fakeslack.model import Channel, JsonDict, Message
from bot.sandbox.fakeslack.webapi import Args, MethodContext


def pins_add(context: MethodContext, args: Args) -> JsonDict:
    channel, message = _pinnable(context, args)
    pinned = {p.message_ts for p in context.workspace.pins_in(channel.id)}
    if message.ts in pinned:
        raise ApiError("already_pinned")
    context.workspace.pin(channel.id, message.ts, by=context.bot_user_id)
    return {}


def pins_remove(context: MethodContext, args: Args) -> JsonDict:
    channel, message = _pinnable(context, args)
    workspace = context.workspace
    pin = next((p for p in workspace.pins_in(channel.id) if p.message_ts == message.ts), None)
    if pin is None:
        raise ApiError("no_pin")
    workspace.pins.remove(pin)
    return {}


def pins_list(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    items = []
    for pin in context.workspace.pins_in(channel.id):
        message = context.workspace.find_message(channel.id, pin.message_ts)
        if message is not None:
            items.append(
                {
                    "type": "message",
                    "channel": channel.id,
                    "created": pin.created,
                    "created_by": pin.pinned_by,
                    "message": message.to_api(context.team),
                }
            )
    return {"items": items}


def _pinnable(context: MethodContext, args: Args) -> tuple[Channel, Message]:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    require_bot_member(context, channel)
    timestamp = args.text("timestamp")
    if not timestamp:
        raise ApiError("no_item_specified")
    message = context.workspace.find_message(channel.id, timestamp)
    if message is None:
        raise ApiError("message_not_found")
    return channel, message
