"""`/mentor certify @user`."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.mentions import split_mentions
from bot.services.people import certify_mentor
from handlers.commands.router import Invocation


def certify(invocation: Invocation) -> None:
    mentions = split_mentions(invocation.args)
    if len(mentions.user_ids) != 1 or mentions.other_words:
        raise UserError(
            "Name one person, picked from the @-mention list: `/mentor certify @someone`."
        )
    user_id = mentions.user_ids[0]
    newly = certify_mentor(
        invocation.runtime, invocation.client, user_id=user_id, by=invocation.user_id
    )
    invocation.reply.ephemeral(
        f"<@{user_id}> is now a certified mentor and can lead a group."
        if newly
        else f"<@{user_id}> was already certified; nothing changed."
    )
