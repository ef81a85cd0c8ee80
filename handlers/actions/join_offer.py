"""The "Join as a mentee" / "No thanks" buttons offered to someone added to a channel by
hand; acknowledged at once and answered by the worker."""

from __future__ import annotations

from bot.blocks.ids import DECLINE_GROUP, JOIN_GROUP
from bot.domain.errors import UserError
from bot.services.groups import accept_join_offer
from handlers.followups import DeferredRequest, follow_up
from handlers.parsing import int_value

JOIN = "join group"
DECLINE = "decline group"


DEFERRED_CLICKS = {JOIN_GROUP: JOIN, DECLINE_GROUP: DECLINE}


@follow_up(JOIN)
def answer_join(request: DeferredRequest) -> None:
    try:
        message = accept_join_offer(
            request.runtime,
            request.client,
            group_id=int_value(request.payload["actions"][0]),
            user_id=request.user_id,
        )
    except UserError as error:
        message = error.message
    request.respond(text=message, replace_original=True)


@follow_up(DECLINE)
def answer_decline(request: DeferredRequest) -> None:
    request.respond(
        text="All right, you are not in the group. Leave the channel whenever you like.",
        replace_original=True,
    )
