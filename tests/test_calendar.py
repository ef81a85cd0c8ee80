"""The meeting's .ics file: where it is, its link, its UID and SEQUENCE, and a cancellation;
and how a typed place is cleaned."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.domain.calendar import meeting_ics, meeting_uid
from bot.domain.errors import UserError
from bot.domain.limits import MAX_MEETING_PLACE
from bot.domain.places import clean_place, place_url
from bot.domain.polls import split_poll_text
from bot.i18n import ENGLISH, translator

ZONE = ZoneInfo("Europe/Copenhagen")
START = datetime(2027, 3, 1, 15, tzinfo=UTC)
END = datetime(2027, 3, 1, 16, 30, tzinfo=UTC)
STAMP = datetime(2027, 2, 20, 9, tzinfo=UTC)


def _ics(location: str, **changes: object) -> tuple[Calendar, Calendar]:
    values: dict[str, object] = {
        "uid": "mentorbot-poll-7@C1",
        "title": "Mentor group: Owls",
        "starts_at": START,
        "ends_at": END,
        "location": location,
        "description": "Your mentor group's meeting.",
        "zone": ZONE,
        "stamp": STAMP,
        "t": translator(ENGLISH),
    }
    values.update(changes)
    calendar = Calendar.from_ical(meeting_ics(**values))  # type: ignore[arg-type]
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_a_room_is_the_location_without_a_url() -> None:
    calendar, event = _ics("Room 2.14")
    assert str(event["LOCATION"]) == "Room 2.14"
    assert "URL" not in event
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_video_link_is_also_the_url_and_a_line_of_the_description() -> None:
    _, event = _ics("https://meet.example.org/owls?x=1")
    assert str(event["LOCATION"]) == "https://meet.example.org/owls?x=1"
    assert str(event["URL"]) == "https://meet.example.org/owls?x=1"
    assert "Join: https://meet.example.org/owls?x=1" in str(event["DESCRIPTION"])


def test_a_change_keeps_the_uid_and_raises_the_sequence() -> None:
    _, first = _ics("Room 2.14")
    _, moved = _ics("Room 2.14", sequence=2, starts_at=END, ends_at=END.replace(hour=18))
    assert str(first["UID"]) == str(moved["UID"])
    assert int(moved["SEQUENCE"]) == 2


def test_a_cancellation_is_method_cancel_and_status_cancelled() -> None:
    calendar, event = _ics("Room 2.14", sequence=1, cancelled=True)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_the_uid_is_the_polls_for_a_planned_meeting() -> None:
    assert meeting_uid(poll_id=7, meeting_id=3, channel_id="C1") == "mentorbot-poll-7@C1"
    assert meeting_uid(poll_id=None, meeting_id=3, channel_id="C1") == "mentorbot-meeting-3@C1"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Room   2.14 ", "Room 2.14"),
        ("", None),
        ("   ", None),
        (None, None),
        ("<https://meet.example.org/owls>", "https://meet.example.org/owls"),
        ("<https://meet.example.org/owls|meet.example.org/owls>", "https://meet.example.org/owls"),
        ("Room\x00 1", "Room 1"),
    ],
)
def test_a_typed_place_is_cleaned(typed: str | None, stored: str | None) -> None:
    assert clean_place(typed) == stored


def test_a_place_over_the_limit_is_refused() -> None:
    assert clean_place("x" * MAX_MEETING_PLACE) == "x" * MAX_MEETING_PLACE
    with pytest.raises(UserError, match="at most 500"):
        clean_place("x" * (MAX_MEETING_PLACE + 1))


def test_only_web_addresses_are_links() -> None:
    assert place_url("https://a.example/b") == "https://a.example/b"
    assert place_url("HTTP://a.example") == "HTTP://a.example"
    assert place_url("javascript:alert(1)") is None
    assert place_url("Room 2.14 https://a.example") is None
    assert place_url(None) is None


def test_where_in_the_short_form() -> None:
    parsed = split_poll_text("thu 16:00; fri 14:00; where=Room 2.14; deadline=wed 12:00")
    assert parsed.options == ("thu 16:00", "fri 14:00")
    assert parsed.where == "Room 2.14"
    assert split_poll_text("a; b").where is None
    with pytest.raises(UserError, match="where="):
        split_poll_text("a; b; where= ")
