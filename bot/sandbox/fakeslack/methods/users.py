"""auth.test, users.*, and apps.connections.open (the one method for the app-level token)."""

from __future__ import annotations

from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.methods.common import listable_conversations, paginate
from bot.sandbox.fakeslack.model import JsonDict
from bot.sandbox.fakeslack.webapi import Args, MethodContext


def auth_test(context: MethodContext, _args: Args) -> JsonDict:
    team = context.team
    return {
        "url": team.url,
        "team": team.name,
        "user": context.workspace.users[team.bot_user_id].name,
        "team_id": team.id,
        "user_id": team.bot_user_id,
        "bot_id": team.bot_id,
        "is_enterprise_install": False,
    }


def users_info(context: MethodContext, args: Args) -> JsonDict:
    user = context.workspace.users.get(args.required("user", "user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user.to_api(context.team.id)}


def users_lookup_by_email(context: MethodContext, args: Args) -> JsonDict:
    # Current docs name the error users_not_found (plural); older docs said user_not_found.
    user = context.workspace.user_with_email(args.required("email"))
    if user is None:
        raise ApiError("users_not_found")
    return {"user": user.to_api(context.team.id)}


def users_list(context: MethodContext, args: Args) -> JsonDict:
    everyone = sorted(context.workspace.users.values(), key=lambda u: u.id)
    page, metadata = paginate(everyone, args, default_limit=1000)
    return {
        "members": [u.to_api(context.team.id) for u in page],
        "cache_ts": int(context.workspace.now()),
        "response_metadata": metadata,
    }


def users_conversations(context: MethodContext, args: Args) -> JsonDict:
    user_id = args.text("user") or context.bot_user_id
    if user_id not in context.workspace.users:
        raise ApiError("user_not_found")
    listed = listable_conversations(context, args, member=user_id)
    page, metadata = paginate(listed, args, default_limit=100, max_limit=999)
    channels = []
    for channel in page:
        # "num_members and is_member are not returned like typical conversations objects."
        body = channel.to_api(context.bot_user_id)
        body.pop("is_member", None)
        channels.append(body)
    return {"channels": channels, "response_metadata": metadata}


def apps_connections_open(context: MethodContext, _args: Args) -> JsonDict:
    return {"url": context.endpoints.socket_mode_url()}
