"""Issue 18, closing a term, end to end through the fake Slack with the clock moved forward:
closed at its end by the `closing` job or earlier by `/mentor term close` (a coordinator,
after a confirmation click); each group thanked in its channel with counts and theme names
(never a note), each mentor sent a summary, each coordinator the final report with the
per-group CSV as a Slack file; open polls cancelled; channels told and archived only after
the grace period; the next term's invitations to past participants; nothing sent twice."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from slack_sdk import WebClient
from sqlmodel import col, update

from bot.cli import cli
from bot.jobs import JOBS, closing_job, digest_job, meetings_job, pulse_job
from bot.sandbox.fakeslack.model import Message
from bot.scheduler import INTERVALS
from bot.services.language import choose_language
from storage.db import read_session, write_session
from storage.models import JobFailure, Meeting, MentorGroup, Person, Poll, PollState, Term
from tests.conftest import COORDINATOR
from tests.support.clock import FakeClock
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.scenario import TERM, Group, form_group, replies, stored

CPH = ZoneInfo("Europe/Copenhagen")
SECRET_NOTE = "private-note-never-shown"
AFTER_THE_END = datetime(2027, 2, 1, 0, 30, tzinfo=CPH)
"""Half an hour into the day after the term's last day (31 January), where the term is."""


def _busy_and_quiet(bot: BotUnderTest) -> tuple[Group, Group]:
    """Two groups: one met twice (two themes, a private note) and has a poll running; one
    never met."""
    busy = form_group(bot, prefix="busy")
    quiet = form_group(bot, prefix="quiet", start_term=False)
    bot.command(busy.mentor.id, busy.channel_id, "log mon 10:00 theme=motivation")
    bot.command(busy.mentor.id, busy.channel_id, "log tue 10:00 theme=balance")
    bot.command(busy.mentor.id, busy.channel_id, "poll thu 16:00; fri 14:00")
    with write_session(bot.runtime.engine) as session:
        session.execute(
            update(Meeting)
            .where(col(Meeting.group_id) == busy.group_id)
            .values(mentor_note=SECRET_NOTE)
        )
    return busy, quiet


def _texts(messages: list[Message]) -> str:
    return "\n".join(m.text + json.dumps(m.blocks) for m in messages)


def _everything_sent(bot: BotUnderTest) -> int:
    return len(bot.slack.calls_to("chat.postMessage")) + len(
        bot.slack.calls_to("files.completeUploadExternal")
    )


def _term(bot: BotUnderTest, name: str = "Autumn 2026") -> Term:
    return next(term for term in stored(bot, Term) if term.name == name)


def _latest_question(bot: BotUnderTest) -> dict[str, Any]:
    """Where to click in the coordinator's latest ephemeral (the close question)."""
    ephemeral = bot.slack.ephemerals_for(COORDINATOR)[-1]
    return {"message": (ephemeral.channel, ephemeral.message_ts)}


def _coordinator_dm(bot: BotUnderTest) -> list[Message]:
    return bot.slack.dm_messages_to(COORDINATOR)


