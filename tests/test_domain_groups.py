"""Pure rules behind terms, rosters and groups: channel names, mentions, options, CSV rows."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.errors import UserError
from bot.domain.groups import composition_warning, member_key
from bot.domain.mentions import split_mentions, unpicked_mentions, user_id_from_mention
from bot.domain.names import group_channel_name, is_valid_channel_name, slugify
from bot.domain.options import split_options
from bot.domain.roster import CsvFormatError, ParticipantRole, parse_groups, parse_roster
from bot.domain.terms import parse_term_new

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Spring 2027", "spring-2027"),
        ("Søren's group", "soerens-group"),
        ("Forår / Efterår", "foraar-efteraar"),
        ("Ærø Åbo", "aeroe-aabo"),
        ("Zoë & Chloé", "zoe-chloe"),
        ("!!!", ""),
        ("东京", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("term", "group", "attempt"),
    [
        ("Spring 2027", "Anna's group", 1),
        ("Spring 2027", "Anna's group", 7),
        ("x" * 90, "y" * 90, 12),
        ("!!!", "东京", 1),
    ],
)
def test_channel_names_are_always_valid(term: str, group: str, attempt: int) -> None:
    name = group_channel_name(term, group, attempt=attempt)
    assert is_valid_channel_name(name), name
    assert name.startswith("mentor-")
    if attempt > 1:
        assert name.endswith(f"-{attempt}")


def test_channel_name_reads_well() -> None:
    assert group_channel_name("Spring 2027", "Anna's group") == "mentor-spring-2027-annas-group"
    assert group_channel_name("Spring 2027", "Anna's group", attempt=2).endswith("annas-group-2")


@pytest.mark.parametrize(
    ("name", "valid"),
    [("ok-name_1", True), ("Upper", False), ("---", False), ("a" * 81, False), ("", False)],
)
def test_channel_name_rules(name: str, valid: bool) -> None:
    assert is_valid_channel_name(name) is valid


def test_mentions() -> None:
    mentions = split_mentions(("<@U1ABC|anna>", "<@W2DEF>", "<@U1ABC>", "name=Blue", "@bob"))
    assert mentions.user_ids == ("U1ABC", "W2DEF")
    assert mentions.other_words == ("name=Blue", "@bob")
    assert unpicked_mentions(mentions.other_words) == ["@bob"]
    assert user_id_from_mention("<#C123|chan>") is None


def test_options() -> None:
    options = split_options(("a", "min=3", "TZ=Europe/Oslo"), allowed={"min", "tz"})
    assert options.positional == ("a",)
    assert options.named == {"min": "3", "tz": "Europe/Oslo"}
    with pytest.raises(UserError, match="I don't know the option `colour=`"):
        split_options(("colour=red",), allowed={"min"})
    with pytest.raises(UserError, match="needs a value"):
        split_options(("min=",), allowed={"min"})


def test_term_new_defaults() -> None:
    spec = parse_term_new(
        ("Spring 2027", "2027-02-01", "2027-06-30"), default_timezone="UTC", today=TODAY
    )
    assert (spec.name, spec.starts_on, spec.ends_on) == (
        "Spring 2027",
        date(2027, 2, 1),
        date(2027, 6, 30),
    )
    assert (spec.min_meetings, spec.timezone, spec.language) == (3, "UTC", "en")


def test_term_new_options() -> None:
    spec = parse_term_new(
        ("Forår 2027", "2027-02-01", "2027-06-30", "min=4", "tz=Europe/Copenhagen", "lang=DA"),
        default_timezone="UTC",
        today=TODAY,
    )
    assert (spec.min_meetings, spec.timezone, spec.language) == (4, "Europe/Copenhagen", "da")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (("Spring",), "needs a name, a start date and an end date"),
        (("S", "1/2/2027", "2027-06-30"), "write it as YYYY-MM-DD"),
        (("S", "2027-06-30", "2027-02-01"), "must end after it starts"),
        (("S", "2027-02-01", "2028-06-30"), "at most a year"),
        (("S", "2025-02-01", "2025-06-30"), "ended on 2025-06-30"),
        (("S", "2027-02-01", "2027-06-30", "min=0"), "from 1 to 20"),
        (("S", "2027-02-01", "2027-06-30", "min=many"), "from 1 to 20"),
        (("S", "2027-02-01", "2027-06-30", "tz=Mars/Base"), "not a time zone"),
        (("S", "2027-02-01", "2027-06-30", "lang=fr"), "Choose one of"),
    ],
)
def test_term_new_refusals(words: tuple[str, ...], message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_term_new(words, default_timezone="UTC", today=TODAY)


def test_roster_rows() -> None:
    text = (
        "\ufeffName,E-mail,Role,Programme,Year,Language,Certified\n"
        "Anna Berg,ANNA@uni.dk,mentor,Medicine,5,da,yes\n"
        "Bo Ek,bo@uni.dk,Mentee,,1,,\n"
        "\n"
        "No Mail,not-an-email,mentee,,,,\n"
        "Cy,cy@uni.dk,boss,,,,\n"
        "Di,di@uni.dk,mentor,,,,maybe\n"
    )
    rows, problems = parse_roster(text)
    assert [(r.email, r.role, r.certified) for r in rows] == [
        ("anna@uni.dk", ParticipantRole.MENTOR, True),
        ("bo@uni.dk", ParticipantRole.MENTEE, None),
    ]
    assert rows[0].programme == "Medicine"
    assert [(p.line, p.message) for p in problems] == [
        (5, "“not-an-email” is not an email address"),
        (6, "role “boss” should be mentor or mentee"),
        (7, "certified “maybe” should be yes or no"),
    ]


def test_roster_missing_columns() -> None:
    with pytest.raises(CsvFormatError, match="missing column role"):
        parse_roster("name,email\nA,a@b.dk\n")
    with pytest.raises(CsvFormatError, match="empty"):
        parse_roster("")


def test_group_rows() -> None:
    text = (
        "mentor_email,mentee_emails,name\n"
        'a@x.dk,"b@x.dk; c@x.dk, d@x.dk",Blue\n'
        "e@x.dk,,\n"
        "f@x.dk,f@x.dk g@x.dk,\n"
        "h@x,i@x.dk,\n"
    )
    rows, problems = parse_groups(text)
    assert [(r.mentor_email, r.mentee_emails, r.name) for r in rows] == [
        ("a@x.dk", ("b@x.dk", "c@x.dk", "d@x.dk"), "Blue")
    ]
    assert [p.line for p in problems] == [3, 4, 5]


def test_group_identity_ignores_mentee_order() -> None:
    assert member_key("UM", ["U1", "U2"]) == member_key("UM", ["U2", "U1", "U1"])
    assert member_key("UM", ["U1"]) != member_key("UX", ["U1"])


def test_composition_warning() -> None:
    assert composition_warning(3) is None
    assert composition_warning(4) is None
    assert "has 1 mentee;" in str(composition_warning(1))
    assert "2 mentees" in str(composition_warning(2))
    assert "5 mentees" in str(composition_warning(5))
