"""`/mentor themes`, `themes suggest TEXT` (members) and `themes add|retire` (coordinators)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.meetings import theme_suggestion_blocks
from bot.domain.errors import UserError
from bot.services.group_context import member_context
from bot.services.themes import (
    add_catalogue_theme,
    retire_catalogue_theme,
    suggest_group_theme,
    suggestions_for,
)
from handlers.commands.router import Invocation


def post_suggestions(invocation: Invocation, *, slack: WebClient) -> None:
    context = member_context(
        invocation.runtime, user_id=invocation.user_id, channel_id=invocation.channel_id
    )
    themes = suggestions_for(invocation.runtime, context)
    slack.chat_postMessage(
        channel=invocation.channel_id,
        text="Three things to talk about next time",
        blocks=theme_suggestion_blocks(themes, intro="💬 *Three things to talk about next time*"),
    )


def suggest(invocation: Invocation) -> None:
    context = member_context(
        invocation.runtime, user_id=invocation.user_id, channel_id=invocation.channel_id
    )
    text = " ".join(invocation.args)
    if not text.strip():
        raise UserError("Say what you'd like to talk about: `/mentor themes suggest Friendship`.")
    invocation.reply.ephemeral(
        suggest_group_theme(invocation.runtime, context, text=text, user_id=invocation.user_id)
    )


def add(invocation: Invocation) -> None:
    text = " ".join(invocation.args)
    invocation.reply.ephemeral(
        add_catalogue_theme(invocation.runtime, text=text, user_id=invocation.user_id)
    )


def retire(invocation: Invocation) -> None:
    name = " ".join(invocation.args)
    if not name.strip():
        raise UserError("Name the theme to retire: `/mentor themes retire Motivation`.")
    invocation.reply.ephemeral(retire_catalogue_theme(invocation.runtime, name=name))