def test_the_term_closes_at_its_end_with_thanks_summaries_and_the_report(
    bot: BotUnderTest, clock: FakeClock
) -> None:
    busy, quiet = _busy_and_quiet(bot)
    assert closing_job(bot.runtime, bot.client).startswith("closed 0 term(s)")
    assert _term(bot).closed_at is None, "the term is still running"
    # The belonging check-in's first round goes out; too few answer for figures.
    clock.set(datetime(2026, 11, 26, 10, 30, tzinfo=CPH))
    pulse_job(bot.runtime, bot.client)

    # The last day is not over yet where the term is.
    clock.set(datetime(2027, 1, 31, 23, 30, tzinfo=CPH))
    closing_job(bot.runtime, bot.client)
    assert _term(bot).closed_at is None
    clock.set(AFTER_THE_END)
    closing_job(bot.runtime, bot.client)
    bot.settle()
    assert _term(bot).closed_at == AFTER_THE_END

    thanks = _texts(bot.slack.messages_in(busy.channel_id)[-1:])
    assert "Autumn 2026" in thanks
    assert "has ended" in thanks
    assert "You met 2 times." in thanks
    assert "2 themes: Motivation and Balance between study and private life" in thanks
    assert "15 Feb 2027" in thanks, "the day the channel is archived"
    quiet_thanks = _texts(bot.slack.messages_in(quiet.channel_id)[-1:])
    assert "You did not get to meet this time" in quiet_thanks

    summary = _texts(bot.slack.dm_messages_to(busy.mentor.id)[-1:])
    assert "Your contribution as a mentor in Autumn 2026" in summary
    assert "You led 1 group:" in summary
    assert "2 meetings, from" in summary
    assert "2 meetings held in all." in summary
    assert "2 themes covered" in summary
    assert "1 Sept 2026" in summary or "1 Sep 2026" in summary
    quiet_summary = _texts(bot.slack.dm_messages_to(quiet.mentor.id)[-1:])
    assert "no meetings held" in quiet_summary
    assert "0 meetings held in all." in quiet_summary

    report = _coordinator_dm(bot)[-1]
    assert "Autumn 2026* is closed" in report.text
    assert "2 groups took part." in report.text
    assert "2 meetings were held in all." in report.text
    assert "1 group never met: quietanna" not in report.text  # groups are named, not mentors
    assert "1 group never met:" in report.text
    assert "*Belonging check-ins* over the term" in report.text
    assert "not enough answers to show" in report.text, "no figures below the threshold"
    [upload] = report.files
    assert upload.name == "final-report.csv"
    rows = list(csv.DictReader(io.StringIO((upload.content or b"").decode())))
    assert sorted(int(row["held"]) for row in rows) == [0, 2]

    everything = (
        "\n".join(
            _texts(bot.slack.messages_in(channel))
            for channel in (busy.channel_id, quiet.channel_id)
        )
        + _texts(_coordinator_dm(bot))
        + _texts(bot.slack.dm_messages_to(busy.mentor.id))
    )
    assert SECRET_NOTE not in everything + (upload.content or b"").decode()

    [poll] = stored(bot, Poll)
    assert poll.state == PollState.CANCELLED, "a poll still open at the end is cancelled"

    # Every later run finds everything sent: nothing goes twice.
    sent = _everything_sent(bot)
    for _ in range(3):
        closing_job(bot.runtime, bot.client)
    assert _everything_sent(bot) == sent


def test_channels_are_archived_after_the_grace_period_only(
    bot: BotUnderTest, clock: FakeClock
) -> None:
    busy, quiet = _busy_and_quiet(bot)
    clock.set(AFTER_THE_END)
    closing_job(bot.runtime, bot.client)
    clock.advance(timedelta(days=13, hours=23))
    closing_job(bot.runtime, bot.client)
    assert not bot.slack.channel(busy.channel_id).is_archived
    assert all(group.archived_at is None for group in stored(bot, MentorGroup))

    # Someone archived the quiet group's channel by hand meanwhile: that is fine.
    bot.client.conversations_archive(channel=quiet.channel_id)
    clock.advance(timedelta(hours=2))
    closing_job(bot.runtime, bot.client)
    assert bot.slack.channel(busy.channel_id).is_archived
    assert bot.slack.channel(quiet.channel_id).is_archived
    assert all(group.archived_at is not None for group in stored(bot, MentorGroup))
    notice = bot.slack.messages_in(busy.channel_id)[-1].text
    assert "this channel is archived now" in notice

    sent = _everything_sent(bot)
    clock.advance(timedelta(days=1))
    closing_job(bot.runtime, bot.client)
    assert _everything_sent(bot) == sent
    assert len(bot.slack.calls_to("conversations.archive")) == 3, "two by the bot, one by hand"


