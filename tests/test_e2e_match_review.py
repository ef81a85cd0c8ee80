"""From sign-up to groups (issue 17), end to end through Slack's protocol: mentors and mentees
sign up with the forms, the coordinator runs `/mentor match`, sees the reasons, moves someone,
locks a group, re-runs the rest and approves; the groups are created through the existing
path and everyone is told. A double approval creates nothing twice, a forged click from
someone else changes nothing, and a late sign-up is proposed to a group with room."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.blocks.ids import (
    LATE_ADD,
    LATE_NOT_NOW,
    REVIEW_APPROVE,
    REVIEW_LOCK,
    REVIEW_MOVE,
    REVIEW_MOVE_PERSON,
    REVIEW_MOVE_TARGET,
    REVIEW_RERUN,
    review_group_block,
)
from bot.sandbox.fakeslack.model import User, View
from storage.db import read_session, write_session
from storage.models import (
    MatchProposal,
    MemberRole,
    Membership,
    MemberStatus,
    MentorGroup,
    Participant,
    Person,
    ProposalState,
    Term,
)
from storage.proposals import StoredProposal, approve, load_proposal
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.scenario import TERM

SLOTS = {"signup_times_afternoon": {"value": ["tue-afternoon", "thu-afternoon"]}}


@pytest.fixture
def lobby(bot: BotUnderTest) -> str:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM)
    return bot.slack.add_channel("lobby", [COORDINATOR]).id


def _person(bot: BotUnderTest, lobby: str, name: str, real_name: str) -> User:
    user = bot.slack.add_user(name, real_name=real_name)
    bot.slack.channel(lobby).members.add(user.id)
    return user


def _top_view(bot: BotUnderTest, user_id: str) -> View:
    views = bot.slack.open_views(user_id)
    assert views, "no modal is open"
    return views[-1]


def _sign_up(bot: BotUnderTest, lobby: str, user: User, role: str, values: dict[str, Any]) -> None:
    """`/mentor join`, the role, the form: as a person does it."""
    bot.command(user.id, lobby, "join")
    chooser = _top_view(bot, user.id)
    bot.submit_view(user.id, chooser.id, {"signup_role": {"value": role}})
    form = _top_view(bot, user.id)
    assert form.payload["callback_id"] == "signup_modal"
    answer = bot.submit_view(
        user.id,
        form.id,
        {"signup_programme": {"value": "Nursing"}, "signup_year": {"value": "1"}, **values},
    )
    assert not (answer.json or {}).get("errors"), answer.json
    # They read the thank-you and close it.
    bot.slack.workspace.close_modals(user.id)


def _mentor(
    bot: BotUnderTest, lobby: str, name: str, real_name: str, languages: list[str], *, certify: bool
) -> User:
    user = _person(bot, lobby, name, real_name)
    if certify:
        bot.command(COORDINATOR, lobby, f"certify <@{user.id}>")
    _sign_up(
        bot,
        lobby,
        user,
        "mentor",
        {"signup_languages": {"value": languages}, "signup_capacity": {"value": "1"}, **SLOTS},
    )
    return user


def _mentee(
    bot: BotUnderTest,
    lobby: str,
    name: str,
    real_name: str,
    languages: list[str],
    **wishes: str,
) -> User:
    user = _person(bot, lobby, name, real_name)
    values: dict[str, Any] = {"signup_languages": {"value": languages}, **SLOTS}
    if "preferred" in wishes:
        values["signup_preferred_mentor"] = {"value": wishes["preferred"]}
    if "friend" in wishes:
        values["signup_friend"] = {"value": wishes["friend"]}
    _sign_up(bot, lobby, user, "mentee", values)
    return user


def _text(view: View) -> str:
    return json.dumps(view.payload, ensure_ascii=False)


def _proposal(bot: BotUnderTest) -> StoredProposal:
    with read_session(bot.runtime.engine) as session:
        latest = session.exec(
            select(MatchProposal).order_by(MatchProposal.id.desc())  # type: ignore[union-attr]
        ).first()
        assert latest is not None
        stored = load_proposal(session, latest.id or 0)
    assert stored is not None
    return stored


def _groups_by_mentor(stored: StoredProposal) -> dict[str, tuple[int, tuple[str, ...]]]:
    return {g.row.mentor_id: (g.row.position, g.mentee_ids) for g in stored.groups}


def _formed(bot: BotUnderTest) -> dict[str, set[str]]:
    """Each created group's mentor → its mentees (active memberships)."""
    with read_session(bot.runtime.engine) as session:
        rows = session.exec(
            select(Membership).where(Membership.status == MemberStatus.ACTIVE)
        ).all()
    mentors = {r.group_id: r.slack_user_id for r in rows if r.role == MemberRole.MENTOR}
    groups: dict[str, set[str]] = {mentor: set() for mentor in mentors.values()}
    for row in rows:
        if row.role == MemberRole.MENTEE:
            groups[mentors[row.group_id]].add(row.slack_user_id)
    return groups


