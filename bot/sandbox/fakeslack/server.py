"""`FakeSlack`: the one object tests talk to.

It owns the workspace, starts the HTTP server (httpd.py: Web API, upload URLs, response_urls)
and the Socket Mode server (socket_mode.py) on 127.0.0.1 with OS-chosen ports, and offers the
helpers tests use to set the workspace up, look at it, act as people, and inject trouble.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.fakeslack import people
from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.faults import DEFAULT_SLOW_SECONDS, Fault, FaultKind
from bot.sandbox.fakeslack.formatting import read_as, reader_clock
from bot.sandbox.fakeslack.gateway import ApiGateway
from bot.sandbox.fakeslack.httpd import HttpAnswer, LoopbackHttpServer
from bot.sandbox.fakeslack.interactions import ResponseUrl, ResponseUrlRegistry, TriggerRegistry
from bot.sandbox.fakeslack.methods import METHOD_HANDLERS
from bot.sandbox.fakeslack.model import (
    Channel,
    Ephemeral,
    JsonDict,
    Message,
    Pin,
    SlackFile,
    Team,
    User,
    View,
)
from bot.sandbox.fakeslack.recording import Call, Journal, ResponseUrlPost
from bot.sandbox.fakeslack.socket_mode import SocketModeServer
from bot.sandbox.fakeslack.webapi import WebApi
from bot.sandbox.fakeslack.wire import decode_arguments, form_parts
from bot.sandbox.fakeslack.workspace import ChannelRef, UserRef, Workspace, user_id_of


class FakeSlack:
    """A Slack workspace and its Web API, Socket Mode and response_url endpoints, on loopback.

    Use as `with FakeSlack() as slack:` (or start()/stop()). Give the bot
    `WebClient(base_url=slack.api_url, token=slack.bot_token)`; drive it with
    `bot.sandbox.fakeslack.driver.SlackDriver` / `SocketModeDriver`.
    """

    bot_token = "xoxb-fake-bot-token"
    app_token = "xapp-fake-app-token"
    verification_token = "fake-verification-token"
    team_id = "T0FAKE"
    api_app_id = "A0FAKE"
    bot_user_id = "UBOT0001"
    bot_id = "B0FAKE"

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        team = Team(self.team_id, self.api_app_id, self.bot_id, self.bot_user_id)
        self.workspace = Workspace(team, clock)
        self.triggers = TriggerRegistry(self.workspace.now)
        self.response_urls = ResponseUrlRegistry(self.workspace.now)
        self.socket_mode = SocketModeServer(self.api_app_id)
        self.web_api = WebApi(
            self.workspace,
            bot_token=self.bot_token,
            app_token=self.app_token,
            endpoints=self,
            triggers=self.triggers,
            handlers=METHOD_HANDLERS,
        )
        self.gateway = ApiGateway(self.web_api, self.workspace.now)
        self._responses: Journal[ResponseUrlPost] = Journal()
        self._http: LoopbackHttpServer | None = None
        self._change_listeners: list[Callable[[], None]] = []

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._http is None:
            self._http = LoopbackHttpServer(self)
            self.socket_mode.start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self.socket_mode.stop()
            self._http.stop()
            self._http = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("FakeSlack is not running; use `with FakeSlack()` or start()")
        return self._http.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The WebClient `base_url` (slack_sdk expects the trailing slash)."""
        return f"{self.base_url}/api/"

    def upload_url(self, file_id: str) -> str:
        return f"{self.base_url}/upload/v1/{file_id}"

    def socket_mode_url(self) -> str:
        return self.socket_mode.issue_url()

    def response_url(self, response_url_id: str) -> str:
        return f"{self.base_url}/response_url/{response_url_id}"

    # -- the clock ------------------------------------------------------------------------

    @property
    def clock(self) -> Callable[[], float]:
        """Seconds since the epoch as the fake sees them (trigger expiry, tiers, ts)."""
        return self.workspace.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.workspace.clock = clock

    # -- recording ------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self.gateway.calls.entries()

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.gateway.calls.entries() if call.method == method]

    def reset_calls(self) -> None:
        self.gateway.calls.clear()

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 3.0) -> list[Call]:
        """Block until the bot has made `count` calls to `method` (Bolt acks first and calls
        the Web API after, on its own threads); TimeoutError if they do not come."""
        return self.gateway.calls.wait_for(lambda call: call.method == method, count, timeout)

    def wait_for_call(self, method: str, timeout: float = 3.0) -> Call:
        return self.wait_for_calls(method, 1, timeout)[0]

    @property
    def responses(self) -> list[ResponseUrlPost]:
        return self._responses.entries()

    def responses_to(self, response_url_id: str) -> list[ResponseUrlPost]:
        return [r for r in self._responses.entries() if r.response_url_id == response_url_id]

    def wait_for_responses(
        self, response_url_id: str, count: int = 1, timeout: float = 3.0
    ) -> list[ResponseUrlPost]:
        return self._responses.wait_for(
            lambda post: post.response_url_id == response_url_id, count, timeout
        )

    # -- being told of changes -----------------------------------------------------------

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` (no arguments, on the serving thread) after every Web API call,
        upload and response_url post the fake answers: the moments the bot may have changed
        the workspace. Reads count too; a listener that cares compares what it sees."""
        self._change_listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._change_listeners):
            listener()

    # -- rate limits, scopes and faults ---------------------------------------------------

    def rate_limit(self, method: str, count: int = 1, retry_after: int = 1) -> None:
        """The next `count` calls of `method` get HTTP 429 with `Retry-After: retry_after`."""
        self.gateway.faults.queue(
            method, Fault(FaultKind.RATE_LIMITED, retry_after=retry_after), count
        )

    def fail_next(
        self, method: str, kind: str, count: int = 1, *, delay: float = DEFAULT_SLOW_SECONDS
    ) -> None:
        """The next `count` calls of `method` fail as `kind` ("429", "500", "drop",
        "500_after", "drop_after", "slow"); see faults.py for which kinds apply the call."""
        self.gateway.faults.queue(method, Fault(FaultKind(kind), delay=delay), count)

    def random_faults(
        self,
        share: float,
        kinds: Iterable[str] = ("500", "drop"),
        seed: int | None = None,
        *,
        delay: float = DEFAULT_SLOW_SECONDS,
    ) -> None:
        """From now on a `share` (0..1) of all Web API calls fail as one of `kinds`."""
        self.gateway.faults.randomly(share, kinds, seed, delay)

    def clear_faults(self) -> None:
        self.gateway.faults.clear()

    def enforce_tiers(self, enabled: bool = True) -> None:
        """Count calls against each method's documented tier per minute (fake clock)."""
        self.gateway.tiers.enabled = enabled
        self.gateway.tiers.reset()

    @property
    def bot_scopes(self) -> set[str]:
        """The bot token's scopes; remove one to see `missing_scope`."""
        return self.web_api.bot_scopes

    # -- setting up the workspace ---------------------------------------------------------

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
        """A member of the workspace; `email` defaults to `<name>@example.com`."""
        return self.workspace.add_user(name, email, tz, user_id, real_name=real_name, is_bot=is_bot)

    def add_channel(
        self,
        name: str,
        members: Iterable[UserRef],
        is_private: bool = False,
        *,
        creator: UserRef | None = None,
    ) -> Channel:
        """An existing channel. The bot is a member only if `slack.bot_user_id` is listed."""
        return self.workspace.add_channel(name, members, is_private, creator=creator)

    # -- looking at the workspace ---------------------------------------------------------

    def user(self, user_id: str) -> User:
        with self.workspace.lock:
            return self.workspace.require_user(user_id)

    def seen_by(self, user_id: str, text: str, *, now: datetime | None = None) -> str:
        """Mrkdwn `text` as `user_id`'s client shows it: date tokens in their time zone,
        "today"/"tomorrow" relative to `now` (the fake's clock unless given)."""
        moment = now or reader_clock(self.clock)
        return read_as(text, zone=ZoneInfo(self.user(user_id).tz), now=moment)

    def channel(self, channel_id: str) -> Channel:
        with self.workspace.lock:
            return self.workspace.require_channel(channel_id)

    def channel_by_name(self, name: str) -> Channel:
        channel = self.workspace.channel_named(name)
        if channel is None:
            raise KeyError(f"no channel named {name!r} in the fake workspace")
        return channel

    def dm_with(self, user: UserRef) -> Channel:
        """The person's DM with the bot (the app's Messages tab), created on first use:
        `driver.command(alice.id, slack.dm_with(alice).id, "help")` runs a command there."""
        return self.workspace.open_dm(self.user(user_id_of(user)).id)[0]

    def messages_in(self, channel_id: str) -> list[Message]:
        return self.workspace.messages_in(channel_id)

    def dm_messages_to(self, user_id: str) -> list[Message]:
        """What the bot wrote in its DM with the person (posts to the user ID land there)."""
        with self.workspace.lock:
            dm = self.workspace.dm_with(user_id)
            if dm is None:
                return []
            return [m for m in self.workspace.messages_in(dm.id) if m.user == self.bot_user_id]

    def ephemerals_for(self, user_id: str) -> list[Ephemeral]:
        with self.workspace.lock:
            return [e for e in self.workspace.ephemerals if e.user == user_id]

    def view(self, view_id: str) -> View:
        with self.workspace.lock:
            return self.workspace.views[view_id]

    def home_view(self, user_id: str) -> View | None:
        return self.workspace.home_view(user_id)

    def open_views(self, user_id: str) -> list[View]:
        """The person's open modal stack, root first."""
        return self.workspace.open_modals(user_id)

    def pins_in(self, channel_id: str) -> list[Pin]:
        return self.workspace.pins_in(channel_id)

    def files_in(self, channel_id: str) -> list[SlackFile]:
        return self.workspace.files_in(channel_id)

    def take_events(self) -> list[JsonDict]:
        """Inner events Slack would have sent because of the bot's own calls
        (member_joined_channel after create/invite/join, channel_archive), then forgets them."""
        return self.workspace.take_events()

    # -- people acting in Slack (each returns the event Slack would send, or None) --------

    def user_joins(self, user: UserRef, channel: ChannelRef) -> JsonDict | None:
        return people.user_joins(self.workspace, user, channel)

    def user_adds(self, user_to_add: UserRef, channel: ChannelRef, by: UserRef) -> JsonDict | None:
        return people.user_adds(self.workspace, user_to_add, channel, by)

    def user_leaves_channel(self, user: UserRef, channel: ChannelRef) -> JsonDict | None:
        return people.user_leaves_channel(self.workspace, user, channel)

    def user_removes(
        self, user_to_remove: UserRef, channel: ChannelRef, by: UserRef
    ) -> JsonDict | None:
        return people.user_removes(self.workspace, user_to_remove, channel, by)

    def user_posts(
        self, user: UserRef, channel: ChannelRef, text: str, *, thread_ts: str | None = None
    ) -> JsonDict | None:
        return people.user_posts(self.workspace, user, channel, text, thread_ts=thread_ts)

    def user_writes_to_bot(self, user: UserRef, text: str) -> JsonDict:
        return people.user_writes_to_bot(self.workspace, user, text)

    def user_opens_home(self, user: UserRef, tab: str = "home") -> JsonDict:
        return people.user_opens_home(self.workspace, user, tab)

    def user_archives(self, channel: ChannelRef, by: UserRef) -> JsonDict | None:
        return people.user_archives(self.workspace, channel, by)

    def deactivate_user(self, user: UserRef) -> JsonDict:
        return people.deactivate_user(self.workspace, user)

    # -- handles for interaction payloads (used by the drivers) ---------------------------

    def issue_trigger(self, user_id: str, *, view_id: str | None = None) -> str:
        return self.triggers.issue(user_id, view_id=view_id)

    def issue_response_url(
        self,
        user_id: str,
        channel_id: str,
        *,
        source_ts: str | None = None,
        source_is_ephemeral: bool = False,
    ) -> ResponseUrl:
        return self.response_urls.issue(
            user_id, channel_id, source_ts=source_ts, source_is_ephemeral=source_is_ephemeral
        )

    # -- serving requests (called on the HTTP server's threads) ---------------------------

    def answer_api(
        self, method: str, headers: dict[str, str], body: bytes, query: str
    ) -> HttpAnswer:
        try:
            return self.gateway.answer(method, headers, body, query)
        finally:
            self._changed()

    def answer_upload(self, file_id: str, content_type: str, body: bytes) -> HttpAnswer:
        with self.workspace.lock:
            upload = self.workspace.files.get(file_id)
            if upload is None or upload.completed:
                return HttpAnswer.text(404, "not_found")
            upload.content = _uploaded_bytes(content_type, body)
        self._changed()
        return HttpAnswer.text(200, f"OK - {len(upload.content)}")

    def answer_response_url(
        self, response_url_id: str, content_type: str, body: bytes
    ) -> HttpAnswer:
        decoded = _response_url_body(content_type, body)
        outcome = self.response_urls.answer(self.workspace, response_url_id, decoded)
        self._responses.append(
            ResponseUrlPost(
                response_url_id,
                decoded if isinstance(decoded, dict) else {},
                outcome.http_status,
                outcome.body,
                self.workspace.now(),
            )
        )
        self._changed()
        return HttpAnswer.text(outcome.http_status, outcome.body, outcome.content_type)


def _uploaded_bytes(content_type: str, body: bytes) -> bytes:
    """The file's bytes: the raw body (what slack_sdk sends) or a multipart form's file part."""
    if content_type.lower().startswith("multipart/form-data"):
        parts = form_parts(content_type, body)
        return next((v for v in parts.values() if isinstance(v, bytes)), b"")
    return body


def _response_url_body(content_type: str, body: bytes) -> Any:
    try:
        if content_type.lower().startswith("application/x-www-form-urlencoded"):
            fields = decode_arguments(content_type, body, "")
            return json.loads(fields.get("payload", "null"))
        return json.loads(body or b"null")
    except (ValueError, ApiError):
        return None
