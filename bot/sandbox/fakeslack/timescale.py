"""Time that runs faster than the wall clock, shared by the fake Slack and the bot under test.

Slack's rate tiers are counted per minute, so measuring a bulk run at Tier 2 (20 calls a
minute) in real time takes minutes. With `ScaledTime(scale)` the fake's clock (and with it the
tier windows and the `Retry-After` it computes) runs `scale` times faster than the wall
clock, and the bot sleeps through `sleep`, which waits `seconds / scale` real seconds: both
sides keep the same minute, only shorter. Everything else the fake times by its clock
(trigger expiry, message timestamps) runs faster too.

    time = ScaledTime(20)
    slack = FakeSlack(clock=time.now)
    client = background_client(settings, clock=time.now, sleep=time.sleep)

Work that takes real time (HTTP, the database, the bot's own code) counts `scale` times over
in scaled seconds, so a figure measured at a high scale is a slight underestimate of what
the same run achieves in real time.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class ScaledTime:
    def __init__(
        self,
        scale: float = 1.0,
        *,
        start: float | None = None,
        wall_clock: Callable[[], float] = time.monotonic,
        wall_sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if scale <= 0:
            raise ValueError("the scale is a positive factor")
        self.scale = scale
        self._wall_clock = wall_clock
        self._wall_sleep = wall_sleep
        self._wall_start = wall_clock()
        self._start = time.time() if start is None else start

    def now(self) -> float:
        """Seconds since the epoch, scaled from the moment this was made."""
        return self._start + (self._wall_clock() - self._wall_start) * self.scale

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` of scaled time."""
        if seconds > 0:
            self._wall_sleep(seconds / self.scale)