def _dms(bot: BotUnderTest, user: User | str) -> str:
    user_id = user if isinstance(user, str) else user.id
    return "\n".join(m.text for m in bot.slack.dm_messages_to(user_id))


def test_the_coordinator_reviews_moves_locks_reruns_and_approves(
    bot: BotUnderTest, lobby: str
) -> None:
    mia = _mentor(bot, lobby, "mia", "Mia Holm", ["da", "en"], certify=True)
    leo = _mentor(bot, lobby, "leo", "Leo Stone", ["en"], certify=True)
    uma = _mentor(bot, lobby, "uma", "Uma Uncertified", ["en"], certify=False)
    ada = _mentee(bot, lobby, "ada", "Ada Lovelace", ["da"], preferred=mia.id)
    bo = _mentee(bot, lobby, "bo", "Bo Berg", ["da"])
    cy = _mentee(bot, lobby, "cy", "Cy Dahl", ["da"])
    di = _mentee(bot, lobby, "di", "Di Both", ["da", "en"])
    eve = _mentee(bot, lobby, "eve", "Eve Eng", ["en"])
    fay = _mentee(bot, lobby, "fay", "Fay Field", ["en"])
    gus = _mentee(bot, lobby, "gus", "Gus <&> Grey", ["en"], friend=fay.id)
    hal = _mentee(bot, lobby, "hal", "Hal Polski", ["pl"])
    everyone = [mia, leo, uma, ada, bo, cy, di, eve, fay, gus, hal]

    # Only a coordinator may ask.
    refused = bot.command(ada.id, lobby, "match")
    assert "coordinators only" in "\n".join(bot.replies_to(refused))
    assert bot.slack.open_views(ada.id) == []

    bot.command(COORDINATOR, lobby, "match")
    review = _top_view(bot, COORDINATOR)
    shown = _text(review)
    assert review.payload["callback_id"] == "review_modal"
    assert "2 groups* proposed" in shown
    assert "2 common slots" in shown
    assert "all speak Danish" in shown
    assert "Ada Lovelace asked for this mentor" in shown
    assert "are together" in shown, "Gus asked for Fay: they are placed together"
    assert "Gus &lt;&amp;&gt; Grey" in shown, "names are escaped"
    assert "Hal Polski: no certified mentor speaks their language" in shown
    assert "Uma Uncertified: mentor not certified yet" in shown

    stored = _proposal(bot)
    proposal_id = stored.proposal.id
    groups = _groups_by_mentor(stored)
    assert set(groups) == {mia.id, leo.id}, "the uncertified mentor leads nothing"
    assert ada.id in groups[mia.id][1], "Ada's preferred mentor"
    assert {fay.id, gus.id} <= set(groups[leo.id][1]), "friends together"

    # Move someone: Ada (Danish only) into Leo's group (English only) is refused, on the field.
    bot.click(COORDINATOR, view_id=review.id, action_id=REVIEW_MOVE, value=str(proposal_id))
    move = _top_view(bot, COORDINATOR)
    assert move.payload["callback_id"] == "review_move_modal"
    leo_position, _ = groups[leo.id]
    refusal = bot.submit_view(
        COORDINATOR,
        move.id,
        {
            REVIEW_MOVE_PERSON: {"value": ada.id},
            REVIEW_MOVE_TARGET: {"value": str(leo_position)},
        },
    )
    errors = (refusal.json or {}).get("errors", {})
    assert "no language everyone in it speaks" in errors.get(REVIEW_MOVE_TARGET, ""), errors
    assert _groups_by_mentor(_proposal(bot)) == groups, "a refused move changes nothing"

    # Di speaks both: moved to the other group, the move is made and the review redrawn.
    di_group = mia.id if di.id in groups[mia.id][1] else leo.id
    other = leo.id if di_group == mia.id else mia.id
    moved = bot.submit_view(
        COORDINATOR,
        move.id,
        {
            REVIEW_MOVE_PERSON: {"value": di.id},
            REVIEW_MOVE_TARGET: {"value": str(groups[other][0])},
        },
    )
    assert not (moved.json or {}).get("errors"), moved.json
    after_move = _groups_by_mentor(_proposal(bot))
    assert di.id in after_move[other][1]
    assert di.id not in after_move[di_group][1]
    review = _top_view(bot, COORDINATOR)
    assert review.payload["callback_id"] == "review_modal"

    # Lock Di's new group, re-run the rest: the locked group stays exactly as it is.
    locked_position, locked_mentees = after_move[other]
    bot.click(
        COORDINATOR,
        view_id=review.id,
        action_id=REVIEW_LOCK,
        block_id=review_group_block(locked_position),
    )
    assert "🔒" in _text(_top_view(bot, COORDINATOR))
    review = _top_view(bot, COORDINATOR)
    bot.click(COORDINATOR, view_id=review.id, action_id=REVIEW_RERUN, value=str(proposal_id))
    rerun = _proposal(bot)
    kept = [g for g in rerun.groups if g.row.locked]
    assert len(kept) == 1
    assert kept[0].row.mentor_id == other
    assert kept[0].mentee_ids == locked_mentees

    # A forged approval from a mentee: refused, nothing created, the draft stays a draft.
    review = _top_view(bot, COORDINATOR)
    forged = bot.driver.payloads.block_actions(
        COORDINATOR,
        message=None,
        view_id=review.id,
        action_id=REVIEW_APPROVE,
        value=str(proposal_id),
        block_id=None,
        state_values=None,
        extra={},
    ).payload
    forged["user"] = {**forged["user"], "id": ada.id, "username": "ada", "name": "ada"}
    bot.driver.deliver_payload(forged)
    bot.settle()
    assert _proposal(bot).proposal.state is ProposalState.DRAFT
    assert _formed(bot) == {}
    assert _top_view(bot, COORDINATOR).id == review.id, "nothing shown over her modal"

    # Approve with a double click (both clicks reach the bot before either is done): the
    # groups are created once, through the existing path, and everyone is told once.
    for _ in range(2):
        bot.driver.click(
            COORDINATOR, view_id=review.id, action_id=REVIEW_APPROVE, value=str(proposal_id)
        )
    bot.settle()
    stack = bot.slack.open_views(COORDINATOR)
    assert "approved already" in _text(stack[-1]), "the second click is told"
    bot.slack.workspace.close_top_modal(COORDINATOR)
    assert "2 of 2 groups created" in _text(_top_view(bot, COORDINATOR))
    formed = _formed(bot)
    assert set(formed) == {mia.id, leo.id}
    with read_session(bot.runtime.engine) as session:
        people = {p.slack_user_id: p for p in session.exec(select(Participant)).all()}
        certified = {p.slack_user_id for p in session.exec(select(Person)).all() if p.certified_at}
        term = session.exec(select(Term).where(Term.is_current)).one()
        channels = [g.channel_id for g in session.exec(select(MentorGroup)).all()]
    assert term.groups_formed_at is not None
    assert all(channels), "every group has its channel"
    placed = [m for mentees in formed.values() for m in mentees]
    assert len(placed) == len(set(placed)), "nobody twice"
    for mentor_id, mentees in formed.items():
        assert mentor_id in certified
        assert 3 <= len(mentees) <= 4
        spoken = [set((people[p].languages or "").split(",")) for p in (mentor_id, *mentees)]
        assert set.intersection(*spoken), "a language everyone in the group speaks"
    assert ada.id in formed[mia.id]
    assert hal.id not in placed
    for user in (mia, leo, ada, bo, cy, di, eve, fay, gus):
        assert "mentor group" in _dms(bot, user), user.name
    assert "could not place you" in _dms(bot, hal)
    assert "offering to mentor" in _dms(bot, uma)

    with read_session(bot.runtime.engine) as session:
        assert len(session.exec(select(MentorGroup)).all()) == 2
    for user in everyone:
        texts = [m.text for m in bot.slack.dm_messages_to(user.id)]
        assert len(texts) == len(set(texts)), f"{user.name} was told once"

    # A late sign-up: proposed to a group with room, added with one click.
    ivy = _mentee(bot, lobby, "ivy", "Ivy Late", ["da", "en"])
    offer = bot.slack.dm_messages_to(COORDINATOR)[-1]
    assert "Ivy Late* signed up late" in offer.text
    assert "Add to Leo" in json.dumps(offer.blocks)
    dm = bot.slack.dm_with(COORDINATOR)
    # A double click: both reach the bot before either is done; one adds, one is told.
    first, second = (
        bot.driver.click(COORDINATOR, message=(dm.id, offer.ts), action_id=LATE_ADD)
        for _ in range(2)
    )
    bot.settle()
    assert "Added" in "\n".join(bot.replies_to(first))
    assert "already answered" in "\n".join(bot.replies_to(second))
    late_groups = _formed(bot)
    with_ivy = [mentor for mentor, mentees in late_groups.items() if ivy.id in mentees]
    assert len(with_ivy) == 1
    assert len(late_groups[with_ivy[0]]) == 4
    assert "mentor group" in _dms(bot, ivy)


