"""`mentorbot match` as a coordinator uses it: propose, read the reasons and who is left out,
edit the CSV (move someone, lock a group), check it against the rules, and approve it with
`mentorbot groups create`, the existing path that forms groups and their channels."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from bot.cli import cli
from bot.sandbox.fakeslack.workspace import User
from storage.db import read_session, write_session
from storage.models import MentorGroup, Participant
from tests.support.harness import BotUnderTest
from tests.test_cli import TERM_WORDS, _cli_environment

EVENINGS = "mon-evening,tue-evening,wed-evening"
MENTORS = ("Ada Aas", "Ib Ibsen", "Ulla Ung")
MENTEES = (
    "Dan Dahl",
    "Dorte Dam",
    "Dina Dyb",
    "Eve Ek",
    "Finn Fog",
    "Gus Gram",
    "Hal Hess",
    "Pia Pinto",
)


def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _sign_up(bot: BotUnderTest, user: User, **fields: object) -> None:
    """What the sign-up form stores (languages, times, wishes), set on the roster row."""
    with write_session(bot.runtime.engine) as session:
        participant = session.exec(
            select(Participant).where(col(Participant.slack_user_id) == user.id)
        ).one()
        for name, value in fields.items():
            setattr(participant, name, value)
        session.add(participant)


@pytest.fixture
def term(bot: BotUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, User]:
    _cli_environment(bot, monkeypatch, tmp_path)
    names = [*MENTORS, *MENTEES]
    users = {
        name.split()[0]: bot.slack.add_user(name.split()[0].lower(), real_name=name)
        for name in names
    }
    lines = ["name,email,role,certified"]
    for name in names:
        first = name.split()[0]
        role = "mentor" if name in MENTORS else "mentee"
        certified = "yes" if first in ("Ada", "Ib") else ""
        lines.append(f"{name},{users[first].email},{role},{certified}")
    (tmp_path / "roster.csv").write_text("\n".join(lines) + "\n")
    runner = CliRunner()
    assert runner.invoke(cli, ["term", "new", *TERM_WORDS]).exit_code == 0
    imported = runner.invoke(cli, ["roster", "import", str(tmp_path / "roster.csv")])
    assert imported.exit_code == 0, imported.output
    _sign_up(bot, users["Ada"], languages="da,en", availability=EVENINGS)
    _sign_up(bot, users["Ib"], languages="en", availability=EVENINGS)
    _sign_up(bot, users["Ulla"], languages="en", availability=EVENINGS, capacity=2)
    for first in ("Dan", "Dorte", "Dina"):
        _sign_up(bot, users[first], languages="da", availability=EVENINGS, year="1")
    for first in ("Finn", "Gus", "Hal"):
        _sign_up(bot, users[first], languages="en", availability="mon-evening,tue-evening")
    _sign_up(
        bot, users["Eve"], languages="en", availability=EVENINGS, preferred_mentor=users["Ib"].id
    )
    _sign_up(bot, users["Pia"], languages="pt", availability=EVENINGS)
    return users


def test_propose_edit_check_and_approve(
    bot: BotUnderTest, term: dict[str, User], tmp_path: Path
) -> None:
    runner = CliRunner()
    proposal_file = tmp_path / "proposal.csv"
    proposed = runner.invoke(cli, ["match", "--out", str(proposal_file)])
    assert proposed.exit_code == 0, proposed.output
    output = proposed.output
    assert "3 common slots · all speak Danish" in output
    assert "2 common slots · all speak English · Eve Ek's preferred mentor" in output
    assert f"Ulla Ung <{term['Ulla'].email}> (mentor): uncertified mentor" in output
    assert (
        f"Pia Pinto <{term['Pia'].email}> (mentee): no certified mentor with a shared language"
        in output
    )
    # A term this small is solved whole, and the solver proves it.
    assert "summary: 2 groups, 7 mentees placed, 1 not placed; no better proposal exists" in output

    rows = _read_csv(proposal_file)
    assert list(rows[0]) == ["group", "role", "name", "email", "locked", "reasons"]
    group_of = {row["name"]: row["group"] for row in rows}
    assert group_of["Dan Dahl"] == group_of["Dorte Dam"] == group_of["Ada Aas"] != ""
    assert group_of["Eve Ek"] == group_of["Ib Ibsen"] != group_of["Ada Aas"]
    assert {row["name"]: row["reasons"] for row in rows if not row["group"]} == {
        "Ulla Ung": "left out: uncertified mentor",
        "Pia Pinto": "left out: no certified mentor with a shared language",
    }

    # Moving Hal (English only) into Ada's Danish group, and a row for someone unknown.
    broken = [dict(row) for row in rows]
    hal = next(row for row in broken if row["name"] == "Hal Hess")
    hal["group"] = group_of["Ada Aas"]
    broken.append({**hal, "name": "Ghost", "email": "ghost@example.com"})
    broken_file = tmp_path / "broken.csv"
    _write_csv(broken_file, broken)
    checked = runner.invoke(cli, ["match", "--check", str(broken_file)])
    assert checked.exit_code == 1
    ghost_line = len(broken) + 1
    assert checked.output.splitlines() == [
        f"line {ghost_line}: ghost@example.com is not on the term's roster",
        f"group “{group_of['Ada Aas']}” (line 2): no language everyone speaks",
        "2 problems to correct in " + str(broken_file),
    ]

    # Ada's group renamed and locked; Ib's re-solved around it gives the same people.
    edited = [dict(row) for row in rows]
    for row in edited:
        if row["group"] == group_of["Ada Aas"]:
            row["group"], row["locked"] = "Hygge", "yes"
    edited_file = tmp_path / "edited.csv"
    _write_csv(edited_file, edited)
    # Only the locked groups are read: Hal alone in a group of his own is proposed again.
    keep_file = tmp_path / "keep.csv"
    _write_csv(
        keep_file, [{**row, "group": "99"} if row["name"] == "Hal Hess" else row for row in edited]
    )
    kept = runner.invoke(cli, ["match", "--keep", str(keep_file)])
    assert kept.exit_code == 0, kept.output
    assert f"(locked): Ada Aas <{term['Ada'].email}> with" in kept.output
    assert "summary: 2 groups, 7 mentees placed, 1 not placed" in kept.output

    groups_file = tmp_path / "groups.csv"
    approved = runner.invoke(
        cli, ["match", "--check", str(edited_file), "--groups-out", str(groups_file)]
    )
    assert approved.exit_code == 0, approved.output
    assert "2 groups with 7 mentees, every rule kept" in approved.output
    groups_rows = _read_csv(groups_file)
    assert [row["name"] for row in groups_rows] == ["Hygge", ""]
    assert set(groups_rows[0]["mentee_emails"].split()) == {
        term[first].email for first in ("Dan", "Dorte", "Dina")
    }

    formed = runner.invoke(cli, ["groups", "create", str(groups_file)])
    assert formed.exit_code == 0, formed.output
    with read_session(bot.runtime.engine) as session:
        names = sorted(group.name for group in session.exec(select(MentorGroup)))
    assert names == ["Hygge", "Ib's group"]

    # Those now in groups are not proposed again; Pia still waits, with her reason.
    again = runner.invoke(cli, ["match"])
    assert again.exit_code == 0, again.output
    assert "summary: 0 groups, 0 mentees placed, 1 not placed" in again.output
    assert "Pia Pinto" in again.output
    assert "Ada Aas" not in again.output

    # A grouped person in a file to check is named as such.
    recheck = runner.invoke(cli, ["match", "--check", str(edited_file)])
    assert recheck.exit_code == 1
    assert f"line 2: {term['Ada'].email} is already in a group this term" in recheck.output


def test_a_file_without_the_columns_is_one_line(
    bot: BotUnderTest, term: dict[str, User], tmp_path: Path
) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("mentor_email,mentee_emails\na@example.com,b@example.com\n")
    result = CliRunner().invoke(cli, ["match", "--check", str(wrong)])
    assert result.exit_code == 1
    assert "the first line must name the columns" in result.output
    assert "missing: group, role, email" in result.output


def test_an_unknown_term_is_one_line(bot: BotUnderTest, term: dict[str, User]) -> None:
    result = CliRunner().invoke(cli, ["match", "--term", "Autumn 1999"])
    assert result.exit_code == 2
    assert result.output.strip() == "mentorbot: There is no term called “Autumn 1999”."
    named = CliRunner().invoke(cli, ["match", "--term", "Spring term"])
    assert named.exit_code == 0, named.output
    assert "summary: 2 groups, 7 mentees placed, 1 not placed" in named.output
