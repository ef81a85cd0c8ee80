"""Retention over years with the clock moved forward, through Slack and the daily job: a
term's private notes stay for the set number of days after it ends and are gone the day
after; people in no current term are pseudonymised the set number of months after their
last term (counts kept; names, e-mails and Slack IDs gone); people in the current term and
the coordinators are kept; running the job again changes nothing; one person who cannot be
pseudonymised does not stop the others and is done on the next run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.jobs import JOBS
from storage.db import write_session
from storage.models import (
    Attendance,
    Meeting,
    MemberRole,
    Membership,
    Participant,
    Person,
    Term,
    Vote,
)
from storage.privacy import replace_identity
from tests.conftest import COORDINATOR
from tests.support.clock import FakeClock
from tests.support.harness import BotUnderTest
from tests.support.privacy import assert_nothing_identifies, group_that_met
from tests.support.scenario import Group, stored

NOTE = "Bo seemed worried about exams"
TERM_ENDS = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)  # the scenario's term: Autumn 2026


def retention(bot: BotUnderTest) -> str:
    return JOBS["retention"](bot.runtime, bot.client)


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    group = group_that_met(bot, note=NOTE)
    with write_session(bot.runtime.engine) as session:
        # A note to the coordinators, as the sign-up form stores it.
        term = session.exec(select(Term).where(Term.is_current)).one()
        assert term.id is not None
        session.add(
            Participant(
                term_id=term.id,
                slack_user_id=group.mentees[1].id,
                role=MemberRole.MENTEE,
                note="Please not with my cousin",
            )
        )
        session.add(
            Participant(
                term_id=term.id,
                slack_user_id=group.mentees[2].id,
                role=MemberRole.MENTEE,
                programme="Nursing",
                availability="mon-evening",
                themes="Exams",
            )
        )
    return group


def _notes(bot: BotUnderTest) -> list[str | None]:
    return [m.mentor_note for m in stored(bot, Meeting)] + [
        p.note for p in stored(bot, Participant)
    ]


def test_notes_are_kept_for_the_set_days_after_the_term_and_gone_the_day_after(
    bot: BotUnderTest, group: Group, clock: FakeClock
) -> None:
    del group
    assert "deleted 0 private meeting notes" in retention(bot)
    clock.set(TERM_ENDS + timedelta(days=30))
    assert "deleted 0 private meeting notes and 0 notes to coordinators" in retention(bot)
    assert NOTE in _notes(bot)
    assert "Please not with my cousin" in _notes(bot)

    clock.advance(timedelta(days=1))
    report = retention(bot)
    assert "deleted 1 private meeting note and 1 note to coordinators" in report
    assert set(_notes(bot)) == {None}
    assert len(stored(bot, Meeting)) == 1  # the meeting is still counted
    assert "deleted 0 private meeting notes" in retention(bot)


def test_a_shorter_setting_deletes_notes_sooner(
    bot: BotUnderTest, group: Group, clock: FakeClock
) -> None:
    del group
    settings = bot.runtime.settings.model_copy(update={"notes_kept_days": 0})
    clock.set(TERM_ENDS + timedelta(days=1))
    runtime = bot.runtime.__class__(settings=settings, engine=bot.runtime.engine, clock=clock)
    assert "deleted 1 private meeting note" in JOBS["retention"](runtime, bot.client)


def test_people_in_no_current_term_are_pseudonymised_after_the_set_months(
    bot: BotUnderTest, group: Group, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, bo, cy, di = group.members
    # A name is looked for in every cell only where it cannot be part of ordinary words
    # ("Di" is in "did"); the person row's own name is checked below for everyone.
    identities = {
        user.id: (user.id, user.email or "", *[n for n in [user.real_name] if n and len(n) > 3])
        for user in group.members
    }
    # A coordinator who once certified themself: known since 2026, in no term.
    first_admin = bot.slack.add_channel("coordination-2026", [COORDINATOR]).id
    bot.command(COORDINATOR, first_admin, f"certify <@{COORDINATOR}>")
    counts = {model.__name__: len(stored(bot, model)) for model in (Attendance, Vote, Membership)}

    # The next term: Cy signs on again with a new mentor; the others do not.
    clock.set(datetime(2027, 8, 20, 9, 0, tzinfo=UTC))
    admin = bot.slack.add_channel("coordination-2027", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, 'term new "Autumn 2027" 2027-09-01 2028-01-31 min=3')
    eva = bot.slack.add_user("eva", real_name="Eva Holm")
    bot.command(COORDINATOR, admin, f"certify <@{eva.id}>")
    bot.command(COORDINATOR, admin, f"group create <@{eva.id}> <@{cy.id}>")
    assert any(m.slack_user_id == cy.id and m.term_id != 1 for m in stored(bot, Membership))

    clock.set(TERM_ENDS.replace(year=2028))  # twelve months after Autumn 2026 ended
    assert "pseudonymised 0 people" in retention(bot)
    assert {p.slack_user_id for p in stored(bot, Person)} >= {anna.id, bo.id, di.id}

    # One person whose pseudonymisation fails does not stop the others.
    def failing_for_bo(session: Any, identity: Any, **kwargs: Any) -> Any:
        if identity.user_id == bo.id:
            raise RuntimeError("disk full")
        return replace_identity(session, identity, **kwargs)

    monkeypatch.setattr("bot.services.privacy.replace_identity", failing_for_bo)
    clock.advance(timedelta(days=1))
    report = retention(bot)
    assert "pseudonymised 2 people; 1 failed, retried next run" in report
    monkeypatch.undo()
    assert "pseudonymised 1 person" in retention(bot)
    assert "pseudonymised 0 people" in retention(bot)

    people = {p.slack_user_id: p for p in stored(bot, Person)}
    for gone in (anna, bo, di):
        assert gone.id not in people
        assert_nothing_identifies(bot.runtime.engine, *identities[gone.id])
    assert people[cy.id].name == cy.real_name  # in the current term: kept
    assert "Anna Berg" in identities[anna.id]
    assert people[eva.id].name == "Eva Holm"
    # The coordinators are never pseudonymised: what they did still names them.
    assert people[COORDINATOR].pseudonymised_at is None
    assert {t.created_by for t in stored(bot, Term)} == {COORDINATOR}
    former = [p for p in people.values() if p.pseudonymised_at is not None]
    assert len(former) == 3
    assert all(p.name.startswith("Former participant ") and p.email is None for p in former)
    assert len(stored(bot, Membership)) == counts["Membership"] + 2  # + Eva's group
    assert len(stored(bot, Attendance)) == counts["Attendance"]
    assert len(stored(bot, Vote)) == counts["Vote"]
    # A roster line keeps the categories the figures are broken down by, nothing more.
    [di_line] = [p for p in stored(bot, Participant) if p.programme == "Nursing"]
    assert people[di_line.slack_user_id].pseudonymised_at is not None
    assert (di_line.availability, di_line.themes) == (None, None)
    # Attendance counts per person stay: four people came, still four distinct people.
    assert len({a.slack_user_id for a in stored(bot, Attendance)}) == 4