def test_an_approval_cut_short_is_taken_up_by_a_later_click(bot: BotUnderTest, lobby: str) -> None:
    mia = _mentor(bot, lobby, "mia", "Mia Holm", ["en"], certify=True)
    mentees = [_mentee(bot, lobby, n, f"{n.title()} Jones", ["en"]) for n in ("ib", "jo", "kim")]
    bot.command(COORDINATOR, lobby, "match")
    review = _top_view(bot, COORDINATOR)
    proposal_id = _proposal(bot).proposal.id or 0
    # A worker approved it a while ago and died before creating anything.
    with write_session(bot.runtime.engine) as session:
        assert approve(
            session,
            proposal_id=proposal_id,
            by=COORDINATOR,
            now=bot.runtime.now() - timedelta(minutes=30),
        )
    # Within the lease a click would be refused; past it, the click finishes the work.
    clicked = bot.click(
        COORDINATOR, view_id=review.id, action_id=REVIEW_APPROVE, value=str(proposal_id)
    )
    assert "1 of 1 group created" in _text(_top_view(bot, COORDINATOR))
    assert _formed(bot) == {mia.id: {m.id for m in mentees}}
    assert _proposal(bot).proposal.finished_at is not None
    for person in (mia, *mentees):
        assert len(bot.slack.dm_messages_to(person.id)) == 1
    # Finished: the same click again, sent later (Slack retries, an old tab) does nothing.
    later = copy.deepcopy(clicked.payload)
    later["actions"][0]["action_ts"] = "1795659999.000001"
    bot.driver.deliver_payload(later)
    bot.settle()
    assert "approved already" in _text(_top_view(bot, COORDINATOR))
    for person in (mia, *mentees):
        assert len(bot.slack.dm_messages_to(person.id)) == 1
    with read_session(bot.runtime.engine) as session:
        assert len(session.exec(select(MentorGroup)).all()) == 1


