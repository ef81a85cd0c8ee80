"""What the app sent the fake, in order: Web API calls and response_url posts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

# http_status of a call whose connection the fake closed without answering.
DROPPED = 0


@dataclass(frozen=True)
class Call:
    """One Web API call: arguments as the app sent them (form values are strings, JSON
    bodies keep their types; the token is left out), and what the fake answered."""

    method: str
    args: dict[str, Any]
    response: dict[str, Any]
    http_status: int
    at: float
    retry_after: int | None = None
    """The `Retry-After` of a 429 answer, in seconds."""

    @property
    def ok(self) -> bool:
        return self.http_status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass(frozen=True)
class ResponseUrlPost:
    """One POST to a response_url the fake issued, and the HTTP answer it got."""

    response_url_id: str
    body: dict[str, Any]
    http_status: int
    answer: str
    at: float


Entry = TypeVar("Entry")


class Journal(Generic[Entry]):
    """An append-only, thread-safe list the HTTP threads write and tests read (and wait on:
    Bolt acks first and calls the Web API afterwards, on another thread)."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._entries: list[Entry] = []

    def append(self, entry: Entry) -> None:
        with self._lock:
            self._entries.append(entry)
            self._lock.notify_all()

    def wait_for(self, matches: Callable[[Entry], bool], count: int, timeout: float) -> list[Entry]:
        """The first `count` entries that match, once there are that many; TimeoutError if
        they do not all arrive within `timeout` seconds."""
        with self._lock:

            def enough() -> bool:
                return sum(1 for e in self._entries if matches(e)) >= count

            if not self._lock.wait_for(enough, timeout):
                found = sum(1 for e in self._entries if matches(e))
                raise TimeoutError(f"{found} of {count} expected entries within {timeout} s")
            return [e for e in self._entries if matches(e)][:count]

    def entries(self) -> list[Entry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
