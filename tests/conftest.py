"""Shared fixtures. Every database test runs twice: on SQLite (the embedded default) and on
PostgreSQL (MENTORBOT_TEST_POSTGRES_URL, by default the local server); where no server
answers, the PostgreSQL runs are skipped with the reason shown."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.runtime import Runtime
from bot.services.themes import seed_default_themes
from storage.db import make_engine
from storage.migrate import upgrade
from tests.support.clock import FakeClock
from tests.support.harness import BotUnderTest, running_bot

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# The local server by default; set MENTORBOT_TEST_POSTGRES_URL="" to run on SQLite only.
POSTGRES_URL = os.environ.get("MENTORBOT_TEST_POSTGRES_URL", LOCAL_POSTGRES)
COORDINATOR = "UCOORD001"


def _postgres_unavailable_reason() -> str | None:
    if not POSTGRES_URL:
        return "PostgreSQL tests skipped: MENTORBOT_TEST_POSTGRES_URL is empty"
    try:
        with create_engine(POSTGRES_URL).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means the server is not usable
        return f"PostgreSQL tests skipped: cannot connect to {POSTGRES_URL}: {error}"
    return None


_POSTGRES_SKIP = _postgres_unavailable_reason()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mentorbot.db'}"
        return
    if _POSTGRES_SKIP:
        pytest.skip(_POSTGRES_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN="xoxb-fake-bot-token",
        SLACK_SIGNING_SECRET="test-signing-secret",
        MENTORBOT_DATABASE_URL=database_url,
        MENTORBOT_COORDINATORS=COORDINATOR,
        MENTORBOT_TIMEZONE="Europe/Copenhagen",
        _env_file=None,
    )


@pytest.fixture
def runtime(settings: Settings, engine: Engine, clock: FakeClock) -> Runtime:
    runtime = Runtime(settings=settings, engine=engine, clock=clock)
    seed_default_themes(runtime)
    return runtime


@pytest.fixture
def bot(runtime: Runtime) -> Iterator[BotUnderTest]:
    with running_bot(runtime) as bot:
        yield bot
