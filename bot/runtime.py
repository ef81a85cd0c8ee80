"""What every listener and job needs, built once at start-up and passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from bot.config import Settings
from storage.db import Engine, GroupCommit, Session, write_session

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


def _no_worker_to_wake() -> None:
    """Jobs, the CLI and the worker itself find new work on their next pass."""


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime] = field(default=utc_now)
    """The current time, aware; tests pass their own instead of sleeping."""
    group_commit: GroupCommit | None = None
    """The web process commits the writes its acknowledgements wait for together."""
    wake_worker: Callable[[], None] = field(default=_no_worker_to_wake)
    """Tells the worker process there is new work for it (follow-ups, polls to redraw)."""

    def now(self) -> datetime:
        return self.clock()

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a write transaction and return its result once committed."""
        if self.group_commit is not None:
            return self.group_commit.run(work)
        with write_session(self.engine) as session:
            return work(session)
