""" "We planned it offline" in a mentor's nudge DM: the group is not nudged for a week. The
click is re-authorised by the service (only that group's mentor) and answered in place, in
the clicker's language."""

from __future__ import annotations

from bot.blocks.digest import planned_offline_text
from bot.blocks.ids import PLANNED_OFFLINE
from bot.followups import DeferredRequest
from bot.services.language import reader
from bot.services.oversight import planned_offline
from handlers.parsing import int_value

RECORD_PLANNED_OFFLINE = "planned offline"

DEFERRED_CLICKS = {PLANNED_OFFLINE: RECORD_PLANNED_OFFLINE}


def answer_planned_offline(request: DeferredRequest) -> None:
    paused = planned_offline(
        request.runtime,
        group_id=int_value(request.payload["actions"][0]),
        user_id=request.user_id,
    )
    t = reader(request.runtime, request.user_id)
    request.respond(
        text=planned_offline_text(t, name=paused.name, until=paused.until),
        replace_original=True,
    )


FOLLOW_UPS = {RECORD_PLANNED_OFFLINE: answer_planned_offline}
