"""People as Slack knows them, kept in our database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.text import mention
from bot.domain.errors import UserError
from bot.i18n import phrase
from bot.runtime import Runtime
from storage.db import write_session
from storage.people import certify, save_person


@dataclass(frozen=True)
class SlackProfile:
    user_id: str
    name: str
    email: str | None
    language: str | None


def profile_from_user(user: dict[str, Any]) -> SlackProfile:
    """Someone as Slack's users.info describes them (its JSON, untyped)."""
    profile = user.get("profile") or {}
    name = (
        profile.get("real_name")
        or user.get("real_name")
        or profile.get("display_name")
        or user.get("name")
        or user["id"]
    )
    locale = str(user.get("locale") or "")
    return SlackProfile(
        user_id=user["id"],
        name=name,
        email=(profile.get("email") or None),
        language=locale.split("-")[0].lower() or None,
    )


def fetch_profile(client: WebClient, user_id: str) -> SlackProfile:
    """Look someone up in Slack; bots, deactivated and unknown users are refused."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        if error.response.get("error") in ("user_not_found", "user_not_visible"):
            raise UserError(
                phrase("I can't find {who} in this workspace.", who=mention(user_id))
            ) from None
        raise
    if user.get("is_bot") or user_id == "USLACKBOT":
        raise UserError(phrase("{who} is a bot; groups are for people.", who=mention(user_id)))
    if user.get("deleted"):
        raise UserError(phrase("{who} has been deactivated in Slack.", who=mention(user_id)))
    return profile_from_user(user)


def certify_mentor(runtime: Runtime, client: WebClient, *, user_id: str, by: str) -> bool:
    """Mark someone as a trained mentor; False if they already were."""
    profile = fetch_profile(client, user_id)
    with write_session(runtime.engine) as session:
        person, _ = save_person(
            session, slack_user_id=profile.user_id, name=profile.name, email=profile.email
        )
        return certify(session, person, by=by, now=runtime.now())
