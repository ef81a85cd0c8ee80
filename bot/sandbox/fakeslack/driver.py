"""Drivers play Slack's part towards the bot: they send it what Slack sends, and do with its
answers what Slack does.

`SlackDriver` posts to the bot's HTTP endpoint, signed as Slack signs (v0 HMAC-SHA256 of
"v0:{timestamp}:{body}" in X-Slack-Signature, with X-Slack-Request-Timestamp). Slash commands
and interactions go as application/x-www-form-urlencoded (interactions in one `payload`
field), events as application/json. `SocketModeDriver` sends the very same payloads as Socket
Mode envelopes through the fake's WebSocket server and reads the acks.

Acks are acted on as Slack acts on them:
* a slash command's answer with `text`/`blocks` is shown to the person as an ephemeral
  message, or posted in the channel with `"response_type": "in_channel"`;
* a view submission's `response_action` `errors` / `update` / `push` / `clear` is applied to
  the modal stack, and an empty answer closes the submitted view;
* block_actions and event answers only need to be 2xx and in time.
An answer Slack would refuse (bad blocks, a fourth stacked view) is not applied; the reason is
in `DriverResponse.ack_problems`. Slack's 3-second deadline is measured, not enforced:
check `DriverResponse.acked_in_time`. The drivers never retry by themselves; a test sends a
retry with `event(..., event_id=first.event_id, retry_num=1)`.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bot.sandbox.fakeslack.blockkit import message_block_problems, view_problems
from bot.sandbox.fakeslack.model import JsonDict, View
from bot.sandbox.fakeslack.payloads import BuiltPayload, PayloadFactory
from bot.sandbox.fakeslack.server import FakeSlack
from bot.sandbox.fakeslack.workspace import MODAL_STACK_LIMIT

ACK_DEADLINE_SECONDS = 3.0
SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
FORM = "application/x-www-form-urlencoded"


@dataclass
class DriverResponse:
    """The bot's answer to one delivery, and the handles Slack issued with the payload."""

    status: int
    headers: dict[str, str]
    body: str
    json: Any
    # Seconds from sending to the bot's complete answer (or Socket Mode ack).
    elapsed: float
    payload: JsonDict
    trigger_id: str | None = None
    response_url_id: str | None = None
    event_id: str | None = None
    ack_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def acked_in_time(self) -> bool:
        """Whether Slack would have counted this as answered (2xx within 3 seconds)."""
        return self.ok and self.elapsed <= ACK_DEADLINE_SECONDS


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: dict[str, str]
    body: str
    elapsed: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body) if self.body.strip() else None
        except ValueError:
            return None


