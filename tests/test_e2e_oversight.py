"""Issue 7 end to end: nudges and digests at chosen times, through `run-job`'s functions,
against the fake Slack: the right groups once, nobody at the weekend or after the minimum,
figures matching the stored meetings, nothing confidential, nothing twice."""

from __future__ import annotations

import csv
import importlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlmodel import select

from bot.cli import cli
from bot.domain.errors import UserError
from bot.jobs import digest_job, nudges_job
from bot.runtime import Runtime
from bot.sandbox.fakeslack.model import Message, User
from bot.services.oversight import pause_group_for_week, planned_offline
from storage.db import read_session, write_session
from storage.models import Meeting, MentorGroup, Nudge, Pause
from tests.conftest import COORDINATOR
from tests.support.clock import FakeClock
from tests.support.harness import BotUnderTest
from tests.support.scenario import TERM

CPH = ZoneInfo("Europe/Copenhagen")


def at(bot: BotUnderTest, *args: int) -> Runtime:
    moment = datetime(*args, tzinfo=CPH)  # type: ignore[misc]
    return replace(bot.runtime, clock=lambda: moment)


@pytest.fixture
def groups(bot: BotUnderTest) -> dict[str, tuple[User, str]]:
    """Three groups: "quiet" (nothing), "planned" (an open poll), "busy" (minimum met)."""
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM)
    made: dict[str, tuple[User, str]] = {}
    for name in ("quiet", "planned", "busy"):
        mentor = bot.slack.add_user(f"{name}mentor", real_name=f"{name.title()} Mentor")
        mentees = [bot.slack.add_user(f"{name}{i}") for i in range(3)]
        bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
        bot.command(
            COORDINATOR,
            admin,
            "group create "
            + " ".join(f"<@{u.id}>" for u in (mentor, *mentees))
            + f' name="{name}"',
        )
        with read_session(bot.runtime.engine) as session:
            group = session.exec(select(MentorGroup).where(MentorGroup.name == name)).one()
        assert group.channel_id is not None
        made[name] = (mentor, group.channel_id)
    mentor, channel = made["planned"]
    bot.command(mentor.id, channel, "poll thu 16:00; fri 14:00")
    mentor, channel = made["busy"]
    for day in ("mon 10:00", "tue 10:00", "wed 10:00"):
        bot.command(mentor.id, channel, f"log {day}")
    bot.command(mentor.id, channel, "log thu 10:00")
    return made


def _nudges_to(bot: BotUnderTest, mentor_id: str) -> list[Message]:
    """The nudges in a mentor's DM: the ones with the "We planned it offline" button."""
    return [
        m for m in bot.slack.dm_messages_to(mentor_id) if "planned_offline" in json.dumps(m.blocks)
    ]


def _channel_notes(bot: BotUnderTest, channel: str) -> list[Message]:
    return [m for m in bot.slack.messages_in(channel) if "How about planning" in m.text]


def test_only_the_quiet_group_is_nudged_once_a_week(bot: BotUnderTest, groups: dict) -> None:
    monday = at(bot, 2026, 11, 23, 10, 30)
    assert nudges_job(monday, bot.client) == "nudged 1 group"
    assert nudges_job(monday, bot.client) == "nudged 0 groups"
    quiet_mentor, quiet_channel = groups["quiet"]
    [nudge] = _nudges_to(bot, quiet_mentor.id)
    assert "has not met yet (the aim is at least 3 times)" in nudge.text
    buttons = json.dumps(nudge.blocks)
    for label in ("Start a date poll", "We planned it offline", "Remind me later"):
        assert label in buttons
    assert len(bot.slack.dm_messages_to(quiet_mentor.id)) == 1
    # The channel gets one gentle line, without buttons or figures.
    [note] = _channel_notes(bot, quiet_channel)
    assert note.text == "👋 How about planning the next meeting? Quiet Mentor will suggest dates."
    assert "button" not in json.dumps(note.blocks)
    for name in ("planned", "busy"):
        mentor, channel = groups[name]
        assert _nudges_to(bot, mentor.id) == []
        assert _channel_notes(bot, channel) == []
    assert nudges_job(at(bot, 2026, 11, 27, 11, 0), bot.client) == "nudged 0 groups"
    assert nudges_job(at(bot, 2026, 11, 30, 10, 5), bot.client) == "nudged 1 group"


