"""Events API listeners."""

from __future__ import annotations

from bot.wiring import table
from handlers.events import home, membership

EVENTS = table(home.EVENTS, membership.EVENTS)
FOLLOW_UPS = table(home.FOLLOW_UPS, membership.FOLLOW_UPS)
