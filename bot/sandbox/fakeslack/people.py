"""People acting in Slack: joining, leaving, posting, opening App Home.

Each action changes the fake workspace and returns the inner Events API event Slack would
send the app for it, ready for `SlackDriver.event(...)`. Slack only tells an app about
conversations it is a member of, so an action in a channel the bot is not in returns None.
Only the main event is returned: the `message` events with subtype channel_join/channel_leave
that Slack also sends for membership changes are not produced.
"""

from __future__ import annotations

import uuid

from bot.sandbox.fakeslack.model import Channel, JsonDict, User
from bot.sandbox.fakeslack.workspace import (
    ChannelRef,
    UserRef,
    Workspace,
    channel_id_of,
    user_id_of,
    with_block_ids,
)


def user_joins(workspace: Workspace, user: UserRef, channel: ChannelRef) -> JsonDict | None:
    """A person joins a public channel by themselves (no inviter)."""
    with workspace.lock:
        person, conversation = _person(workspace, user), _conversation(workspace, channel)
        if conversation.is_private:
            raise ValueError(f"{person.name} cannot join private #{conversation.name} unasked")
        _add_member(person, conversation)
        return _membership_event(workspace, "member_joined_channel", person, conversation)


def user_adds(
    workspace: Workspace, user_to_add: UserRef, channel: ChannelRef, by: UserRef
) -> JsonDict | None:
    """`by` adds `user_to_add` to a channel `by` is in."""
    with workspace.lock:
        conversation = _conversation(workspace, channel)
        inviter = _person(workspace, by)
        if inviter.id not in conversation.members:
            raise ValueError(f"{inviter.name} is not in #{conversation.name} to add anyone")
        person = _person(workspace, user_to_add)
        _add_member(person, conversation)
        event = _membership_event(workspace, "member_joined_channel", person, conversation)
        if event is not None:
            event["inviter"] = inviter.id
        return event


def user_leaves_channel(
    workspace: Workspace, user: UserRef, channel: ChannelRef
) -> JsonDict | None:
    with workspace.lock:
        person, conversation = _person(workspace, user), _conversation(workspace, channel)
        return _remove_member(workspace, person, conversation, actor=person)


def user_removes(
    workspace: Workspace, user_to_remove: UserRef, channel: ChannelRef, by: UserRef
) -> JsonDict | None:
    """`by` removes someone (possibly the bot) from a channel."""
    with workspace.lock:
        conversation = _conversation(workspace, channel)
        person = _person(workspace, user_to_remove)
        return _remove_member(workspace, person, conversation, actor=_person(workspace, by))


def user_posts(
    workspace: Workspace,
    user: UserRef,
    channel: ChannelRef,
    text: str,
    *,
    thread_ts: str | None = None,
) -> JsonDict | None:
    """A person writes in a conversation they are in. Pass a user's DM to write to the bot."""
    with workspace.lock:
        person, conversation = _person(workspace, user), _conversation(workspace, channel)
        if person.id not in conversation.members:
            raise ValueError(f"{person.name} is not in {conversation.id} and cannot post there")
        message = workspace.post_message(
            conversation.id,
            user=person.id,
            text=text,
            blocks=_rich_text(text),
            thread_ts=thread_ts,
        )
        if workspace.team.bot_user_id not in conversation.members:
            return None
        event: JsonDict = {
            "client_msg_id": str(uuid.uuid4()),
            "type": "message",
            "text": text,
            "user": person.id,
            "ts": message.ts,
            "team": workspace.team.id,
            "blocks": message.blocks,
            "channel": conversation.id,
            "event_ts": message.ts,
            "channel_type": conversation.event_channel_type,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event


def user_writes_to_bot(workspace: Workspace, user: UserRef, text: str) -> JsonDict:
    """A person writes in their DM with the bot (Slack's `message.im`)."""
    with workspace.lock:
        dm, _ = workspace.open_dm(user_id_of(user))
        event = user_posts(workspace, user, dm, text)
        assert event is not None, "the bot is always in its own DMs"
        return event


def user_opens_home(workspace: Workspace, user: UserRef, tab: str = "home") -> JsonDict:
    """A person opens the app's Home (or Messages) tab; `view` only if one was published."""
    with workspace.lock:
        person = _person(workspace, user)
        dm, _ = workspace.open_dm(person.id)
        event: JsonDict = {
            "type": "app_home_opened",
            "user": person.id,
            "channel": dm.id,
            "tab": tab,
            "event_ts": workspace.next_ts(),
        }
        home = workspace.home_view(person.id)
        if home is not None and tab == "home":
            event["view"] = home.to_api(workspace.team)
        return event


def user_archives(workspace: Workspace, channel: ChannelRef, by: UserRef) -> JsonDict | None:
    with workspace.lock:
        conversation, person = _conversation(workspace, channel), _person(workspace, by)
        conversation.is_archived = True
        if workspace.team.bot_user_id not in conversation.members:
            return None
        return {
            "type": "group_archive" if conversation.is_private else "channel_archive",
            "channel": conversation.id,
            "user": person.id,
            "is_moved": 0,
            "event_ts": workspace.next_ts(),
        }


def deactivate_user(workspace: Workspace, user: UserRef) -> JsonDict:
    """An admin deactivates an account; Slack keeps the user with `deleted: true`."""
    with workspace.lock:
        person = _person(workspace, user)
        person.deleted = True
        now = workspace.next_ts()
        return {
            "type": "user_change",
            "user": person.to_api(workspace.team.id),
            "cache_ts": int(float(now)),
            "event_ts": now,
        }


def _person(workspace: Workspace, user: UserRef) -> User:
    return workspace.require_user(user_id_of(user))


def _conversation(workspace: Workspace, channel: ChannelRef) -> Channel:
    return workspace.require_channel(channel_id_of(channel))


def _add_member(person: User, conversation: Channel) -> None:
    if conversation.is_im:
        raise ValueError("nobody can join a DM")
    if person.id in conversation.members:
        raise ValueError(f"{person.name} is already in {conversation.id}")
    conversation.members.add(person.id)


def _remove_member(
    workspace: Workspace, person: User, conversation: Channel, *, actor: User
) -> JsonDict | None:
    if person.id not in conversation.members:
        raise ValueError(f"{person.name} is not in {conversation.id}")
    conversation.members.discard(person.id)
    if person.id == workspace.team.bot_user_id:
        return {
            "type": "group_left" if conversation.is_private else "channel_left",
            "channel": conversation.id,
            "actor_id": actor.id,
            "event_ts": workspace.next_ts(),
        }
    return _membership_event(workspace, "member_left_channel", person, conversation)


def _membership_event(
    workspace: Workspace, event_type: str, person: User, conversation: Channel
) -> JsonDict | None:
    if workspace.team.bot_user_id not in conversation.members:
        return None
    return {
        "type": event_type,
        "user": person.id,
        "channel": conversation.id,
        "channel_type": conversation.membership_channel_type,
        "team": workspace.team.id,
        "event_ts": workspace.next_ts(),
    }


def _rich_text(text: str) -> list[JsonDict]:
    """The rich_text block Slack's clients attach to what people type."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return with_block_ids([{"type": "rich_text", "elements": [section]}])
