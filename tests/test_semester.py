"""A semester in fast-forward while Slack misbehaves: 20 groups poll, vote, meet and get
nudged and digested, the clock moved by hand, with a share of Web API calls failing (429 with
Retry-After, 500, dropped connections before Slack acted, slow answers), and every scheduled
job run by two workers on the same database at once. At the end every vote and meeting is
stored and every automatic message was delivered exactly once."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.jobs import digest_job, meetings_job, nudges_job, polls_job
from bot.runtime import Runtime
from storage.db import make_engine, read_session
from storage.models import Meeting, MentorGroup, Nudge, Outbox, Poll, Vote
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import TERM, Group, poll_message, stored

CPH = ZoneInfo("Europe/Copenhagen")
GROUPS = 20
FAULTS = ("429", "500", "drop", "slow")


def at(bot: BotUnderTest, *moment: int) -> Runtime:
    when = datetime(*moment, tzinfo=CPH)  # type: ignore[misc]
    return replace(bot.runtime, clock=lambda: when)


def _form_groups(bot: BotUnderTest) -> list[Group]:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM)
    groups = []
    for number in range(GROUPS):
        mentor = bot.slack.add_user(f"mentor{number}", real_name=f"Mentor{number} M")
        mentees = tuple(bot.slack.add_user(f"mentee{number}x{i}") for i in range(3))
        bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
        people = " ".join(f"<@{u.id}>" for u in (mentor, *mentees))
        bot.command(COORDINATOR, admin, f'group create {people} name="Group {number:02d}"')
        with read_session(bot.runtime.engine) as session:
            group = session.exec(
                select(MentorGroup).where(MentorGroup.name == f"Group {number:02d}")
            ).one()
        assert group.channel_id is not None
        assert group.id is not None
        groups.append(Group(mentor, mentees, group.channel_id, group.id))
    return groups


def _until_done(attempt: object, done: object, tries: int = 6) -> None:
    """Do what a person does when Slack hiccups: try again."""
    for _ in range(tries):
        attempt()  # type: ignore[operator]
        if done():  # type: ignore[operator]
            return
    pytest.fail("still not done after retrying")


def _click_vote(bot: BotUnderTest, group: Group, user_id: str, option: int, answer: str) -> bool:
    message = poll_message(bot, group)
    actions = [b for b in message.blocks if b.get("type") == "actions" and "vote" in b["block_id"]]
    if not actions:
        return False
    button = next(e for e in actions[option]["elements"] if e["action_id"] == f"poll_vote_{answer}")
    response = bot.click(
        user_id,
        message=(group.channel_id, message.ts),
        action_id=button["action_id"],
        value=button["value"],
        block_id=actions[option]["block_id"],
    )
    return response.ok


def _run_all_jobs(bot: BotUnderTest, moments: list[tuple[int, ...]]) -> None:
    """Each job runs twice at once, the second time on its own engine, as a second bot
    process on the same database would."""
    other_engine = make_engine(bot.runtime.settings.database_url)
    try:
        for moment in moments:
            runtime = at(bot, *moment)
            twin = replace(runtime, engine=other_engine)
            for job in (polls_job, meetings_job, nudges_job, digest_job):
                with ThreadPoolExecutor(max_workers=2) as pool:
                    list(pool.map(lambda r, job=job: job(r, bot.client), (runtime, twin)))
    finally:
        other_engine.dispose()


def test_a_semester_with_a_flaky_slack(bot: BotUnderTest) -> None:
    groups = _form_groups(bot)
    bot.slack.random_faults(0.1, FAULTS, seed=7, delay=0.05)

    # Monday 23 Nov: every mentor asks for Thursday or Friday.
    for group in groups:
        _until_done(
            lambda group=group: bot.command(
                group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00"
            ),
            lambda group=group: any(
                p.group_id == group.group_id and p.state == "open" for p in stored(bot, Poll)
            ),
        )
    # Even groups all answer everything (the poll closes at once); odd groups only the mentor.
    intended: dict[tuple[int, str], str] = {}
    for number, group in enumerate(groups):
        voters = group.members if number % 2 == 0 else (group.mentor,)
        for user in voters:
            for option, answer in ((0, "yes"), (1, "no" if user is group.mentor else "if_need_be")):
                poll_id = next(
                    p.id
                    for p in stored(bot, Poll)
                    if p.group_id == group.group_id and p.state != "cancelled"
                )
                _until_done(
                    lambda group=group, user=user, option=option, answer=answer: _click_vote(
                        bot, group, user.id, option, answer
                    ),
                    lambda user=user, poll_id=poll_id, option=option, answer=answer: (
                        any(
                            v.slack_user_id == user.id
                            and v.poll_id == poll_id
                            and v.answer == answer
                            for v in stored(bot, Vote)
                        )
                        or all(p.state == "closed" for p in stored(bot, Poll) if p.id == poll_id)
                    ),
                )
                intended[(poll_id, user.id + str(option))] = answer

    # Halfway, the deadline, the day before, after the meeting, the next Monday's digest and
    # nudges, with Slack still flaky; then once more with Slack healthy, so failed sends retry.
    moments = [
        (2026, 11, 24, 10, 0),  # halfway: reminders to odd groups' mentees
        (2026, 11, 25, 10, 1),  # past the default 48 h deadline: odd polls close
        (2026, 11, 25, 17, 0),  # the day before Thursday 16:00
        (2026, 11, 26, 20, 0),  # two hours after: "did you meet?"
        (2026, 11, 30, 8, 30),  # Monday digest
        (2026, 12, 7, 10, 30),  # a week later: nudges for anyone behind
    ]
    _run_all_jobs(bot, moments)
    bot.slack.clear_faults()
    _run_all_jobs(bot, moments)

    # Every poll closed, with a planned meeting on Thursday for every group.
    polls = [p for p in stored(bot, Poll) if p.state != "cancelled"]
    assert len(polls) == GROUPS
    assert {p.state for p in polls} == {"closed"}
    meetings = stored(bot, Meeting)
    assert len(meetings) == GROUPS
    assert {m.starts_at.astimezone(CPH).strftime("%a %H:%M") for m in meetings} == {"Thu 16:00"}

    # Every vote that was clicked is stored, once, with the last answer.
    votes = stored(bot, Vote)
    assert len({(v.option_id, v.slack_user_id) for v in votes}) == len(votes)
    assert len(votes) == sum(4 * 2 if n % 2 == 0 else 2 for n in range(GROUPS))

    # Exactly once: every claimed send went out, and Slack holds one message per claim.
    outbox = stored(bot, Outbox)
    assert {o.status for o in outbox} == {"sent"}, Counter((o.kind, o.status) for o in outbox)
    kinds = Counter(o.kind for o in outbox)
    for group in groups:
        assert len(bot.slack.files_in(group.channel_id)) == 1, "one calendar file per poll"
        texts = json.dumps([m.blocks for m in bot.slack.messages_in(group.channel_id)])
        assert texts.count("meets tomorrow") == 1
    reminders = sum(
        1
        for g in groups
        for u in g.members
        for m in bot.slack.dm_messages_to(u.id)
        if "Reminder: your mentor group" in m.text
    )
    assert reminders == kinds["poll_reminder"] == (GROUPS // 2) * 3
    questions = sum(
        1
        for g in groups
        for m in bot.slack.dm_messages_to(g.mentor.id)
        if m.text.startswith("Did ") and " meet on " in m.text
    )
    assert questions == kinds["did_you_meet"] == GROUPS
    digests = [m for m in bot.slack.dm_messages_to(COORDINATOR) if "Weekly digest" in m.text]
    assert len(digests) == kinds["digest"] == 2, (  # the Mondays 30 Nov and 7 Dec
        [o.key for o in outbox if o.kind == "digest"],
        [m.text[:60] for m in digests],
    )
    nudges = stored(bot, Nudge)
    assert {n.status for n in nudges} <= {"sent"}
    nudge_messages = sum(
        1
        for g in groups
        for m in bot.slack.dm_messages_to(g.mentor.id)
        if "planned_offline" in json.dumps(m.blocks)
    )
    assert nudge_messages == len(nudges)
