"""Dispatching `/mentor <subcommand> …` to one small handler per subcommand.

Permissions are checked here, on the server, against the same catalogue the help overview
reads, so a command hidden from someone is also refused to them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.domain.commands import (
    CATALOGUE,
    COORDINATORS,
    GROUP_MEMBERS,
    MENTORS,
    CommandSpec,
    CommandText,
)
from bot.domain.errors import UserError
from bot.domain.roles import Role
from bot.i18n import Phrase, Translator, phrase
from bot.runtime import Runtime
from bot.services.language import reader
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

    @property
    def t(self) -> Translator:
        """The asker's language, for every answer only they see (looked up when first said:
        `reader` remembers it for a while)."""
        return reader(self.runtime, self.user_id)


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
            invocation.reply.ephemeral(_not_allowed(spec).say(invocation.t))
            logger.info("refused /mentor %s to %r", spec.name, invocation.user_id)
            return
        try:
            self._handlers[spec.name](invocation)
        except UserError as error:
            # Every command's refusal, in the asker's language: the services raise Phrases
            # without knowing who reads them.
            invocation.reply.ephemeral(error.say(invocation.t))


def _not_allowed(spec: CommandSpec) -> Phrase:
    """Why a command is refused, naming who it is for: one whole sentence per audience."""
    if spec.roles == COORDINATORS:
        return phrase(
            "Sorry, `/mentor {command}` is for coordinators only. "
            "Type `/mentor help` to see what you can do.",
            command=spec.name,
        )
    if spec.roles == MENTORS:
        return phrase(
            "Sorry, `/mentor {command}` is for mentors only. "
            "Type `/mentor help` to see what you can do.",
            command=spec.name,
        )
    if spec.roles == GROUP_MEMBERS:
        return phrase(
            "Sorry, `/mentor {command}` is for the mentors and mentees of a group only. "
            "Type `/mentor help` to see what you can do.",
            command=spec.name,
        )
    return phrase(
        "Sorry, `/mentor {command}` is not for you. Type `/mentor help` to see what you can do.",
        command=spec.name,
    )
