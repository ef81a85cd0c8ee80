"""The fake Slack as the sandbox sees it: what it re-exports from `bot.sandbox.fakeslack`
and the few views of the workspace the page needs (who sees which conversations)."""

from __future__ import annotations

from bot.sandbox.fakeslack.driver import DriverResponse, SlackDriver
from bot.sandbox.fakeslack.model import Channel, Ephemeral, Message, SlackFile, User, View
from bot.sandbox.fakeslack.server import FakeSlack

__all__ = [
    "Channel",
    "DriverResponse",
    "Ephemeral",
    "FakeSlack",
    "Message",
    "SlackDriver",
    "SlackFile",
    "User",
    "View",
    "channel_names",
    "close_top_modal",
    "conversations_of",
    "names_of",
    "people_of",
    "shared_file",
]


def people_of(slack: FakeSlack) -> list[User]:
    """Everyone in the workspace but bots and deactivated people, in the order added."""
    workspace = slack.workspace
    with workspace.lock:
        return [u for u in workspace.users.values() if not u.is_bot and not u.deleted]


def conversations_of(slack: FakeSlack, user_id: str) -> list[Channel]:
    """The channels (not DMs) `user_id` is a member of, unarchived, by name."""
    workspace = slack.workspace
    with workspace.lock:
        return sorted(
            (
                c
                for c in workspace.channels.values()
                if not c.is_im and not c.is_archived and user_id in c.members
            ),
            key=lambda c: c.name,
        )


def close_top_modal(slack: FakeSlack, user_id: str) -> None:
    """The person presses Cancel (or ×) on the modal on top of their stack."""
    slack.workspace.close_top_modal(user_id)


def names_of(slack: FakeSlack) -> dict[str, str]:
    """Everyone's full name (the bot's too) by ID: how mentions are shown."""
    workspace = slack.workspace
    with workspace.lock:
        return {u.id: u.real_name for u in workspace.users.values()}


def channel_names(slack: FakeSlack) -> dict[str, str]:
    """Every named channel's name by ID: how channel links are shown."""
    workspace = slack.workspace
    with workspace.lock:
        return {c.id: c.name for c in workspace.channels.values() if c.name}


def shared_file(slack: FakeSlack, user_id: str, file_id: str) -> SlackFile | None:
    """The uploaded file if it is shared in a conversation `user_id` is in, else None."""
    workspace = slack.workspace
    with workspace.lock:
        upload = workspace.files.get(file_id)
        if upload is None or upload.content is None:
            return None
        for channel_id in upload.channels:
            channel = workspace.channels.get(channel_id)
            if channel is not None and user_id in channel.members:
                return upload
    return None
