"""Button clicks (block_actions): votes, stored before they are acknowledged; every other
button is stored as a follow-up for the worker by one listener (`DEFERRED_CLICKS`)."""

from __future__ import annotations

from bot.wiring import table
from handlers.actions import (
    closing,
    home,
    join_offer,
    meetings,
    nudges,
    polls,
    pulse,
    review,
    signup,
    snooze,
)

ACTIONS = table(polls.ACTIONS, home.ACTIONS, pulse.ACTIONS)
DEFERRED_CLICKS = table(
    polls.DEFERRED_CLICKS,
    meetings.DEFERRED_CLICKS,
    join_offer.DEFERRED_CLICKS,
    snooze.DEFERRED_CLICKS,
    home.DEFERRED_CLICKS,
    nudges.DEFERRED_CLICKS,
    signup.DEFERRED_CLICKS,
    pulse.DEFERRED_CLICKS,
    closing.DEFERRED_CLICKS,
    review.DEFERRED_CLICKS,
)
FOLLOW_UPS = table(
    polls.FOLLOW_UPS,
    meetings.FOLLOW_UPS,
    join_offer.FOLLOW_UPS,
    snooze.FOLLOW_UPS,
    home.FOLLOW_UPS,
    nudges.FOLLOW_UPS,
    signup.FOLLOW_UPS,
    pulse.FOLLOW_UPS,
    closing.FOLLOW_UPS,
    review.FOLLOW_UPS,
)