def test_a_firm_nudge_goes_to_the_mentor_alone(bot: BotUnderTest, groups: dict) -> None:
    two_weeks_left = at(bot, 2027, 1, 18, 10, 30)
    assert nudges_job(two_weeks_left, bot.client) == "nudged 1 group"
    quiet_mentor, quiet_channel = groups["quiet"]
    [nudge] = _nudges_to(bot, quiet_mentor.id)
    assert "Only 2 weeks of the term left" in nudge.text
    assert _channel_notes(bot, quiet_channel) == []
    assert not any("weeks" in m.text for m in bot.slack.messages_in(quiet_channel))


def test_we_planned_it_offline_stops_the_nudges_for_a_week(
    bot: BotUnderTest, clock: FakeClock, groups: dict
) -> None:
    monday = at(bot, 2026, 11, 23, 10, 30)
    assert nudges_job(monday, bot.client) == "nudged 1 group"
    quiet_mentor, _ = groups["quiet"]
    [nudge] = _nudges_to(bot, quiet_mentor.id)
    other_mentor, _ = groups["busy"]
    [group_id] = {
        int(e["value"])
        for b in nudge.blocks
        for e in b.get("elements", [])
        if e.get("action_id") == "planned_offline"
    }
    # The button carries only the group: whoever clicks it is checked (a forged click).
    with pytest.raises(UserError, match="Only the group's mentor"):
        planned_offline(bot.runtime, group_id=group_id, user_id=other_mentor.id)
    with read_session(bot.runtime.engine) as session:
        assert session.exec(select(Pause)).all() == []

    clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=CPH))
    response = bot.click(
        quiet_mentor.id, message=(nudge.channel, nudge.ts), action_id="planned_offline"
    )
    answer = bot.answer(response)
    assert answer.get("replace_original") is True
    assert "no nudges until Tuesday 1 December" in answer["text"]
    assert "planned_offline" not in json.dumps(answer.get("blocks", []))
    assert nudges_job(at(bot, 2026, 11, 30, 10, 5), bot.client) == "nudged 0 groups"
    assert nudges_job(at(bot, 2026, 12, 2, 10, 5), bot.client) == "nudged 1 group"


@pytest.mark.parametrize(
    "moment",
    [
        (2026, 11, 28, 12, 0),  # Saturday
        (2026, 11, 23, 9, 59),  # before 10:00
        (2026, 11, 23, 22, 0),  # at night
        (2027, 1, 30, 11, 0),  # the term's last days
    ],
)
def test_no_nudges_at_the_weekend_at_night_or_at_term_end(
    bot: BotUnderTest, groups: dict, moment: tuple
) -> None:
    assert nudges_job(at(bot, *moment), bot.client) == "nudged 0 groups"


def test_a_paused_group_is_not_nudged(bot: BotUnderTest, groups: dict) -> None:
    admin = bot.slack.add_channel("admin2", [COORDINATOR]).id
    reply = bot.command(COORDINATOR, admin, 'pause group="quiet" until 2026-11-29')
    assert "Paused" in "\n".join(bot.replies_to(reply))
    assert nudges_job(at(bot, 2026, 11, 23, 10, 30), bot.client) == "nudged 0 groups"
    assert nudges_job(at(bot, 2026, 11, 30, 10, 30), bot.client) == "nudged 1 group"


