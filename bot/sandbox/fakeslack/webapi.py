"""The Web API's front door: tokens, scopes, argument decoding and the method table.

`WebApi.admit` does what Slack does before a method runs (unknown method, missing or bad
token, token type, scope); `WebApi.execute` runs the method under the workspace lock and
turns an `ApiError` into Slack's `{"ok": false, "error": ...}` body. Rate limits and injected
faults sit between the two, in `FakeSlack`, so a refused call changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from bot.sandbox.fakeslack.catalog import APP_TOKEN_SCOPES, DEFAULT_BOT_SCOPES, METHODS, facts_for
from bot.sandbox.fakeslack.errors import ApiError, invalid_arguments
from bot.sandbox.fakeslack.interactions import TriggerRegistry
from bot.sandbox.fakeslack.model import JsonDict, Team
from bot.sandbox.fakeslack.workspace import Workspace

APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


class TokenKind(StrEnum):
    BOT = "bot"
    APP = "app"


class Args:
    """A call's arguments however they came: form fields are strings ("1"/"0" for booleans,
    comma-joined lists, JSON inside strings) while JSON bodies keep their own types."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = dict(raw)

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def required(self, name: str, error: str | None = None) -> str:
        """The argument, or the method's own error (invalid_arguments unless told) when
        it is missing or empty."""
        value = self.text(name)
        if not value:
            if error is None:
                raise invalid_arguments(f"missing required field: {name}")
            raise ApiError(error)
        return value

    def flag(self, name: str) -> bool:
        value = self.raw.get(name)
        return value is True or value == 1 or str(value).lower() in ("1", "true")

    def integer(self, name: str, *, default: int, error: str) -> int:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(error) from None

    def id_list(self, name: str) -> list[str]:
        value = self.raw.get(name)
        if value is None:
            return []
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(item).strip() for item in items if str(item).strip()]

    def json(self, name: str, *, error: str) -> Any:
        """A JSON argument: decoded from its string form, or as is from a JSON body."""
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(error) from None


class Endpoints(Protocol):
    """URLs the fake hands out that point back at itself."""

    def upload_url(self, file_id: str) -> str: ...

    def socket_mode_url(self) -> str: ...


@dataclass
class MethodContext:
    workspace: Workspace
    token_kind: TokenKind
    endpoints: Endpoints
    triggers: TriggerRegistry

    @property
    def team(self) -> Team:
        return self.workspace.team

    @property
    def bot_user_id(self) -> str:
        return self.workspace.team.bot_user_id


Handler = Callable[[MethodContext, Args], JsonDict]


class WebApi:
    def __init__(
        self,
        workspace: Workspace,
        *,
        bot_token: str,
        app_token: str,
        endpoints: Endpoints,
        triggers: TriggerRegistry,
        handlers: Mapping[str, Handler],
    ) -> None:
        self.workspace = workspace
        self.bot_token = bot_token
        self.app_token = app_token
        self.endpoints = endpoints
        self.triggers = triggers
        self.handlers = dict(handlers)
        self.bot_scopes: set[str] = set(DEFAULT_BOT_SCOPES)

    def admit(self, method: str, token: str | None) -> TokenKind:
        """Slack's checks before a method runs, in Slack's order; raises ApiError."""
        if method not in self.handlers:
            raise ApiError("unknown_method")
        if not token:
            raise ApiError("not_authed")
        kind = self._token_kind(token)
        if (kind is TokenKind.APP) != (method in APP_TOKEN_METHODS):
            raise ApiError("not_allowed_token_type")
        accepted = facts_for(method).bot_scopes
        if kind is TokenKind.BOT and accepted and not self.bot_scopes & set(accepted):
            raise ApiError(
                "missing_scope", needed=accepted[0], provided=",".join(sorted(self.bot_scopes))
            )
        return kind

    def execute(self, method: str, args: Args, kind: TokenKind) -> JsonDict:
        context = MethodContext(self.workspace, kind, self.endpoints, self.triggers)
        with self.workspace.lock:
            try:
                return {"ok": True, **self.handlers[method](context, args)}
            except ApiError as refusal:
                return refusal.body()

    def response_headers(self, method: str, kind: TokenKind | None) -> dict[str, str]:
        """The scope headers Slack adds to every authenticated answer."""
        if kind is None:
            return {}
        granted = APP_TOKEN_SCOPES if kind is TokenKind.APP else self.bot_scopes
        headers = {"x-oauth-scopes": ",".join(sorted(granted))}
        if method in METHODS:
            headers["x-accepted-oauth-scopes"] = ",".join(facts_for(method).bot_scopes)
        return headers

    def _token_kind(self, token: str) -> TokenKind:
        if token == self.bot_token:
            return TokenKind.BOT
        if token == self.app_token:
            return TokenKind.APP
        raise ApiError("invalid_auth")
