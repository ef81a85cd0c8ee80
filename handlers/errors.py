"""The one place errors that escaped a listener are logged and turned into an apology."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond

from bot.domain.errors import SORRY
from bot.followups import reader_or_english
from bot.i18n import ENGLISH, translator
from bot.runtime import Runtime
from bot.wiring import RUNTIME
from handlers.reply import sorry_response

logger = logging.getLogger(__name__)


def on_error(
    error: Exception,
    body: dict[str, Any],
    respond: Respond | None,
    response: BoltResponse | None,
    context: BoltContext | None = None,
) -> BoltResponse | None:
    # Names and ids only, quoted: what was typed stays out of the log, and an id carrying
    # a newline cannot start a forged line.
    logger.error(
        "Failed to handle a %r request from %r",
        body.get("type") or body.get("command") or "Slack",
        (body.get("user") or {}).get("id") or body.get("user_id"),
        exc_info=error,
    )
    if response is not None and body.get("command"):
        return sorry_response(_apology(body, context))
    if respond is not None and body.get("response_url"):
        try:
            respond(text=_apology(body, context), response_type="ephemeral", replace_original=False)
        except Exception:
            logger.warning("could not send the apology", exc_info=True)
    # Still unacknowledged: acknowledge, so Slack shows no timeout on top of the apology.
    return BoltResponse(status=200, body="") if response is not None else None


def _apology(body: dict[str, Any], context: BoltContext | None) -> str:
    """SORRY in the person's language (English when the runtime is out of reach)."""
    runtime = context.get(RUNTIME) if context is not None else None
    user = body.get("user")
    user_id = str(user.get("id", "")) if isinstance(user, dict) else str(body.get("user_id", ""))
    if not isinstance(runtime, Runtime) or not user_id:
        return SORRY.say(translator(ENGLISH))
    return SORRY.say(reader_or_english(runtime, user_id))
