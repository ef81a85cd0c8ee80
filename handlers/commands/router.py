"""Dispatching `/mentor <subcommand> …` to one small handler per subcommand.

Permissions are checked here, on the server, against the same catalogue the help overview
reads, so a command hidden from someone is also refused to them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.domain.commands import CATALOGUE, CommandSpec, CommandText
from bot.domain.errors import UserError
from bot.domain.roles import Role
from bot.runtime import Runtime
from handlers.reply import Reply

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invocation:
    text: CommandText
    spec: CommandSpec | None
    user_id: str
    channel_id: str
    trigger_id: str
    roles: frozenset[Role]
    reply: Reply
    client: WebClient
    runtime: Runtime

    @property
    def args(self) -> tuple[str, ...]:
        """The words after the subcommand's own words."""
        skip = len(self.spec.name.split()) if self.spec else 1
        return self.text.rest(skip)


SubcommandHandler = Callable[[Invocation], None]

_SPECS = {spec.name: spec for spec in CATALOGUE}


class SubcommandRouter:
    def __init__(self, *, fallback: SubcommandHandler) -> None:
        self._handlers: dict[str, SubcommandHandler] = {}
        self._fallback = fallback

    def add(self, name: str, handler: SubcommandHandler) -> None:
        if name not in _SPECS:
            raise ValueError(f"/mentor {name} is not in the command catalogue")
        self._handlers[name] = handler

    def resolve(self, text: CommandText) -> CommandSpec | None:
        """The longest catalogue name the text starts with ("group create" before "group")."""
        lowered = [word.lower() for word in text.words]
        for length in (2, 1):
            name = " ".join(lowered[:length])
            if len(lowered) >= length and name in self._handlers:
                return _SPECS[name]
        return None

    def dispatch(self, invocation: Invocation) -> None:
        spec = invocation.spec
        if spec is None:
            self._fallback(invocation)
            return
        if not spec.roles & (invocation.roles | {Role.MEMBER}):
            invocation.reply.ephemeral(_not_allowed(spec))
            logger.info("refused /mentor %s to %r", spec.name, invocation.user_id)
            return
        try:
            self._handlers[spec.name](invocation)
        except UserError as error:
            invocation.reply.ephemeral(error.message)


def _not_allowed(spec: CommandSpec) -> str:
    allowed = sorted(role.value + "s" for role in spec.roles)
    return (
        f"Sorry, `/mentor {spec.name}` is for {' and '.join(allowed)} only. "
        "Type `/mentor help` to see what you can do."
    )
