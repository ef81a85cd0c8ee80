"""Storage basics on both databases: migrations, aware timestamps, exactly-once claims."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import outbox
from storage.db import database_reachable, make_engine, read_session, write_session
from storage.events import claim_event, forget_events_before
from storage.groups import GroupClash, add_member, group_with_members, insert_group
from storage.meetings import cancel_planned_meeting, insert_meeting, meeting_by_id
from storage.migrate import (
    current_revision,
    head_revision,
    newest_revision,
    stored_revision,
    upgrade,
    upgrade_if_needed,
)
from storage.models import (
    Meeting,
    MeetingState,
    MentorGroup,
    Outbox,
    Person,
    ProcessedEvent,
    Term,
)
from storage.progress import claim_nudge, finish_nudge

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


_MIGRATE_WHEN_TOLD = """
import sys
from storage.db import make_engine
from storage.migrate import upgrade_if_needed
engine = make_engine(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
upgrade_if_needed(engine)
"""


def test_processes_started_together_on_a_new_database_migrate_it_once(database_url: str) -> None:
    """The bot, its worker and a job runner may all start on a database nobody has migrated
    yet: one migrates, the others wait for it and find the schema current."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE_WHEN_TOLD, database_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n", "the process could not start"
    for process in processes:  # all imported and waiting: told at once, they race
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in processes:
        _, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
    engine = make_engine(database_url)
    assert stored_revision(engine) == current_revision(engine) == newest_revision()
    engine.dispose()


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


def test_a_send_is_claimed_once_and_taken_over_only_when_its_claim_is_stale(
    engine: Engine,
) -> None:
    lease = timedelta(minutes=10)

    def claim_at(moment: datetime) -> bool:
        with write_session(engine) as session:
            return outbox.claim(
                session, kind="digest", key="w48", now=moment, stale_before=moment - lease
            )

    assert claim_at(NOW)
    assert not claim_at(NOW + timedelta(minutes=9)), "a claim in progress is left alone"
    assert claim_at(NOW + timedelta(minutes=11)), "a claim its process left is taken over"
    with write_session(engine) as session:
        outbox.mark_sent(session, kind="digest", key="w48", now=NOW)
    assert not claim_at(NOW + timedelta(days=1)), "what was sent is never sent again"
    with read_session(engine) as session:
        row = session.exec(select(Outbox)).one()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_nudge_left_half_sent_today_is_taken_over_once_stale(engine: Engine) -> None:
    group_id = _a_group(engine)
    today = NOW.date()
    lease = timedelta(minutes=10)

    def claim_at(moment: datetime) -> bool:
        with write_session(engine) as session:
            return claim_nudge(
                session,
                group_id=group_id,
                today=today,
                spacing=timedelta(days=7),
                now=moment,
                stale_before=moment - lease,
            )

    assert claim_at(NOW)
    assert not claim_at(NOW + timedelta(minutes=5))
    assert claim_at(NOW + timedelta(minutes=15))
    with write_session(engine) as session:
        finish_nudge(session, group_id=group_id, today=today, sent=True)
    assert not claim_at(NOW + timedelta(hours=2)), "one nudge a week"


def _a_group(engine: Engine) -> int:
    with write_session(engine) as session:
        term = Term(
            name="T",
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 1, 31),
            timezone="UTC",
            is_current=True,
            created_at=NOW,
            created_by="U1",
        )
        session.add(term)
        session.flush()
        group = MentorGroup(
            term_id=term.id or 0, name="G", member_key="k", created_at=NOW, created_by="U1"
        )
        session.add(group)
        session.flush()
        return group.id or 0


def _a_planned_meeting(engine: Engine, group_id: int) -> int:
    with write_session(engine) as session:
        meeting = Meeting(
            group_id=group_id,
            starts_at=NOW - timedelta(hours=3),
            ends_at=NOW - timedelta(hours=2),
            created_at=NOW,
        )
        session.add(meeting)
        session.flush()
        return meeting.id or 0


