"""The fake workspace's state: people, conversations, messages, views, files and pins.

One re-entrant lock guards everything. The Web API dispatcher holds it for the whole of a
method call, so each call is atomic as it is in Slack; the test-facing lookups take it too,
so a test may read while the bot's threads are still writing.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.sandbox.fakeslack.ids import IdFactory, TimestampFactory, random_hex
from bot.sandbox.fakeslack.model import (
    Channel,
    Ephemeral,
    JsonDict,
    Message,
    Pin,
    SlackFile,
    Team,
    Topic,
    User,
    View,
    time_zone_facts,
)

CHANNEL_NAME_LIMIT = 80
# "After a modal is opened, the app can push at most 2 more views" (docs.slack.dev views.push).
MODAL_STACK_LIMIT = 3
_NAME_PUNCTUATION = frozenset("-_")


def channel_name_error(name: str) -> str | None:
    """The error conversations.create gives for `name`, or None when Slack would take it.

    Rule (docs.slack.dev conversations.create): lowercase letters, numbers, hyphens and
    underscores, at most 80 characters. Lowercase letters outside ASCII are accepted because
    Slack allows names in other scripts; upper case counts as a special character.
    """
    if not name:
        return "invalid_name_required"
    if len(name) > CHANNEL_NAME_LIMIT:
        return "invalid_name_maxlength"
    if any(not _allowed_in_channel_name(char) for char in name):
        return "invalid_name_specials"
    if all(char in _NAME_PUNCTUATION for char in name):
        return "invalid_name_punctuation"
    return None


def _allowed_in_channel_name(char: str) -> bool:
    if char in _NAME_PUNCTUATION or char.isdigit():
        return True
    return char.isalpha() and char == char.lower() and char != char.upper()


UserRef = User | str
ChannelRef = Channel | str


def user_id_of(user: UserRef) -> str:
    return user.id if isinstance(user, User) else user


def channel_id_of(channel: ChannelRef) -> str:
    return channel.id if isinstance(channel, Channel) else channel


class Workspace:
    def __init__(self, team: Team, clock: Callable[[], float] = time.time) -> None:
        self.team = team
        self.clock = clock
        self.lock = threading.RLock()
        self.ids = IdFactory()
        self.timestamps = TimestampFactory(lambda: self.clock())
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.pins: list[Pin] = []
        self.views: dict[str, View] = {}
        # Per user, the open modal stack from root to top (Slack allows three).
        self.modal_stacks: dict[str, list[str]] = {}
        self.home_views: dict[str, str] = {}
        self.files: dict[str, SlackFile] = {}
        self._dm_by_user: dict[str, str] = {}
        self._outbox: list[JsonDict] = []
        self.add_user("mentorbot", user_id=team.bot_user_id, is_bot=True, real_name="Mentorbot")

    # -- time and identifiers -------------------------------------------------------------

    def now(self) -> float:
        return self.clock()

    def next_ts(self) -> str:
        return self.timestamps.next()

    def new_view_hash(self) -> str:
        return f"{int(self.now())}.{random_hex(8)}"

    # -- setting up -----------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        email: str | None = None,
        tz: str = "Europe/Copenhagen",
        user_id: str | None = None,
        *,
        real_name: str | None = None,
        is_bot: bool = False,
    ) -> User:
        with self.lock:
            new_id = user_id or self.ids.next("U")
            if new_id in self.users:
                raise ValueError(f"user {new_id} already exists")
            offset, label = time_zone_facts(tz, self.now())
            user = User(
                id=new_id,
                name=name,
                real_name=real_name or name.replace(".", " ").title(),
                email=email if email is not None or is_bot else f"{name}@example.com",
                tz=tz,
                tz_offset=offset,
                tz_label=label,
                is_bot=is_bot,
            )
            self.users[user.id] = user
            return user

    def add_channel(
        self,
        name: str,
        members: Iterable[UserRef],
        is_private: bool = False,
        *,
        creator: UserRef | None = None,
    ) -> Channel:
        with self.lock:
            error = channel_name_error(name)
            if error:
                raise ValueError(f"Slack would refuse the channel name {name!r}: {error}")
            if self.channel_named(name):
                raise ValueError(f"a channel named {name!r} already exists")
            member_ids = [user_id_of(m) for m in members]
            for member in member_ids:
                self.require_user(member)
            creator_id = user_id_of(creator) if creator else next(iter(member_ids), "")
            channel = self.create_channel(name, is_private=is_private, creator=creator_id)
            channel.members = set(member_ids)
            return channel

    def create_channel(self, name: str, *, is_private: bool, creator: str) -> Channel:
        with self.lock:
            channel = Channel(
                id=self.ids.next("C"),
                name=name,
                created=int(self.now()),
                creator=creator,
                is_private=is_private,
                members={creator},
            )
            self.channels[channel.id] = channel
            self.messages[channel.id] = []
            return channel

    # -- lookups --------------------------------------------------------------------------

    def require_user(self, user_id: str) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise KeyError(f"no user {user_id} in the fake workspace")
        return user

    def require_channel(self, channel_id: str) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise KeyError(f"no conversation {channel_id} in the fake workspace")
        return channel

    def channel_named(self, name: str) -> Channel | None:
        with self.lock:
            wanted = name.removeprefix("#")
            return next((c for c in self.channels.values() if c.name == wanted and c.name), None)

    def user_with_email(self, email: str) -> User | None:
        with self.lock:
            wanted = email.strip().lower()
            return next(
                (u for u in self.users.values() if u.email and u.email.lower() == wanted), None
            )

    def dm_with(self, user_id: str) -> Channel | None:
        with self.lock:
            channel_id = self._dm_by_user.get(user_id)
            return self.channels[channel_id] if channel_id else None

    def bot_can_see(self, channel: Channel) -> bool:
        """Private conversations are invisible to non-members: Slack says channel_not_found."""
        if channel.is_private or channel.is_im or channel.is_mpim:
            return self.team.bot_user_id in channel.members
        return True

    def messages_in(self, channel_id: str) -> list[Message]:
        with self.lock:
            return list(self.messages.get(channel_id, []))

    def find_message(self, channel_id: str, ts: str) -> Message | None:
        with self.lock:
            return next((m for m in self.messages.get(channel_id, []) if m.ts == ts), None)

    def find_ephemeral(self, message_ts: str) -> Ephemeral | None:
        with self.lock:
            return next((e for e in self.ephemerals if e.message_ts == message_ts), None)

    def view_by_external_id(self, external_id: str) -> View | None:
        with self.lock:
            return next(
                (v for v in self.views.values() if v.is_open and v.external_id == external_id),
                None,
            )

    def open_modals(self, user_id: str) -> list[View]:
        with self.lock:
            return [self.views[view_id] for view_id in self.modal_stacks.get(user_id, [])]

    def home_view(self, user_id: str) -> View | None:
        with self.lock:
            view_id = self.home_views.get(user_id)
            return self.views[view_id] if view_id else None

    # -- conversations --------------------------------------------------------------------

    def open_dm(self, user_id: str) -> tuple[Channel, bool]:
        """The bot's DM with a person, created on first use; (channel, already existed)."""
        with self.lock:
            existing = self.dm_with(user_id)
            if existing:
                return existing, True
            channel = Channel(
                id=self.ids.next("D"),
                name="",
                created=int(self.now()),
                creator=self.team.bot_user_id,
                is_im=True,
                members={self.team.bot_user_id, user_id},
                im_user=user_id,
            )
            self.channels[channel.id] = channel
            self.messages[channel.id] = []
            self._dm_by_user[user_id] = channel.id
            return channel, False

    def open_group_dm(self, user_ids: list[str]) -> tuple[Channel, bool]:
        with self.lock:
            wanted = {self.team.bot_user_id, *user_ids}
            for channel in self.channels.values():
                if channel.is_mpim and channel.members == wanted:
                    return channel, True
            channel = Channel(
                id=self.ids.next("C"),
                name="mpdm-" + "--".join(self.users[u].name for u in user_ids) + "-1",
                created=int(self.now()),
                creator=self.team.bot_user_id,
                is_private=True,
                is_mpim=True,
                members=wanted,
            )
            self.channels[channel.id] = channel
            self.messages[channel.id] = []
            return channel, False

    def set_topic(self, channel: Channel, which: str, value: str, by: str) -> None:
        topic = Topic(value=value, creator=by, last_set=int(self.now()))
        if which == "purpose":
            channel.purpose = topic
        else:
            channel.topic = topic

    # -- messages -------------------------------------------------------------------------

    def post_message(
        self,
        channel_id: str,
        *,
        user: str,
        text: str,
        blocks: list[JsonDict] | None = None,
        thread_ts: str | None = None,
        files: list[SlackFile] | None = None,
        attachments: list[JsonDict] | None = None,
        metadata: JsonDict | None = None,
    ) -> Message:
        with self.lock:
            by_bot = user == self.team.bot_user_id
            message = Message(
                channel=channel_id,
                ts=self.next_ts(),
                user=user,
                text=text,
                blocks=with_block_ids(blocks or []),
                thread_ts=thread_ts,
                files=list(files or []),
                bot_id=self.team.bot_id if by_bot else None,
                app_id=self.team.app_id if by_bot else None,
                attachments=copy.deepcopy(attachments or []),
                metadata=copy.deepcopy(metadata),
            )
            self.messages.setdefault(channel_id, []).append(message)
            return message

    def edit_message(
        self, message: Message, *, text: str | None, blocks: list[JsonDict] | None
    ) -> None:
        with self.lock:
            if text is not None:
                message.text = text
            if blocks is not None:
                message.blocks = with_block_ids(blocks)
            message.edited = {"user": self.team.bot_id, "ts": self.next_ts()}

    def delete_message(self, message: Message) -> None:
        with self.lock:
            self.messages[message.channel].remove(message)
            self.pins = [
                p for p in self.pins if (p.channel, p.message_ts) != (message.channel, message.ts)
            ]

    def post_ephemeral(
        self, channel_id: str, user_id: str, text: str, blocks: list[JsonDict], via: str
    ) -> Ephemeral:
        with self.lock:
            ephemeral = Ephemeral(
                channel=channel_id,
                user=user_id,
                message_ts=self.next_ts(),
                text=text,
                blocks=with_block_ids(blocks),
                via=via,
            )
            self.ephemerals.append(ephemeral)
            return ephemeral

    # -- views ----------------------------------------------------------------------------

    def open_modal(self, user_id: str, payload: JsonDict) -> View:
        """A new root modal. An already open stack is closed, as a new modal replaces it."""
        with self.lock:
            self.close_modals(user_id)
            view = self._new_view(user_id, payload, root_view_id=None, previous_view_id=None)
            self.modal_stacks[user_id] = [view.id]
            return view

    def push_modal(self, user_id: str, payload: JsonDict) -> View:
        with self.lock:
            stack = self.modal_stacks[user_id]
            view = self._new_view(
                user_id, payload, root_view_id=stack[0], previous_view_id=stack[-1]
            )
            stack.append(view.id)
            return view

    def publish_home(self, user_id: str, payload: JsonDict) -> View:
        with self.lock:
            existing = self.home_view(user_id)
            if existing:
                self.replace_view(existing, payload)
                return existing
            view = self._new_view(user_id, payload, root_view_id=None, previous_view_id=None)
            self.home_views[user_id] = view.id
            return view

    def replace_view(self, view: View, payload: JsonDict) -> None:
        with self.lock:
            view.payload = _view_payload_with_block_ids(payload)
            view.hash = self.new_view_hash()
            view.errors = {}

    def close_top_modal(self, user_id: str) -> None:
        with self.lock:
            stack = self.modal_stacks.get(user_id, [])
            if stack:
                self.views[stack.pop()].is_open = False
            if not stack:
                self.modal_stacks.pop(user_id, None)

    def close_modals(self, user_id: str) -> None:
        with self.lock:
            for view_id in self.modal_stacks.pop(user_id, []):
                self.views[view_id].is_open = False

    def _new_view(
        self,
        user_id: str,
        payload: JsonDict,
        *,
        root_view_id: str | None,
        previous_view_id: str | None,
    ) -> View:
        view_id = self.ids.next("V")
        view = View(
            id=view_id,
            type=str(payload.get("type")),
            user_id=user_id,
            payload=_view_payload_with_block_ids(payload),
            hash=self.new_view_hash(),
            root_view_id=root_view_id or view_id,
            previous_view_id=previous_view_id,
        )
        self.views[view.id] = view
        return view

    # -- pins and files -------------------------------------------------------------------

    def pins_in(self, channel_id: str) -> list[Pin]:
        with self.lock:
            return [p for p in self.pins if p.channel == channel_id]

    def pin(self, channel_id: str, message_ts: str, by: str) -> Pin:
        with self.lock:
            pin = Pin(channel_id, message_ts, by, int(self.now()))
            self.pins.append(pin)
            return pin

    def new_file(self, name: str, declared_length: int, **details: Any) -> SlackFile:
        with self.lock:
            upload = SlackFile(
                id=self.ids.next("F"),
                name=name,
                title=name,
                declared_length=declared_length,
                user=self.team.bot_user_id,
                created=int(self.now()),
                **details,
            )
            self.files[upload.id] = upload
            return upload

    def files_in(self, channel_id: str) -> list[SlackFile]:
        with self.lock:
            return [f for f in self.files.values() if channel_id in f.channels]

    # -- events Slack would send the app --------------------------------------------------

    def emit(self, event: JsonDict) -> None:
        """Queue an inner event that Slack would deliver because of something the app did."""
        with self.lock:
            event.setdefault("event_ts", self.next_ts())
            self._outbox.append(event)

    def take_events(self) -> list[JsonDict]:
        with self.lock:
            events, self._outbox = self._outbox, []
            return events


def with_block_ids(blocks: list[JsonDict]) -> list[JsonDict]:
    """Copies of `blocks`, each given a block_id when it has none, as Slack does on save."""
    stored = copy.deepcopy(blocks)
    for block in stored:
        if isinstance(block, dict) and "block_id" not in block:
            block["block_id"] = random_hex(5)
    return stored


def _view_payload_with_block_ids(payload: JsonDict) -> JsonDict:
    stored = copy.deepcopy(payload)
    stored["blocks"] = with_block_ids(list(stored.get("blocks") or []))
    return stored
