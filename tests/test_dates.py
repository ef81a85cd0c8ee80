"""Date understanding over a table of what students type, in English, Danish, German,
Portuguese and Polish (tests/data/date_cases.tsv), over held-out phrases never used to tune
the parser (tests/data/date_heldout.tsv), plus the echo and the refusal messages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.domain.dates import LANGUAGES, DateNotUnderstood, describe_datetime, understand_datetime
from bot.domain.errors import UserError
from bot.domain.terms import parse_term_new

CASES = Path(__file__).parent / "data" / "date_cases.tsv"
HELD_OUT = Path(__file__).parent / "data" / "date_heldout.tsv"


def _cases(table: Path = CASES) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines():
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
    assert len(cases) >= 180
    assert sum(1 for c in cases if c[3].startswith("da")) >= 40
    for code in ("de", "pt", "pl"):
        assert sum(1 for c in cases if c[3].startswith(code)) >= 14, code
    assert sum(1 for c in cases if c[4] == "error") >= 45


def _understood(text: str, now: str, zone: str, languages: str) -> str:
    tz = ZoneInfo(zone)
    moment = datetime.fromisoformat(now).replace(tzinfo=tz)
    try:
        understood = understand_datetime(text, now=moment, zone=tz, languages=languages.split(","))
    except DateNotUnderstood:
        return "error"
    return understood.isoformat()


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_held_out_phrases_understood_and_never_confidently_wrong(code: str) -> None:
    """At least 97 % of phrases the parser was never tuned on are understood as expected
    (a refusal where one is expected counts as understood), and none is read as another
    date than the one meant: a wrong date is worse than a refusal."""
    cases = [case for case in _cases(HELD_OUT) if case[3].split(",")[0] == code]
    assert len(cases) >= 40
    assert sum(1 for case in cases if case[4] == "error") >= 5
    answers = [(case[0], case[4], _understood(*case[:4])) for case in cases]
    wrong = [(text, expected, got) for text, expected, got in answers if got != expected]
    confidently_wrong = [answer for answer in wrong if answer[2] != "error"]
    assert confidently_wrong == []
    assert len(wrong) <= len(cases) * 0.03, wrong


NOW = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
CPH = ZoneInfo("Europe/Copenhagen")


def test_echo_in_every_language() -> None:
    moment = datetime(2026, 11, 19, 16, 0, tzinfo=CPH)
    assert describe_datetime(moment) == "Thu 19 Nov, 16:00"
    assert describe_datetime(moment, "da") == "tor 19. nov, 16:00"
    assert describe_datetime(moment, "de") == "Do 19. Nov, 16:00"
    assert describe_datetime(moment, "pt") == "qui, 19 de nov, 16:00"
    assert describe_datetime(moment, "pl") == "czw 19 lis, 16:00"


@pytest.mark.parametrize(
    ("text", "languages", "example"),
    [
        ("someday 16:00", "en", "“thu 16:00”"),
        ("engang kl. 16", "da,en", "“tor kl. 16”"),
        ("irgendwann 16 Uhr", "de,en", "“Do 16 Uhr”"),
        ("qualquer dia 16h", "pt,en", "“qui 16h”"),
        ("kiedyś o 16", "pl,en", "“czw 16:00”"),
        ("nächste Woche 16 Uhr", "de,en", "“Do 16 Uhr”"),
    ],
)
def test_refusals_give_an_example_in_the_language_read(
    text: str, languages: str, example: str
) -> None:
    with pytest.raises(DateNotUnderstood, match=example):
        understand_datetime(text, now=NOW, zone=CPH, languages=languages.split(","))


@pytest.mark.parametrize(
    ("text", "languages", "says"),
    [
        ("in 3 days", "en", "add one, like “in 3 days 16:00”"),
        ("om to dage", "da,en", "add one, like “om to dage 16:00”"),
        ("za tydzień", "pl,en", "add one"),
        ("tonight at 10am", "en", "is not in the evening"),
        ("Dienstag morgen um 9", "de,en", "28 November is a Saturday, not a Tuesday"),
        ("am Di um 5", "de,en", "“17:00 Uhr”"),
        ("tomorrow 16:00 17:30", "en", "more than one time"),
        ("in 600 weeks 10:00", "en", "too far off"),
        ("tue 1.12", "en", "a date or a time\\? Write 1/12 for the date or 1:12 for the time"),
    ],
)
def test_relative_refusals(text: str, languages: str, says: str) -> None:
    with pytest.raises(DateNotUnderstood, match=says):
        understand_datetime(text, now=NOW, zone=CPH, languages=languages.split(","))


def test_several_languages_must_agree() -> None:
    """Polish "pt" is Friday, English has no such word: one reading, so no conflict; a
    text both languages read alike is accepted; every reading is checked."""
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=CPH)
    assert understand_datetime("pt 10:00", now=NOW, zone=CPH, languages=["pl", "en"]) == friday
    assert understand_datetime("fri 10:00", now=NOW, zone=CPH, languages=["de", "en"]) == friday


def test_term_languages_are_the_date_languages() -> None:
    for code in LANGUAGES:
        spec = parse_term_new(
            ("S", "2027-02-01", "2027-06-30", f"lang={code.upper()}"),
            default_timezone="Europe/Copenhagen",
            today=NOW.date(),
        )
        assert spec.language == code
    with pytest.raises(UserError):
        parse_term_new(
            ("S", "2027-02-01", "2027-06-30", "lang=fr"),
            default_timezone="Europe/Copenhagen",
            today=NOW.date(),
        )


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


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "in a week 4pm", "2026-12-04T16:00:00+01:00"),
        ("da", "i næste uge tirsdag kl 16", "2026-12-01T16:00:00+01:00"),
        ("de", "heute Abend um 7", "2026-11-27T19:00:00+01:00"),
        ("pt", "depois de amanhã às 16h", "2026-11-29T16:00:00+01:00"),
        ("pl,en", "w przyszły wtorek o 16", "2026-12-01T16:00:00+01:00"),
    ],
)
def test_cli_reads_every_language(lang: str, text: str, expected: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["parse-date", "--now", "2026-11-27T09:00", "--tz", "Europe/Copenhagen",
         "--lang", lang, text],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [expected]


def test_cli_names_the_languages_it_reads() -> None:
    result = CliRunner().invoke(cli, ["parse-date", "--lang", "fr", "thu 16:00"])
    assert result.exit_code == 2
    assert "choose from da, de, en, pl, pt" in result.output


def test_cli_bad_options_exit_2_without_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["parse-date", "--tz", "Mars/Base", "thu 16:00"])
    assert result.exit_code == 2
    assert "not a time zone" in result.output
    assert "Traceback" not in result.output
