"""The command line as a coordinator meets it: every failure is one line on stderr and a
non-zero exit, never a traceback; commands that need no Slack run without its settings;
spreadsheets saved by Excel in other regions are read; a term can be prepared from a
terminal, through the same services as the slash commands."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from bot.cli import cli
from bot.domain.csvtext import decode_csv
from bot.sandbox.fakeslack.server import FakeSlack
from storage.db import read_session
from storage.models import Person, Term
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "MENTORBOT_DATABASE_URL",
    "MENTORBOT_COORDINATORS",
    "MENTORBOT_TIMEZONE",
    "MENTORBOT_TRACEBACK",
)
TODAY = datetime.now(UTC).date()
TERM_WORDS = ["Spring term", TODAY.isoformat(), (TODAY + timedelta(days=150)).isoformat()]


def mentorbot(*args: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """`mentorbot ARGS` in a fresh process, in `cwd` (no stray .env), with only `settings`."""
    environment = {name: value for name, value in os.environ.items() if name not in SETTINGS}
    environment.update(settings, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "mentorbot", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line_failure(
    result: subprocess.CompletedProcess[str], code: int, *expected: str
) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for words in expected:
        assert words in lines[0]
    return lines[0]


def closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/api/"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "roster.csv").write_text("name,email,role\nAnna,anna@example.com,mentor\n")
    (tmp_path / "groups.csv").write_text(
        "mentor_email,mentee_emails\nanna@example.com,bo@example.com\n"
    )
    return tmp_path


SLACK_COMMANDS = [
    pytest.param(["roster", "import", "roster.csv"], id="roster-import"),
    pytest.param(["groups", "create", "groups.csv"], id="groups-create"),
    pytest.param(["certify", "anna@example.com"], id="certify"),
    pytest.param(["run-job", "polls"], id="run-job"),
    pytest.param(["run", "--http", "--port", str(free_port())], id="run"),
]


@pytest.mark.parametrize("command", SLACK_COMMANDS)
def test_unreachable_slack_is_one_line(work: Path, command: list[str]) -> None:
    result = mentorbot(
        *command,
        cwd=work,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=closed_port_url(),
        MENTORBOT_DATABASE_URL="sqlite:///bot.db",
    )
    assert_one_line_failure(result, 1, "cannot reach Slack at http://127.0.0.1:")
    assert not (work / "bot.db").exists(), "Slack is asked before the database is touched"


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.mark.parametrize("command", SLACK_COMMANDS)
def test_a_refused_token_is_one_line(work: Path, fake_slack: FakeSlack, command: list[str]) -> None:
    result = mentorbot(
        *command,
        cwd=work,
        SLACK_BOT_TOKEN="xoxb-not-the-right-one",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=fake_slack.api_url,
        MENTORBOT_DATABASE_URL="sqlite:///bot.db",
    )
    assert_one_line_failure(result, 1, "Slack refused SLACK_BOT_TOKEN (invalid_auth)", "xoxb-")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///missing/folder/bot.db", "the folder missing/folder does not exist"),
        ("sqlite:///", "names no database file"),
        ("sqlite://", "names no database file"),
    ],
)
@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["report"], ["term", "list"], ["term", "new", *TERM_WORDS]]
)
def test_a_bad_sqlite_path_is_one_line(
    work: Path, url: str, expected: str, command: list[str]
) -> None:
    result = mentorbot(*command, cwd=work, MENTORBOT_DATABASE_URL=url)
    assert_one_line_failure(result, 2, expected, "MENTORBOT_DATABASE_URL")


def test_commands_without_slack_run_without_its_settings(work: Path) -> None:
    database = {"MENTORBOT_DATABASE_URL": "sqlite:///bot.db"}
    upgraded = mentorbot("db", "upgrade", cwd=work, **database)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "database schema at revision" in upgraded.stdout
    no_term = mentorbot("report", cwd=work, **database)
    assert_one_line_failure(no_term, 2, "No term is running yet", "mentorbot term new")
    started = mentorbot("term", "new", *TERM_WORDS, "min=4", cwd=work, **database)
    assert started.returncode == 0, started.stderr
    assert "started the term Spring term" in started.stdout
    assert "at least 4 meetings" in started.stdout
    listed = mentorbot("term", "list", cwd=work, **database)
    assert listed.stdout.startswith("* Spring term:"), listed.stdout
    report = mentorbot("report", cwd=work, **database)
    assert report.returncode == 0, report.stderr
    assert report.stderr == ""
    assert "Spring term: 0 groups, at least 4 meetings each" in report.stdout


def test_term_new_refuses_as_the_slash_command_does(work: Path) -> None:
    result = mentorbot(
        "term", "new", "Spring term", "1st of Feb", "2027-06-30", cwd=work,
        MENTORBOT_DATABASE_URL="sqlite:///bot.db",
    )  # fmt: skip
    assert_one_line_failure(result, 2, "couldn't read the start date “1st of Feb”", "YYYY-MM-DD")


def test_parse_date_reads_the_dotenv_file(work: Path) -> None:
    (work / ".env").write_text("MENTORBOT_TIMEZONE=Europe/Copenhagen\n")
    result = mentorbot("parse-date", "--now", "2026-11-27T09:00", "tomorrow 16:00", cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-11-28T16:00:00+01:00"


def test_run_checks_the_token_first_and_warns_without_coordinators(
    work: Path, fake_slack: FakeSlack
) -> None:
    environment = {name: value for name, value in os.environ.items() if name not in SETTINGS}
    environment.update(
        SLACK_BOT_TOKEN=fake_slack.bot_token,
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=fake_slack.api_url,
        MENTORBOT_DATABASE_URL="sqlite:///bot.db",
        PYTHONPATH=str(ROOT),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mentorbot",
            "run",
            "--http",
            "--port",
            str(free_port()),
            "--web-only",
        ],
        cwd=work,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if "listening" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = "".join(seen)
    assert "Slack accepted the token" in text
    assert "MENTORBOT_COORDINATORS is empty" in text
    assert text.index("Slack accepted the token") < text.index("MENTORBOT_COORDINATORS")
    assert "Traceback" not in text
    assert "Failed to send" not in text


# -- spreadsheets as Excel saves them ----------------------------------------------------

ROSTER_ROWS = [
    ("name", "email", "role", "certified"),
    ("Søren Ærø", "soren@example.com", "mentor", "ja"),
    ("Jürgen Müßig", "jurgen@example.com", "mentee", ""),
    ("Łukasz Żółć", "lukasz@example.com", "mentee", ""),
]
EXCEL_SAVES = [
    pytest.param(";", "utf-8-sig", None, id="csv-utf8-semicolons-bom"),
    pytest.param(";", "cp1252", 3, id="danish-german-cp1252"),
    pytest.param(";", "cp1250", 1, id="polish-cp1250"),
    pytest.param(",", "utf-8", None, id="plain-utf8"),
]


def excel_file(path: Path, separator: str, encoding: str, leave_out: int | None) -> list[str]:
    """The roster as Excel saves it; a code page cannot hold every name, so one row is left
    out where it has no letters for it. Returns the names written."""
    rows = [row for index, row in enumerate(ROSTER_ROWS) if index != leave_out]
    text = "\r\n".join(separator.join(row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return [row[0] for row in rows[1:]]


@pytest.mark.parametrize(("separator", "encoding", "leave_out"), EXCEL_SAVES)
def test_excel_files_are_read(
    tmp_path: Path, separator: str, encoding: str, leave_out: int | None
) -> None:
    path = tmp_path / "roster.csv"
    names = excel_file(path, separator, encoding, leave_out)
    assert decode_csv(path.read_bytes()).text.count("\n") == len(names) + 1
    assert all(name in decode_csv(path.read_bytes()).text for name in names)
    result = mentorbot("roster", "import", "--check", "roster.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"read as {encoding} text" in result.stdout
    mentors = "0 mentors (0 certified)" if leave_out == 1 else "1 mentor (1 certified)"
    assert f"{len(names)} people: {mentors}" in result.stdout


def test_check_names_the_bad_rows_without_slack_or_a_term(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(
        "name;email;role\nAnna;anna@example.com;mentor\nBo;bo-at-example;mentee\n"
    )
    result = mentorbot("roster", "import", "--check", "roster.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert "line 3: row invalid: “bo-at-example” is not an email address" in result.stdout
    assert "1 row to correct; the others are ready" in result.stdout
    (tmp_path / "groups.csv").write_text("mentor;mentees\nanna@example.com;bo@x.dk, cy@x.dk\n")
    groups = mentorbot("groups", "create", "--check", "groups.csv", cwd=tmp_path)
    assert groups.returncode == 0, groups.stdout
    assert "1 group with 2 mentees in all" in groups.stdout
    missing = mentorbot("roster", "import", "--check", "nowhere.csv", cwd=tmp_path)
    assert_one_line_failure(missing, 2, "cannot read nowhere.csv")


# -- through the fake Slack, in the same database as a running bot ------------------------


def _cli_environment(bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = bot.runtime.settings
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", settings.slack_bot_token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", settings.slack_signing_secret)
    monkeypatch.setenv("SLACK_API_URL", settings.slack_api_url)
    monkeypatch.setenv("MENTORBOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MENTORBOT_COORDINATORS", COORDINATOR)


def test_a_term_prepared_from_the_terminal(
    bot: BotUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli_environment(bot, monkeypatch, tmp_path)
    soren = bot.slack.add_user("soren", real_name="Søren Ærø")
    bo = bot.slack.add_user("bo", real_name="Bo Berg")
    runner = CliRunner()

    started = runner.invoke(cli, ["term", "new", *TERM_WORDS, "tz=Europe/Copenhagen"])
    assert started.exit_code == 0, started.output
    roster = tmp_path / "roster.csv"
    roster.write_bytes(
        (
            "name;email;role;certified\r\n"
            f"Søren Ærø;{soren.email};mentor;ja\r\nBo Berg;{bo.email};mentee;\r\n"
        ).encode("cp1252")
    )
    imported = runner.invoke(cli, ["roster", "import", str(roster)])
    assert imported.exit_code == 0, imported.output
    assert f"Søren Ærø <{soren.email}> as mentor, certified" in imported.output
    assert "<@" not in imported.output

    certified = runner.invoke(cli, ["certify", bo.email or "", "ghost@example.com"])
    assert certified.exit_code == 1
    assert f"Bo Berg <{bo.email}> is now certified" in certified.output
    assert "ghost@example.com: not found in Slack" in certified.output
    again = runner.invoke(cli, ["certify", soren.email or ""])
    assert f"Søren Ærø <{soren.email}> was already certified" in again.output

    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    shown = "\n".join(bot.replies_to(bot.command(COORDINATOR, admin, "term")))
    assert "Current term: *Spring term*" in shown
    with read_session(bot.runtime.engine) as session:
        term = session.exec(select(Term)).one()
        people = {person.name: person for person in session.exec(select(Person))}
    assert term.is_current
    assert term.timezone == "Europe/Copenhagen"
    assert people["Søren Ærø"].certified_at is not None
    assert people["Bo Berg"].certified_at is not None
