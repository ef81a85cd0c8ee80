"""Failures on demand: rate limiting, server errors, dropped connections, slow answers.

Which kinds carry out the call before failing matters for idempotency tests, so it is explicit:

=============  ===========================================================  ==============
kind           what the app sees                                            call applied?
=============  ===========================================================  ==============
"429"          HTTP 429, `Retry-After`, `{"ok": false, "error": "ratelimited"}`  no
"500"          HTTP 500, `{"ok": false, "error": "internal_error"}`          no
"drop"         the connection closes with no answer                         no
"500_after"    HTTP 500 as above                                            yes
"drop_after"   the connection closes with no answer                         yes
"slow"         the normal answer, `delay` seconds late                      yes
=============  ===========================================================  ==============

"500_after" and "drop_after" model Slack's own warning that "it's possible some aspect of the
operation succeeded before the error was raised" (internal_error) and a reply lost on the
way back, which is what makes a retried `chat.postMessage` post twice.
Note slack_sdk's default `ConnectionErrorRetryHandler` retries a dropped call once by itself.
"""

from __future__ import annotations

import math
import random
import threading
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.sandbox.fakeslack.catalog import POST_MESSAGE_PER_CHANNEL_PER_SECOND, calls_per_minute


class FaultKind(StrEnum):
    RATE_LIMITED = "429"
    SERVER_ERROR = "500"
    DROP = "drop"
    SERVER_ERROR_AFTER = "500_after"
    DROP_AFTER = "drop_after"
    SLOW = "slow"


_APPLIES_EFFECT = frozenset({FaultKind.SERVER_ERROR_AFTER, FaultKind.DROP_AFTER, FaultKind.SLOW})

DEFAULT_SLOW_SECONDS = 2.0


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    retry_after: int = 1
    delay: float = DEFAULT_SLOW_SECONDS

    @property
    def applies_effect(self) -> bool:
        return self.kind in _APPLIES_EFFECT

    @property
    def answers_500(self) -> bool:
        return self.kind in (FaultKind.SERVER_ERROR, FaultKind.SERVER_ERROR_AFTER)

    @property
    def drops(self) -> bool:
        return self.kind in (FaultKind.DROP, FaultKind.DROP_AFTER)


@dataclass(frozen=True)
class _RandomFaults:
    share: float
    kinds: tuple[FaultKind, ...]
    rng: random.Random
    delay: float


class FaultPlan:
    """Faults queued per method, plus an optional random share of all calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._random: _RandomFaults | None = None

    def queue(self, method: str, fault: Fault, count: int) -> None:
        with self._lock:
            self._queued[method].extend([fault] * count)

    def randomly(self, share: float, kinds: Iterable[str], seed: int | None, delay: float) -> None:
        if not 0.0 <= share <= 1.0:
            raise ValueError("share is a fraction between 0 and 1")
        with self._lock:
            self._random = _RandomFaults(
                share, tuple(FaultKind(k) for k in kinds), random.Random(seed), delay
            )

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
            self._random = None

    def next_for(self, method: str) -> Fault | None:
        with self._lock:
            queued = self._queued.get(method)
            if queued:
                return queued.popleft()
            chance = self._random
            if chance is not None and chance.kinds and chance.rng.random() < chance.share:
                return Fault(chance.rng.choice(chance.kinds), delay=chance.delay)
            return None


class TierLimiter:
    """Counts calls per method in a sliding minute against the method's tier, by the fake's
    clock; chat.postMessage is counted per channel per second instead, as Slack documents."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.enabled = False
        self._recent: defaultdict[tuple[str, str], deque[float]] = defaultdict(deque)

    def reset(self) -> None:
        with self._lock:
            self._recent.clear()

    def admit(self, method: str, channel: str | None, now: float) -> int | None:
        """None when the call may go ahead (and is counted), else seconds to Retry-After."""
        if not self.enabled:
            return None
        if method == "chat.postMessage":
            key, window, limit = (method, channel or ""), 1.0, POST_MESSAGE_PER_CHANNEL_PER_SECOND
        else:
            key, window, limit = (method, ""), 60.0, calls_per_minute(method)
        with self._lock:
            recent = self._recent[key]
            while recent and recent[0] <= now - window:
                recent.popleft()
            if len(recent) >= limit:
                return max(1, math.ceil(recent[0] + window - now))
            recent.append(now)
            return None
