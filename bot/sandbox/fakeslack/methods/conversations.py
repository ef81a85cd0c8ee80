"""conversations.*: creating, inviting, describing and archiving channels, and opening DMs.

conversations.invite follows the `force` argument's documented meaning ("when set to true
and multiple user IDs are provided, continue inviting the valid ones while disregarding
invalid IDs. Defaults to false"): without `force` one bad user fails the whole call and
nobody is added; the answer is the documented partial-failure shape
`{"ok": false, "error": <first error>, "errors": [{"user", "ok": false, "error"}, ...]}`.
With `force` the valid users are added and the answer is `ok: true` with the channel and the
same `errors` list for the users left out (that shape is the fake's guess; Slack shows none).
"""

from __future__ import annotations

from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.methods.common import (
    listable_conversations,
    paginate,
    require_bot_member,
    require_not_archived,
    visible_conversation,
)
from bot.sandbox.fakeslack.model import Channel, JsonDict
from bot.sandbox.fakeslack.webapi import Args, MethodContext
from bot.sandbox.fakeslack.workspace import channel_name_error

INVITE_USERS_LIMIT = 100
TOPIC_LIMIT = 250
GROUP_DM_USERS_LIMIT = 8


def conversations_create(context: MethodContext, args: Args) -> JsonDict:
    workspace = context.workspace
    name = args.text("name") or ""
    error = channel_name_error(name)
    if error:
        raise ApiError(error)
    # Archived channels keep their names, so they block re-creation too.
    if workspace.channel_named(name) is not None:
        raise ApiError("name_taken")
    channel = workspace.create_channel(
        name, is_private=args.flag("is_private"), creator=context.bot_user_id
    )
    _tell_app_about_join(context, channel, context.bot_user_id, inviter=None)
    return {"channel": channel.to_api(context.bot_user_id)}