def test_a_group_that_cannot_be_created_is_reported_and_the_rest_go_ahead(
    bot: BotUnderTest, lobby: str
) -> None:
    mia = _mentor(bot, lobby, "mia", "Mia Holm", ["da"], certify=True)
    leo = _mentor(bot, lobby, "leo", "Leo Stone", ["en"], certify=True)
    danes = [_mentee(bot, lobby, n, f"{n.title()} Dane", ["da"]) for n in ("ib", "jo", "kim")]
    english = [_mentee(bot, lobby, n, f"{n.title()} Eng", ["en"]) for n in ("al", "bea", "cal")]
    bot.command(COORDINATOR, lobby, "match")
    review = _top_view(bot, COORDINATOR)
    proposal_id = _proposal(bot).proposal.id
    # Jo leaves the workspace between the proposal and the approval.
    bot.slack.user(danes[1].id).deleted = True
    bot.click(COORDINATOR, view_id=review.id, action_id=REVIEW_APPROVE, value=str(proposal_id))
    said = _text(_top_view(bot, COORDINATOR))
    assert "1 of 2 groups created" in said
    assert "has been deactivated in Slack" in said
    assert _formed(bot) == {leo.id: {m.id for m in english}}
    for person in (leo, *english):
        assert "mentor group" in _dms(bot, person)
    assert _dms(bot, mia) == ""


