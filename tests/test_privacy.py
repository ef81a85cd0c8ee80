"""A person's data, exported and erased from a terminal (`mentorbot privacy …`) after a term
of real use through Slack: the export holds what is about them and not what is about others;
after erasing, no table holds their Slack ID, name or e-mail (every column of every table
is walked), while the counts (meetings, attendance, votes) stay; both are logged without the
data itself; an unknown person is one line on stderr."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from bot.cli import cli
from storage.db import read_session, write_session
from storage.models import (
    Attendance,
    Meeting,
    MemberRole,
    Membership,
    MentorGroup,
    Participant,
    Person,
    Poll,
    Term,
    Vote,
)
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.privacy import assert_nothing_identifies, cells_holding, group_that_met
from tests.support.scenario import Group, stored

SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "MENTORBOT_DATABASE_URL",
    "MENTORBOT_COORDINATORS",
    "MENTORBOT_TIMEZONE",
)
NOTE = "Bo seemed worried about exams"


@pytest.fixture
def terminal(bot: BotUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's environment: the bot's database, in a folder with no .env."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MENTORBOT_DATABASE_URL", bot.runtime.settings.database_url)
    monkeypatch.setenv("MENTORBOT_COORDINATORS", COORDINATOR)


@pytest.fixture
def group(bot: BotUnderTest, terminal: None) -> Group:
    """A group after some weeks: a poll Anna (the mentor) started and everyone answered, a
    meeting she logged with a private note, and her own note to the coordinators."""
    del terminal
    group = group_that_met(bot, note=NOTE)
    with write_session(bot.runtime.engine) as session:
        # What a sign-up form stores (tests/test_e2e_signup.py goes through the form itself).
        term = session.exec(select(Term).where(Term.is_current)).one()
        assert term.id is not None
        session.add(
            Participant(
                term_id=term.id,
                slack_user_id=group.mentor.id,
                role=MemberRole.MENTOR,
                programme="Nursing",
                note="I can only meet on campus",
            )
        )
        session.add(
            Participant(
                term_id=term.id,
                slack_user_id=group.mentees[0].id,
                role=MemberRole.MENTEE,
                preferred_mentor=group.mentor.id,
            )
        )
    return group


def _person(bot: BotUnderTest, user_id: str) -> Person | None:
    with read_session(bot.runtime.engine) as session:
        return session.get(Person, user_id)


def test_export_holds_what_is_about_them_and_nothing_of_others(
    bot: BotUnderTest, group: Group, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    anna = group.mentor
    assert anna.email is not None
    caplog.set_level(logging.INFO, logger="bot.services.privacy")
    result = CliRunner().invoke(cli, ["privacy", "export", anna.email.upper()])
    assert result.exit_code == 0, result.stderr
    exported = json.loads(result.stdout)["tables"]

    [person] = exported["person"]
    assert person["name"] == "Anna Berg"
    assert person["email"] == anna.email
    assert person["certified_by"] == COORDINATOR
    [meeting] = exported["meeting"]
    assert meeting["mentor_note"] == NOTE
    assert len(exported["attendance"]) == 1
    assert len(exported["vote"]) == len(
        [v for v in stored(bot, Vote) if v.slack_user_id == anna.id]
    )
    assert exported["poll"][0]["created_by"] == anna.id
    assert {row["programme"] for row in exported["participant"] if "programme" in row} == {
        "Nursing"
    }
    # Bo's wish to be with Anna is in the export as that one column, not Bo's whole row.
    [wish] = [row for row in exported["participant"] if "slack_user_id" not in row]
    assert set(wish) == {"id", "preferred_mentor"}
    text = result.stdout
    for mentee in group.mentees:
        assert mentee.id not in text

    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.services.privacy"]
    assert line.startswith("privacy export ")
    assert "rows from" in line
    for secret in (anna.id, anna.email, "Anna Berg"):
        assert secret not in line

    out = tmp_path / "anna.json"
    written = CliRunner().invoke(cli, ["privacy", "export", anna.id, "--out", str(out)])
    assert written.exit_code == 0, written.stderr
    assert f"to {out}" in written.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["tables"]["person"][0]["name"] == (
        "Anna Berg"
    )


def test_erase_leaves_no_id_name_or_email_anywhere_and_keeps_the_counts(
    bot: BotUnderTest, group: Group, caplog: pytest.LogCaptureFixture
) -> None:
    anna = group.mentor
    assert anna.email is not None
    secrets = (anna.id, anna.email, "Anna Berg")
    assert cells_holding(bot.runtime.engine, *secrets)  # the walk finds what is there
    counts_before = {
        model.__name__: len(stored(bot, model))
        for model in (Meeting, Attendance, Vote, Membership, Participant, Poll)
    }

    [named] = stored(bot, MentorGroup)
    assert named.name == "Anna's group"
    assert named.channel_name is not None
    assert "annas-group" in named.channel_name

    asked = CliRunner().invoke(cli, ["privacy", "erase", anna.email])
    assert asked.exit_code == 2
    assert "--yes" in asked.stderr
    assert len(asked.stderr.splitlines()) == 1
    assert "person: 1" in asked.stdout
    assert _person(bot, anna.id) is not None

    caplog.set_level(logging.INFO, logger="bot.services.privacy")
    erased = CliRunner().invoke(cli, ["privacy", "erase", anna.email, "--yes"])
    assert erased.exit_code == 0, erased.stderr
    for removed in ("person: 1", "meeting: ", "attendance: 1", "vote: ", "membership: 1"):
        assert removed in erased.stdout
    assert_nothing_identifies(bot.runtime.engine, *secrets)
    assert NOTE not in json.dumps([m.mentor_note for m in stored(bot, Meeting)])
    assert "I can only meet on campus" not in json.dumps([p.note for p in stored(bot, Participant)])

    # The group she led was named after her; it is named after her pseudonym now, and its
    # member key (a digest of the members' IDs) is a random one.
    [renamed] = stored(bot, MentorGroup)
    assert re.fullmatch(r"Former participant \d{4}'s group", renamed.name)
    assert renamed.channel_name is not None
    assert re.search(r"-former-participant-\d{4}s-group$", renamed.channel_name)
    assert "anna" not in (renamed.name + renamed.channel_name).lower()
    assert renamed.member_key != named.member_key

    counts_after = {
        model.__name__: len(stored(bot, model))
        for model in (Meeting, Attendance, Vote, Membership, Participant, Poll)
    }
    assert counts_after == counts_before
    [former] = [p for p in stored(bot, Person) if p.name.startswith("Former participant")]
    assert former.email is None
    assert former.pseudonymised_at is not None
    assert former.certified_at is not None  # certification is a count of its own
    # The rows that were hers point at the pseudonym: one person still, not a gap.
    assert {a.slack_user_id for a in stored(bot, Attendance)} >= {former.slack_user_id}
    # Others are untouched.
    for mentee in group.mentees:
        assert _person(bot, mentee.id) is not None

    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.services.privacy"]
    assert line.startswith("privacy erase ")
    for secret in secrets:
        assert secret not in line

    # The bot still works for the group after the erasure.
    status = bot.command(group.mentees[0].id, group.channel_id, "status")
    assert "1 of at least 3" in json.dumps(bot.answer(status))

    again = CliRunner().invoke(cli, ["privacy", "export", anna.id])
    assert again.exit_code == 1
    assert len(again.stderr.splitlines()) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_unknown_person_is_one_line_on_stderr(bot: BotUnderTest, group: Group) -> None:
    del bot, group
    for arguments in (["export", "ghost@example.com"], ["erase", "U0GHOST", "--yes"]):
        result = CliRunner().invoke(cli, ["privacy", *arguments])
        assert result.exit_code == 1
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("mentorbot: no one stored has that Slack user ID or e-mail")
        assert "ghost" not in line.lower()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("MENTORBOT_NOTES_KEPT_DAYS", "a month", "MENTORBOT_NOTES_KEPT_DAYS must be a whole"),
        ("MENTORBOT_NOTES_KEPT_DAYS", "-1", "from 0 to 3650, such as 30"),
        ("MENTORBOT_PSEUDONYMISE_AFTER_MONTHS", "0", "from 1 to 120, such as 12"),
    ],
)
def test_a_malformed_retention_setting_is_named_in_one_line(
    bot: BotUnderTest,
    group: Group,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    expected: str,
) -> None:
    del bot
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(cli, ["privacy", "export", group.mentor.id])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert expected in line
    assert result.stdout == ""


@pytest.mark.usefixtures("terminal")
def test_a_name_written_in_someone_elses_note_goes_too(bot: BotUnderTest) -> None:
    """A mentor wrote a mentee's full name (not ASCII) in a private note; erasing the mentee
    replaces it there too, as spelled and in capitals."""
    admin = bot.slack.add_channel("coordination-names", [COORDINATOR]).id
    anna = bot.slack.add_user("anna", real_name="Anna Berg")
    soren = bot.slack.add_user("soren", real_name="Søren Ærø")
    bot.command(COORDINATOR, admin, 'term new "Autumn 2026" 2026-09-01 2027-01-31 min=3')
    bot.command(COORDINATOR, admin, f"certify <@{anna.id}>")
    bot.command(COORDINATOR, admin, f"group create <@{anna.id}> <@{soren.id}>")
    [group] = stored(bot, MentorGroup)
    assert group.channel_id is not None
    bot.command(anna.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(anna.id)
    yesterday = int((bot.runtime.now() - timedelta(days=1)).timestamp())
    bot.submit_view(
        anna.id,
        modal.id,
        {
            "when": {"value": {"type": "datetimepicker", "selected_date_time": yesterday}},
            "attendees": {"value": [anna.id, soren.id]},
            "note": {"value": "Søren Ærø misses home; SØREN ÆRØ laughed at last"},
        },
    )
    assert soren.email is not None
    secrets = (soren.id, soren.email, "Søren Ærø", "SØREN ÆRØ")
    assert len(cells_holding(bot.runtime.engine, *secrets)) >= 3

    erased = CliRunner().invoke(cli, ["privacy", "erase", soren.id, "--yes"])
    assert erased.exit_code == 0, erased.stderr
    assert_nothing_identifies(bot.runtime.engine, *secrets)
    [meeting] = stored(bot, Meeting)
    assert meeting.mentor_note is not None  # Anna's note is hers: kept, the name replaced
    assert meeting.mentor_note.startswith("Former participant ")
    assert "laughed at last" in meeting.mentor_note
