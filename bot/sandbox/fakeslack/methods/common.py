"""Rules several methods share: which conversations the bot may see and write to, message
content checks, and cursor pagination."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TypeVar

from bot.sandbox.fakeslack.blockkit import (
    MESSAGE_BLOCKS_TEXT_LIMIT,
    Problem,
    block_text_length,
    message_block_problems,
)
from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.model import Channel, JsonDict
from bot.sandbox.fakeslack.webapi import Args, MethodContext

# chat.postMessage truncates text past 40,000 characters (Slack changelog 2018-04);
# chat.update refuses text past 4,000 with msg_too_long (its method doc).
POST_TEXT_TRUNCATED_AT = 40_000
UPDATE_TEXT_LIMIT = 4_000

Item = TypeVar("Item")


def visible_conversation(context: MethodContext, channel_id: str | None) -> Channel:
    """The conversation as the bot sees it. Private ones the bot is not in do not exist for
    it, so Slack answers channel_not_found rather than not_in_channel."""
    channel = context.workspace.channels.get(channel_id or "")
    if channel is None or not context.workspace.bot_can_see(channel):
        raise ApiError("channel_not_found")
    return channel


def require_bot_member(context: MethodContext, channel: Channel) -> None:
    if context.bot_user_id not in channel.members:
        raise ApiError("not_in_channel")


def require_not_archived(channel: Channel) -> None:
    if channel.is_archived:
        raise ApiError("is_archived")


def message_destination(context: MethodContext, channel_arg: str) -> Channel:
    """Where chat.postMessage-style methods post: a conversation ID, a `#name`, or a user ID,
    which means the bot's DM with that person."""
    workspace = context.workspace
    if channel_arg[:1] in ("U", "W") and channel_arg in workspace.users:
        if workspace.users[channel_arg].deleted:
            raise ApiError("channel_not_found")
        return workspace.open_dm(channel_arg)[0]
    named = workspace.channel_named(channel_arg) if channel_arg.startswith("#") else None
    return visible_conversation(context, named.id if named else channel_arg)


def writable_conversation(context: MethodContext, channel_arg: str) -> Channel:
    channel = message_destination(context, channel_arg)
    require_not_archived(channel)
    require_bot_member(context, channel)
    return channel


@dataclass(frozen=True)
class MessageContent:
    text: str
    blocks: list[JsonDict] | None
    attachments: list[JsonDict] | None


def message_content(args: Args, *, too_long_error: str, text_limit: int | None) -> MessageContent:
    """text/blocks/attachments of a chat.* call, checked as Slack checks them."""
    blocks = args.json("blocks", error="invalid_blocks_format")
    if blocks is not None and not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format")
    attachments = args.json("attachments", error="invalid_attachments")
    text = args.text("text") or ""
    if not text and not blocks and not attachments:
        raise ApiError("no_text")
    if blocks:
        refuse_bad_blocks(message_block_problems(blocks))
        if block_text_length(blocks) > MESSAGE_BLOCKS_TEXT_LIMIT:
            raise ApiError(too_long_error)
    if text_limit is not None and len(text) > text_limit:
        raise ApiError("msg_too_long")
    attachment_list = attachments if isinstance(attachments, list) else None
    return MessageContent(text[:POST_TEXT_TRUNCATED_AT], blocks, attachment_list)


def refuse_bad_blocks(problems: list[Problem]) -> None:
    """invalid_blocks, listing the problems twice as real answers do: bare in `errors` and
    with Slack's `[ERROR]` prefix in response_metadata.messages."""
    if problems:
        raise ApiError(
            "invalid_blocks",
            errors=[str(p) for p in problems],
            response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
        )


def paginate(
    items: list[Item], args: Args, *, default_limit: int, max_limit: int = 1000
) -> tuple[list[Item], JsonDict]:
    """One page of `items` and the response_metadata Slack sends with it. Cursors are opaque
    base64 strings, like Slack's; an empty next_cursor means the last page."""
    limit = args.integer("limit", default=default_limit, error="invalid_limit") or default_limit
    if not 1 <= limit <= max_limit:
        raise ApiError("invalid_limit")
    start = _decode_cursor(args.text("cursor"))
    page = items[start : start + limit]
    after = start + limit
    next_cursor = _encode_cursor(after) if after < len(items) else ""
    return page, {"next_cursor": next_cursor}


def _encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        label, _, offset = base64.b64decode(cursor, validate=True).decode().partition(":")
        if label != "offset":
            raise ValueError(cursor)
        return int(offset)
    except ValueError:
        raise ApiError("invalid_cursor") from None


CONVERSATION_TYPES = frozenset({"public_channel", "private_channel", "mpim", "im"})


def conversation_type(channel: Channel) -> str:
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "private_channel" if channel.is_private else "public_channel"


def listable_conversations(
    context: MethodContext, args: Args, *, member: str | None
) -> list[Channel]:
    """Conversations of the requested `types` (default public_channel) the bot can see,
    optionally only those `member` is in, without archived ones if `exclude_archived`."""
    types = set(args.id_list("types") or ["public_channel"])
    if not types <= CONVERSATION_TYPES:
        raise ApiError("invalid_types")
    exclude_archived = args.flag("exclude_archived")
    return [
        channel
        for channel in context.workspace.channels.values()
        if conversation_type(channel) in types
        and context.workspace.bot_can_see(channel)
        and (member is None or member in channel.members)
        and not (exclude_archived and channel.is_archived)
    ]
