"""The roster file fills the same sign-up fields as the form (issue 17), for schemes that
collect sign-ups elsewhere: languages, themes, availability, a preferred mentor and a friend
(by email or Slack ID), a note, a mentor's capacity. Older files without those columns keep
working and leave what people said in the form alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from bot.cli import cli
from storage.db import read_session
from storage.models import Participant
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import TERM


def _cli_env(bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = bot.runtime.settings
    monkeypatch.setenv("SLACK_BOT_TOKEN", settings.slack_bot_token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", settings.slack_signing_secret)
    monkeypatch.setenv("SLACK_API_URL", settings.slack_api_url)
    monkeypatch.setenv("MENTORBOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MENTORBOT_COORDINATORS", COORDINATOR)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)


def _rows(bot: BotUnderTest) -> dict[str, Participant]:
    with read_session(bot.runtime.engine) as session:
        return {p.slack_user_id: p for p in session.exec(select(Participant)).all()}


def test_the_roster_file_fills_the_sign_up_fields(
    bot: BotUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM)
    mia = bot.slack.add_user("mia", real_name="Mia Mentor")
    ada = bot.slack.add_user("ada", real_name="Ada Lovelace")
    bea = bot.slack.add_user("bea", real_name="Bea Friend")
    roster = tmp_path / "roster.csv"
    # Semicolons between columns, as Danish Excel saves; themes split by "|" inside a cell.
    roster.write_text(
        "name;email;role;programme;year;certified;languages;themes;availability;"
        "preferred_mentor;friend;note;capacity\n"
        f"Mia Mentor;{mia.email};mentor;Medicine;5;yes;da, English;Motivation;"
        "mon-evening thu-evening;;;;3\n"
        f"Ada Lovelace;{ada.email};mentee;Nursing;1;;dansk, ukrainsk;Motivation|Challenges "
        f"during study;tue-afternoon;{mia.email};{bea.id};Prefers mornings;\n"
        f"Bea Friend;{bea.email};mentee;Nursing;1;;en;;sun-midnight;;;;\n"
        f"Cy;cy@example.com;mentee;Nursing;1;;en;;;nobody@example.com;;;\n"
    )
    _cli_env(bot, monkeypatch)
    result = CliRunner().invoke(cli, ["roster", "import", str(roster)])
    assert "line 4: row invalid: availability “sun-midnight”" in result.output, result.output
    rows = _rows(bot)
    assert set(rows) == {mia.id, ada.id}
    mentor, mentee = rows[mia.id], rows[ada.id]
    assert mentor.languages == "da,en"
    assert mentor.availability == "mon-evening,thu-evening"
    assert mentor.capacity == 3
    assert mentee.languages == "da,uk"
    assert mentee.themes == "Motivation\nChallenges during study"
    assert mentee.preferred_mentor == mia.id, "an email is looked up in Slack"
    assert mentee.friend == bea.id
    assert mentee.note == "Prefers mornings"
    assert mentee.signed_up_at is None, "put on the roster, not signed up by themselves"

    # The roster's people see their data in /mentor join, with their role already known.
    lobby = bot.slack.add_channel("lobby", [ada.id]).id
    bot.command(ada.id, lobby, "join")
    [form] = bot.slack.open_views(ada.id)
    shown = json.dumps(form.payload, ensure_ascii=False)
    assert form.payload["callback_id"] == "signup_modal"
    assert "Nursing" in shown
    assert '"initial_value": "Ukrainian"' in shown, "other languages by name, as typed"

    # An older file (no sign-up columns) changes the roster and nothing of the sign-up.
    old = tmp_path / "old.csv"
    old.write_text(f"name,email,role,programme\nAda Lovelace,{ada.email},mentee,Biology\n")
    again = CliRunner().invoke(cli, ["roster", "import", str(old)])
    assert again.exit_code == 0, again.output
    kept = _rows(bot)[ada.id]
    assert kept.programme == "Biology"
    assert kept.preferred_mentor == mia.id
    assert kept.availability == "tue-afternoon"


def test_a_wish_naming_someone_unknown_is_reported_and_the_row_still_imported(
    bot: BotUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM)
    ada = bot.slack.add_user("ada")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,role,preferred_mentor,capacity\n"
        f"Ada,{ada.email},mentee,ghost@example.com,\n"
        "Bo,bo@example.com,mentor,,7\n"
    )
    _cli_env(bot, monkeypatch)
    result = CliRunner().invoke(cli, ["roster", "import", str(roster)])
    assert "preferred_mentor ghost@example.com not found in Slack" in result.output
    assert "capacity “7” should be a number of groups from 1 to 3" in result.output
    row = _rows(bot)[ada.id]
    assert row.preferred_mentor is None
    check = CliRunner().invoke(cli, ["roster", "import", "--check", str(roster)])
    assert "capacity “7”" in check.output