def _log(engine: Engine, group_id: int, meeting_id: int) -> None:
    with write_session(engine) as session:
        planned = meeting_by_id(session, meeting_id)
        insert_meeting(
            session,
            group_id=group_id,
            starts_at=NOW - timedelta(hours=3),
            ends_at=NOW - timedelta(hours=2),
            planned=planned,
            theme_id=None,
            attendees=["U1"],
            note=None,
            logged_by="U1",
            now=NOW,
        )


def test_a_meeting_logged_meanwhile_is_not_called_off(engine: Engine) -> None:
    """ "No, we did not meet" and a log of the same meeting at the same moment: the log that
    commits first stands. On PostgreSQL the answer's transaction has read the meeting as
    planned when the log commits; a read-then-rewrite would then overwrite the log. (SQLite
    runs write transactions one at a time, so there the log commits before the answer's.)"""
    group_id = _a_group(engine)
    meeting_id = _a_planned_meeting(engine, group_id)
    postgres = engine.dialect.name == "postgresql"
    with write_session(engine) if postgres else read_session(engine) as answer:
        seen = meeting_by_id(answer, meeting_id)
        assert seen is not None
        assert seen.state == MeetingState.PLANNED.value
        if postgres:
            logger = threading.Thread(target=_log, args=(engine, group_id, meeting_id))
            logger.start()
            logger.join(timeout=10)
            assert not cancel_planned_meeting(answer, meeting_id=meeting_id)
    if not postgres:
        _log(engine, group_id, meeting_id)
        with write_session(engine) as answer:
            assert not cancel_planned_meeting(answer, meeting_id=meeting_id)
    with read_session(engine) as session:
        stored = meeting_by_id(session, meeting_id)
    assert stored is not None
    assert stored.state == MeetingState.HELD.value
    assert stored.logged_by == "U1"


def test_a_planned_meeting_is_called_off_once(engine: Engine) -> None:
    meeting_id = _a_planned_meeting(engine, _a_group(engine))
    with write_session(engine) as session:
        assert cancel_planned_meeting(session, meeting_id=meeting_id)
    with write_session(engine) as session:
        assert not cancel_planned_meeting(session, meeting_id=meeting_id)
        stored = meeting_by_id(session, meeting_id)
    assert stored is not None
    assert stored.state == MeetingState.CANCELLED.value


def test_a_group_that_clashes_with_one_stored_meanwhile_is_refused(engine: Engine) -> None:
    """A mentee is in one group per term: the unique index decides, and storage says so in
    its own terms (GroupClash), not as a database error."""
    first = _a_group(engine)
    with write_session(engine) as session:
        term_id = session.exec(select(MentorGroup.term_id)).one()
        for user_id in ("U1", "U2", "U3"):
            session.add(Person(slack_user_id=user_id, name=user_id))
        group = session.get(MentorGroup, first)
        assert group is not None
        add_member(session, group=group, slack_user_id="U2", role="mentee", now=NOW)
    with pytest.raises(GroupClash), write_session(engine) as session:
        insert_group(
            session,
            term_id=term_id,
            name="Other",
            member_key="other",
            mentor_id="U3",
            mentee_ids=("U2",),
            created_by="U1",
            now=NOW,
        )
    with read_session(engine) as session:
        assert len(session.exec(select(MentorGroup)).all()) == 1


def test_a_group_is_read_with_its_mentors_first(engine: Engine) -> None:
    group_id = _a_group(engine)
    with write_session(engine) as session:
        for user_id in ("UA", "UZ"):
            session.add(Person(slack_user_id=user_id, name=user_id))
        group = session.get(MentorGroup, group_id)
        assert group is not None
        # A mentee whose ID sorts before the mentor's, and a second mentor after it.
        add_member(session, group=group, slack_user_id="UA", role="mentee", now=NOW)
        add_member(session, group=group, slack_user_id="UZ", role="mentor", now=NOW)
    with read_session(engine) as session:
        found = group_with_members(session, group_id=group_id)
    assert found is not None
    roles = [role for _, role in found[2]]
    assert roles == sorted(roles, key=lambda role: role != "mentor")
