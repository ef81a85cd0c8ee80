"""Issue 18, the belonging pulse, end to end through the fake Slack with the clock moved over a
term: a DM per participant per round (start, middle, end) exactly once, answered by some,
skipped by others and stopped by one; a click counted once; forged and late clicks refused;
answers stored with no person; results only per term and role, only where 5 or more
answered, in the digest and `mentorbot report`; the DM in a Danish term's language."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlmodel import col, select

from bot.cli import cli
from bot.jobs import digest_job, pulse_job
from bot.runtime import Runtime
from bot.sandbox.fakeslack.model import Message, User
from bot.services.language import choose_language
from bot.services.pulse import Outcome, store_answer
from storage.db import read_session, write_session
from storage.models import Person, PulseAnswer, PulseRound, Term
from tests.conftest import COORDINATOR
from tests.support.clock import FakeClock
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.scenario import stored

CPH = ZoneInfo("Europe/Copenhagen")
TERM = 'term new "Winter 2027" 2026-11-20 2027-03-19 min=3 tz=Europe/Copenhagen'
# Groups formed Monday 23 November: the start round opens Thursday 26 November, the middle
# on Monday 18 January, the end on Monday 8 March (the last two weeks).
START = datetime(2026, 11, 26, 10, 30, tzinfo=CPH)
MIDDLE = datetime(2027, 1, 18, 10, 30, tzinfo=CPH)
END = datetime(2027, 3, 8, 10, 30, tzinfo=CPH)


def at(bot: BotUnderTest, moment: datetime) -> Runtime:
    return replace(bot.runtime, clock=lambda: moment)


def _form_groups(bot: BotUnderTest, term: str, count: int) -> list[tuple[User, list[User]]]:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, term)
    groups = []
    for number in range(count):
        mentor = bot.slack.add_user(f"mentor{number}")
        mentees = [bot.slack.add_user(f"mentee{number}x{i}") for i in range(3)]
        bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
        bot.command(
            COORDINATOR,
            admin,
            "group create "
            + " ".join(f"<@{u.id}>" for u in (mentor, *mentees))
            + f' name="circle{number}"',
        )
        groups.append((mentor, mentees))
    return groups


@pytest.fixture
def groups(bot: BotUnderTest) -> list[tuple[User, list[User]]]:
    """Five groups of a mentor and three mentees: 5 mentors, 15 mentees."""
    return _form_groups(bot, TERM, 5)


def _check_ins(bot: BotUnderTest, user_id: str) -> list[Message]:
    """The check-in DMs of a person, as they look now (answered, skipped or stopped)."""
    return [
        m
        for m in bot.slack.dm_messages_to(user_id)
        if "pulse_" in json.dumps(m.blocks) or "check-in" in m.text
    ]


def _button(message: Message, statement: int, score: int) -> dict[str, Any]:
    block = next(b for b in message.blocks if b.get("block_id") == f"pulse_statement_{statement}")
    element = next(e for e in block["elements"] if e["action_id"] == f"pulse_score_{score}")
    return {"block_id": block["block_id"], **element}


def _answer(bot: BotUnderTest, user: User, scores: dict[int, int]) -> None:
    for statement, score in scores.items():
        [message] = _check_ins(bot, user.id)[-1:]
        button = _button(message, statement, score)
        bot.click(
            user.id,
            message=(message.channel, message.ts),
            action_id=button["action_id"],
            value=button["value"],
            block_id=button["block_id"],
        )


def _footer(bot: BotUnderTest, user: User, action_id: str) -> dict[str, Any]:
    message = _check_ins(bot, user.id)[-1]
    bot.click(user.id, message=(message.channel, message.ts), action_id=action_id)
    return {"text": message.text}


def _mentees(groups: list[tuple[User, list[User]]]) -> list[User]:
    return [mentee for _, mentees in groups for mentee in mentees]


def _everyone(groups: list[tuple[User, list[User]]]) -> list[User]:
    return [m for m, _ in groups] + _mentees(groups)


def test_a_term_of_check_ins(bot: BotUnderTest, clock: FakeClock, groups: list) -> None:
    everyone = _everyone(groups)
    mentees = _mentees(groups)
    mentors = [m for m, _ in groups]

    # Before the start round opens, and at the weekend, nothing goes out.
    assert pulse_job(at(bot, datetime(2026, 11, 25, 11, 0, tzinfo=CPH)), bot.client) == (
        "sent 0 check-ins"
    )
    assert pulse_job(at(bot, datetime(2026, 11, 28, 11, 0, tzinfo=CPH)), bot.client) == (
        "sent 0 check-ins"
    )
    # The start round: every participant once, however often the job runs.
    assert pulse_job(at(bot, START), bot.client) == "sent 20 check-ins"
    assert pulse_job(at(bot, START), bot.client) == "sent 0 check-ins"
    for person in everyone:
        [dm] = _check_ins(bot, person.id)
        assert "quick check-in as the term begins" in dm.text
        blocks = json.dumps(dm.blocks)
        assert "I feel I belong where I study." in blocks
        assert "Strongly agree" in blocks
        assert "Skip this time" in blocks
    assert bot.slack.dm_messages_to(COORDINATOR) == []

    clock.set(START)
    # A double click (two deliveries before the worker redraws the DM) counts once, even
    # with another score the second time.
    first = mentees[0]
    dm = _check_ins(bot, first.id)[-1]
    for score in (3, 5):
        button = _button(dm, 1, score)
        bot.driver.click(
            first.id,
            message=(dm.channel, dm.ts),
            action_id=button["action_id"],
            value=button["value"],
            block_id=button["block_id"],
        )
    bot.settle()
    redrawn = json.dumps(_check_ins(bot, first.id)[-1].blocks)
    assert "I feel I belong where I study. Thanks!" in redrawn
    assert "pulse_statement_1" not in redrawn
    assert "pulse_statement_2" in redrawn
    _answer(bot, first, {2: 3, 3: 4, 4: 4})
    # Eleven more mentees answer every statement; two skip; one stops; four mentors answer.
    for person in mentees[1:12]:
        _answer(bot, person, {1: 3, 2: 3, 3: 4, 4: 4})
    for person in mentees[12:14]:
        _footer(bot, person, "pulse_skip")
    assert "skipped this check-in" in _check_ins(bot, mentees[12].id)[-1].text
    _footer(bot, mentees[14], "pulse_stop")
    for person in mentors[:4]:
        _answer(bot, person, {1: 4, 2: 4, 3: 4, 4: 4})

    # The DM shows thanks for what was answered, and no scale left.
    answered_dm = _check_ins(bot, mentees[0].id)[-1]
    assert "Thank you for taking part" in json.dumps(answered_dm.blocks)
    assert "pulse_score_" not in json.dumps(answered_dm.blocks)

    # Forged clicks on a check-in still open: a statement we never asked, a score off the
    # scale, a round that does not exist, someone not taking part: none stored.
    stranger = bot.slack.add_user("stranger")
    round_id = _round_id(bot, "start")
    open_dm = _check_ins(bot, mentors[4].id)[-1]
    for user, value in (
        (mentors[4], f"{round_id}:9:3"),
        (mentors[4], f"{round_id}:1:7"),
        (mentors[4], "999:1:3"),
    ):
        response = bot.click(
            user.id,
            message=(open_dm.channel, open_dm.ts),
            action_id="pulse_score_3",
            value=value,
            block_id="pulse_statement_1",
        )
        assert "check-in" in " ".join(bot.replies_to(response))
    # Slack shows a DM to its person alone; a click forged for someone else's round is
    # still checked: a stranger takes no part in the term.
    assert store_answer(bot.runtime, user_id=stranger.id, value=f"{round_id}:1:3") is (
        Outcome.NOT_PARTICIPANT
    )

    answers = stored(bot, PulseAnswer)
    assert len(answers) == 12 * 4 + 4 * 4
    assert sorted({a.role for a in answers}) == ["mentee", "mentor"]
    # No person anywhere in the answers or the markers.
    _assert_no_identity(bot, [*everyone, stranger])

    # The digest: mentees' start figures (12 answered), mentors too few to show, no group.
    assert digest_job(at(bot, datetime(2026, 11, 30, 8, 30, tzinfo=CPH)), bot.client) == (
        "sent 1 digest"
    )
    [digest] = bot.slack.dm_messages_to(COORDINATOR)
    pulse_section = _pulse_section(digest)
    assert "*Mentees* · Start of term: 3.5 of 5 (12 answered)" in pulse_section
    assert "*Mentors* · Start of term: not enough answers to show" in pulse_section
    assert "from start to end: not enough answers yet" in pulse_section
    assert "circle" not in pulse_section

    # The middle round: everyone but the one who stopped, once.
    assert pulse_job(at(bot, MIDDLE), bot.client) == "sent 19 check-ins"
    assert len(_check_ins(bot, mentees[14].id)) == 1
    # A click on the start round's DM once it is closed is refused, and not stored.
    clock.set(MIDDLE)
    old = _check_ins(bot, mentors[4].id)[0]
    response = bot.click(
        mentors[4].id,
        message=(old.channel, old.ts),
        action_id="pulse_score_4",
        value=f"{round_id}:2:4",
        block_id="pulse_statement_2",
    )
    assert "closed" in " ".join(bot.replies_to(response))
    assert len(stored(bot, PulseAnswer)) == 64

    # The end round: six mentees answer, higher than at the start; mentors stay too few.
    assert pulse_job(at(bot, END), bot.client) == "sent 19 check-ins"
    clock.set(END)
    for person in mentees[:6]:
        _answer(bot, person, {1: 4, 2: 4, 3: 5, 4: 5})
    for person in mentors[:3]:
        _answer(bot, person, {1: 5, 2: 5, 3: 5, 4: 5})
    assert len(stored(bot, PulseRound)) == 3

    assert digest_job(at(bot, datetime(2027, 3, 8, 8, 30, tzinfo=CPH)), bot.client) == (
        "sent 1 digest"
    )
    latest = _pulse_section(bot.slack.dm_messages_to(COORDINATOR)[-1])
    assert "End of term: 4.5 of 5 (6 answered) · from start to end: +1.0" in latest
    assert "*Mentors* · Start of term: not enough answers to show" in latest

    result = CliRunner().invoke(
        cli, ["report"], env={"MENTORBOT_DATABASE_URL": bot.runtime.settings.database_url}
    )
    assert result.exit_code == 0, result.output
    assert "Belonging pulse" in result.output
    assert "mentee start: 12 answered" in result.output
    assert "mentee change from start to end: +1.0" in result.output
    assert "mentor start: not enough answers to show" in result.output
    assert "circle" not in result.output.split("Belonging pulse")[1]
    _assert_no_identity(bot, everyone)


def _round_id(bot: BotUnderTest, kind: str) -> int:
    [found] = [r for r in stored(bot, PulseRound) if r.kind == kind]
    assert found.id is not None
    return found.id


def _pulse_section(digest: Message) -> str:
    [section] = [
        b["text"]["text"]
        for b in digest.blocks
        if b.get("type") == "section" and "Belonging check-ins" in b.get("text", {}).get("text", "")
    ]
    return str(section)


def _assert_no_identity(bot: BotUnderTest, people: list[User]) -> None:
    """Neither the answers nor the markers hold a Slack ID, and the answers have no column
    that could: only their key, round, role, statement and score."""
    assert set(PulseAnswer.model_fields) == {"id", "round_id", "role", "statement", "score"}
    with read_session(bot.runtime.engine) as session:
        answer_rows = session.execute(text("SELECT * FROM pulse_answer")).all()
        mark_rows = session.execute(text("SELECT * FROM pulse_mark")).all()
    dumped = json.dumps([list(map(str, row)) for row in (*answer_rows, *mark_rows)])
    for person in people:
        assert person.id not in dumped
        assert person.id.lower() not in dumped.lower()
    assert all(len(str(row[1])) == 64 for row in mark_rows)


def test_a_stopped_person_gets_no_more_and_a_snoozed_one_still_does(
    bot: BotUnderTest, clock: FakeClock, groups: list
) -> None:
    mentees = _mentees(groups)
    assert pulse_job(at(bot, START), bot.client) == "sent 20 check-ins"
    clock.set(START)
    _footer(bot, mentees[0], "pulse_stop")
    stopped_dm = _check_ins(bot, mentees[0].id)[-1]
    assert "won't get these check-ins any more" in stopped_dm.text
    with read_session(bot.runtime.engine) as session:
        person = session.get(Person, mentees[0].id)
        assert person is not None
        assert person.pulse_stopped_at is not None
    # A snooze is for reminders; the pulse still comes.
    admin = bot.slack.add_channel("snoozers", [mentees[1].id]).id
    bot.command(mentees[1].id, admin, "snooze 2027-02-28")
    assert pulse_job(at(bot, MIDDLE), bot.client) == "sent 19 check-ins"
    assert len(_check_ins(bot, mentees[1].id)) == 2
    assert len(_check_ins(bot, mentees[0].id)) == 1


def test_a_danish_term_asks_in_danish_and_a_reader_who_chose_english_gets_english(
    bot: BotUnderTest, clock: FakeClock
) -> None:
    groups = _form_groups(
        bot,
        'term new "Vinter 2027" 2026-11-20 2027-03-19 tz=Europe/Copenhagen lang=da',
        1,
    )
    mentor, mentees = groups[0]
    choose_language(bot.runtime, mentees[0].id, "en")
    assert pulse_job(at(bot, START), bot.client) == "sent 4 check-ins"
    [danish] = _check_ins(bot, mentor.id)
    shown = danish.text + json.dumps(danish.blocks, ensure_ascii=False)
    assert "Helt enig" in shown
    assert "Spring over denne gang" in shown
    assert_no_english(danish.text, language="da")
    for block in danish.blocks:
        for element in [block.get("text", {}), *block.get("elements", [])]:
            words = element.get("text", "")
            assert_no_english(
                words if isinstance(words, str) else words.get("text", ""), language="da"
            )
    [english] = _check_ins(bot, mentees[0].id)
    assert "Strongly agree" in json.dumps(english.blocks)
    clock.set(START)
    _answer(bot, mentor, {1: 4})
    assert "Tak!" in json.dumps(_check_ins(bot, mentor.id)[-1].blocks, ensure_ascii=False)


def test_a_failed_dm_is_sent_by_the_next_run_and_the_others_still_get_theirs(
    bot: BotUnderTest, groups: list
) -> None:
    bot.slack.fail_next("chat.postMessage", "500", count=3)
    first = pulse_job(at(bot, START), bot.client)
    assert first.startswith("sent 19 check-ins; 1 failed")
    assert pulse_job(at(bot, START), bot.client) == "sent 1 check-in"
    assert pulse_job(at(bot, START), bot.client) == "sent 0 check-ins"
    for person in _everyone(groups):
        assert len(_check_ins(bot, person.id)) == 1


def test_a_term_closed_early_opens_no_new_round(bot: BotUnderTest, groups: list) -> None:
    assert pulse_job(at(bot, START), bot.client) == "sent 20 check-ins"
    # Closing is its own feature (`/mentor term close`); here only its mark is set.
    with write_session(bot.runtime.engine) as session:
        term = session.exec(select(Term).where(col(Term.is_current))).one()
        term.closed_at = MIDDLE
        session.add(term)
    assert pulse_job(at(bot, MIDDLE), bot.client) == "sent 0 check-ins"
    assert [r.kind for r in stored(bot, PulseRound)] == ["start"]
