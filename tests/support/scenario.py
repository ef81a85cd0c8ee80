"""A running scheme for end-to-end tests: a current term and a mentor group with its
channel, plus small helpers to look at what the bot stored and said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from bot.sandbox.fakeslack.driver import DriverResponse
from bot.sandbox.fakeslack.model import Message, User
from storage.db import read_session
from storage.models import MentorGroup
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest

# The fake clock starts on Monday 2026-11-23 09:00 UTC (10:00 in Copenhagen).
TERM = 'term new "Autumn 2026" 2026-09-01 2027-01-31 min=3 tz=Europe/Copenhagen'


@dataclass
class Group:
    mentor: User
    mentees: tuple[User, ...]
    channel_id: str
    group_id: int

    @property
    def members(self) -> tuple[User, ...]:
        return (self.mentor, *self.mentees)


def form_group(bot: BotUnderTest, *, prefix: str = "", start_term: bool = True) -> Group:
    """A coordinator opens the term, certifies a mentor and forms a group of four."""
    admin = bot.slack.add_channel(f"coordination{prefix}", [COORDINATOR]).id
    mentor = bot.slack.add_user(f"{prefix}anna", real_name="Anna Berg")
    mentees = tuple(bot.slack.add_user(f"{prefix}{name}") for name in ("bo", "cy", "di"))
    if start_term:
        bot.command(COORDINATOR, admin, TERM)
    bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
    mentions = " ".join(f"<@{user.id}>" for user in (mentor, *mentees))
    bot.command(COORDINATOR, admin, f"group create {mentions}")
    with read_session(bot.runtime.engine) as session:
        stored = session.exec(
            select(MentorGroup)
            .where(MentorGroup.created_by == COORDINATOR)
            .order_by(MentorGroup.id.desc())  # type: ignore[union-attr]
        ).first()
    assert stored is not None
    assert stored.channel_id is not None
    assert stored.id is not None
    return Group(mentor, mentees, stored.channel_id, stored.id)


def stored(bot: BotUnderTest, model: type[Any]) -> list[Any]:
    with read_session(bot.runtime.engine) as session:
        return list(session.exec(select(model)).all())


def replies(bot: BotUnderTest, response: DriverResponse) -> str:
    return "\n".join(bot.replies_to(response))


def poll_message(bot: BotUnderTest, group: Group) -> Message:
    polls = [
        m
        for m in bot.slack.messages_in(group.channel_id)
        if any(str(b.get("block_id", "")).startswith("poll") for b in m.blocks)
    ]
    assert polls, "no poll message in the channel"
    return polls[-1]


def vote(bot: BotUnderTest, group: Group, user: User, option: int, answer: str) -> None:
    """`user` clicks `answer` ("yes", "if_need_be", "no") on the poll's `option` (from 0)."""
    message = poll_message(bot, group)
    actions = [b for b in message.blocks if b.get("type") == "actions"]
    button = next(e for e in actions[option]["elements"] if e["action_id"] == f"poll_vote_{answer}")
    bot.click(
        user.id,
        message=(group.channel_id, message.ts),
        action_id=button["action_id"],
        value=button["value"],
        block_id=actions[option]["block_id"],
    )
