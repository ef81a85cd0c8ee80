"""Date understanding over a table of what students type, in English, Danish, German,
Portuguese and Polish (tests/data/date_cases.tsv), over held-out phrases never used to tune
the parser (tests/data/date_heldout.tsv), plus the echo and the refusal messages: said in
the reader's language, with the example in the language the text was read in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.domain.dates import (
    LANGUAGES,
    DateNotUnderstood,
    check_picked_datetime,
    describe_datetime,
    fold,
    understand_datetime,
)
from bot.domain.errors import FieldError, UserError
from bot.domain.terms import parse_term_new
from bot.i18n import translator
from tests.support.language import assert_no_english

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


# -- Refusals in the reader's language -------------------------------------------------------


def _refusal(text: str, languages: str, now: datetime = NOW) -> DateNotUnderstood:
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    with pytest.raises(DateNotUnderstood) as refused:
        understand_datetime(text, now=now, zone=zone, languages=languages.split(","))
    return refused.value


DA_EXAMPLE = "“tor kl. 16” eller “2/12 kl. 16.30”"
DE_EXAMPLE = "„Do 16 Uhr“ oder „2.12. 16:30“"
PT_EXAMPLE = "«qui 16h» ou «2/12 16h30»"
PL_EXAMPLE = "„czw 16:00” albo „2.12 o 16:30”"


@pytest.mark.parametrize(
    ("text", "languages", "reader", "says", "example"),
    [
        ("engang kl. 16", "da,en", "da", "skriv en dag og et klokkeslæt", DA_EXAMPLE),
        ("irgendwann 16 Uhr", "de,en", "de", "schreib einen Tag und eine Uhrzeit", DE_EXAMPLE),
        ("qualquer dia 16h", "pt,en", "pt", "escreve um dia e uma hora", PT_EXAMPLE),
        ("kiedyś o 16", "pl,en", "pl", "napisz dzień i godzinę", PL_EXAMPLE),
        # Typed in Danish, read by a Polish speaker: her sentence, his example.
        ("engang kl. 16", "da,en", "pl", "napisz dzień", "„tor kl. 16” albo „2/12 kl. 16.30”"),
        ("someday 16:00", "en", "de", "schreib einen Tag", "„thu 16:00“ oder „2/12 16:30“"),
    ],
)
def test_a_refusal_is_said_in_the_readers_language_with_the_example_as_typed(
    text: str, languages: str, reader: str, says: str, example: str
) -> None:
    refusal = _refusal(text, languages)
    said = refusal.say(translator(reader))
    assert says in said
    assert example in said
    assert_no_english(said, allowed=[text.split()[0]], language=reader)
    # The English text the CLI prints and logs carry is unchanged.
    assert str(refusal).startswith("I don't know what “")
    assert refusal.phrase.say(translator("en")) == str(refusal)


@pytest.mark.parametrize(
    ("text", "languages", "reader", "says"),
    [
        ("Dienstag morgen um 9", "de,en", "da", "28. november er en lørdag, ikke en tirsdag"),
        ("Dienstag morgen um 9", "de,en", "de", "Der 28. November ist ein Samstag, kein Dienstag"),
        ("Dienstag morgen um 9", "de,en", "pt", "28 de novembro é sábado, não terça-feira"),
        ("Dienstag morgen um 9", "de,en", "pl", "28 listopada to sobota, nie wtorek"),
        ("31/11 10:00", "en", "pl", "31 listopada nie istnieje"),
        ("31/11 kl. 10", "da,en", "de", "Den 31. November gibt es nicht"),
        ("yesterday 10am", "en", "da", "(tors. 26. nov. kl. 10.00) er allerede forbi"),
        ("i morgen 13/12 kl 10", "da,en", "pt", "(28 de novembro e 13/12)"),
        ("tonight at 10am", "en", "da", "10.00 er ikke om aftenen"),
    ],
)
def test_dates_in_a_refusal_are_named_in_the_readers_words(
    text: str, languages: str, reader: str, says: str
) -> None:
    """Weekdays, months and times come from CLDR in the reader's language (Polish months
    in the genitive after a day), whatever language the date was typed in."""
    assert says in _refusal(text, languages).say(translator(reader))


def test_the_clocks_change_refusal_names_the_night_in_the_readers_words() -> None:
    spring = datetime(2027, 3, 25, 9, 0, tzinfo=CPH)
    refusal = _refusal("sun 2:30", "en", now=spring)
    assert str(refusal).startswith("02:30 doesn't exist on 28 March, the night the clocks change")
    assert "Kl. 02.30 findes ikke den 28. marts" in refusal.say(translator("da"))
    assert "Godzina 02:30 nie istnieje 28 marca" in refusal.say(translator("pl"))


def test_a_picked_date_is_refused_in_the_readers_words_with_its_year() -> None:
    with pytest.raises(DateNotUnderstood) as refused:
        check_picked_datetime(
            datetime(2090, 1, 5, 15, 0, tzinfo=ZoneInfo("UTC")), now=NOW, zone=CPH
        )
    assert str(refused.value) == (
        "Thu 5 Jan, 16:00 in 2090 is more than a year ahead: give a date within twelve months"
    )
    danish = refused.value.say(translator("da"))
    assert danish.startswith("tors. 5. jan. kl. 16.00 i 2090 er mere end et år ude i fremtiden")
    assert "w 2090 roku jest za ponad rok" in refused.value.say(translator("pl"))


@pytest.mark.parametrize("reader", ["da", "de", "pt", "pl"])
@pytest.mark.parametrize(
    ("text", "now", "zone", "languages"),
    [case[:4] for case in _cases() if case[4] == "error"],
)
def test_every_refusal_in_the_table_is_translated(
    text: str, now: str, zone: str, languages: str, reader: str
) -> None:
    """No English sentence is left around what was typed and the example, in any refusal
    the table provokes."""
    refusal = _refusal(
        text, languages, now=datetime.fromisoformat(now).replace(tzinfo=ZoneInfo(zone))
    )
    said = refusal.say(translator(reader))
    typed = [text, text.strip().lower(), fold(text.strip().lower())]
    assert_no_english(said, allowed=[*typed, "4pm", "Uhr"], language=reader)


def test_a_refusal_is_a_user_error_a_field_can_carry() -> None:
    """Callers put the refusal on a form's field as it is (`FieldError(WHEN, error.phrase)`)
    or inside their own phrase; what was typed is escaped when said, shown as typed in the
    English text."""
    refusal = _refusal("<b> 16:00", "en")
    assert isinstance(refusal, UserError)
    assert isinstance(refusal, ValueError)
    assert refusal.args == (refusal.phrase,)
    german = translator("de")
    assert FieldError("when", refusal.phrase).say(german) == refusal.say(german)
    assert "“<b>”" in str(refusal)
    assert "„&lt;b&gt;“" in refusal.say(german)
    assert "<" not in refusal.say(german)


def test_cli_prints_a_refusal_in_english_as_typed() -> None:
    """The CLI's output stays English, and shows what was typed as it was typed (no mrkdwn
    escapes in a terminal)."""
    result = CliRunner().invoke(
        cli, ["parse-date", "--now", "2026-11-27T09:00", "--tz", "Europe/Copenhagen",
              "--lang", "da", "a&b kl. 16"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: I don't know what “a&b” means in a date: write a day and a time, "
        "like “tor kl. 16” or “2/12 kl. 16.30”"
    ]
