"""Text people store has a length limit, checked on entry with a message saying what to do
instead; huge command text and polls with thousands of options are refused cheaply, before
they are split or any option is read as a date."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

import bot.domain.dates
from bot.domain.errors import UserError
from bot.domain.limits import (
    MAX_COMMAND_TEXT,
    MAX_GROUP_NAME,
    MAX_MEETING_NOTE,
    MAX_THEME_PROMPT,
)
from bot.domain.polls import MAX_OPTIONS, split_poll_text
from bot.domain.roster import parse_groups, parse_roster
from bot.services.group_context import group_context
from bot.services.meetings import draft_meeting
from storage.models import FollowUp, Meeting, MentorGroup, Poll, Theme
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group, replies, stored


@pytest.fixture
def group(bot: BotUnderTest) -> Group:
    return form_group(bot)


@pytest.fixture
def date_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the bot tries to read as a date (the expensive step, dateparser)."""
    calls: list[str] = []
    real = bot.domain.dates._readings

    def counting(text: str, languages: object) -> object:
        calls.append(text)
        return real(text, languages)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.domain.dates, "_readings", counting)
    return calls


def test_huge_command_text_is_refused_before_it_is_split(
    bot: BotUnderTest, group: Group, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    splits: list[str] = []
    real_shlex = shlex.shlex
    monkeypatch.setattr(
        shlex, "shlex", lambda text, *a, **k: splits.append(text) or real_shlex(text, *a, **k)
    )
    huge = "status " + "word " * 1000
    assert len(huge) > MAX_COMMAND_TEXT
    response = bot.command(group.mentor.id, group.channel_id, huge)
    reply = replies(bot, response)
    assert "too long for a command" in reply
    assert f"at most {MAX_COMMAND_TEXT})" in reply
    assert splits == []
    assert stored(bot, FollowUp) == []


def test_a_poll_with_too_many_options_is_refused_before_any_is_read(
    bot: BotUnderTest, group: Group, date_reads: list[str]
) -> None:
    many = "; ".join(["thu 16:00"] * 300)
    assert len(many) < MAX_COMMAND_TEXT
    reply = replies(bot, bot.command(group.mentor.id, group.channel_id, f"poll {many}"))
    assert f"at most {MAX_OPTIONS} dates; you gave 300" in reply
    assert date_reads == []
    assert stored(bot, Poll) == []


def test_five_thousand_options_are_counted_not_parsed(date_reads: list[str]) -> None:
    with pytest.raises(UserError, match="you gave 5,000"):
        split_poll_text("; ".join(["thu 16:00"] * 5000) + "; deadline=wed 12:00")
    assert date_reads == []


def test_the_poll_forms_text_field_is_counted_before_it_is_read(
    bot: BotUnderTest, group: Group, date_reads: list[str]
) -> None:
    bot.command(group.mentor.id, group.channel_id, "poll")
    [modal] = bot.slack.open_views(group.mentor.id)
    lines = bot.submit_view(
        group.mentor.id, modal.id, {"options_text": {"value": "thu 16:00\n" * 200}}
    )
    assert "you gave 200" in json.dumps(lines.json)
    huge = bot.submit_view(
        group.mentor.id, modal.id, {"options_text": {"value": "thu 16:00\n" * 5000}}
    )
    errors = json.dumps(huge.json)
    assert "options_text" in errors
    assert "50,000 characters" in errors
    assert date_reads == []
    assert stored(bot, Poll) == []


def test_theme_names_and_prompts_have_limits(bot: BotUnderTest, group: Group) -> None:
    long_prompt = "Why " + "really " * 60 + "?"
    assert len(long_prompt) > MAX_THEME_PROMPT
    reply = replies(
        bot,
        bot.command(
            group.mentees[0].id, group.channel_id, f"themes suggest Friendship | {long_prompt}"
        ),
    )
    assert f"Prompt 1 can be at most {MAX_THEME_PROMPT} characters" in reply
    assert "split it into shorter questions" in reply
    name = replies(
        bot, bot.command(group.mentees[0].id, group.channel_id, "themes suggest " + "x" * 500)
    )
    assert "A theme's name can be at most 120 characters" in name
    admin = bot.slack.add_channel("admin-limits", [COORDINATOR]).id
    many = "; ".join(["What helps you most when a week gets hard?"] * 60)
    catalogue = replies(bot, bot.command(COORDINATOR, admin, f"themes add Hard weeks | {many}"))
    assert "prompts together can be at most 2,000" in catalogue
    assert {t.name for t in stored(bot, Theme)}.isdisjoint({"Friendship", "Hard weeks"})


def test_a_long_group_name_is_refused_before_anything_is_stored(bot: BotUnderTest) -> None:
    admin = bot.slack.add_channel("admin-groups", [COORDINATOR]).id
    form_group(bot, prefix="first")
    mentor = bot.slack.add_user("longmentor")
    mentee = bot.slack.add_user("longmentee")
    bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
    name = "Blue " * 40
    reply = replies(
        bot,
        bot.command(
            COORDINATOR, admin, f'group create <@{mentor.id}> <@{mentee.id}> name="{name}"'
        ),
    )
    assert f"A group's name can be at most {MAX_GROUP_NAME} characters" in reply
    assert "choose a shorter name" in reply
    assert len(stored(bot, MentorGroup)) == 1


def test_a_long_term_name_is_refused(bot: BotUnderTest) -> None:
    admin = bot.slack.add_channel("admin-terms", [COORDINATOR]).id
    name = "Autumn " * 20
    reply = replies(
        bot, bot.command(COORDINATOR, admin, f'term new "{name}" 2026-09-01 2027-01-31')
    )
    assert "1 to 80 characters" in reply


def test_a_forged_meeting_note_over_the_limit_is_refused_on_every_way_in(
    bot: BotUnderTest, group: Group
) -> None:
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    yesterday = int(bot.runtime.now().timestamp()) - 86400
    refused = bot.submit_view(
        group.mentor.id,
        modal.id,
        {
            "when": {"value": {"type": "datetimepicker", "selected_date_time": yesterday}},
            "note": {"value": {"type": "plain_text_input", "value": "n" * 5000}},
        },
    )
    assert "note" in json.dumps(refused.json)
    assert stored(bot, Meeting) == []
    # The service holds the limit too, whoever calls it.
    context = group_context(bot.runtime, group_id=group.group_id)
    with pytest.raises(UserError, match="under 3,000 characters"):
        draft_meeting(
            bot.runtime,
            context,
            when=bot.runtime.now() - timedelta(days=1),
            note="n" * (MAX_MEETING_NOTE + 1),
        )
    assert stored(bot, Meeting) == []


def test_roster_fields_over_their_limits_are_invalid_rows() -> None:
    roster = (
        "name,email,role,programme,year,language\n"
        f"{'A' * 300},a@example.com,mentee,,,\n"
        f"Bo,{'b' * 300}@example.com,mentee,,,\n"
        f"Cy,cy@example.com,mentee,{'Law ' * 60},,\n"
        f"Di,di@example.com,mentee,,{'1' * 40},\n"
        "Ed,ed@example.com,mentee,,,english-please\n"
        "Fi,fi@example.com,mentor,Law,2,da\n"
    )
    rows, problems = parse_roster(roster)
    assert [row.name for row in rows] == ["Fi"]
    assert [p.line for p in problems] == [2, 3, 4, 5, 6]
    assert all("shorten it in the file" in p.message for p in problems)
    assert "name is 300 characters, at most 200" in problems[0].message
    groups = (
        "mentor_email,mentee_emails,name\n"
        f"m@example.com,a@example.com;b@example.com,{'Blue ' * 40}\n"
        f"n@example.com,{'c' * 300}@example.com,Green\n"
        "o@example.com,d@example.com,Red\n"
    )
    group_rows, group_problems = parse_groups(groups)
    assert [row.name for row in group_rows] == ["Red"]
    assert "name is 199 characters, at most 80" in group_problems[0].message
    assert "mentee email is 312 characters" in group_problems[1].message
