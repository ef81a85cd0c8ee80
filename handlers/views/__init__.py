"""Modal submissions (view_submission)."""

from __future__ import annotations

from bot.wiring import table
from handlers.views import meetings, poll_changes, poll_modal, review, signup

VIEWS = table(poll_modal.VIEWS, meetings.VIEWS, poll_changes.VIEWS, signup.VIEWS, review.VIEWS)
FOLLOW_UPS = table(poll_modal.FOLLOW_UPS, meetings.FOLLOW_UPS, signup.FOLLOW_UPS)