def test_two_processes_nudge_once(bot: BotUnderTest, groups: dict) -> None:
    monday = at(bot, 2026, 11, 23, 10, 30)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: nudges_job(monday, bot.client), range(4)))
    assert sorted(results) == ["nudged 0 groups"] * 3 + ["nudged 1 group"]
    quiet_mentor, quiet_channel = groups["quiet"]
    assert len(_nudges_to(bot, quiet_mentor.id)) == 1
    assert len(_channel_notes(bot, quiet_channel)) == 1


def test_a_slack_error_does_not_stop_the_run_and_is_retried(
    bot: BotUnderTest, groups: dict
) -> None:
    bot.slack.fail_next("chat.postMessage", "500", count=3)
    monday = at(bot, 2026, 11, 23, 10, 30)
    assert nudges_job(monday, bot.client) == "nudged 0 groups, 1 failed"
    assert nudges_job(at(bot, 2026, 11, 23, 11, 0), bot.client) == "nudged 1 group"
    with read_session(bot.runtime.engine) as session:
        assert [n.status for n in session.exec(select(Nudge)).all()] == ["sent"]


def test_weekly_digest_once_with_the_stored_figures_and_nothing_confidential(
    bot: BotUnderTest, groups: dict
) -> None:
    assert digest_job(at(bot, 2026, 11, 23, 7, 59), bot.client) == "sent 0 digests"
    monday = at(bot, 2026, 11, 23, 8, 30)
    assert digest_job(monday, bot.client) == "sent 1 digest"
    assert digest_job(monday, bot.client) == "sent 0 digests"
    [digest] = bot.slack.dm_messages_to(COORDINATOR)
    text = json.dumps(digest.blocks, ensure_ascii=False)
    assert "4 of 9" in text  # 4 meetings logged against 3 groups × 3
    assert "*Not started*\\n2" in text  # "quiet", and "planned" (a poll, but no meeting)
    assert "*Done*\\n1" in text
    assert "no meeting yet" in text
    assert "*quiet*" in text
    assert "<#" not in text  # group names: coordinators are not in the groups' channels
    assert "▰▰▰▰▰▰" in text
    for secret in ("Motivation", "poll thu", "Welcome"):
        assert secret not in text
    assert digest_job(at(bot, 2026, 11, 24, 8, 30), bot.client) == "sent 0 digests"
    assert digest_job(at(bot, 2026, 11, 30, 8, 30), bot.client) == "sent 1 digest"


def test_digest_on_demand_is_for_coordinators(bot: BotUnderTest, groups: dict) -> None:
    mentor, channel = groups["quiet"]
    refused = bot.command(mentor.id, channel, "digest")
    assert "for coordinators only" in "\n".join(bot.replies_to(refused))
    admin = bot.slack.add_channel("admin3", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, "digest")
    assert len(bot.slack.dm_messages_to(COORDINATOR)) == 1


