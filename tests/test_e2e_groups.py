"""Issue 4 end to end: terms, certification, groups with private channels, membership."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from bot.cli import cli
from bot.sandbox.fakeslack.model import User
from storage.db import read_session
from storage.models import Membership, MentorGroup, Participant, Person, Term
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest

TERM = 'term new "Spring 2027" 2027-02-01 2027-06-30 min=3 tz=Europe/Copenhagen'


@pytest.fixture
def people(bot: BotUnderTest) -> dict[str, User]:
    names = ["anna", "bo", "cy", "di", "eve", "finn"]
    return {name: bot.slack.add_user(name, real_name=name.title() + " Hansen") for name in names}


@pytest.fixture
def admin_channel(bot: BotUnderTest) -> str:
    return bot.slack.add_channel("coordination", [COORDINATOR]).id


def _text(bot: BotUnderTest, response: object) -> str:
    return "\n".join(bot.replies_to(response))  # type: ignore[arg-type]


def _start_term_and_certify(bot: BotUnderTest, admin_channel: str, mentor: User) -> None:
    assert "Started the term" in _text(bot, bot.command(COORDINATOR, admin_channel, TERM))
    assert "certified mentor" in _text(
        bot, bot.command(COORDINATOR, admin_channel, f"certify <@{mentor.id}>")
    )


def _create(bot: BotUnderTest, channel: str, mentor: User, *mentees: User, extra: str = "") -> str:
    mentions = " ".join(f"<@{user.id}|{user.name}>" for user in (mentor, *mentees))
    return _text(bot, bot.command(COORDINATOR, channel, f"group create {mentions} {extra}"))


def test_term_is_shown_and_only_one_is_current(bot: BotUnderTest, admin_channel: str) -> None:
    assert "No term is running" in _text(bot, bot.command(COORDINATOR, admin_channel, "term"))
    bot.command(COORDINATOR, admin_channel, TERM)
    shown = _text(bot, bot.command(COORDINATOR, admin_channel, "term"))
    assert "Spring 2027" in shown
    assert "at least 3 meetings" in shown
    second = _text(
        bot, bot.command(COORDINATOR, admin_channel, 'term new "Autumn 2027" 2027-09-01 2027-12-20')
    )
    assert "“Spring 2027” is no longer current" in second
    with read_session(bot.runtime.engine) as session:
        current = session.exec(select(Term).where(Term.is_current)).all()
    assert [term.name for term in current] == ["Autumn 2027"]
    again = _text(
        bot, bot.command(COORDINATOR, admin_channel, 'term new "Autumn 2027" 2027-09-01 2027-12-20')
    )
    assert "already a term called" in again


def test_group_needs_a_current_term(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    reply = _create(bot, admin_channel, people["anna"], people["bo"], people["cy"], people["di"])
    assert "No term is running" in reply
    assert not bot.slack.calls_to("conversations.create")


def test_uncertified_mentor_cannot_lead(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    bot.command(COORDINATOR, admin_channel, TERM)
    reply = _create(bot, admin_channel, people["anna"], people["bo"], people["cy"], people["di"])
    assert "is not certified as a mentor yet" in reply
    assert f"/mentor certify <@{people['anna'].id}>" in reply
    assert not bot.slack.calls_to("conversations.create")


def test_group_gets_a_private_channel_invites_purpose_and_pinned_welcome(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy, di = (people[n] for n in ("anna", "bo", "cy", "di"))
    _start_term_and_certify(bot, admin_channel, anna)
    reply = _create(bot, admin_channel, anna, bo, cy, di)
    assert "Formed “Anna's group”" in reply

    channel = bot.slack.channel_by_name("mentor-spring-2027-annas-group")
    assert channel.is_private
    assert set(channel.members) == {bot.slack.bot_user_id, anna.id, bo.id, cy.id, di.id}
    assert COORDINATOR not in channel.members
    assert "Voluntary and confidential" in channel.purpose.value
    invites = bot.slack.calls_to("conversations.invite")
    assert len(invites) == 1, "everyone is invited in one call"
    [welcome] = bot.slack.messages_in(channel.id)
    welcome_text = json.dumps(welcome.blocks)
    assert "Ground rules" in welcome_text
    assert "at least *3 times*" in welcome_text
    assert "start_poll" in welcome_text
    assert [pin.message_ts for pin in bot.slack.pins_in(channel.id)] == [welcome.ts]


def test_creating_the_same_group_twice_changes_nothing(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy, di = (people[n] for n in ("anna", "bo", "cy", "di"))
    _start_term_and_certify(bot, admin_channel, anna)
    _create(bot, admin_channel, anna, bo, cy, di)
    calls_before = len(bot.slack.calls)
    again = _create(bot, admin_channel, anna, di, cy, bo)
    assert "already exists" in again
    slack_writes = [
        call.method for call in bot.slack.calls[calls_before:] if call.method != "users.info"
    ]
    assert slack_writes == []
    with read_session(bot.runtime.engine) as session:
        assert len(session.exec(select(MentorGroup)).all()) == 1


def test_a_mentee_is_in_one_group_per_term(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy, di, eve, finn = people.values()
    _start_term_and_certify(bot, admin_channel, anna)
    bot.command(COORDINATOR, admin_channel, f"certify <@{eve.id}>")
    _create(bot, admin_channel, anna, bo, cy, di)
    reply = _create(bot, admin_channel, eve, bo, finn)
    assert "already are" in reply
    assert f"<@{bo.id}> (Anna's group)" in reply


def test_small_groups_are_allowed_with_a_warning(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo = people["anna"], people["bo"]
    _start_term_and_certify(bot, admin_channel, anna)
    reply = _create(bot, admin_channel, anna, bo, extra='name="Tiny group"')
    assert "Formed “Tiny group”" in reply
    assert "1 mentee" in reply
    assert bot.slack.channel_by_name("mentor-spring-2027-tiny-group")


def test_taken_channel_name_gets_a_suffix(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy = people["anna"], people["bo"], people["cy"]
    bot.slack.add_channel("mentor-spring-2027-annas-group", [people["finn"].id])
    _start_term_and_certify(bot, admin_channel, anna)
    assert "Formed" in _create(bot, admin_channel, anna, bo, cy)
    assert bot.slack.channel_by_name("mentor-spring-2027-annas-group-2").is_private


def test_typed_names_and_non_coordinators_are_refused(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    bot.command(COORDINATOR, admin_channel, TERM)
    typed = _text(bot, bot.command(COORDINATOR, admin_channel, "group create @anna @bo"))
    assert "Pick people from the @-mention list" in typed
    anna = people["anna"]
    channel = bot.slack.add_channel("random", [anna.id]).id
    for text in (
        "group create <@U1> <@U2>",
        "group list",
        f"certify <@{anna.id}>",
        "group remove <@U1>",
    ):
        assert "for coordinators only" in _text(bot, bot.command(anna.id, channel, text))


def test_group_list_shows_channels(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy, di = (people[n] for n in ("anna", "bo", "cy", "di"))
    _start_term_and_certify(bot, admin_channel, anna)
    _create(bot, admin_channel, anna, bo, cy, di)
    listing = bot.command(COORDINATOR, admin_channel, "group list")
    text = json.dumps(bot.answer(listing)) + _text(bot, listing)
    channel = bot.slack.channel_by_name("mentor-spring-2027-annas-group")
    assert f"<#{channel.id}>" in text
    assert "3 mentees" in text
    # One group is "1 group", in the answer and the list's footer.
    assert bot.answer(listing)["text"] == "1 group in Spring 2027"
    assert "1 group." in text


def test_membership_follows_slack(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy, di, eve = (people[n] for n in ("anna", "bo", "cy", "di", "eve"))
    _start_term_and_certify(bot, admin_channel, anna)
    _create(bot, admin_channel, anna, bo, cy, di)
    channel = bot.slack.channel_by_name("mentor-spring-2027-annas-group")

    left = bot.slack.user_leaves_channel(bo.id, channel.id)
    assert left is not None
    bot.event(left)
    bot.event(left, retry_num=1)

    added = bot.slack.user_adds(eve.id, channel.id, by=anna.id)
    assert added is not None
    bot.event(added)
    [offer] = [
        e for e in bot.slack.ephemerals_for(eve.id) if "join" in json.dumps(e.blocks).lower()
    ]
    bot.click(eve.id, message=(channel.id, offer.message_ts), action_id="join_group")
    [request] = [m for m in bot.slack.dm_messages_to(anna.id) if "approve_join" in str(m.blocks)]
    bot.click(anna.id, message=(request.channel, request.ts), action_id="approve_join")

    with read_session(bot.runtime.engine) as session:
        statuses = {
            m.slack_user_id: (m.role, m.status) for m in session.exec(select(Membership)).all()
        }
    assert statuses[bo.id] == ("mentee", "left")
    assert statuses[eve.id] == ("mentee", "active")


def test_coordinator_adds_and_removes(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy, eve = (people[n] for n in ("anna", "bo", "cy", "eve"))
    _start_term_and_certify(bot, admin_channel, anna)
    _create(bot, admin_channel, anna, bo, cy)
    channel = bot.slack.channel_by_name("mentor-spring-2027-annas-group")
    added = _text(
        bot, bot.command(COORDINATOR, admin_channel, f'group add <@{eve.id}> group="Anna\'s group"')
    )
    assert "Added" in added
    assert eve.id in bot.slack.channel(channel.id).members
    removed = _text(bot, bot.command(COORDINATOR, admin_channel, f"group remove <@{bo.id}>"))
    assert "Removed" in removed
    assert bo.id not in bot.slack.channel(channel.id).members
    again = _text(bot, bot.command(COORDINATOR, admin_channel, f"group remove <@{bo.id}>"))
    assert "not in any group" in again


def test_home_shows_the_users_groups(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy = people["anna"], people["bo"], people["cy"]
    _start_term_and_certify(bot, admin_channel, anna)
    _create(bot, admin_channel, anna, bo, cy)
    bot.event(bot.slack.user_opens_home(bo.id))
    home = json.dumps(bot.slack.home_view(bo.id).payload)  # type: ignore[union-attr]
    assert "Anna's group" in home
    assert "You are a mentee." in home
    assert "0 of at least 3" in home
    assert "No meeting planned yet" in home


def _cli_env(bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = bot.runtime.settings
    monkeypatch.setenv("SLACK_BOT_TOKEN", settings.slack_bot_token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", settings.slack_signing_secret)
    monkeypatch.setenv("SLACK_API_URL", settings.slack_api_url)
    monkeypatch.setenv("MENTORBOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MENTORBOT_COORDINATORS", COORDINATOR)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)


def test_roster_import_reports_each_row_and_is_safe_twice(
    bot: BotUnderTest,
    admin_channel: str,
    people: dict[str, User],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot.command(COORDINATOR, admin_channel, TERM)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,role,programme,year,certified\n"
        f"Anna Hansen,{people['anna'].email},mentor,Medicine,5,yes\n"
        f"Bo Hansen,{people['bo'].email},mentee,Medicine,1,\n"
        "Ghost,ghost@example.com,mentee,,,\n"
        "Broken,broken,mentee,,,\n"
    )
    _cli_env(bot, monkeypatch)
    first = CliRunner().invoke(cli, ["roster", "import", str(roster)])
    assert first.exit_code == 1, first.output
    assert f"line 2: {people['anna'].email} added" in first.output
    assert "line 4: ghost@example.com not found in Slack" in first.output
    assert "line 5: row invalid: “broken” is not an email address" in first.output
    second = CliRunner().invoke(cli, ["roster", "import", str(roster)])
    assert f"line 2: {people['anna'].email} unchanged" in second.output
    with read_session(bot.runtime.engine) as session:
        assert len(session.exec(select(Participant)).all()) == 2
        anna = session.get(Person, people["anna"].id)
        assert anna is not None
        assert anna.certified_at is not None


def test_bulk_creation_waits_out_rate_limits_and_resumes(
    bot: BotUnderTest, admin_channel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.command(COORDINATOR, admin_channel, TERM)
    mentors = [bot.slack.add_user(f"mentor{i}", real_name=f"Mentor{i} X") for i in range(4)]
    for mentor in mentors:
        bot.command(COORDINATOR, admin_channel, f"certify <@{mentor.id}>")
    rows = ["mentor_email,mentee_emails,name"]
    for i, mentor in enumerate(mentors):
        mentees = [bot.slack.add_user(f"mentee{i}{j}") for j in range(3)]
        rows.append(f'{mentor.email},"{";".join(m.email for m in mentees)}",Group {i}')
    groups_csv = tmp_path / "groups.csv"
    groups_csv.write_text("\n".join(rows) + "\n")
    _cli_env(bot, monkeypatch)

    bot.slack.rate_limit("conversations.create", count=2, retry_after=1)
    bot.slack.fail_next("pins.add", "500", count=6)
    first = CliRunner().invoke(cli, ["groups", "create", str(groups_csv)])
    assert "setup stopped" in first.output
    second = CliRunner().invoke(cli, ["groups", "create", str(groups_csv)])
    assert second.exit_code == 0, second.output

    created = [c for c in bot.slack.calls_to("conversations.create") if c.response.get("ok")]
    assert len(created) == 4, "one channel per group, however often it ran"
    with read_session(bot.runtime.engine) as session:
        groups = session.exec(select(MentorGroup)).all()
    assert {g.setup for g in groups} == {"welcomed"}
    for group in groups:
        assert group.channel_id is not None
        assert len(bot.slack.pins_in(group.channel_id)) == 1


def test_an_unexpected_slack_failure_gets_an_apology_not_a_traceback(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy = people["anna"], people["bo"], people["cy"]
    _start_term_and_certify(bot, admin_channel, anna)
    bot.slack.fail_next("users.info", "500", count=10)
    reply = _create(bot, admin_channel, anna, bo, cy)
    assert "Sorry, something went wrong on our side" in reply
    assert "Traceback" not in reply
    with read_session(bot.runtime.engine) as session:
        assert session.exec(select(MentorGroup)).all() == []


def test_help_shows_mentors_their_commands(
    bot: BotUnderTest, admin_channel: str, people: dict[str, User]
) -> None:
    anna, bo, cy = people["anna"], people["bo"], people["cy"]
    _start_term_and_certify(bot, admin_channel, anna)
    _create(bot, admin_channel, anna, bo, cy)
    channel = bot.slack.channel_by_name("mentor-spring-2027-annas-group").id
    mentor_help = json.dumps(bot.answer(bot.command(anna.id, channel, "help")))
    mentee_help = json.dumps(bot.answer(bot.command(bo.id, channel, "help")))
    assert "/mentor poll" in mentor_help
    assert "/mentor log" in mentor_help
    assert "/mentor poll" not in mentee_help
    assert "/mentor themes suggest" in mentee_help
    assert "term new" not in mentor_help