class _SlackSide(ABC):
    """Payload building and ack handling shared by the HTTP and Socket Mode drivers."""

    def __init__(self, slack: FakeSlack) -> None:
        self.slack = slack
        self.payloads = PayloadFactory(slack)
        self._events_sent: dict[str, JsonDict] = {}

    # -- what people do -------------------------------------------------------------------

    def command(
        self, user_id: str, channel_id: str, text: str, command: str = "/mentor"
    ) -> DriverResponse:
        """A person runs a slash command in a conversation they are in."""
        built = self.payloads.slash_command(user_id, channel_id, text, command)
        reply = self._deliver_command(built.fields)
        problems = self._show_command_answer(user_id, channel_id, reply)
        return _response(built, reply, problems)

    def click(
        self,
        user_id: str,
        *,
        action_id: str,
        message: tuple[str, str] | None = None,
        view_id: str | None = None,
        value: Any = None,
        block_id: str | None = None,
        state_values: JsonDict | None = None,
        **extra: Any,
    ) -> DriverResponse:
        """A person uses an element in a message (`message=(channel_id, ts)`) or a view.

        `value` is what they chose: a button's value (default: the button's own), an option's
        value for selects/overflow/radio buttons (the option object is looked up), a list of
        values for multi-selects and checkboxes, a date for date pickers, a user ID for user
        selects. `**extra` is merged into the action as is (e.g. `selected_time="10:00"`).
        """
        built = self.payloads.block_actions(
            user_id,
            message=message,
            view_id=view_id,
            action_id=action_id,
            value=value,
            block_id=block_id,
            state_values=state_values,
            extra=extra,
        )
        return _response(built, self._deliver_interaction(built.payload), [])

    def submit_view(
        self, user_id: str, view_id: str, values: JsonDict | None = None
    ) -> DriverResponse:
        """A person submits a modal. `values` maps block_id -> action_id -> either Slack's
        entry (`{"type": ..., "value": ...}`) or just the chosen value; inputs not given keep
        their initial values, as in Slack."""
        built = self.payloads.view_submission(user_id, view_id, values)
        reply = self._deliver_interaction(built.payload)
        problems = self._apply_submission_answer(user_id, view_id, reply)
        return _response(built, reply, problems)

    def event(
        self,
        inner_event: JsonDict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> DriverResponse:
        """Deliver an Events API event in its event_callback wrapper. A retry (`retry_num`)
        of an event this driver sent repeats that exact delivery, event_id included."""
        if retry_num is not None and event_id in self._events_sent:
            built = BuiltPayload(self._events_sent[event_id], event_id=event_id)
        else:
            built = self.payloads.event_callback(inner_event, event_id)
            assert built.event_id is not None
            self._events_sent[built.event_id] = built.payload
        reply = self._deliver_event(built.payload, retry_num, retry_reason)
        return _response(built, reply, [])

    def events(self, inner_events: list[JsonDict | None]) -> list[DriverResponse]:
        """Deliver several events in order, skipping the Nones people.* return when the bot
        is not in the conversation."""
        return [self.event(e) for e in inner_events if e is not None]

    # -- transport ------------------------------------------------------------------------

    @abstractmethod
    def _deliver_command(self, fields: dict[str, str]) -> _Reply: ...

    @abstractmethod
    def _deliver_interaction(self, payload: JsonDict) -> _Reply: ...

    @abstractmethod
    def _deliver_event(
        self, envelope: JsonDict, retry_num: int | None, retry_reason: str
    ) -> _Reply: ...

    # -- doing what Slack does with answers -----------------------------------------------

    def _show_command_answer(self, user_id: str, channel_id: str, reply: _Reply) -> list[str]:
        answer = reply.json if isinstance(reply.json, dict) else None
        if answer is None and reply.ok and reply.body.strip():
            answer = {"text": reply.body}  # a plain-text answer is shown as is
        if not reply.ok or not answer or not (answer.get("text") or answer.get("blocks")):
            return []
        blocks = list(answer.get("blocks") or [])
        problems = [str(p) for p in message_block_problems(blocks)] if blocks else []
        if problems:
            return problems
        workspace = self.slack.workspace
        text = str(answer.get("text") or "")
        if answer.get("response_type") == "in_channel":
            workspace.post_message(
                channel_id, user=self.slack.bot_user_id, text=text, blocks=blocks
            )
        else:
            workspace.post_ephemeral(channel_id, user_id, text, blocks, "command_ack")
        return []

    def _apply_submission_answer(self, user_id: str, view_id: str, reply: _Reply) -> list[str]:
        if not reply.ok:
            return [f"HTTP {reply.status}: Slack shows the person an error and keeps the modal"]
        answer = reply.json if isinstance(reply.json, dict) else {}
        action = answer.get("response_action")
        workspace = self.slack.workspace
        with workspace.lock:
            view = self.slack.view(view_id)
            if not action:
                workspace.close_top_modal(user_id)
            elif action == "clear":
                workspace.close_modals(user_id)
            elif action == "errors":
                return _set_errors(view, answer.get("errors"))
            elif action in ("update", "push"):
                return self._show_new_view(user_id, view_id, action, answer.get("view"))
            else:
                return [f"unknown response_action {action!r}"]
        return []

    def _show_new_view(self, user_id: str, view_id: str, action: str, new_view: Any) -> list[str]:
        problems = [str(p) for p in view_problems(new_view)]
        if problems:
            return problems
        workspace = self.slack.workspace
        if action == "update":
            workspace.replace_view(self.slack.view(view_id), new_view)
        elif len(workspace.open_modals(user_id)) >= MODAL_STACK_LIMIT:
            return ["push_limit_reached"]
        else:
            workspace.push_modal(user_id, new_view)
        return []


def _set_errors(view: View, errors: Any) -> list[str]:
    if not isinstance(errors, dict) or not errors:
        return ["response_action errors needs a non-empty `errors` object"]
    input_block_ids = {b.get("block_id") for b in view.blocks if b.get("type") == "input"}
    unknown = sorted(set(errors) - input_block_ids)
    if unknown:
        return [f"errors name blocks that are not inputs of the view: {unknown}"]
    view.errors = {str(k): str(v) for k, v in errors.items()}
    return []


def _response(built: BuiltPayload, reply: _Reply, problems: list[str]) -> DriverResponse:
    return DriverResponse(
        status=reply.status,
        headers=reply.headers,
        body=reply.body,
        json=reply.json,
        elapsed=reply.elapsed,
        payload=copy.deepcopy(built.payload),
        trigger_id=built.trigger_id,
        response_url_id=built.response_url_id,
        event_id=built.event_id,
        ack_problems=problems,
    )


class SlackDriver(_SlackSide):
    """Slack's HTTP deliveries to the bot's request URL (e.g. http://127.0.0.1:3000/slack/events).

    To test the bot's checks, derive a driver that forges: `driver.forging(unsigned=True)`,
    `driver.forging(signing_secret_override="wrong")`,
    `driver.forging(timestamp_override=time.time() - 6 * 60)`.
    """

    def __init__(
        self,
        slack: FakeSlack,
        bot_url: str,
        signing_secret: str,
        *,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(slack)
        self.bot_url = bot_url
        self.signing_secret = signing_secret
        self.timeout = timeout
        self.signing_secret_override: str | None = None
        self.timestamp_override: float | None = None
        self.unsigned = False

    def forging(
        self,
        *,
        signing_secret_override: str | None = None,
        timestamp_override: float | None = None,
        unsigned: bool = False,
    ) -> SlackDriver:
        """A driver like this one whose deliveries are signed wrongly, stale, or unsigned."""
        forger = copy.copy(self)
        forger.signing_secret_override = signing_secret_override
        forger.timestamp_override = timestamp_override
        forger.unsigned = unsigned
        return forger

    def url_verification(self, challenge: str = "fake-challenge") -> DriverResponse:
        """The handshake Slack does when a request URL is saved."""
        payload = {
            "token": self.slack.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        reply = self._post(json.dumps(payload).encode(), "application/json", {})
        return _response(BuiltPayload(payload), reply, [])

    def deliver_payload(self, payload: Any) -> DriverResponse:
        """An interaction whose payload is exactly `payload`, however malformed, signed as
        Slack signs: for tests of forged and broken payloads."""
        reply = self._deliver_interaction(payload)
        return _response(BuiltPayload(payload if isinstance(payload, dict) else {}), reply, [])

    def signature_headers(self, body: bytes) -> dict[str, str]:
        if self.unsigned:
            return {}
        timestamp = str(int(self.timestamp_override or time.time()))
        secret = self.signing_secret_override or self.signing_secret
        base = b"v0:" + timestamp.encode() + b":" + body
        digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}

    def _deliver_command(self, fields: dict[str, str]) -> _Reply:
        return self._post(urlencode(fields).encode(), FORM, {})

    def _deliver_interaction(self, payload: JsonDict) -> _Reply:
        return self._post(urlencode({"payload": json.dumps(payload)}).encode(), FORM, {})

    def _deliver_event(
        self, envelope: JsonDict, retry_num: int | None, retry_reason: str
    ) -> _Reply:
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self._post(json.dumps(envelope).encode(), "application/json", headers)

    def _post(self, body: bytes, content_type: str, extra: dict[str, str]) -> _Reply:
        headers = {
            "Content-Type": content_type,
            "User-Agent": SLACK_USER_AGENT,
            **self.signature_headers(body),
            **extra,
        }
        request = urllib.request.Request(self.bot_url, data=body, headers=headers, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                status, answer_headers, raw = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as refused:
            status, answer_headers, raw = refused.code, dict(refused.headers), refused.read()
        elapsed = time.perf_counter() - started
        lowered = {name.lower(): value for name, value in answer_headers.items()}
        return _Reply(status, lowered, raw.decode("utf-8", "replace"), elapsed)


class SocketModeDriver(_SlackSide):
    """The same deliveries as envelopes over the fake's Socket Mode WebSocket.

    The bot must have connected (through apps.connections.open on the fake) first; see
    `slack.socket_mode.wait_for_connection()`. No ack within `ack_timeout` raises TimeoutError.
    """

    def __init__(self, slack: FakeSlack, *, ack_timeout: float = 5.0) -> None:
        super().__init__(slack)
        self.ack_timeout = ack_timeout

    def _deliver_command(self, fields: dict[str, str]) -> _Reply:
        return self._send("slash_commands", dict(fields), None, "")

    def _deliver_interaction(self, payload: JsonDict) -> _Reply:
        return self._send("interactive", payload, None, "")

    def _deliver_event(
        self, envelope: JsonDict, retry_num: int | None, retry_reason: str
    ) -> _Reply:
        return self._send("events_api", envelope, retry_num, retry_reason)

    def _send(
        self, envelope_type: str, payload: JsonDict, retry_num: int | None, retry_reason: str
    ) -> _Reply:
        started = time.perf_counter()
        ack = self.slack.socket_mode.send(
            envelope_type,
            payload,
            retry_num,
            retry_reason=retry_reason,
            timeout=self.ack_timeout,
        )
        elapsed = time.perf_counter() - started
        body = json.dumps(ack["payload"]) if "payload" in ack else ""
        return _Reply(200, {}, body, elapsed)
