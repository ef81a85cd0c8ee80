"""`/mentor match`: propose the term's groups and open them for review in a modal.

The modal opens at once (the trigger is short-lived) saying the bot is at work, and shows
the proposal when it is worked out."""

from __future__ import annotations

from bot.blocks.review import review_modal, review_notice_modal, working_text
from bot.domain.errors import UserError
from bot.services.review import start_review
from handlers.commands.router import Invocation


def match(invocation: Invocation) -> None:
    t = invocation.t
    opened = invocation.client.views_open(
        trigger_id=invocation.trigger_id, view=review_notice_modal(t, working_text(t))
    )
    view_id = opened["view"]["id"]
    try:
        review = start_review(invocation.runtime, by=invocation.user_id)
    except UserError as error:
        invocation.client.views_update(view_id=view_id, view=review_notice_modal(t, error.say(t)))
        return
    invocation.client.views_update(view_id=view_id, view=review_modal(t, review))
