"""Signing up in Slack (issue 17), end to end: `/mentor join` and the "Join the programme"
button open a form per role; the sign-up is stored once per term and person, shown again
with Change / Withdraw, refused for changes once the groups are formed (a sign-up then is a
late one), and every forged value is refused on its field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from bot.blocks.ids import SIGNUP_JOIN
from bot.blocks.signup import join_button
from bot.i18n import translator
from bot.sandbox.fakeslack.model import User, View
from bot.services.language import choose_language
from storage.db import read_session, write_session
from storage.models import MemberRole, Participant, Person, Term
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.scenario import TERM, form_group, replies


@pytest.fixture
def lobby(bot: BotUnderTest) -> str:
    """A term, and a channel everyone in these tests writes commands in."""
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(COORDINATOR, admin, TERM)
    return bot.slack.add_channel("lobby", [COORDINATOR]).id


def _person(bot: BotUnderTest, channel_id: str, name: str, **profile: Any) -> User:
    """Someone new in the workspace, in `channel_id` (where they type their commands)."""
    user = bot.slack.add_user(name, **profile)
    bot.slack.channel(channel_id).members.add(user.id)
    return user


def _only_view(bot: BotUnderTest, user: User | str) -> View:
    user_id = user if isinstance(user, str) else user.id
    views = bot.slack.open_views(user_id)
    assert views, "no modal is open"
    return views[-1]


def _text(view: View) -> str:
    return json.dumps(view.payload, ensure_ascii=False)


def _ticked(*values: str) -> dict[str, Any]:
    return {
        "selected_options": [
            {"value": v, "text": {"type": "plain_text", "text": v}} for v in values
        ]
    }


MENTEE_FORM: dict[str, Any] = {
    "signup_programme": {"value": "Nursing"},
    "signup_year": {"value": "2nd year"},
    "signup_languages": {"value": ["da", "en"]},
    "signup_other_languages": {"value": "Ukrainian"},
    "signup_times_afternoon": {"value": ["tue-afternoon", "thu-afternoon"]},
    "signup_note": {"value": "I <3 *coffee* & cake"},
}


def _participant(bot: BotUnderTest, user_id: str) -> Participant | None:
    with read_session(bot.runtime.engine) as session:
        return session.exec(select(Participant).where(Participant.slack_user_id == user_id)).first()


def _join_as(bot: BotUnderTest, lobby: str, user: User, role: str) -> View:
    """`/mentor join`, choose `role`: the form for it is open."""
    bot.command(user.id, lobby, "join")
    chooser = _only_view(bot, user)
    assert chooser.payload["callback_id"] == "signup_role_modal"
    answer = bot.submit_view(user.id, chooser.id, {"signup_role": {"value": role}})
    assert answer.ok
    assert not answer.ack_problems, answer.ack_problems
    form = _only_view(bot, user)
    assert form.payload["callback_id"] == "signup_modal"
    return form


def _certified_mentor(bot: BotUnderTest, lobby: str, name: str = "mia") -> User:
    mentor = _person(bot, lobby, name, real_name=f"{name.title()} Mentor")
    bot.command(COORDINATOR, lobby, f"certify <@{mentor.id}>")
    form = _join_as(bot, lobby, mentor, "mentor")
    submitted = bot.submit_view(
        mentor.id,
        form.id,
        {
            "signup_programme": {"value": "Medicine"},
            "signup_year": {"value": "5th year"},
            "signup_languages": {"value": ["da"]},
            "signup_times_evening": {"value": ["mon-evening"]},
            "signup_capacity": {"value": "2"},
        },
    )
    assert submitted.ok
    assert not (submitted.json or {}).get("errors"), submitted.json
    return mentor


def test_a_mentee_signs_up_sees_changes_and_withdraws(bot: BotUnderTest, lobby: str) -> None:
    mentor = _certified_mentor(bot, lobby)
    ada = _person(bot, lobby, "ada", real_name="Ada Lovelace")
    friend = _person(bot, lobby, "bea")
    form = _join_as(bot, lobby, ada, "mentee")
    shown = _text(form)
    assert "How many groups" not in shown, "a mentee is not asked for a capacity"
    assert "Mornings" in shown
    assert "Thursday" in shown
    answer = bot.submit_view(
        ada.id,
        form.id,
        {
            **MENTEE_FORM,
            "signup_themes": {"value": ["1", "2"]},
            "signup_preferred_mentor": {"value": mentor.id},
            "signup_friend": {"value": friend.id},
        },
    )
    assert not (answer.json or {}).get("errors"), answer.json
    thanks = _text(_only_view(bot, ada))
    assert "Thank you for signing up" in thanks
    stored = _participant(bot, ada.id)
    assert stored is not None
    assert stored.role == MemberRole.MENTEE
    assert (stored.programme, stored.year) == ("Nursing", "2nd year")
    assert stored.languages == "da,en,uk"
    assert stored.availability == "tue-afternoon,thu-afternoon"
    assert stored.preferred_mentor == mentor.id
    assert stored.friend == friend.id
    assert stored.note == "I <3 *coffee* & cake"
    assert stored.themes is not None
    assert len(stored.themes.splitlines()) == 2
    assert stored.capacity == 1
    assert stored.signed_up_at is not None
    with read_session(bot.runtime.engine) as session:
        person = session.get(Person, ada.id)
        assert person is not None
        assert person.name == "Ada Lovelace"

    # Again: the sign-up is shown with Change / Withdraw; what she typed is escaped.
    seen = bot.command(ada.id, lobby, "join")
    answer_body = bot.answer(seen)
    said = json.dumps(answer_body, ensure_ascii=False)
    assert "signed up as a *mentee*" in said
    assert "I &lt;3 *coffee* &amp; cake" in said
    assert "Tuesday and Thursday" in said
    buttons = [
        element["action_id"]
        for block in answer_body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert buttons == ["signup_change", "signup_withdraw"]

    # Change: the form opens filled in; saving replaces the same row.
    bot.click(ada.id, action_id="signup_change", value="change", **_under(bot, seen))
    changed_form = _only_view(bot, ada)
    assert changed_form.payload["callback_id"] == "signup_modal"
    assert "Nursing" in _text(changed_form)
    saved = bot.submit_view(ada.id, changed_form.id, {"signup_year": {"value": "3rd year"}})
    assert not (saved.json or {}).get("errors"), saved.json
    assert "your sign-up is changed" in _text(_only_view(bot, ada))
    rows = [p for p in _all(bot) if p.slack_user_id == ada.id]
    assert len(rows) == 1
    assert rows[0].year == "3rd year"
    assert rows[0].preferred_mentor == mentor.id, "fields not touched keep their values"

    # Withdraw.
    again = bot.command(ada.id, lobby, "join")
    clicked = bot.click(ada.id, action_id="signup_withdraw", value="withdraw", **_under(bot, again))
    assert "withdrawn" in replies(bot, clicked)
    withdrawn = _participant(bot, ada.id)
    assert withdrawn is not None
    assert withdrawn.withdrawn_at is not None
    # Joining again opens her form (her role stands), and submitting signs her up again.
    bot.command(ada.id, lobby, "join")
    form = _only_view(bot, ada)
    assert form.payload["callback_id"] == "signup_modal"
    bot.submit_view(ada.id, form.id, {})
    assert "Thank you for signing up" in _text(_only_view(bot, ada))
    back = _participant(bot, ada.id)
    assert back is not None
    assert back.withdrawn_at is None


def _under(bot: BotUnderTest, response: Any) -> dict[str, Any]:
    """The latest ephemeral answer to the person who sent `response`, to click in."""
    user_id = response.payload["user_id"]
    ephemeral = bot.slack.ephemerals_for(user_id)[-1]
    return {"message": (ephemeral.channel, ephemeral.message_ts)}


def _all(bot: BotUnderTest) -> list[Participant]:
    with read_session(bot.runtime.engine) as session:
        return list(session.exec(select(Participant)).all())


def test_a_mentor_gives_a_capacity_and_a_repeated_submission_is_one_row(
    bot: BotUnderTest, lobby: str
) -> None:
    mentor = _certified_mentor(bot, lobby)
    row = _participant(bot, mentor.id)
    assert row is not None
    assert row.role == MemberRole.MENTOR
    assert row.capacity == 2
    newcomer = _person(bot, lobby, "max")
    form = _join_as(bot, lobby, newcomer, "mentor")
    values = {
        "signup_programme": {"value": "Law"},
        "signup_year": {"value": "4"},
        "signup_languages": {"value": ["en"]},
        "signup_times_morning": {"value": ["fri-morning"]},
        "signup_capacity": {"value": "3"},
    }
    # The same submission delivered twice (a retry): one row, with what was sent.
    first = bot.driver.submit_view(newcomer.id, form.id, values)
    assert first.ok
    retried = bot.driver.deliver_payload(first.payload)
    assert retried.ok
    bot.settle()
    rows = [p for p in _all(bot) if p.slack_user_id == newcomer.id]
    assert len(rows) == 1
    assert rows[0].capacity == 3


def test_forged_values_are_refused_on_their_fields(bot: BotUnderTest, lobby: str) -> None:
    uncertified = _person(bot, lobby, "uma")
    form = _join_as(bot, lobby, uncertified, "mentor")
    bot.submit_view(
        uncertified.id,
        form.id,
        {**MENTEE_FORM, "signup_capacity": {"value": "1"}},
    )
    mentee = _person(bot, lobby, "ned")
    form = _join_as(bot, lobby, mentee, "mentee")
    refused = bot.submit_view(
        mentee.id,
        form.id,
        {
            **MENTEE_FORM,
            "signup_languages": {"value": _ticked("da", "xx")},
            "signup_themes": {"value": _ticked("99999")},
            "signup_times_morning": {"value": _ticked("mon-midnight")},
            # A mentor on the roster, but not certified.
            "signup_preferred_mentor": {"value": uncertified.id},
            "signup_note": {"value": "x" * 1001},
        },
    )
    errors = (refused.json or {}).get("errors", {})
    assert set(errors) == {
        "signup_languages",
        "signup_themes",
        "signup_times_morning",
        "signup_preferred_mentor",
        "signup_note",
    }, errors
    assert "certified mentor" in errors["signup_preferred_mentor"]
    assert _participant(bot, mentee.id) is None

    # The role and the term come from the server: a forged role for someone already on the
    # roster, or a form of another term, change nothing.
    view = bot.slack.view(form.id)
    for forged in ("999:mentee", f"{_term_id(bot)}:coordinator", "", "x" * 3000):
        view.payload["private_metadata"] = forged
        stale = bot.submit_view(mentee.id, form.id, MENTEE_FORM)
        assert "out of date" in json.dumps(stale.json), forged
    assert _participant(bot, mentee.id) is None
    view.payload["private_metadata"] = f"{_term_id(bot)}:mentee"
    accepted = bot.submit_view(mentee.id, form.id, MENTEE_FORM)
    assert not (accepted.json or {}).get("errors"), accepted.json
    row = _participant(bot, mentee.id)
    assert row is not None
    assert row.role == MemberRole.MENTEE

    # On the roster as a mentee (as a coordinator's file puts people): a form claiming
    # "mentor" does not change the role, and a capacity is not asked of a mentee.
    with write_session(bot.runtime.engine) as session:
        stored = session.exec(
            select(Participant).where(Participant.slack_user_id == mentee.id)
        ).one()
        stored.signed_up_at = None
        session.add(stored)
    bot.command(mentee.id, lobby, "join")
    roster_form = _only_view(bot, mentee)
    assert roster_form.payload["callback_id"] == "signup_modal"
    bot.slack.view(roster_form.id).payload["private_metadata"] = f"{_term_id(bot)}:mentor"
    kept = bot.submit_view(mentee.id, roster_form.id, {})
    assert not (kept.json or {}).get("errors"), kept.json
    row = _participant(bot, mentee.id)
    assert row is not None
    assert row.role == MemberRole.MENTEE
    assert row.signed_up_at is not None


def _term_id(bot: BotUnderTest) -> str:
    with read_session(bot.runtime.engine) as session:
        term = session.exec(select(Term).where(Term.is_current)).one()
        return str(term.id)


def test_coordinators_are_not_sent_through_the_form(bot: BotUnderTest, lobby: str) -> None:
    answer = bot.command(COORDINATOR, lobby, "join")
    assert "coordinator" in replies(bot, answer)
    assert bot.slack.open_views(COORDINATOR) == []


def test_after_the_groups_are_formed_a_sign_up_is_late_and_changes_are_refused(
    bot: BotUnderTest, lobby: str
) -> None:
    early = _person(bot, lobby, "eve")
    form = _join_as(bot, lobby, early, "mentee")
    bot.submit_view(early.id, form.id, MENTEE_FORM)
    before = bot.command(early.id, lobby, "join")
    old_buttons = _under(bot, before)
    with write_session(bot.runtime.engine) as session:
        term = session.exec(select(Term).where(Term.is_current)).one()
        term.groups_formed_at = bot.runtime.now()
        session.add(term)
    late = _person(bot, lobby, "lou")
    bot.command(late.id, lobby, "join")
    assert "place you in a group that has room" in _text(_only_view(bot, late))
    chooser = _only_view(bot, late)
    bot.submit_view(late.id, chooser.id, {"signup_role": {"value": "mentee"}})
    form = _only_view(bot, late)
    bot.submit_view(late.id, form.id, MENTEE_FORM)
    assert "late sign-up" in _text(_only_view(bot, late))
    assert _participant(bot, late.id) is not None

    seen = bot.command(early.id, lobby, "join")
    said = json.dumps(bot.answer(seen))
    assert "can no longer be changed" in said
    assert "signup_withdraw" not in said
    # An old Withdraw button clicked anyway is refused, and nothing changes.
    clicked = bot.click(early.id, action_id="signup_withdraw", value="withdraw", **old_buttons)
    assert "can no longer be changed" in replies(bot, clicked)
    row = _participant(bot, early.id)
    assert row is not None
    assert row.withdrawn_at is None


def test_the_join_button_opens_the_same_forms_from_app_home(bot: BotUnderTest, lobby: str) -> None:
    home_user = _person(bot, lobby, "hal")
    assert join_button(translator("en")).to_dict()["elements"][0]["action_id"] == SIGNUP_JOIN
    # Someone in no group opens App Home while a term is current: the way in is there.
    bot.event(bot.slack.user_opens_home(home_user.id))
    home = bot.slack.home_view(home_user.id)
    assert home is not None
    assert "Join the programme" in json.dumps(home.payload)
    bot.click(home_user.id, view_id=home.id, action_id=SIGNUP_JOIN, value="join")
    chooser = _only_view(bot, home_user)
    assert chooser.payload["callback_id"] == "signup_role_modal"
    bot.submit_view(home_user.id, chooser.id, {"signup_role": {"value": "mentee"}})
    bot.submit_view(home_user.id, _only_view(bot, home_user).id, MENTEE_FORM)
    # Signed up: the tab says so, and its button shows the sign-up, whose Withdraw updates it.
    bot.event(bot.slack.user_opens_home(home_user.id))
    home = bot.slack.home_view(home_user.id)
    assert home is not None
    tab = json.dumps(home.payload)
    assert "signed up as a *mentee*" in tab
    assert "See or change my sign-up" in tab
    bot.click(home_user.id, view_id=home.id, action_id=SIGNUP_JOIN, value="join")
    summary = _only_view(bot, home_user)
    assert "signed up as a *mentee*" in _text(summary)
    bot.click(home_user.id, view_id=summary.id, action_id="signup_withdraw", value="withdraw")
    assert "withdrawn" in _text(bot.slack.view(summary.id))
    # Withdrawn: the tab offers the way in again.
    bot.event(bot.slack.user_opens_home(home_user.id))
    home = bot.slack.home_view(home_user.id)
    assert home is not None
    assert "Join the programme" in json.dumps(home.payload)


def test_a_danish_term_gets_a_danish_form(bot: BotUnderTest) -> None:
    admin = bot.slack.add_channel("koordinering", [COORDINATOR]).id
    bot.command(
        COORDINATOR,
        admin,
        'term new "Efterår 2026" 2026-09-01 2027-01-31 tz=Europe/Copenhagen lang=da',
    )
    anna = _person(bot, admin, "anna")
    bot.command(anna.id, admin, "join")
    chooser = _only_view(bot, anna)
    assert_no_english(_visible(chooser), language="da")
    bot.submit_view(anna.id, chooser.id, {"signup_role": {"value": "mentee"}})
    form = _only_view(bot, anna)
    assert "Torsdag" in _text(form)
    # The default themes in Danish words (stored, and matched, by one name).
    assert "Prioritering og tidsstyring" in _text(form)
    assert_no_english(_visible(form), allowed=("English",), language="da")
    bot.submit_view(anna.id, form.id, MENTEE_FORM)
    thanks = _only_view(bot, anna)
    assert_no_english(_visible(thanks), language="da")


def _visible(view: View) -> str:
    """The words of a view people read (labels, texts, options), not its ids or values."""
    words: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
                words.append(node["text"])
                return
            for name, value in node.items():
                walk(value, name)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(view.payload)
    return "\n".join(words)


def test_a_danish_sign_up_is_seen_and_refused_in_danish_and_english_for_who_chose_it(
    bot: BotUnderTest,
) -> None:
    admin = bot.slack.add_channel("koordinering", [COORDINATOR]).id
    bot.command(
        COORDINATOR,
        admin,
        'term new "Efterår 2026" 2026-09-01 2027-01-31 tz=Europe/Copenhagen lang=da',
    )
    bo = _person(bot, admin, "bo")
    form = _join_as(bot, admin, bo, "mentee")
    refused = bot.submit_view(bo.id, form.id, {**MENTEE_FORM, "signup_year": {"value": " "}})
    errors = (refused.json or {}).get("errors", {})
    assert errors == {"signup_year": "Skriv, hvilket år du går på."}
    bot.submit_view(bo.id, form.id, MENTEE_FORM)
    seen = bot.command(bo.id, admin, "join")
    said = json.dumps(bot.answer(seen), ensure_ascii=False)
    assert "Du er tilmeldt som *mentee* dette semester." in said
    assert "*Eftermiddage:* Tirsdag og Torsdag" in said
    assert "Træk tilbage" in said
    assert_no_english(
        "\n".join(block_texts(bot.answer(seen))), allowed=("I <3", "coffee"), language="da"
    )

    # Someone who chose English reads English in the same Danish term.
    cy = _person(bot, admin, "cy")
    choose_language(bot.runtime, cy.id, "en")
    form = _join_as(bot, admin, cy, "mentee")
    assert "What do you study?" in _text(form)


def block_texts(body: dict[str, Any]) -> list[str]:
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
                texts.append(node["text"])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(body.get("blocks", []))
    return texts


@pytest.mark.parametrize(
    ("language", "role_word", "form_word", "thanks"),
    [
        (
            "de",
            "Ich möchte mitmachen als",
            "Was studierst du?",
            "Danke, dass du dich als Mentor angemeldet hast!",
        ),
        ("pt", "Quero ser", "O que estudas?", "Obrigado por te inscreveres como mentor!"),
        ("pl", "Chcę być", "Co studiujesz?", "Dzięki, że zapisujesz się jako mentor!"),
    ],
)
def test_the_forms_in_german_portuguese_and_polish(
    bot: BotUnderTest, language: str, role_word: str, form_word: str, thanks: str
) -> None:
    admin = bot.slack.add_channel("coordination", [COORDINATOR]).id
    bot.command(
        COORDINATOR,
        admin,
        f'term new "Term 2026" 2026-09-01 2027-01-31 tz=Europe/Copenhagen lang={language}',
    )
    person = _person(bot, admin, "zoe")
    bot.command(person.id, admin, "join")
    chooser = _only_view(bot, person)
    assert role_word in _text(chooser)
    assert_no_english(_visible(chooser), language=language)
    bot.submit_view(person.id, chooser.id, {"signup_role": {"value": "mentor"}})
    form = _only_view(bot, person)
    assert form_word in _text(form)
    assert_no_english(_visible(form), allowed=("English",), language=language)
    bot.submit_view(person.id, form.id, {**MENTEE_FORM, "signup_capacity": {"value": "2"}})
    assert thanks in _text(_only_view(bot, person))


def test_a_forged_role_choice_is_refused(bot: BotUnderTest, lobby: str) -> None:
    person = _person(bot, lobby, "rex")
    bot.command(person.id, lobby, "join")
    chooser = _only_view(bot, person)
    forged = {"selected_option": {"value": "coordinator", "text": {"type": "plain_text"}}}
    refused = bot.submit_view(person.id, chooser.id, {"signup_role": {"value": forged}})
    assert "mentor or a mentee" in (refused.json or {}).get("errors", {}).get("signup_role", "")
    assert _only_view(bot, person).payload["callback_id"] == "signup_role_modal"


def test_someone_already_in_a_group_is_not_signed_up_again(bot: BotUnderTest) -> None:
    group = form_group(bot)
    answer = bot.command(group.mentees[0].id, group.channel_id, "join")
    assert "You are in a group this term already" in replies(bot, answer)
    assert bot.slack.open_views(group.mentees[0].id) == []