def test_late_sign_ups_no_room_not_now_and_a_forged_add(bot: BotUnderTest, lobby: str) -> None:
    mia = _mentor(bot, lobby, "mia", "Mia Holm", ["en"], certify=True)
    mentees = [_mentee(bot, lobby, n, f"{n.title()} Jones", ["en"]) for n in ("ib", "jo", "kim")]
    bot.command(COORDINATOR, lobby, "match")
    review = _top_view(bot, COORDINATOR)
    proposal_id = _proposal(bot).proposal.id
    bot.click(COORDINATOR, view_id=review.id, action_id=REVIEW_APPROVE, value=str(proposal_id))
    formed = _formed(bot)
    assert formed == {mia.id: {m.id for m in mentees}}

    # Nobody speaks her language: the coordinators are told, with nothing to click.
    _mentee(bot, lobby, "ola", "Ola Polska", ["pl"])
    no_room = bot.slack.dm_messages_to(COORDINATOR)[-1]
    assert "Ola Polska* signed up late, and no group has room" in no_room.text
    assert not no_room.blocks

    # Room in Mia's group: offered; a forged "Add" from a mentee adds nobody.
    sam = _mentee(bot, lobby, "sam", "Sam Late", ["en"])
    offer = bot.slack.dm_messages_to(COORDINATOR)[-1]
    assert "Sam Late* signed up late" in offer.text
    dm = bot.slack.dm_with(COORDINATOR)
    forged = bot.driver.payloads.block_actions(
        COORDINATOR,
        message=(dm.id, offer.ts),
        view_id=None,
        action_id=LATE_ADD,
        value=None,
        block_id=None,
        state_values=None,
        extra={},
    ).payload
    forged["user"] = {**forged["user"], "id": mentees[0].id}
    bot.driver.deliver_payload(forged)
    bot.settle()
    assert _formed(bot) == formed
    # "Not now": Sam stays unplaced, and the offer can't be taken afterwards.
    not_now = bot.click(COORDINATOR, message=(dm.id, offer.ts), action_id=LATE_NOT_NOW)
    assert "stays without a group" in "\n".join(bot.replies_to(not_now))
    assert _formed(bot) == formed
    replaced = bot.slack.workspace.find_message(dm.id, offer.ts)
    assert replaced is not None
    assert "late_add" not in json.dumps(replaced.blocks), "the offer's buttons are gone"
    assert sam.id not in {m for group in _formed(bot).values() for m in group}


def test_a_proposal_that_places_nobody_is_not_approved(bot: BotUnderTest, lobby: str) -> None:
    for name in ("ib", "jo", "kim"):
        _mentee(bot, lobby, name, f"{name.title()} Jones", ["en"])
    bot.command(COORDINATOR, lobby, "match")
    review = _top_view(bot, COORDINATOR)
    assert "0 groups* proposed" in _text(review)
    assert "no certified mentor speaks their language" in _text(review)
    proposal_id = _proposal(bot).proposal.id
    bot.click(COORDINATOR, view_id=review.id, action_id=REVIEW_APPROVE, value=str(proposal_id))
    assert "no groups to create" in _text(_top_view(bot, COORDINATOR))
    with read_session(bot.runtime.engine) as session:
        term = session.exec(select(Term).where(Term.is_current)).one()
    assert term.groups_formed_at is None, "sign-ups stay open to changes"
    assert _proposal(bot).proposal.state is ProposalState.DRAFT


