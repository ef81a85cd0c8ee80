"""Issue 12: nobody floods the bot. Storing commands are limited per person with a friendly
"slow down", and the limit opens again once the window has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.flood import LIMITS, StoringAction
from bot.jobs import housekeeping_job
from storage.models import Poll, RateCount, Theme
from tests.support.clock import FakeClock
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, replies, stored


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def _group_themes(bot: BotUnderTest) -> list[Theme]:
    return [theme for theme in stored(bot, Theme) if theme.group_id is not None]


def test_a_flood_of_theme_suggestions_is_slowed_down(
    bot: BotUnderTest, group: Group, clock: FakeClock
) -> None:
    mentee = group.mentees[0]
    most = LIMITS[StoringAction.SUGGEST_THEME].most
    for number in range(most):
        bot.command(mentee.id, group.channel_id, f"themes suggest Idea {number}")
    assert len(_group_themes(bot)) == most

    refused = replies(bot, bot.command(mentee.id, group.channel_id, "themes suggest One more"))
    assert "Slow down" in refused
    assert "Try again in" in refused
    assert len(_group_themes(bot)) == most

    # Someone else in the group is not held back by the flooder.
    other = replies(bot, bot.command(group.mentees[1].id, group.channel_id, "themes suggest Mine"))
    assert "Thanks" in other

    clock.advance(timedelta(hours=1))
    again = replies(bot, bot.command(mentee.id, group.channel_id, "themes suggest Later idea"))
    assert "Thanks" in again
    assert len(_group_themes(bot)) == most + 2


def test_a_flood_of_polls_is_slowed_down(bot: BotUnderTest, group: Group) -> None:
    most = LIMITS[StoringAction.START_POLL].most
    for _ in range(most):
        bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    assert len(stored(bot, Poll)) == most
    refused = replies(
        bot, bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    )
    assert "Slow down" in refused
    assert len(stored(bot, Poll)) == most


def test_housekeeping_forgets_counters_of_closed_windows(
    bot: BotUnderTest, group: Group, clock: FakeClock
) -> None:
    bot.command(group.mentees[0].id, group.channel_id, "themes suggest An idea")
    assert len(stored(bot, RateCount)) == 1
    housekeeping_job(bot.runtime, bot.client)
    assert len(stored(bot, RateCount)) == 1
    clock.advance(timedelta(hours=2, minutes=1))
    housekeeping_job(bot.runtime, bot.client)
    assert stored(bot, RateCount) == []
