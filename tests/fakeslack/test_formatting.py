"""Slack's date tokens as the fake's readers see them: in their own zone, "Today" or
"tomorrow" relative to their clock, and the fallback in notifications."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.sandbox.fakeslack import FakeSlack
from bot.sandbox.fakeslack.formatting import as_notified, read_as

# Thu 26 Nov 2026, 15:00 UTC: 16:00 in Copenhagen, 10:00 in New York.
TOKEN = "<!date^1795705200^{date_short_pretty} {time}|Thu 26 Nov, 16:00 (Europe/Copenhagen)>"
WEDNESDAY_EVENING = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


def test_each_reader_sees_their_own_zone_and_tomorrow() -> None:
    text = f"Meets {TOKEN}."
    assert read_as(text, zone=ZoneInfo("Europe/Copenhagen"), now=WEDNESDAY_EVENING) == (
        "Meets Tomorrow 16:00."
    )
    assert read_as(text, zone=ZoneInfo("America/New_York"), now=WEDNESDAY_EVENING) == (
        "Meets Tomorrow 10:00."
    )


def test_relative_words_are_capitalised_only_at_the_start_of_the_tokens() -> None:
    later = "<!date^1795705200^{time} {date_pretty}|x>"
    copenhagen = ZoneInfo("Europe/Copenhagen")
    assert read_as(later, zone=copenhagen, now=WEDNESDAY_EVENING) == "16:00 tomorrow"


def test_today_and_far_dates_are_spelled_out() -> None:
    copenhagen = ZoneInfo("Europe/Copenhagen")
    same_day = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert read_as(TOKEN, zone=copenhagen, now=same_day) == "Today 16:00"
    week_before = datetime(2026, 11, 19, 8, 0, tzinfo=UTC)
    assert read_as(TOKEN, zone=copenhagen, now=week_before) == "Nov 26, 2026 16:00"
    long = "<!date^1795705200^{date_long} at {time}|x>"
    assert (
        read_as(long, zone=copenhagen, now=week_before) == "Thursday, November 26th, 2026 at 16:00"
    )


def test_notifications_and_unknown_tokens_show_the_fallback_unescaped() -> None:
    assert as_notified(f"Meets {TOKEN}") == "Meets Thu 26 Nov, 16:00 (Europe/Copenhagen)"
    odd = "<!date^1795705200^{no_such_token}|A &amp; B>"
    assert read_as(odd, zone=ZoneInfo("UTC"), now=WEDNESDAY_EVENING) == "A & B"
    assert as_notified("<@U1> &lt;b&gt;") == "<@U1> &lt;b&gt;"


def test_the_fake_reads_as_each_user_with_their_profile_zone() -> None:
    with FakeSlack(clock=WEDNESDAY_EVENING.timestamp) as slack:
        anna = slack.add_user("anna", tz="Europe/Copenhagen")
        ben = slack.add_user("ben", tz="America/Los_Angeles")
        assert slack.seen_by(anna.id, TOKEN) == "Tomorrow 16:00"
        assert slack.seen_by(ben.id, TOKEN) == "Tomorrow 07:00"
