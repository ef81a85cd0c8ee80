"""`/mentor certify @user`."""

from __future__ import annotations

from bot.blocks.text import md, mention
from bot.domain.errors import UserError
from bot.domain.mentions import split_mentions
from bot.i18n import phrase
from bot.services.people import certify_mentor
from handlers.commands.router import Invocation


def certify(invocation: Invocation) -> None:
    mentions = split_mentions(invocation.args)
    if len(mentions.user_ids) != 1 or mentions.other_words:
        raise UserError(
            phrase("Name one person, picked from the @-mention list: `/mentor certify @someone`.")
        )
    user_id = mentions.user_ids[0]
    newly = certify_mentor(
        invocation.runtime, invocation.client, user_id=user_id, by=invocation.user_id
    )
    t = invocation.t
    template = (
        t.gettext("{who} is now a certified mentor and can lead a group.")
        if newly
        else t.gettext("{who} was already certified; nothing changed.")
    )
    invocation.reply.ephemeral(md(template, who=mention(user_id)))