def test_a_coordinator_closes_the_term_by_command_after_confirming(
    bot: BotUnderTest, clock: FakeClock
) -> None:
    busy, quiet = _busy_and_quiet(bot)
    admin = bot.slack.channel_by_name("coordinationbusy").id
    refused = replies(bot, bot.command(busy.mentor.id, busy.channel_id, "term close"))
    assert "for coordinators only" in refused

    question = bot.answer(bot.command(COORDINATOR, admin, "term close"))
    assert "Close *Autumn 2026* now?" in question["text"]
    assert "14 days later" in question["text"]
    assert _term(bot).closed_at is None, "nothing happens before the confirmation"
    not_now = bot.click(COORDINATOR, action_id="term_close_cancel", **_latest_question(bot))
    assert "stays open" in bot.answer(not_now)["text"]
    assert _term(bot).closed_at is None

    bot.command(COORDINATOR, admin, "term close")
    first = _latest_question(bot)
    bot.command(COORDINATOR, admin, "term close")
    second = _latest_question(bot)
    clicked = bot.click(COORDINATOR, action_id="term_close_confirm", **first)
    assert "is closed. 2 groups were thanked" in bot.answer(clicked)["text"]
    assert _term(bot).closed_at == clock()
    assert "has ended" in bot.slack.messages_in(busy.channel_id)[-1].text
    assert "has ended" in bot.slack.messages_in(quiet.channel_id)[-1].text
    assert _coordinator_dm(bot)[-1].files, "the final report with its file"

    sent = _everything_sent(bot)
    again = bot.click(COORDINATOR, action_id="term_close_confirm", **second)
    assert "was already closed on 23 Nov 2026" in bot.answer(again)["text"]
    closing_job(bot.runtime, bot.client)
    assert _everything_sent(bot) == sent
    assert "already closed" in replies(bot, bot.command(COORDINATOR, admin, "term close"))

    # Reminders, questions and digests stop for a closed term: a meeting still planned for
    # tomorrow gets no day-before reminder and no "did you meet?".
    tomorrow = datetime(2026, 11, 24, 16, 0, tzinfo=CPH)
    with write_session(bot.runtime.engine) as session:
        session.add(
            Meeting(
                group_id=busy.group_id,
                starts_at=tomorrow,
                ends_at=tomorrow + timedelta(hours=1),
                created_at=clock(),
            )
        )
    clock.set(datetime(2026, 11, 23, 17, 0, tzinfo=CPH))
    assert meetings_job(bot.runtime, bot.client).startswith("sent 0 day-before reminders and 0")
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=CPH))
    assert meetings_job(bot.runtime, bot.client).startswith("sent 0 day-before reminders and 0")
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=CPH))  # a Monday, digest time
    assert digest_job(bot.runtime, bot.client).startswith("sent 0")
    assert _everything_sent(bot) == sent


def test_the_next_term_invites_past_participants_once_and_keeps_certification(
    bot: BotUnderTest, clock: FakeClock
) -> None:
    busy, quiet = _busy_and_quiet(bot)
    gone = quiet.mentees[0]
    with write_session(bot.runtime.engine) as session:
        session.execute(
            update(Person)
            .where(col(Person.slack_user_id) == gone.id)
            .values(pseudonymised_at=clock())
        )
    clock.set(AFTER_THE_END)
    closing_job(bot.runtime, bot.client)
    admin = bot.slack.channel_by_name("coordinationbusy").id
    bot.command(COORDINATOR, admin, 'term new "Spring 2027" 2027-02-01 2027-06-30')
    closing_job(bot.runtime, bot.client)

    for person in (*busy.members, *quiet.members):
        invitations = [m for m in bot.slack.dm_messages_to(person.id) if "Spring 2027" in m.text]
        if person is gone:
            assert invitations == [], "a pseudonymised person is not contacted"
            continue
        [invitation] = invitations
        assert "signup_join" in json.dumps(invitation.blocks)
        certified = "still a certified mentor" in invitation.text
        assert certified == (person in (busy.mentor, quiet.mentor))

    sent = _everything_sent(bot)
    closing_job(bot.runtime, bot.client)
    assert _everything_sent(bot) == sent

    # Certification lives on the person: the mentor leads a group of the new term at once.
    new_mentees = [bot.slack.add_user(f"new{n}") for n in range(3)]
    mentions = " ".join(f"<@{user.id}>" for user in (busy.mentor, *new_mentees))
    answer = replies(bot, bot.command(COORDINATOR, admin, f"group create {mentions}"))
    assert "not certified" not in answer
    with read_session(bot.runtime.engine) as session:
        spring = session.get(Term, _term(bot, "Spring 2027").id)
        assert spring is not None
    assert any(group.term_id == spring.id for group in stored(bot, MentorGroup)), (
        "a group of the new term led by last term's certified mentor"
    )


def test_a_danish_term_closes_in_danish(bot: BotUnderTest, clock: FakeClock) -> None:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM + " lang=da")
    busy = form_group(bot, prefix="busy", start_term=False)
    bot.command(busy.mentor.id, busy.channel_id, "log mon 10:00 theme=motivation")
    choose_language(bot.runtime, COORDINATOR, "en")
    clock.set(AFTER_THE_END)
    closing_job(bot.runtime, bot.client)

    thanks = bot.slack.messages_in(busy.channel_id)[-1].text
    assert "er slut" in thanks
    assert "I mødtes 1 gang." in thanks
    assert "15. feb. 2027" in thanks
    assert_no_english(thanks, allowed=["Autumn 2026", busy_group_name(bot, busy)])
    summary = bot.slack.dm_messages_to(busy.mentor.id)[-1].text
    assert "Dit bidrag som mentor" in summary
    assert_no_english(summary, allowed=["Autumn 2026", busy_group_name(bot, busy)])
    # The coordinator chose English: their report is in English, the file name too.
    report = _coordinator_dm(bot)[-1]
    assert "is closed" in report.text
    assert report.files[0].name == "final-report.csv"

    clock.advance(timedelta(days=15))
    closing_job(bot.runtime, bot.client)
    notice = bot.slack.messages_in(busy.channel_id)[-1].text
    assert "arkiveret" in notice
    assert_no_english(notice, allowed=["Autumn 2026"])


