"""Identifiers in Slack's formats: prefixed upper-case IDs and message timestamps.

IDs are sequential rather than random so a failing test prints the same IDs on every run.
"""

from __future__ import annotations

import secrets
import threading
from collections import defaultdict
from collections.abc import Callable


class IdFactory:
    """Hands out IDs like "C00000001": Slack's prefix letter, then upper-case alphanumerics."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._issued: defaultdict[str, int] = defaultdict(int)

    def next(self, prefix: str) -> str:
        with self._lock:
            self._issued[prefix] += 1
            return f"{prefix}{self._issued[prefix]:08d}"


class TimestampFactory:
    """Message timestamps ("1700000000.000100"): unique and increasing, taken from the clock.

    Slack's `ts` doubles as the message ID, so two messages must never share one even when the
    test clock stands still; each new ts is at least a microsecond after the previous one.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._last_micros = 0

    def next(self) -> str:
        with self._lock:
            micros = max(int(self._clock() * 1_000_000), self._last_micros + 1)
            self._last_micros = micros
        seconds, fraction = divmod(micros, 1_000_000)
        return f"{seconds}.{fraction:06d}"


def random_hex(length: int) -> str:
    return secrets.token_hex((length + 1) // 2)[:length]


def trigger_id(sequence: int) -> str:
    # Slack documents the shape as "132456.7890123.abcdef".
    return f"{sequence}.{7000000000000 + sequence}.{random_hex(32)}"
