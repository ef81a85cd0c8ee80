"""Engines and sessions: one session per Slack request or job, never shared between them.

SQLite is tuned for a bot that many threads write to at once: WAL so readers never wait for
the writer, a busy timeout so writers queue instead of failing, and `BEGIN IMMEDIATE` for
write sessions, because a deferred transaction that reads and then writes can fail with
"database is locked" at once, whatever the timeout (ENGINEERING-NOTES §3).
"""

from __future__ import annotations

import fcntl
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Delete, Update, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine import Engine as Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session as Session
from sqlmodel import create_engine

# `Engine` and `Session` are re-exported (imported `as` themselves): the layers above name the
# engine and the unit of work they hand to storage/'s functions from here, and never import
# the database library themselves. Likewise its errors:
DatabaseError = SQLAlchemyError
"""Any failure of the database (lost connection, lock timeout, a broken constraint): what
the layers above catch where a failed read or write must become a clean refusal."""

SQLITE_BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "mentorbot_begin_immediate"
_NO_SNAPSHOT = "mentorbot_no_snapshot"
SQLITE_POOL_SIZE = 24
"""More than the threads of one process that use the database at once; a connection over
the pool's size is opened and closed for each use, and opening one runs the PRAGMAs below."""

logger = logging.getLogger(__name__)
T = TypeVar("T")


def rows_changed(session: Session, statement: Update | Delete) -> int:
    """Run an UPDATE or DELETE in the session; how many rows it changed.

    The conditional updates that move a state once (a poll closed, a claim taken) are decided
    by this count."""
    return session.exec(statement).rowcount


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and explicit BEGINs."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, echo=echo)
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        # One shared connection keeps an in-memory database alive across sessions.
        poolclass=StaticPool if in_memory else None,
        **({} if in_memory else {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 8}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get(_NO_SNAPSHOT, False):
            return  # each statement on its own (see read_session)
        immediate = options.get(_IMMEDIATE, False)
        # Straight to the driver: through SQLAlchemy, BEGIN cost as much as a query.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def read_session(engine: Engine, *, snapshot: bool = True) -> Iterator[Session]:
    """A session for reads; it never takes SQLite's write lock.

    Its reads see one snapshot of the database. A session of a single statement needs none:
    `snapshot=False` spares SQLite's BEGIN and ROLLBACK, two of the three trips to the
    database such a read makes, on the path of forms that are checked before they close."""
    bind = engine.execution_options(**{_NO_SNAPSHOT: True}) if not snapshot else engine
    with Session(bind, expire_on_commit=False) as session:
        yield session


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for one read statement, without an ORM session: for the lookup at the
    start of every command and form, where the session and the ORM's loading cost twice what
    the query does (`bench.bench_ack`). Like `read_session(snapshot=False)` it spares
    SQLite's BEGIN and ROLLBACK."""
    with engine.connect().execution_options(**{_NO_SNAPSHOT: True}) as connection:
        yield connection


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error.

    On SQLite it starts with BEGIN IMMEDIATE so a read-then-write cannot fail half-way.
    Keep it short and make no Slack calls inside it.
    """
    if not _is_sqlite(engine):
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
        return
    bind = engine.execution_options(**{_IMMEDIATE: True})
    with (
        _writer_turn(engine),
        Session(bind, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


class _WriterQueue:
    """The writers of one SQLite database file, across threads and processes, queueing for
    their turn in the kernel (a thread lock, then `flock` on a lock file beside the database).

    Without it a writer that finds the database locked sleeps in SQLite's busy handler for
    1, 2, 5, 10, … ms and looks again, and may lose the race again: with the bot and its
    worker writing at once, acknowledgements waited up to 130 ms for a lock held well under
    1 ms. A writer queued here is woken the moment the lock is free."""

    def __init__(self, path: str) -> None:
        self._thread_lock = threading.Lock()
        self._file = open(f"{path}.lock", "a+b")  # noqa: SIM115 - held for the process's life

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._thread_lock:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Held by whoever changes the schema, across processes: the bot, its worker and a job
    runner started together on a new database must not all migrate it at once.

    SQLite's writers' queue serves (Alembic's own connections never take it); PostgreSQL
    gets a session advisory lock, released when the connection holding it closes."""
    if _is_sqlite(engine):
        with _writer_turn(engine):
            yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            connection.commit()


_SCHEMA_LOCK_KEY = 0x6D656E746F72  # "mentor": any fixed number no other lock of ours uses


_writer_queues: dict[str, _WriterQueue] = {}
_writer_queues_lock = threading.Lock()


@contextmanager
def _writer_turn(engine: Engine) -> Iterator[None]:
    path = engine.url.database
    if not path or path == ":memory:":
        yield
        return
    with _writer_queues_lock:
        writers = _writer_queues.get(path)
        if writers is None:
            writers = _writer_queues[path] = _WriterQueue(path)
    with writers.turn():
        yield


WriteWork = Callable[[Session], T]


class GroupCommit:
    """Runs the short write transactions of many threads on one thread, committing all that
    queued up meanwhile under one COMMIT.

    Every acknowledgement that stores something (a vote, a follow-up) waits for its commit.
    When 50 threads commit at once, SQLite lets one write and the others sleep in its busy
    handler, and interpreter threads waiting for each other make it worse: acknowledgements
    took up to 0.7 s. One writer committing whatever has queued up keeps them within tens of
    milliseconds (`bench.bench_ack`). If any unit in a batch fails, each is run again alone,
    so a unit's error reaches only its own caller.
    """

    def __init__(self, engine: Engine, *, max_batch: int = 64) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[WriteWork[Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._commit_forever, name="group-commit")
        self._thread.daemon = True
        self._thread.start()

    def run(self, work: WriteWork[T]) -> T:
        """Run `work` in a write transaction; returns its result once committed."""
        future: Future[T] = Future()
        self._queue.put((work, future))
        return future.result()

    def close(self) -> None:
        """Commit what is queued, then stop the writer thread."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _commit_forever(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    unit = self._queue.get_nowait()
                except queue.Empty:
                    break
                if unit is None:
                    self._commit(batch)
                    return
                batch.append(unit)
            self._commit(batch)

    def _commit(self, batch: list[tuple[WriteWork[Any], Future[Any]]]) -> None:
        if len(batch) > 1:
            try:
                with write_session(self._engine) as session:
                    results = [work(session) for work, _ in batch]
            except Exception:  # noqa: BLE001 - whose unit failed is found by running each alone
                logger.debug("a batch of %s writes failed; running each alone", len(batch))
            else:
                for (_, future), result in zip(batch, results, strict=True):
                    future.set_result(result)
                return
        for work, future in batch:
            try:
                with write_session(self._engine) as session:
                    result = work(session)
            except BaseException as error:  # noqa: BLE001 - handed to the caller, who raises it
                future.set_exception(error)
            else:
                future.set_result(result)


@dataclass(frozen=True)
class DatabaseUrl:
    """A database URL as read, for checking it before it is used and for messages."""

    backend: str
    """"sqlite" or "postgresql"."""
    database: str
    """SQLite's file (empty or ":memory:" for none), or the database's name."""
    shown: str
    """The URL with its password hidden."""


def read_database_url(url: str) -> DatabaseUrl | None:
    """`url` read as a database URL; None if it cannot be read as one."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    return DatabaseUrl(
        backend=parsed.get_backend_name(),
        database=parsed.database or "",
        shown=parsed.render_as_string(),
    )


def database_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not reachable" for a health check
        return False
    return True


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