def test_a_review_left_open_from_an_earlier_term_creates_nothing(
    bot: BotUnderTest, lobby: str
) -> None:
    _mentor(bot, lobby, "mia", "Mia Holm", ["en"], certify=True)
    for name in ("ib", "jo", "kim"):
        _mentee(bot, lobby, name, f"{name.title()} Jones", ["en"])
    bot.command(COORDINATOR, lobby, "match")
    review = _top_view(bot, COORDINATOR)
    proposal_id = _proposal(bot).proposal.id
    bot.command(COORDINATOR, lobby, 'term new "Spring 2027" 2027-02-01 2027-06-30')
    bot.click(COORDINATOR, view_id=review.id, action_id=REVIEW_APPROVE, value=str(proposal_id))
    assert "can't be changed" in _text(_top_view(bot, COORDINATOR))
    assert _formed(bot) == {}


def test_a_danish_term_reviews_and_tells_in_danish(bot: BotUnderTest) -> None:
    admin = bot.slack.add_channel("koordinering", [COORDINATOR]).id
    bot.command(
        COORDINATOR,
        admin,
        'term new "Efterår 2026" 2026-09-01 2027-01-31 tz=Europe/Copenhagen lang=da',
    )
    mentor = _mentor(bot, admin, "mia", "Mia Holm", ["da"], certify=True)
    mentees = [
        _mentee(bot, admin, name, f"{name.title()} Hansen", ["da"]) for name in ("ib", "jo", "kim")
    ]
    outside = _mentee(bot, admin, "ola", "Ola Nordmann", ["pl"])
    bot.command(COORDINATOR, admin, "match")
    review = _top_view(bot, COORDINATOR)
    shown = _text(review)
    assert "alle taler dansk" in shown
    names = ("Mia Holm", "Ib Hansen", "Jo Hansen", "Kim Hansen", "Ola Nordmann", "Nursing")
    assert_no_english(_visible(review), allowed=names, language="da")
    proposal_id = _proposal(bot).proposal.id
    bot.click(COORDINATOR, view_id=review.id, action_id=REVIEW_APPROVE, value=str(proposal_id))
    assert_no_english(_visible(_top_view(bot, COORDINATOR)), allowed=names, language="da")
    for person in (mentor, *mentees):
        told = _dms(bot, person)
        assert "mentorgruppe" in told
        assert_no_english(told, allowed=(*names, "Mias gruppe"), language="da")
    assert_no_english(_dms(bot, outside), language="da")


def _visible(view: View) -> str:
    """The words a person reads in a modal: texts, buttons, title."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text"):
                found.append(str(node.get("text", "")))
            for key, value in node.items():
                if key not in ("action_id", "block_id", "value", "callback_id"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(view.payload)
    return "\n".join(found)


@pytest.mark.parametrize(
    ("language", "speak", "summary"),
    [
        ("de", "alle sprechen Deutsch", "Gruppe* vorgeschlagen"),
        ("pt", "todos falam português", "grupo* proposto"),
        ("pl", "wszyscy mówią: polski", "grupa* zaproponowana"),
    ],
)
def test_the_review_in_the_terms_other_languages(
    bot: BotUnderTest, language: str, speak: str, summary: str
) -> None:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(
        COORDINATOR,
        admin,
        f'term new "Autumn 2026" 2026-09-01 2027-01-31 tz=Europe/Copenhagen lang={language}',
    )
    _mentor(bot, admin, "mia", "Mia Holm", [language], certify=True)
    for name in ("ib", "jo", "kim"):
        _mentee(bot, admin, name, f"{name.title()} Hansen", [language])
    bot.command(COORDINATOR, admin, "match")
    shown = _text(_top_view(bot, COORDINATOR))
    assert speak in shown
    assert summary in shown
