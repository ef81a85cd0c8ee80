"""Joining a group from its channel: the added person's "Ask to join" / "No thanks", and the
mentor's "Let them join" / "Decline"; each acknowledged at once and answered by the worker."""

from __future__ import annotations

from bot.blocks.groups import join_request_blocks, join_request_text
from bot.blocks.ids import APPROVE_JOIN, DECLINE_GROUP, JOIN_GROUP, REFUSE_JOIN
from bot.blocks.text import md
from bot.followups import DeferredRequest
from bot.services.joining import JoinAsked, ask_to_join_group, decide_join
from bot.services.language import reader
from handlers.parsing import int_value

ASK = "ask to join group"
DECLINE_OFFER = "decline group"
APPROVE = "approve joining"
REFUSE = "refuse joining"

DEFERRED_CLICKS = {
    JOIN_GROUP: ASK,
    DECLINE_GROUP: DECLINE_OFFER,
    APPROVE_JOIN: APPROVE,
    REFUSE_JOIN: REFUSE,
}


def answer_ask(request: DeferredRequest) -> None:
    asked = ask_to_join_group(
        request.runtime,
        request.client,
        group_id=int_value(request.payload["actions"][0]),
        user_id=request.user_id,
    )
    t = reader(request.runtime, request.user_id)
    if not isinstance(asked, JoinAsked):
        request.respond(text=asked.say(t), replace_original=True)
        return
    for mentor_id in asked.mentor_ids:
        mentor_t = reader(request.runtime, mentor_id)
        request.client.chat_postMessage(
            channel=mentor_id,
            text=join_request_text(
                mentor_t, requester_id=request.user_id, group_name=asked.group_name
            ),
            blocks=join_request_blocks(
                mentor_t,
                request_id=asked.request_id,
                requester_id=request.user_id,
                group_name=asked.group_name,
            ),
        )
    request.respond(
        text=md(
            t.gettext(
                "I have asked the mentor of {name} to let you join; you will hear back here."
            ),
            name=asked.group_name,
        ),
        replace_original=True,
    )


def answer_decline_offer(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    request.respond(
        text=t.gettext("All right, you are not in the group. Leave the channel whenever you like."),
        replace_original=True,
    )


def answer_approve(request: DeferredRequest) -> None:
    _decide(request, approve=True)


def answer_refuse(request: DeferredRequest) -> None:
    _decide(request, approve=False)


def _decide(request: DeferredRequest, *, approve: bool) -> None:
    decision = decide_join(
        request.runtime,
        request.client,
        request_id=int_value(request.payload["actions"][0]),
        by=request.user_id,
        approve=approve,
    )
    if decision.requester_id and decision.requester_message:
        request.client.chat_postMessage(
            channel=decision.requester_id,
            text=decision.requester_message.say(reader(request.runtime, decision.requester_id)),
        )
    request.respond(
        text=decision.answer.say(reader(request.runtime, request.user_id)), replace_original=True
    )


FOLLOW_UPS = {
    ASK: answer_ask,
    DECLINE_OFFER: answer_decline_offer,
    APPROVE: answer_approve,
    REFUSE: answer_refuse,
}
