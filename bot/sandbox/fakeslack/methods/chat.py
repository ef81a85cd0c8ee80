"""chat.*: posting, updating, deleting, ephemeral messages and permalinks.

Text-length rules differ by method, as Slack documents them: chat.postMessage truncates text
past 40,000 characters and answers msg_blocks_too_long when the blocks carry too much text;
chat.update refuses text past 4,000 characters and too-long blocks with msg_too_long;
chat.postEphemeral answers msg_too_long for too-long blocks.
"""

from __future__ import annotations

from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.methods.common import (
    UPDATE_TEXT_LIMIT,
    message_content,
    message_destination,
    visible_conversation,
    writable_conversation,
)
from bot.sandbox.fakeslack.model import JsonDict, Message
from bot.sandbox.fakeslack.webapi import Args, MethodContext


def chat_post_message(context: MethodContext, args: Args) -> JsonDict:
    channel = writable_conversation(context, args.required("channel", "channel_not_found"))
    content = message_content(args, too_long_error="msg_blocks_too_long", text_limit=None)
    message = context.workspace.post_message(
        channel.id,
        user=context.bot_user_id,
        text=content.text,
        blocks=content.blocks,
        attachments=content.attachments,
        thread_ts=args.text("thread_ts"),
        metadata=args.json("metadata", error="invalid_metadata_format"),
    )
    return {"channel": channel.id, "ts": message.ts, "message": message.to_api(context.team)}


def chat_update(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    message = _bots_own_message(context, channel.id, args, "cant_update_message")
    content = message_content(args, too_long_error="msg_too_long", text_limit=UPDATE_TEXT_LIMIT)
    # chat.update replaces the message: blocks left out of the call are gone afterwards.
    context.workspace.edit_message(message, text=content.text, blocks=content.blocks or [])
    message.attachments = content.attachments or []
    return {
        "channel": channel.id,
        "ts": message.ts,
        "text": message.text,
        "message": message.to_api(context.team),
    }


def chat_delete(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    message = _bots_own_message(context, channel.id, args, "cant_delete_message")
    context.workspace.delete_message(message)
    return {"channel": channel.id, "ts": message.ts}


def _bots_own_message(
    context: MethodContext, channel_id: str, args: Args, not_yours_error: str
) -> Message:
    message = context.workspace.find_message(channel_id, args.text("ts") or "")
    if message is None:
        raise ApiError("message_not_found")
    if message.user != context.bot_user_id:
        raise ApiError(not_yours_error)
    return message


def chat_post_ephemeral(context: MethodContext, args: Args) -> JsonDict:
    channel = writable_conversation(context, args.required("channel", "channel_not_found"))
    user_id = args.required("user", "user_not_in_channel")
    if user_id not in channel.members:
        raise ApiError("user_not_in_channel")
    content = message_content(args, too_long_error="msg_too_long", text_limit=None)
    ephemeral = context.workspace.post_ephemeral(
        channel.id, user_id, content.text, content.blocks or [], "chat.postEphemeral"
    )
    return {"message_ts": ephemeral.message_ts}


def chat_get_permalink(context: MethodContext, args: Args) -> JsonDict:
    channel = message_destination(context, args.required("channel", "channel_not_found"))
    ts = args.text("message_ts") or ""
    if context.workspace.find_message(channel.id, ts) is None:
        raise ApiError("message_not_found")
    return {
        "channel": channel.id,
        "permalink": f"{context.team.url}archives/{channel.id}/p{ts.replace('.', '')}",
    }
