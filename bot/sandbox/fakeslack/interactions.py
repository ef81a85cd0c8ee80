"""The two short-lived handles Slack gives an app with each interaction.

* trigger_id: lets the app open a modal. Single use (`exchanged_trigger_id`) and valid for
  3 seconds (`expired_trigger_id`), timed by the fake's clock so tests need not sleep.
* response_url: lets the app answer the person. Slack allows 5 uses within 30 minutes
  (FACTS.md §4). What Slack answers past those limits is not documented; the fake answers
  HTTP 404 with body `used_url` or `expired_url`, and `no_service` (the incoming-webhook
  answer for an unknown URL) for an ID it never issued. A good post gets HTTP 200 `{"ok":true}`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.fakeslack.blockkit import message_block_problems
from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.ids import random_hex, trigger_id
from bot.sandbox.fakeslack.workspace import Workspace

TRIGGER_LIFETIME_SECONDS = 3.0
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME_SECONDS = 30 * 60


@dataclass
class Trigger:
    id: str
    user_id: str
    issued_at: float
    # The view the person acted in, so views.push knows which modal stack to grow.
    view_id: str | None = None
    exchanged: bool = False


class TriggerRegistry:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._triggers: dict[str, Trigger] = {}

    def issue(self, user_id: str, *, view_id: str | None = None) -> str:
        with self._lock:
            trigger = Trigger(trigger_id(len(self._triggers) + 1), user_id, self._clock(), view_id)
            self._triggers[trigger.id] = trigger
            return trigger.id

    def exchange(self, trigger_id_value: str | None) -> Trigger:
        """Use up a trigger for views.open/push, or raise the error Slack would give."""
        with self._lock:
            trigger = self._triggers.get(trigger_id_value or "")
            if trigger is None:
                raise ApiError("invalid_trigger_id")
            if trigger.exchanged:
                raise ApiError("exchanged_trigger_id")
            if self._clock() - trigger.issued_at > TRIGGER_LIFETIME_SECONDS:
                raise ApiError("expired_trigger_id")
            trigger.exchanged = True
            return trigger


@dataclass
class ResponseUrl:
    id: str
    user_id: str
    channel_id: str
    issued_at: float
    # The message the person clicked in, for replace_original / delete_original.
    source_ts: str | None = None
    source_is_ephemeral: bool = False
    uses: int = 0
    # For slash commands: the ephemeral reply a later replace_original replaces.
    last_reply_ts: str | None = None


@dataclass(frozen=True)
class ResponseUrlAnswer:
    http_status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


_OK = ResponseUrlAnswer(200, '{"ok":true}', "application/json; charset=utf-8")


class ResponseUrlRegistry:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._urls: dict[str, ResponseUrl] = {}

    def issue(
        self,
        user_id: str,
        channel_id: str,
        *,
        source_ts: str | None = None,
        source_is_ephemeral: bool = False,
    ) -> ResponseUrl:
        with self._lock:
            url = ResponseUrl(
                id=f"{len(self._urls) + 1}{random_hex(12)}",
                user_id=user_id,
                channel_id=channel_id,
                issued_at=self._clock(),
                source_ts=source_ts,
                source_is_ephemeral=source_is_ephemeral,
            )
            self._urls[url.id] = url
            return url

    def answer(self, workspace: Workspace, url_id: str, body: Any) -> ResponseUrlAnswer:
        """Check a POST to a response_url and, if Slack would take it, carry it out."""
        with self._lock:
            url = self._urls.get(url_id)
            refusal = self._refusal(url, body)
            if refusal is not None:
                return refusal
            assert url is not None
            url.uses += 1
        with workspace.lock:
            _carry_out(workspace, url, body)
        return _OK

    def _refusal(self, url: ResponseUrl | None, body: Any) -> ResponseUrlAnswer | None:
        if url is None:
            return ResponseUrlAnswer(404, "no_service")
        if self._clock() - url.issued_at > RESPONSE_URL_LIFETIME_SECONDS:
            return ResponseUrlAnswer(404, "expired_url")
        if url.uses >= RESPONSE_URL_USES:
            return ResponseUrlAnswer(404, "used_url")
        if not isinstance(body, dict):
            return ResponseUrlAnswer(400, "invalid_payload")
        if body.get("delete_original"):
            return None
        if not body.get("text") and not body.get("blocks"):
            return ResponseUrlAnswer(400, "no_text")
        if "blocks" in body and message_block_problems(body["blocks"]):
            return ResponseUrlAnswer(400, "invalid_blocks")
        return None


def _carry_out(workspace: Workspace, url: ResponseUrl, body: dict[str, Any]) -> None:
    text = str(body.get("text") or "")
    blocks = list(body.get("blocks") or [])
    if body.get("delete_original"):
        _delete_original(workspace, url)
        return
    if body.get("replace_original") and _replace_original(workspace, url, text, blocks):
        return
    if body.get("response_type") == "in_channel":
        # Slack posts it as the app, even where the bot is not a member.
        workspace.post_message(
            url.channel_id,
            user=workspace.team.bot_user_id,
            text=text,
            blocks=blocks,
            thread_ts=body.get("thread_ts"),
        )
        return
    reply = workspace.post_ephemeral(url.channel_id, url.user_id, text, blocks, "response_url")
    url.last_reply_ts = reply.message_ts


def _replace_original(
    workspace: Workspace, url: ResponseUrl, text: str, blocks: list[dict[str, Any]]
) -> bool:
    """Replace what the person acted on; False when there is nothing to replace."""
    target_ts = url.source_ts or url.last_reply_ts
    ephemeral = workspace.find_ephemeral(target_ts) if target_ts else None
    if ephemeral is not None:
        ephemeral.text, ephemeral.blocks = text, blocks
        return True
    message = workspace.find_message(url.channel_id, target_ts) if target_ts else None
    if message is not None:
        workspace.edit_message(message, text=text, blocks=blocks)
        return True
    return False


def _delete_original(workspace: Workspace, url: ResponseUrl) -> None:
    target_ts = url.source_ts or url.last_reply_ts
    if target_ts is None:
        return
    ephemeral = workspace.find_ephemeral(target_ts)
    if ephemeral is not None:
        workspace.ephemerals.remove(ephemeral)
        return
    message = workspace.find_message(url.channel_id, target_ts)
    if message is not None:
        workspace.delete_message(message)