def busy_group_name(bot: BotUnderTest, group: Group) -> str:
    return next(g.name for g in stored(bot, MentorGroup) if g.id == group.group_id)


@pytest.mark.parametrize("language", ["de", "pt", "pl"])
def test_the_thank_you_in_other_languages(
    bot: BotUnderTest, clock: FakeClock, language: str
) -> None:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM + f" lang={language}")
    group = form_group(bot, prefix="g", start_term=False)
    for day in ("mon", "tue", "wed", "thu", "fri"):
        bot.command(group.mentor.id, group.channel_id, f"log {day} 10:00")
    clock.set(AFTER_THE_END)
    closing_job(bot.runtime, bot.client)
    thanks = bot.slack.messages_in(group.channel_id)[-1].text
    expected = {"de": "5 Mal", "pt": "5 vezes", "pl": "5 razy"}[language]
    assert expected in thanks
    assert_no_english(thanks, allowed=["Autumn 2026", busy_group_name(bot, group)])


def test_closing_is_a_scheduled_job() -> None:
    assert JOBS["closing"] is closing_job
    assert "closing" in INTERVALS, "mentorbot run schedules it"


def test_mentorbot_term_close_asks_then_closes_once(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy, _ = _busy_and_quiet(bot)
    settings = bot.runtime.settings
    for name, value in (
        ("SLACK_BOT_TOKEN", settings.slack_bot_token),
        ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        ("SLACK_API_URL", settings.slack_api_url),
        ("MENTORBOT_DATABASE_URL", settings.database_url),
        ("MENTORBOT_COORDINATORS", COORDINATOR),
    ):
        monkeypatch.setenv(name, value)
    declined = CliRunner().invoke(cli, ["term", "close"], input="n\n")
    assert declined.exit_code == 1, declined.output
    assert _term(bot).closed_at is None

    closed = CliRunner().invoke(cli, ["term", "close", "--yes"])
    assert closed.exit_code == 0, closed.output
    assert "closed “Autumn 2026”: closed 1 term(s); sent 2 thank-you(s)" in closed.output
    assert _term(bot).closed_at is not None
    assert "has ended" in bot.slack.messages_in(busy.channel_id)[-1].text
    assert _coordinator_dm(bot)[-1].files

    again = CliRunner().invoke(cli, ["term", "close", "--yes"])
    assert again.exit_code == 0, again.output
    assert "was already closed" in again.output


class _RefusingChannel(WebClient):
    """The bot's client, except that posting in one channel raises an error no code expects:
    a bug striking one group's thank-you."""

    def __init__(self, bot: BotUnderTest, channel_id: str) -> None:
        super().__init__(token=bot.client.token, base_url=bot.client.base_url)
        self.refused = channel_id

    def chat_postMessage(self, *, channel: str, **kwargs: Any) -> Any:  # type: ignore[override]
        if channel == self.refused:
            raise RuntimeError("a bug in one group")
        return super().chat_postMessage(channel=channel, **kwargs)


def test_a_group_that_fails_stops_no_other_and_is_thanked_on_the_next_run(
    bot: BotUnderTest, clock: FakeClock
) -> None:
    busy, quiet = _busy_and_quiet(bot)
    clock.set(AFTER_THE_END)
    report = closing_job(bot.runtime, _RefusingChannel(bot, busy.channel_id))
    assert "1 failed, retried next run" in report
    assert "has ended" in bot.slack.messages_in(quiet.channel_id)[-1].text
    assert "has ended" not in bot.slack.messages_in(busy.channel_id)[-1].text
    assert bot.slack.dm_messages_to(busy.mentor.id), "the mentors' summaries still went"
    assert _coordinator_dm(bot)[-1].files, "and the final report"
    [failure] = stored(bot, JobFailure)
    assert failure.job == "closing"

    closing_job(bot.runtime, bot.client)
    thanks = [m for m in bot.slack.messages_in(busy.channel_id) if "has ended" in m.text]
    assert len(thanks) == 1
    assert len([m for m in bot.slack.messages_in(quiet.channel_id) if "has ended" in m.text]) == 1
    assert stored(bot, JobFailure) == []
