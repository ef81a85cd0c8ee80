"""Storage basics on both databases: migrations, aware timestamps, exactly-once claims."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from storage.db import database_reachable, make_engine, read_session, write_session
from storage.events import claim_event, forget_events_before
from storage.migrate import (
    current_revision,
    head_revision,
    newest_revision,
    stored_revision,
    upgrade,
    upgrade_if_needed,
)
from storage.models import ProcessedEvent

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_migrations_reach_head_and_rerun_harmlessly(engine: Engine) -> None:
    assert current_revision(engine) == head_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    assert database_reachable(engine)


def test_the_quick_schema_check_agrees_with_alembic(engine: Engine, tmp_path: Path) -> None:
    assert newest_revision() == head_revision(engine)
    assert stored_revision(engine) == current_revision(engine) == newest_revision()
    assert not upgrade_if_needed(engine), "a current schema is left alone"
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert stored_revision(fresh) is None
    assert upgrade_if_needed(fresh)
    assert current_revision(fresh) == newest_revision()
    fresh.dispose()


def test_timestamps_come_back_aware_in_utc(engine: Engine) -> None:
    copenhagen_morning = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    with write_session(engine) as session:
        claim_event(session, event_id="Ev1", event_type="app_home_opened", now=copenhagen_morning)
    with read_session(engine) as session:
        stored = session.exec(select(ProcessedEvent)).one()
    assert stored.received_at == copenhagen_morning
    assert stored.received_at.tzinfo == UTC


def test_naive_timestamps_are_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), write_session(engine) as session:
        claim_event(session, event_id="Ev1", event_type="x", now=datetime(2026, 1, 1))  # noqa: DTZ001


def test_an_event_is_claimed_once_under_concurrent_deliveries(engine: Engine) -> None:
    def claim(_: int) -> bool:
        with write_session(engine) as session:
            return claim_event(session, event_id="Ev42", event_type="x", now=NOW)

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(claim, range(16)))
    assert outcomes.count(True) == 1
    with read_session(engine) as session:
        assert len(session.exec(select(ProcessedEvent)).all()) == 1


def test_old_event_ids_are_forgotten(engine: Engine) -> None:
    with write_session(engine) as session:
        claim_event(session, event_id="old", event_type="x", now=NOW - timedelta(hours=3))
        claim_event(session, event_id="new", event_type="x", now=NOW)
    with write_session(engine) as session:
        assert forget_events_before(session, cutoff=NOW - timedelta(hours=2)) == 1
    with read_session(engine) as session:
        assert [e.event_id for e in session.exec(select(ProcessedEvent)).all()] == ["new"]


def test_models_and_migrations_agree(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == [], "run `mentorbot db revision -m …` to add a migration"
