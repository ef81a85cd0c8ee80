"""Checks a command makes before it starts work, so that it stops with one clear line
instead of half-way: the database URL names a place a file can be, and Slack accepts the
token. Also: CLI text that names people by name and email, not by `<@U…>`."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cli.errors import (
    CONNECTION_ERRORS,
    describe_slack_refusal,
    describe_unreachable_slack,
    fail,
)
from bot.config import Settings
from bot.runtime import Runtime
from bot.slack_client import background_client
from storage.db import read_database_url, read_session
from storage.people import people_by_id

SDK_LOGGER = "slack_sdk.web.base_client"

_IN_MEMORY = {"", ":memory:"}


def check_database_url(url: str) -> None:
    """Refuse, with what to write instead, a SQLite URL naming no file (an in-memory
    database forgets everything when the command ends) or a file in a missing folder."""
    parsed = read_database_url(url)
    if parsed is None:
        fail(
            f"MENTORBOT_DATABASE_URL {url!r} cannot be read: write it as sqlite:///mentorbot.db "
            "or postgresql+psycopg://USER@HOST/DB"
        )
    if parsed.backend != "sqlite":
        return
    database = parsed.database
    if database in _IN_MEMORY or database.startswith("file::memory:"):
        fail(
            f"MENTORBOT_DATABASE_URL={url} names no database file: write sqlite:///mentorbot.db "
            "(a file in this folder) or sqlite:////absolute/path/mentorbot.db"
        )
    folder = Path(database).expanduser().parent
    if not folder.is_dir():
        fail(
            f"MENTORBOT_DATABASE_URL={url}: the folder {folder} does not exist; "
            "create it, or name a file in a folder that exists"
        )


@contextmanager
def quiet_slack_sdk() -> Iterator[None]:
    """slack_sdk logs each failed attempt of a call itself ("Failed to send a request …")
    before the exception reaches us; the command tells the outcome in one line instead."""
    logger = logging.getLogger(SDK_LOGGER)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass(frozen=True)
class SlackIdentity:
    team: str
    bot_user_id: str


def check_slack(client: WebClient) -> SlackIdentity:
    """Ask Slack whether it accepts the token (`auth.test`); exit with one line if Slack
    cannot be reached or refuses it."""
    try:
        with quiet_slack_sdk():
            answer = client.auth_test()
    except SlackApiError as error:
        fail(describe_slack_refusal(error), code=1)
    except CONNECTION_ERRORS as error:
        fail(describe_unreachable_slack(error), code=1)
    return SlackIdentity(team=str(answer.get("team") or ""), bot_user_id=str(answer["user_id"]))


def slack_client_or_exit(settings: Settings) -> WebClient:
    """A client for bulk work whose token Slack has just accepted."""
    client = background_client(settings)
    check_slack(client)
    return client


_MARKUP = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|&lt;|&gt;|&amp;|`")
_UNESCAPED = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "`": ""}


def terminal_text(runtime: Runtime, text: str) -> str:
    """Text written for Slack, readable on a terminal: each `<@U…>` becomes the person's
    name and email as stored, escapes are undone and code marks go, in one pass (so that
    nothing a replacement brings in is read as markup)."""
    text = text.replace("`/mentor term new", "`mentorbot term new")
    user_ids = list(dict.fromkeys(user_id for user_id in _MARKUP.findall(text) if user_id))
    names: dict[str, str] = {}
    if user_ids:
        with read_session(runtime.engine) as session:
            people = people_by_id(session, user_ids)
        for user_id, person in people.items():
            names[user_id] = f"{person.name} <{person.email}>" if person.email else person.name

    def plain(match: re.Match[str]) -> str:
        user_id = match.group(1)
        if user_id:
            return names.get(user_id, user_id)
        return _UNESCAPED[match.group(0)]

    return _MARKUP.sub(plain, text)
