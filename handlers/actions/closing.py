"""The coordinator's answer to "Close the term now?": "Close the term" closes it (once,
however often it is clicked) and sends what closing sends; "Not now" leaves it open."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.blocks.closing import already_closed_text, close_cancelled_text, closed_answer_text
from bot.blocks.ids import TERM_CLOSE_CANCEL, TERM_CLOSE_CONFIRM
from bot.domain.errors import UserError
from bot.followups import DeferredRequest
from bot.services.closing import close_current_term
from bot.services.language import reader
from handlers.parsing import int_value

CLOSE = "close term"
KEEP_OPEN = "keep term open"

DEFERRED_CLICKS = {TERM_CLOSE_CONFIRM: CLOSE, TERM_CLOSE_CANCEL: KEEP_OPEN}


def answer_close(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    try:
        term, report = close_current_term(
            request.runtime,
            request.slow_client,
            term_id=int_value(request.payload["actions"][0]),
            user_id=request.user_id,
        )
    except UserError as error:
        request.respond(text=error.say(t), replace_original=True)
        return
    if report is None:
        assert term.closed_at is not None, "a term not closed now was closed before"
        closed_on = term.closed_at.astimezone(ZoneInfo(term.timezone)).date()
        text = already_closed_text(t, term_name=term.name, closed_on=closed_on)
    else:
        text = closed_answer_text(t, term_name=term.name, groups=report.thanked)
    request.respond(text=text, replace_original=True)


def answer_keep_open(request: DeferredRequest) -> None:
    t = reader(request.runtime, request.user_id)
    request.respond(text=close_cancelled_text(t), replace_original=True)


FOLLOW_UPS = {CLOSE: answer_close, KEEP_OPEN: answer_keep_open}
