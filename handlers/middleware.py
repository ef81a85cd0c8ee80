"""Middleware that runs before every listener, in the order of `MIDDLEWARE`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.services.deliveries import first_delivery
from bot.wiring import runtime_of
from handlers.parsing import malformed

logger = logging.getLogger(__name__)


def refuse_malformed_payloads(
    body: dict[str, Any], next: Callable[[], None]
) -> BoltResponse | None:
    problem = malformed(body)
    if problem is None:
        next()
        return None
    logger.warning("refused a malformed interaction payload: %s", problem)
    return BoltResponse(status=400, body="")


def drop_repeated_events(
    body: dict[str, Any], next: Callable[[], None], context: BoltContext
) -> BoltResponse | None:
    if body.get("type") != "event_callback" or not body.get("event_id"):
        next()
        return None
    event_type = str((body.get("event") or {}).get("type", "?"))
    if first_delivery(runtime_of(context), event_id=body["event_id"], event_type=event_type):
        next()
        return None
    logger.info("skipped repeated delivery of %r (%r)", body["event_id"], event_type)
    return BoltResponse(status=200, body="")


MIDDLEWARE = (refuse_malformed_payloads, drop_repeated_events)
