"""CSV files the bot writes are safe to open in a spreadsheet: a cell that would start a
formula gets a leading `'`, and the bot's own counts stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import col, update

from bot.cli import cli
from storage.db import write_session
from storage.models import MentorGroup
from tests.support.harness import BotUnderTest
from tests.support.scenario import form_group

HOSTILE_NAMES = (
    '=HYPERLINK("http://evil","x")',
    "@SUM(1)",
    "+1+2",
    "-2+3",
    "\tTabbed",
    "\rReturned",
)


def test_the_report_csv_neutralises_formulas_and_keeps_counts(
    bot: BotUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [form_group(bot, prefix=f"g{n}", start_term=n == 0) for n in range(len(HOSTILE_NAMES))]
    made.append(form_group(bot, prefix="plain", start_term=False))
    bot.command(made[0].mentor.id, made[0].channel_id, "log thu 16:00")
    with write_session(bot.runtime.engine) as session:
        # Names straight into the database, as any way in (a command, a CSV import) could.
        for group, name in zip(made, HOSTILE_NAMES, strict=False):
            session.execute(
                update(MentorGroup).where(col(MentorGroup.id) == group.group_id).values(name=name)
            )
    settings = bot.runtime.settings
    for variable, value in (
        ("SLACK_BOT_TOKEN", settings.slack_bot_token),
        ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        ("SLACK_API_URL", settings.slack_api_url),
        ("MENTORBOT_DATABASE_URL", settings.database_url),
    ):
        monkeypatch.setenv(variable, value)
    target = tmp_path / "report.csv"
    result = CliRunner().invoke(cli, ["report", "--csv", str(target)])
    assert result.exit_code == 0, result.output
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["group"] for row in rows}
    assert names == {"'" + name for name in HOSTILE_NAMES} | {"Anna's group 7"}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        for count in ("held", "minimum", "planned", "open_polls", "left_last_week"):
            assert row[count].isdigit(), (count, row[count])
    first = next(row for row in rows if row["group"] == "'" + HOSTILE_NAMES[0])
    assert (first["held"], first["minimum"]) == ("1", "3")
