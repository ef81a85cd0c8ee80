"""Forms are held to the rules of typed text: a date picked in the poll form or the log
form obeys the same bounds as a typed one (within the term, not past, at most a year ahead,
no logging the future), and ticked attendees count only if they are members. Picker values
and ticked options are client data: these submissions are forged."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.jobs import meetings_job
from storage.db import write_session
from storage.models import Attendance, Meeting, Poll
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, stored

# The fake clock starts on Monday 2026-11-23 09:00 UTC; the term runs 2026-09-01 – 2027-01-31.


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


def _picked(moment: datetime) -> dict:
    return {"value": {"type": "datetimepicker", "selected_date_time": int(moment.timestamp())}}


def _ticked(*user_ids: str) -> dict:
    options = [{"text": {"type": "plain_text", "text": u}, "value": u} for u in user_ids]
    return {"value": {"type": "checkboxes", "selected_options": options}}


@pytest.mark.parametrize(
    ("picked", "problem"),
    [
        (datetime(2090, 1, 5, 15, 0, tzinfo=UTC), "2090 is more than a year ahead"),
        (datetime(2027, 3, 4, 15, 0, tzinfo=UTC), "is after the term ends"),
        (datetime(2026, 11, 20, 15, 0, tzinfo=UTC), "has already passed"),
        (datetime(1999, 1, 5, 15, 0, tzinfo=UTC), "has already passed"),
    ],
)
def test_a_forged_date_in_the_poll_form_is_refused_on_its_picker(
    bot: BotUnderTest, group: Group, picked: datetime, problem: str
) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll")
    [modal] = bot.slack.open_views(group.mentor.id)
    refused = bot.submit_view(
        group.mentor.id,
        modal.id,
        {"options_text": {"value": "thu 16:00"}, "picked_2": _picked(picked)},
    )
    errors = (refused.json or {}).get("errors", {})
    assert problem in errors.get("picked_2", ""), errors
    assert stored(bot, Poll) == []
    accepted = bot.submit_view(
        group.mentor.id,
        modal.id,
        {
            "options_text": {"value": "thu 16:00"},
            "picked_2": _picked(datetime(2026, 11, 27, 13, 0, tzinfo=UTC)),
        },
    )
    assert accepted.ok
    assert len(stored(bot, Poll)) == 1


def test_a_forged_date_in_the_log_form_is_refused_on_its_picker(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    for moment, problem in (
        (datetime(2090, 1, 5, 15, 0, tzinfo=UTC), "future"),
        (datetime(2026, 8, 20, 15, 0, tzinfo=UTC), "outside the term"),
    ):
        refused = bot.submit_view(group.mentor.id, modal.id, {"when": _picked(moment)})
        assert problem in json.dumps((refused.json or {}).get("errors", {}))
    assert stored(bot, Meeting) == []


def test_ticking_only_non_members_in_the_log_form_is_refused(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    yesterday = _picked(bot.runtime.now() - timedelta(days=1))
    refused = bot.submit_view(
        group.mentor.id, modal.id, {"when": yesterday, "attendees": _ticked("UFORGED01")}
    )
    assert "Tick who came" in json.dumps((refused.json or {}).get("errors", {}))
    assert stored(bot, Meeting) == []
    bot.submit_view(
        group.mentor.id,
        modal.id,
        {"when": yesterday, "attendees": _ticked("UFORGED01", group.mentees[0].id)},
    )
    assert [a.slack_user_id for a in stored(bot, Attendance)] == [group.mentees[0].id]


def test_ticking_only_non_members_in_the_attendance_form_is_refused(
    bot: BotUnderTest, group: Group
) -> None:
    with write_session(bot.runtime.engine) as session:
        start = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
        session.add(
            Meeting(
                group_id=group.group_id,
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                created_at=start,
            )
        )
    later = replace(bot.runtime, clock=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    meetings_job(later, bot.client)
    [question] = bot.slack.dm_messages_to(group.mentor.id)
    bot.click(group.mentor.id, message=(question.channel, question.ts), action_id="did_meet")
    assert len(stored(bot, Attendance)) == 4
    bot.click(group.mentor.id, message=(question.channel, question.ts), action_id="fix_attendance")
    [form] = bot.slack.open_views(group.mentor.id)
    refused = bot.submit_view(
        group.mentor.id, form.id, {"attendees": _ticked("UFORGED01", "UFORGED02")}
    )
    assert "Tick who came" in json.dumps((refused.json or {}).get("errors", {}))
    assert len(stored(bot, Attendance)) == 4
    bot.submit_view(group.mentor.id, form.id, {"attendees": _ticked("UFORGED01", group.mentor.id)})
    assert [a.slack_user_id for a in stored(bot, Attendance)] == [group.mentor.id]
