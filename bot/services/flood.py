"""The flood limit, checked by every service that stores what a person typed."""

from __future__ import annotations

import logging

from bot.domain.errors import UserError
from bot.domain.flood import LIMITS, StoringAction, slow_down_message, window_start
from bot.runtime import Runtime
from storage.db import write_session
from storage.rate_counts import count_action

logger = logging.getLogger(__name__)


def check_flood(runtime: Runtime, *, user_id: str, action: StoringAction) -> None:
    """Count this attempt; refuse it, with when to try again, once the person is over the
    limit. Counted in its own short transaction, so a refused or failed attempt counts too."""
    limit = LIMITS[action]
    now = runtime.now()
    with write_session(runtime.engine) as session:
        count = count_action(
            session,
            slack_user_id=user_id,
            action=action.value,
            window_start=window_start(now, limit.per),
        )
    if count > limit.most:
        if count == limit.most + 1:
            logger.warning("flood limit reached: %r %s", user_id, action.value)
        raise UserError(slow_down_message(action, now=now))
