""" "Remind me later" on a reminder: the clicker is snoozed for a day (only the clicker,
whatever the message: the button carries nothing to trust), told so in their language."""

from __future__ import annotations

from bot.blocks.ids import REMIND_LATER
from bot.followups import DeferredRequest
from bot.services.language import reader
from bot.services.snooze import remind_later

SNOOZE_A_DAY = "remind me later"

DEFERRED_CLICKS = {REMIND_LATER: SNOOZE_A_DAY}


def answer_remind_later(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    request.respond(
        text=remind_later(request.runtime, t, user_id=request.user_id), replace_original=False
    )


FOLLOW_UPS = {SNOOZE_A_DAY: answer_remind_later}