def conversations_invite(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    if channel.is_im or channel.is_mpim:
        raise ApiError("method_not_supported_for_channel_type")
    user_ids = list(dict.fromkeys(args.id_list("users")))
    if not user_ids:
        raise ApiError("no_user")
    if len(user_ids) > INVITE_USERS_LIMIT:
        raise ApiError("too_many_users")
    require_not_archived(channel)
    require_bot_member(context, channel)
    failures = [
        {"user": user_id, "ok": False, "error": error}
        for user_id in user_ids
        if (error := _invite_refusal(context, channel, user_id))
    ]
    refused = {failure["user"] for failure in failures}
    if failures and not args.flag("force"):
        raise ApiError(str(failures[0]["error"]), errors=failures)
    invited = [user_id for user_id in user_ids if user_id not in refused]
    if not invited:
        raise ApiError(str(failures[0]["error"]), errors=failures)
    for user_id in invited:
        channel.members.add(user_id)
        _tell_app_about_join(context, channel, user_id, inviter=context.bot_user_id)
    body: JsonDict = {"channel": channel.to_api(context.bot_user_id)}
    if failures:
        body["errors"] = failures
    return body


def _invite_refusal(context: MethodContext, channel: Channel, user_id: str) -> str | None:
    user = context.workspace.users.get(user_id)
    if user is None:
        return "user_not_found"
    if user_id == context.bot_user_id:
        return "cant_invite_self"
    if user_id in channel.members:
        return "already_in_channel"
    if user.deleted:
        return "cant_invite"
    return None


def conversations_set_purpose(context: MethodContext, args: Args) -> JsonDict:
    return _set_topic(context, args, "purpose")


def conversations_set_topic(context: MethodContext, args: Args) -> JsonDict:
    return _set_topic(context, args, "topic")


def _set_topic(context: MethodContext, args: Args, which: str) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    require_not_archived(channel)
    require_bot_member(context, channel)
    value = args.text(which) or ""
    if len(value) > TOPIC_LIMIT:
        raise ApiError("too_long")
    context.workspace.set_topic(channel, which, value, by=context.bot_user_id)
    return {"channel": channel.to_api(context.bot_user_id)}


def conversations_info(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    include_count = args.flag("include_num_members")
    return {"channel": channel.to_api(context.bot_user_id, include_num_members=include_count)}


def conversations_members(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    page, metadata = paginate(sorted(channel.members), args, default_limit=100)
    return {"members": page, "response_metadata": metadata}


def conversations_archive(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    if channel.is_im:
        raise ApiError("method_not_supported_for_channel_type")
    if channel.is_general:
        raise ApiError("cant_archive_general")
    if channel.is_archived:
        raise ApiError("already_archived")
    require_bot_member(context, channel)
    channel.is_archived = True
    context.workspace.emit(
        {
            "type": "group_archive" if channel.is_private else "channel_archive",
            "channel": channel.id,
            "user": context.bot_user_id,
            "is_moved": 0,
        }
    )
    return {}


def conversations_join(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    if channel.is_im or channel.is_mpim or channel.is_private:
        raise ApiError("method_not_supported_for_channel_type")
    require_not_archived(channel)
    body: JsonDict = {}
    if context.bot_user_id in channel.members:
        body["warning"] = "already_in_channel"
        body["response_metadata"] = {"warnings": ["already_in_channel"]}
    else:
        channel.members.add(context.bot_user_id)
        _tell_app_about_join(context, channel, context.bot_user_id, inviter=None)
    return {"channel": channel.to_api(context.bot_user_id), **body}


def conversations_leave(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    if channel.is_im:
        raise ApiError("method_not_supported_for_channel_type")
    if context.bot_user_id not in channel.members:
        return {"not_in_channel": True}
    channel.members.discard(context.bot_user_id)
    return {}


def conversations_list(context: MethodContext, args: Args) -> JsonDict:
    listed = listable_conversations(context, args, member=None)
    page, metadata = paginate(listed, args, default_limit=100)
    return {
        "channels": [c.to_api(context.bot_user_id) for c in page],
        "response_metadata": metadata,
    }


def conversations_kick(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    if channel.is_im:
        raise ApiError("method_not_supported_for_channel_type")
    user_id = args.required("user", "user_not_found")
    if user_id not in context.workspace.users:
        raise ApiError("user_not_found")
    if user_id == context.bot_user_id:
        raise ApiError("cant_kick_self")
    if channel.is_general:
        raise ApiError("cant_kick_from_general")
    require_bot_member(context, channel)
    if user_id not in channel.members:
        raise ApiError("not_in_channel")  # "User was not in the channel."
    channel.members.discard(user_id)
    context.workspace.emit(
        {
            "type": "member_left_channel",
            "user": user_id,
            "channel": channel.id,
            "channel_type": channel.membership_channel_type,
            "team": context.team.id,
        }
    )
    return {"errors": {}}


def conversations_history(context: MethodContext, args: Args) -> JsonDict:
    channel = visible_conversation(context, args.required("channel", "channel_not_found"))
    require_bot_member(context, channel)
    newest_first = list(reversed(context.workspace.messages_in(channel.id)))
    page, metadata = paginate(newest_first, args, default_limit=100, max_limit=999)
    return {
        "messages": [m.to_api(context.team) for m in page],
        "has_more": bool(metadata["next_cursor"]),
        "pin_count": len(context.workspace.pins_in(channel.id)),
        "response_metadata": metadata,
    }


def conversations_open(context: MethodContext, args: Args) -> JsonDict:
    channel, existed = _conversation_to_open(context, args)
    body: JsonDict = {}
    if existed:
        body.update(no_op=True, already_open=True)
    if args.flag("return_im"):
        body["channel"] = channel.to_api(context.bot_user_id)
    else:
        body["channel"] = {"id": channel.id}
    return body


def _conversation_to_open(context: MethodContext, args: Args) -> tuple[Channel, bool]:
    workspace = context.workspace
    if args.text("channel") and not args.text("users"):
        channel = visible_conversation(context, args.text("channel"))
        if not (channel.is_im or channel.is_mpim):
            raise ApiError("method_not_supported_for_channel_type")
        return channel, True
    user_ids = [u for u in dict.fromkeys(args.id_list("users")) if u != context.bot_user_id]
    if not args.id_list("users"):
        raise ApiError("users_list_not_supplied")
    for user_id in user_ids:
        user = workspace.users.get(user_id)
        if user is None:
            raise ApiError("user_not_found")
        if user.deleted:
            raise ApiError("user_disabled")
    if len(user_ids) > GROUP_DM_USERS_LIMIT:
        raise ApiError("too_many_users")
    if len(user_ids) <= 1:
        return workspace.open_dm(user_ids[0] if user_ids else context.bot_user_id)
    return workspace.open_group_dm(user_ids)


def _tell_app_about_join(
    context: MethodContext, channel: Channel, user_id: str, *, inviter: str | None
) -> None:
    """Slack sends member_joined_channel for joins in channels the app is in, including the
    app's own join when it creates a channel (events/member_joined_channel.json)."""
    event: JsonDict = {
        "type": "member_joined_channel",
        "user": user_id,
        "channel": channel.id,
        "channel_type": channel.membership_channel_type,
        "team": context.team.id,
    }
    if inviter:
        event["inviter"] = inviter
    context.workspace.emit(event)
