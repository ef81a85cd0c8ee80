"""The records a fake workspace holds, and the JSON shapes the Web API gives them.

The shapes follow Slack's documented objects (user, conversation, message, view, file) as seen
in `shared/slack-reference/methods/*.json` examples and `real-payloads/`; fields Slack sends
that no bot reads (avatars, colour, unread counts of other clients) are left out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

JsonDict = dict[str, Any]

WORKSPACE_DOMAIN = "fake-workspace"
WORKSPACE_NAME = "Fake Workspace"


@dataclass(frozen=True)
class Team:
    id: str
    app_id: str
    bot_id: str
    bot_user_id: str
    domain: str = WORKSPACE_DOMAIN
    name: str = WORKSPACE_NAME

    @property
    def url(self) -> str:
        return f"https://{self.domain}.slack.com/"


@dataclass
class User:
    id: str
    name: str
    real_name: str
    email: str | None
    tz: str
    tz_offset: int
    tz_label: str
    is_bot: bool = False
    deleted: bool = False

    def to_api(self, team_id: str) -> JsonDict:
        profile: JsonDict = {
            "real_name": self.real_name,
            "display_name": self.name,
            "real_name_normalized": self.real_name,
            "display_name_normalized": self.name,
            "team": team_id,
        }
        if self.email is not None and not self.is_bot:
            profile["email"] = self.email
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": self.tz_label,
            "tz_offset": self.tz_offset,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
        }


def time_zone_facts(tz: str, at: float) -> tuple[int, str]:
    """(offset in seconds, label) of a time zone at a moment, as users.info reports them."""
    moment = datetime.fromtimestamp(at, UTC).astimezone(ZoneInfo(tz))
    offset = moment.utcoffset()
    return (int(offset.total_seconds()) if offset else 0), (moment.tzname() or tz)


@dataclass
class Topic:
    """A channel's topic or purpose: Slack keeps who set it and when."""

    value: str = ""
    creator: str = ""
    last_set: int = 0

    def to_api(self) -> JsonDict:
        return {"value": self.value, "creator": self.creator, "last_set": self.last_set}


@dataclass
class Channel:
    """A conversation: public or private channel, DM (`is_im`) or group DM (`is_mpim`)."""

    id: str
    name: str
    created: int
    creator: str
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    is_general: bool = False
    members: set[str] = field(default_factory=set)
    purpose: Topic = field(default_factory=Topic)
    topic: Topic = field(default_factory=Topic)
    is_archived: bool = False
    # For a DM: the person the bot talks to.
    im_user: str | None = None

    @property
    def event_channel_type(self) -> str:
        """`channel_type` of message events: channel, group, im or mpim."""
        if self.is_im:
            return "im"
        if self.is_mpim:
            return "mpim"
        return "group" if self.is_private else "channel"

    @property
    def membership_channel_type(self) -> str:
        """`channel_type` of member_joined/left_channel events: "C" public, "G" private."""
        return "G" if self.is_private or self.is_mpim else "C"

    def to_api(self, viewer_id: str, *, include_num_members: bool = False) -> JsonDict:
        if self.is_im:
            return self._im_to_api()
        body: JsonDict = {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_mpim,
            "is_group": False,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": self.is_general,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "creator": self.creator,
            "is_member": viewer_id in self.members,
            "topic": self.topic.to_api(),
            "purpose": self.purpose.to_api(),
            "previous_names": [],
        }
        if include_num_members:
            body["num_members"] = len(self.members)
        return body

    def _im_to_api(self) -> JsonDict:
        return {
            "id": self.id,
            "created": self.created,
            "is_im": True,
            "is_org_shared": False,
            "user": self.im_user,
            "is_user_deleted": False,
            "priority": 0,
        }


