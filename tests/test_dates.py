"""Date understanding over a table of what students type, in English and Danish
(tests/data/date_cases.tsv), plus the echo and the refusal messages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.domain.dates import DateNotUnderstood, describe_datetime, understand_datetime

CASES = Path(__file__).parent / "data" / "date_cases.tsv"


def _cases() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, now, zone, languages, expected = line.split("\t")
            rows.append((text, now, zone, languages, expected))
    return rows


@pytest.mark.parametrize(("text", "now", "zone", "languages", "expected"), _cases())
def test_table(text: str, now: str, zone: str, languages: str, expected: str) -> None:
    tz = ZoneInfo(zone)
    moment = datetime.fromisoformat(now).replace(tzinfo=tz)
    if expected == "error":
        with pytest.raises(DateNotUnderstood) as refused:
            understand_datetime(text, now=moment, zone=tz, languages=languages.split(","))
        message = str(refused.value)
        assert any(
            hint in message for hint in ("like", "write", "Write", "add", "check", "give")
        ), message
    else:
        result = understand_datetime(text, now=moment, zone=tz, languages=languages.split(","))
        assert result.isoformat() == expected


def test_table_is_broad() -> None:
    cases = _cases()
    assert len(cases) >= 100
    assert sum(1 for c in cases if c[3].startswith("da")) >= 30
    assert sum(1 for c in cases if c[4] == "error") >= 25


NOW = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
CPH = ZoneInfo("Europe/Copenhagen")


def test_echo_in_both_languages() -> None:
    moment = datetime(2026, 11, 19, 16, 0, tzinfo=CPH)
    assert describe_datetime(moment) == "Thu 19 Nov, 16:00"
    assert describe_datetime(moment, "da") == "tor 19. nov, 16:00"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("monday", "add one, like “monday 16:00”"),
        ("thu 4", "add one, like “thu 16:00”"),
        ("2/12", "add one, like “2/12 16:00”"),
        ("Thu 1 Dec 10:00", "1 December is a Tuesday, not a Thursday"),
        ("31/11 10:00", "31 November doesn't exist"),
        ("someday", "write a day and a time"),
        ("yesterday 10am", "has already passed"),
        ("friday at 4", "“4pm” or “16:00”"),
        ("16:00", "has a time but no day"),
    ],
)
def test_refusals_say_what_to_type(text: str, says: str) -> None:
    with pytest.raises(DateNotUnderstood, match=says):
        understand_datetime(text, now=NOW, zone=CPH)


def test_past_direction_for_logging_meetings() -> None:
    assert understand_datetime("thu 16:00", now=NOW, zone=CPH, direction="past") == datetime(
        2026, 11, 26, 16, 0, tzinfo=CPH
    )
    with pytest.raises(DateNotUnderstood, match="in the future"):
        understand_datetime("tomorrow 10:00", now=NOW, zone=CPH, direction="past")
    with pytest.raises(DateNotUnderstood, match="before"):
        understand_datetime(
            "mon 10:00",
            now=NOW,
            zone=CPH,
            direction="past",
            not_before=datetime(2026, 11, 24, tzinfo=CPH),
        )


def test_window_end() -> None:
    with pytest.raises(DateNotUnderstood, match="after the term ends"):
        understand_datetime(
            "7 Dec 10:00", now=NOW, zone=CPH, not_after=datetime(2026, 12, 1, tzinfo=CPH)
        )


def test_cli_prints_one_line_per_text_and_exit_code() -> None:
    runner = CliRunner()
    ok = runner.invoke(
        cli,
        [
            "parse-date",
            "--now",
            "2026-11-27T09:00",
            "--tz",
            "Europe/Copenhagen",
            "--lang",
            "da",
            "i morgen kl. 16",
            "onsdag kl 14.30",
        ],
    )
    assert ok.exit_code == 0
    assert ok.output.splitlines() == ["2026-11-28T16:00:00+01:00", "2026-12-02T14:30:00+01:00"]
    mixed = runner.invoke(
        cli,
        [
            "parse-date",
            "--now",
            "2026-11-27T09:00+01:00",
            "--tz",
            "Europe/Copenhagen",
            "tomorrow 4pm",
            "someday",
        ],
    )
    assert mixed.exit_code == 1
    first, second = mixed.output.splitlines()
    assert first == "2026-11-28T16:00:00+01:00"
    assert second.startswith("error: ")


def test_cli_bad_options_exit_2_without_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["parse-date", "--tz", "Mars/Base", "thu 16:00"])
    assert result.exit_code == 2
    assert "not a time zone" in result.output
    assert "Traceback" not in result.output