def test_report_lists_every_group_and_writes_csv(
    bot: BotUnderTest, groups: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = bot.runtime.settings
    for name, value in (
        ("SLACK_BOT_TOKEN", settings.slack_bot_token),
        ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        ("SLACK_API_URL", settings.slack_api_url),
        ("MENTORBOT_DATABASE_URL", settings.database_url),
    ):
        monkeypatch.setenv(name, value)
    target = tmp_path / "report.csv"
    result = CliRunner().invoke(cli, ["report", "--csv", str(target)])
    assert result.exit_code == 0, result.output
    assert "3 groups" in result.output
    rows = list(csv.DictReader(target.open()))
    assert {row["group"]: row["held"] for row in rows} == {
        "busy": "4",
        "planned": "0",
        "quiet": "0",
    }
    missing = CliRunner().invoke(cli, ["report", "--term", "Nope"])
    assert missing.exit_code == 2
    assert "no term called" in missing.output


def _group_id(bot: BotUnderTest, name: str) -> int:
    with read_session(bot.runtime.engine) as session:
        group = session.exec(select(MentorGroup).where(MentorGroup.name == name)).one()
    assert group.id is not None
    return group.id


def _plan_meeting(bot: BotUnderTest, name: str, starts_at: datetime) -> None:
    with write_session(bot.runtime.engine) as session:
        session.add(
            Meeting(
                group_id=_group_id(bot, name),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                created_at=starts_at - timedelta(days=3),
            )
        )


def test_a_group_sitting_in_its_planned_meeting_is_not_nudged_until_the_answer_is_overdue(
    bot: BotUnderTest, groups: dict
) -> None:
    """The meeting has started and "did you meet?" has not been answered yet: the group has a
    plan, whose outcome is not known. Days later, with still no answer, it is nudged."""
    _plan_meeting(bot, "quiet", datetime(2026, 11, 23, 10, 0, tzinfo=CPH))
    assert nudges_job(at(bot, 2026, 11, 23, 10, 30), bot.client) == "nudged 0 groups"
    assert nudges_job(at(bot, 2026, 11, 25, 11, 0), bot.client) == "nudged 0 groups"
    assert nudges_job(at(bot, 2026, 11, 26, 10, 30), bot.client) == "nudged 1 group"


def _attention_group_ids(blocks: list[dict]) -> list[int]:
    return [
        int(b["block_id"].removeprefix("attention_"))
        for b in blocks
        if b["type"] == "actions" and b["block_id"].startswith("attention_")
    ]


def test_digest_reasons_are_true_with_the_last_and_next_event(
    bot: BotUnderTest, groups: dict
) -> None:
    """A group with a meeting planned this week is not "no meeting yet"; the one with nothing
    held or planned is, with when it was formed and "nothing planned"."""
    _plan_meeting(bot, "quiet", datetime(2026, 11, 26, 16, 0, tzinfo=CPH))
    bot.command(groups["planned"][0].id, groups["planned"][1], "log 2026-11-20 10:00")
    monday = at(bot, 2026, 11, 23, 8, 30)
    assert digest_job(monday, bot.client) == "sent 1 digest"
    [digest] = bot.slack.dm_messages_to(COORDINATOR)
    text = json.dumps(digest.blocks, ensure_ascii=False)
    assert _attention_group_ids(digest.blocks) == []
    assert "No group. 🎉" in text
    assert "no meeting yet" not in text

    _plan_meeting(bot, "busy", datetime(2026, 11, 27, 16, 0, tzinfo=CPH))
    with write_session(bot.runtime.engine) as session:
        for meeting in session.exec(select(Meeting)).all():
            if meeting.group_id == _group_id(bot, "quiet"):
                session.delete(meeting)
    bot.command(COORDINATOR, bot.slack.add_channel("admin4", [COORDINATOR]).id, "digest")
    latest = bot.slack.dm_messages_to(COORDINATOR)[-1]
    assert _attention_group_ids(latest.blocks) == [_group_id(bot, "quiet")]
    row = json.dumps(latest.blocks, ensure_ascii=False)
    assert "*quiet* · mentor" in row
    assert "no meeting yet" in row
    assert "no meeting since it was formed on" in row
    assert "nothing planned" in row
    assert "1 group needs attention" in latest.text


def test_pause_a_week_from_the_digest_is_for_coordinators(bot: BotUnderTest, groups: dict) -> None:
    admin = bot.slack.add_channel("admin5", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, "digest")
    [digest] = bot.slack.dm_messages_to(COORDINATOR)
    buttons = json.dumps(digest.blocks)
    assert f"app_redirect?channel={groups['quiet'][0].id}" in buttons
    mentor = groups["quiet"][0]
    # Only coordinators see the button; a forged click reaches the same check.
    with pytest.raises(UserError, match="Only coordinators"):
        pause_group_for_week(bot.runtime, group_id=_group_id(bot, "quiet"), user_id=mentor.id)
    with read_session(bot.runtime.engine) as session:
        assert session.exec(select(Pause)).all() == []
    bot.click(COORDINATOR, message=(digest.channel, digest.ts), action_id="pause_week")
    with read_session(bot.runtime.engine) as session:
        [pause] = session.exec(select(Pause)).all()
    assert pause.group_id == _group_id(bot, "quiet")
    assert (pause.ends_on - pause.starts_on).days == 6
    assert nudges_job(at(bot, 2026, 11, 23, 10, 30), bot.client) == "nudged 0 groups"
    replies = [e.text for e in bot.slack.ephemerals_for(COORDINATOR)]
    assert any("Paused “quiet”" in r for r in replies)


def test_planned_this_week_is_the_calendar_week_of_the_digest(
    bot: BotUnderTest, groups: dict
) -> None:
    """Monday's digest counts Sunday night's meeting, not next Monday's (inside the next
    seven days, but next week); the App Home's glance reads the same."""
    _plan_meeting(bot, "quiet", datetime(2026, 11, 29, 23, 30, tzinfo=CPH))
    _plan_meeting(bot, "planned", datetime(2026, 11, 30, 0, 30, tzinfo=CPH))
    assert digest_job(at(bot, 2026, 11, 23, 8, 30), bot.client) == "sent 1 digest"
    [digest] = bot.slack.dm_messages_to(COORDINATOR)
    fields = [f["text"] for b in digest.blocks for f in b.get("fields", [])]
    assert "*Planned this week*\n1" in fields

    # A week later the Monday-00:30 meeting is this week's; Sunday's is past.
    assert digest_job(at(bot, 2026, 11, 30, 8, 30), bot.client) == "sent 1 digest"
    latest = bot.slack.dm_messages_to(COORDINATOR)[-1]
    fields = [f["text"] for b in latest.blocks for f in b.get("fields", [])]
    assert "*Planned this week*\n1" in fields
    assert "Week of 30 November 2026" in json.dumps(latest.blocks)


def _planned_in_report(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, when: Runtime
) -> dict[str, str]:
    """`mentorbot report --csv` run at `when`'s time: each group's "planned" figure."""
    settings = bot.runtime.settings
    for name, value in (
        ("SLACK_BOT_TOKEN", settings.slack_bot_token),
        ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        ("SLACK_API_URL", settings.slack_api_url),
        ("MENTORBOT_DATABASE_URL", settings.database_url),
    ):
        monkeypatch.setenv(name, value)
    # The command's module (the package exports the command under the same name).
    report_command = importlib.import_module("bot.cli.report")
    opened = report_command.migrated_runtime
    monkeypatch.setattr(
        report_command,
        "migrated_runtime",
        lambda loaded: replace(opened(loaded), clock=when.clock),
    )
    target = tmp_path / "report.csv"
    result = CliRunner().invoke(cli, ["report", "--csv", str(target)])
    assert result.exit_code == 0, result.output
    return {row["group"]: row["planned"] for row in csv.DictReader(target.open())}


def test_the_reports_planned_meetings_are_the_calendar_week_of_the_digest(
    bot: BotUnderTest, groups: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Saturday the report counts Sunday night's meeting and not Monday's or Tuesday's
    (inside the next seven days, but next week); on Monday the week has turned."""
    _plan_meeting(bot, "quiet", datetime(2026, 11, 29, 23, 30, tzinfo=CPH))
    _plan_meeting(bot, "planned", datetime(2026, 11, 30, 0, 30, tzinfo=CPH))
    _plan_meeting(bot, "busy", datetime(2026, 12, 1, 10, 0, tzinfo=CPH))
    saturday = at(bot, 2026, 11, 28, 12, 0)
    assert _planned_in_report(bot, monkeypatch, tmp_path, saturday) == {
        "busy": "0",
        "planned": "0",
        "quiet": "1",
    }
    monday = at(bot, 2026, 11, 30, 8, 30)
    assert _planned_in_report(bot, monkeypatch, tmp_path, monday) == {
        "busy": "1",
        "planned": "1",
        "quiet": "0",
    }