@dataclass
class SlackFile:
    id: str
    name: str
    title: str
    # The length the app declared in files.getUploadURLExternal.
    declared_length: int
    user: str
    created: int
    content: bytes | None = None
    alt_txt: str | None = None
    snippet_type: str | None = None
    completed: bool = False
    channels: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else 0

    def to_api(self, team: Team) -> JsonDict:
        base = f"https://files.slack.com/files-pri/{team.id}-{self.id}"
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.name,
            "title": self.title,
            "mimetype": "",
            "filetype": "",
            "pretty_type": "",
            "user": self.user,
            "user_team": team.id,
            "editable": False,
            "size": self.size,
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"{base}/{self.name}",
            "url_private_download": f"{base}/download/{self.name}",
            "permalink": f"{team.url}files/{self.user}/{self.id}/{self.name}",
            "comments_count": 0,
            "is_starred": False,
            # Slack shares asynchronously, so completeUploadExternal answers with empty shares
            # (recorded-http/files_upload_v2_multiple_files.yml) even when a channel was given.
            "shares": {},
            "channels": [],
            "groups": [],
            "ims": [],
            "has_more_shares": False,
            "file_access": "visible",
        }


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str
    blocks: list[JsonDict] = field(default_factory=list)
    thread_ts: str | None = None
    files: list[SlackFile] = field(default_factory=list)
    edited: JsonDict | None = None
    bot_id: str | None = None
    app_id: str | None = None
    attachments: list[JsonDict] = field(default_factory=list)
    metadata: JsonDict | None = None

    @property
    def by_bot(self) -> bool:
        return self.bot_id is not None

    def to_api(self, team: Team) -> JsonDict:
        body: JsonDict = {"type": "message", "text": self.text, "user": self.user, "ts": self.ts}
        if self.bot_id:
            body.update(bot_id=self.bot_id, app_id=self.app_id)
        body["team"] = team.id
        if self.blocks:
            body["blocks"] = copy.deepcopy(self.blocks)
        if self.attachments:
            body["attachments"] = copy.deepcopy(self.attachments)
        if self.files:
            body["files"] = [f.to_api(team) for f in self.files]
            body["upload"] = True
        if self.thread_ts:
            body["thread_ts"] = self.thread_ts
        if self.edited:
            body["edited"] = dict(self.edited)
        if self.metadata:
            body["metadata"] = copy.deepcopy(self.metadata)
        return body


@dataclass
class Ephemeral:
    """A message only `user` sees. Slack keeps no copy the API can read back; the fake does."""

    channel: str
    user: str
    message_ts: str
    text: str
    blocks: list[JsonDict] = field(default_factory=list)
    # Which road it came by: "chat.postEphemeral", "response_url" or "command_ack".
    via: str = "chat.postEphemeral"

    def to_api(self) -> JsonDict:
        body: JsonDict = {"type": "message", "text": self.text, "ts": self.message_ts}
        if self.blocks:
            body["blocks"] = copy.deepcopy(self.blocks)
        return body


@dataclass(frozen=True)
class Pin:
    channel: str
    message_ts: str
    pinned_by: str
    created: int


@dataclass
class View:
    """A modal or Home tab as Slack stores it: the app's view JSON plus Slack's bookkeeping."""

    id: str
    type: str
    user_id: str
    payload: JsonDict
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    is_open: bool = True
    # The last `response_action: errors` the app answered a submission with.
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def callback_id(self) -> str:
        return str(self.payload.get("callback_id") or "")

    @property
    def private_metadata(self) -> str:
        return str(self.payload.get("private_metadata") or "")

    @property
    def external_id(self) -> str:
        return str(self.payload.get("external_id") or "")

    @property
    def blocks(self) -> list[JsonDict]:
        return list(self.payload.get("blocks") or [])

    @property
    def title_text(self) -> str:
        title = self.payload.get("title") or {}
        return str(title.get("text", "")) if isinstance(title, dict) else ""

    def to_api(self, team: Team, state_values: JsonDict | None = None) -> JsonDict:
        body: JsonDict = {
            "id": self.id,
            "team_id": team.id,
            "type": self.type,
            "blocks": copy.deepcopy(self.blocks),
            "private_metadata": self.private_metadata,
            "callback_id": self.callback_id,
            "external_id": self.external_id,
            "state": {"values": copy.deepcopy(state_values or {})},
            "hash": self.hash,
            "clear_on_close": bool(self.payload.get("clear_on_close", False)),
            "notify_on_close": bool(self.payload.get("notify_on_close", False)),
            "root_view_id": self.root_view_id,
            "previous_view_id": self.previous_view_id,
            "app_id": team.app_id,
            "app_installed_team_id": team.id,
            "bot_id": team.bot_id,
        }
        for key in ("title", "submit", "close"):
            body[key] = copy.deepcopy(self.payload.get(key))
        return body
