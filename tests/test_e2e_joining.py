"""Issue 12: joining a group is approved. Someone a mentee adds to a group channel becomes a
member only when the group's mentor (or a coordinator) lets them, never beyond the group's
size, and the mentor of another group cannot join this way."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select

from bot.blocks.ids import APPROVE_JOIN, JOIN_GROUP, REFUSE_JOIN
from bot.domain.groups import MAX_MENTEES
from bot.sandbox.fakeslack.model import Message, User
from storage.db import read_session
from storage.models import Membership, MemberStatus
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.scenario import Group, form_group


def _active(bot: BotUnderTest, group: Group) -> dict[str, str]:
    """The group's active members and their roles."""
    with read_session(bot.runtime.engine) as session:
        rows = session.exec(
            select(Membership).where(
                Membership.group_id == group.group_id,
                Membership.status == MemberStatus.ACTIVE.value,
            )
        ).all()
    return {row.slack_user_id: row.role for row in rows}


def _ask_to_join(bot: BotUnderTest, group: Group, person: User, *, added_by: User) -> str:
    """`added_by` adds `person` to the channel; the bot offers; they ask to join. Returns
    what they were answered."""
    added = bot.slack.user_adds(person.id, group.channel_id, by=added_by.id)
    assert added is not None
    bot.event(added)
    [offer] = [e for e in bot.slack.ephemerals_for(person.id) if JOIN_GROUP in json.dumps(e.blocks)]
    response = bot.click(
        person.id, message=(group.channel_id, offer.message_ts), action_id=JOIN_GROUP
    )
    return "\n".join(bot.replies_to(response))


def _request_in_dm(bot: BotUnderTest, mentor: User, person: User) -> Message:
    [request] = [
        m
        for m in bot.slack.dm_messages_to(mentor.id)
        if APPROVE_JOIN in json.dumps(m.blocks) and person.id in json.dumps(m.blocks)
    ]
    return request


def _click_payload(
    bot: BotUnderTest, mentor: User, request: Message, action_id: str, *, as_user: str
) -> dict[str, Any]:
    """The payload of a click on the mentor's request, as if `as_user` had made it: what a
    forger (or a second, late click) sends."""
    payload = bot.driver.payloads.block_actions(
        mentor.id,
        message=(request.channel, request.ts),
        view_id=None,
        action_id=action_id,
        value=None,
        block_id=None,
        state_values=None,
        extra={},
    ).payload
    payload["user"] = {**payload["user"], "id": as_user}
    return payload


def _deliver(bot: BotUnderTest, payload: dict[str, Any]) -> str:
    bot.driver.deliver_payload(payload)
    bot.settle()
    response_url_id = payload["response_url"].rsplit("/", 1)[-1]
    return "\n".join(post.body.get("text", "") for post in bot.slack.responses_to(response_url_id))


def _decide(bot: BotUnderTest, who: User, request: Message, action_id: str) -> str:
    response = bot.click(who.id, message=(request.channel, request.ts), action_id=action_id)
    return "\n".join(bot.replies_to(response))


def test_a_mentee_adding_an_outsider_needs_the_mentors_approval(bot: BotUnderTest) -> None:
    group = form_group(bot)
    eve = bot.slack.add_user("eve")
    _ask_to_join(bot, group, eve, added_by=group.mentees[0])
    assert eve.id not in _active(bot, group)
    request = _request_in_dm(bot, group.mentor, eve)

    # A mentee who forges the mentor's click is refused on the server.
    forged = _click_payload(bot, group.mentor, request, APPROVE_JOIN, as_user=group.mentees[0].id)
    assert "Only the group's mentor or a coordinator" in _deliver(bot, forged)
    assert eve.id not in _active(bot, group)

    late_click = _click_payload(bot, group.mentor, request, REFUSE_JOIN, as_user=group.mentor.id)
    answer = _decide(bot, group.mentor, request, APPROVE_JOIN)
    assert "is now a mentee" in answer
    assert _active(bot, group)[eve.id] == "mentee"
    assert any("Welcome" in m.text for m in bot.slack.dm_messages_to(eve.id))
    again = _deliver(bot, late_click)
    assert "decided already" in again


def test_never_beyond_the_groups_size(bot: BotUnderTest) -> None:
    group = form_group(bot)
    newcomers = [bot.slack.add_user(f"new{n}") for n in range(2)]
    room = MAX_MENTEES - len(group.mentees)
    for person in newcomers:
        _ask_to_join(bot, group, person, added_by=group.mentees[0])
    answers = [
        _decide(bot, group.mentor, _request_in_dm(bot, group.mentor, person), APPROVE_JOIN)
        for person in newcomers
    ]
    mentees = [user for user, role in _active(bot, group).items() if role == "mentee"]
    assert len(mentees) == MAX_MENTEES
    assert sum("is now a mentee" in answer for answer in answers) == room
    assert any("as many as a group takes" in answer for answer in answers)


def test_the_mentor_of_another_group_cannot_join(bot: BotUnderTest) -> None:
    group = form_group(bot)
    other = form_group(bot, prefix="b", start_term=False)
    told = _ask_to_join(bot, group, other.mentor, added_by=group.mentees[1])
    assert "is the mentor of" in told
    assert other.mentor.id not in _active(bot, group)
    assert not [
        m for m in bot.slack.dm_messages_to(group.mentor.id) if APPROVE_JOIN in json.dumps(m.blocks)
    ]


def test_a_declined_request_stays_declined_and_a_coordinator_may_decide(
    bot: BotUnderTest,
) -> None:
    group = form_group(bot)
    eve, fay = bot.slack.add_user("eve"), bot.slack.add_user("fay")
    _ask_to_join(bot, group, eve, added_by=group.mentees[0])
    declined = _decide(bot, group.mentor, _request_in_dm(bot, group.mentor, eve), REFUSE_JOIN)
    assert "was not added" in declined
    assert eve.id not in _active(bot, group)
    assert any("not added" in m.text for m in bot.slack.dm_messages_to(eve.id))

    _ask_to_join(bot, group, fay, added_by=group.mentees[0])
    request = _request_in_dm(bot, group.mentor, fay)
    forged = _click_payload(bot, group.mentor, request, APPROVE_JOIN, as_user=COORDINATOR)
    assert "is now a mentee" in _deliver(bot, forged)
    assert _active(bot, group)[fay.id] == "mentee"
