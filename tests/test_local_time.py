"""Times in each reader's zone: Slack's date token, with a fallback that names the term's
zone (shown where Slack cannot format the date, such as notifications)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.text import fit, local_time, md, zoned_fallback, zoned_time
from bot.i18n import ENGLISH, translator

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
EN = translator(ENGLISH)


def test_date_token_carries_the_unix_moment_and_the_tokens() -> None:
    moment = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    assert local_time(moment, "Thu 26 Nov, 16:00 (Europe/Copenhagen)") == (
        "<!date^1795705200^{date_short_pretty} {time}|Thu 26 Nov, 16:00 (Europe/Copenhagen)>"
    )


def test_zoned_time_names_the_term_zone_in_the_fallback() -> None:
    moment = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    assert zoned_fallback(moment, COPENHAGEN, EN) == "Thu 26 Nov, 16:00 (Europe/Copenhagen)"
    assert zoned_time(moment, COPENHAGEN, EN).endswith("|Thu 26 Nov, 16:00 (Europe/Copenhagen)>")
    danish = translator("da")
    assert zoned_fallback(moment, COPENHAGEN, danish) == (
        "tors. 26. nov. kl. 16.00 (Europe/Copenhagen)"
    )
    # No token outside English: Slack's client would write its words ("Tomorrow") in its
    # own language, and it has no Danish; the bot's Danish wording in the term's zone instead.
    assert zoned_time(moment, COPENHAGEN, danish) == "tors. 26. nov. kl. 16.00"
    assert zoned_fallback(moment, COPENHAGEN, translator("pl")).startswith("czw., 26 lis")


def test_fallback_cannot_end_the_token_early() -> None:
    token = local_time(datetime(2026, 11, 26, 15, 0, tzinfo=UTC), "a > b <!channel>\nc")
    assert token.endswith("|a &gt; b &lt;!channel&gt; c>")
    assert token.count(">") == 1


def test_a_moment_without_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="zone"):
        local_time(datetime(2026, 11, 26, 15, 0), "x")  # noqa: DTZ001 - the case under test


def test_token_goes_into_templates_unescaped_and_is_never_cut_in_half() -> None:
    token = zoned_time(datetime(2026, 11, 26, 15, 0, tzinfo=UTC), COPENHAGEN, EN)
    line = md("Next meeting: {when}", when=token)
    assert line == "Next meeting: " + token
    cut = fit(line, len(line) - 3)
    assert "<!date" not in cut
    assert cut.startswith("Next meeting: ")
