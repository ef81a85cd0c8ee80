"""`/mentor themes`, `themes suggest TEXT` (members) and `themes add|retire` (coordinators)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.meetings import theme_suggestion_blocks
from bot.blocks.text import md
from bot.domain.errors import UserError
from bot.i18n import phrase
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
    t = context.t  # posted in the group's channel: the channel's language
    slack.chat_postMessage(
        channel=invocation.channel_id,
        # TRANSLATORS: the notification of a message suggesting conversation themes.
        text=t.gettext("Three things to talk about next time"),
        blocks=theme_suggestion_blocks(
            t, themes, intro=md(t.gettext("💬 *Three things to talk about next time*"))
        ),
    )


def suggest(invocation: Invocation) -> None:
    context = member_context(
        invocation.runtime, user_id=invocation.user_id, channel_id=invocation.channel_id
    )
    text = " ".join(invocation.args)
    if not text.strip():
        raise UserError(
            phrase("Say what you'd like to talk about: `/mentor themes suggest Friendship`.")
        )
    answer = suggest_group_theme(invocation.runtime, context, text=text, user_id=invocation.user_id)
    invocation.reply.ephemeral(answer.say(invocation.t))


def add(invocation: Invocation) -> None:
    text = " ".join(invocation.args)
    t = invocation.t
    answer = add_catalogue_theme(
        invocation.runtime, text=text, user_id=invocation.user_id, language=t.language
    )
    invocation.reply.ephemeral(answer.say(t))


def retire(invocation: Invocation) -> None:
    name = " ".join(invocation.args)
    if not name.strip():
        raise UserError(phrase("Name the theme to retire: `/mentor themes retire Motivation`."))
    t = invocation.t
    answer = retire_catalogue_theme(invocation.runtime, name=name, language=t.language)
    invocation.reply.ephemeral(answer.say(t))
