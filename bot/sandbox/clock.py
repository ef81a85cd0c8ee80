"""The sandbox's clock: the bot, its worker, its jobs and the fake Slack all read it, and
only the visitor moves it (forwards)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime


class SandboxClock:
    """An aware time that stands still until `set`; callable, as `Runtime.clock` wants."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the sandbox clock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def timestamp(self) -> float:
        """Seconds since the epoch: the fake Slack's clock (message ts, trigger expiry)."""
        return self().timestamp()

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the sandbox clock needs an aware datetime")
        with self._lock:
            # Never backwards: what was stored "later" would otherwise lie in the future.
            self._now = max(self._now, moment.astimezone(UTC))
