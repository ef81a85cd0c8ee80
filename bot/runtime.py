"""What every listener and job needs, built once at start-up and passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


class RequestReplayed(BaseException):
    """The request being handled was handled before (its replay record was already there);
    nothing it wrote is kept.

    A BaseException, as KeyboardInterrupt is: Bolt's listener runner and the app's error
    handler catch Exception, and must not turn a replay into an apology. It unwinds through
    the listener to the HTTP boundary, which answers the replay with an empty 200."""


class _SeenBefore(Exception):
    """Raised inside a unit of work to roll it back; the caller's thread then raises
    `RequestReplayed` (the group commit hands a unit's Exception to its caller)."""


@dataclass
class ReplayRecord:
    """The HTTP request's replay record, stored with the request's first write.

    `remember` inserts the record and says whether it is new. A request that writes stores
    it in the same transaction as that write: one commit to wait for instead of two, and of
    two deliveries of the same request (two threads, two processes) exactly one commits its
    writes, as the database's unique key decides. A request that writes nothing has it
    stored by the boundary before its answer goes out (`stored` is then still False).

    This relies on what the listeners on the acknowledgement path do: their effects are
    database writes through `Runtime.write` and the answer itself, never a Slack call
    (bot/app.py); the worker makes the calls, from what was written."""

    remember: Callable[[Session], bool]
    stored: bool = False


_replay_record: ContextVar[ReplayRecord | None] = ContextVar("replay_record", default=None)


@contextmanager
def storing_with_first_write(record: ReplayRecord) -> Iterator[ReplayRecord]:
    """While handling one request on this thread, its first `Runtime.write` stores `record`
    in the same transaction, and raises `RequestReplayed` if it was there before."""
    token = _replay_record.set(record)
    try:
        yield record
    finally:
        _replay_record.reset(token)


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
        """Run `work` in a write transaction and return its result once committed.

        Inside an HTTP request whose replay record is not stored yet, the record goes into
        the same transaction, first (see `ReplayRecord`)."""
        record = _replay_record.get()
        if record is None or record.stored:
            return self._commit(work)

        def recorded_then_work(session: Session) -> T:
            if not record.remember(session):
                raise _SeenBefore
            return work(session)

        try:
            result = self._commit(recorded_then_work)
        except _SeenBefore:
            raise RequestReplayed from None
        record.stored = True
        return result

    def _commit(self, work: Callable[[Session], T]) -> T:
        if self.group_commit is not None:
            return self.group_commit.run(work)
        with write_session(self.engine) as session:
            return work(session)
