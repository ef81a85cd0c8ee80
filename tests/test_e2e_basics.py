"""Issue 2 end to end: signed requests in through the HTTP server, Slack calls out."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_health_check_answers_once_the_database_is_reachable(bot: BotUnderTest) -> None:
    status, body = _get(bot.server.url + "/healthz")
    assert (status, json.loads(body)) == (200, {"ok": True, "database": "reachable"})
    bot.runtime.engine.dispose()
    status, _ = _get(bot.server.url + "/nowhere")
    assert status == 404


def test_help_is_ephemeral_and_fits_the_callers_role(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    channel = bot.slack.add_channel("general", [member.id, COORDINATOR])
    answer = bot.command(member.id, channel.id, "help")
    assert answer.acked_in_time
    assert bot.answer(answer)["response_type"] == "ephemeral"
    member_text = json.dumps(bot.answer(answer)["blocks"])
    assert "/mentor help" in member_text
    assert "term new" not in member_text

    assert "What mentors and mentees use" not in member_text

    coordinator_answer = bot.command(COORDINATOR, channel.id, "help")
    coordinator_text = json.dumps(bot.answer(coordinator_answer)["blocks"])
    assert "term new" in coordinator_text
    # What the people they coordinate use, so a coordinator can explain it.
    assert "What mentors and mentees use" in coordinator_text
    assert "/mentor poll" in coordinator_text
    assert not bot.slack.calls_to("chat.postMessage"), "help must not be posted to the channel"


def test_no_or_unknown_subcommand_shows_help(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    channel = bot.slack.add_channel("general", [member.id])
    assert "/mentor help" in json.dumps(bot.answer(bot.command(member.id, channel.id, "")))
    unknown = bot.command(member.id, channel.id, "dance now")
    assert "I don't know `/mentor dance now`" in json.dumps(bot.answer(unknown))


def test_admin_command_refused_politely_to_a_member(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    channel = bot.slack.add_channel("general", [member.id])
    answer = bot.command(member.id, channel.id, 'term new "Spring 2027" 2027-02-01 2027-06-30')
    assert "is for coordinators only" in bot.answer(answer)["text"]


def test_forged_and_stale_requests_are_refused(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    channel = bot.slack.add_channel("general", [member.id])
    assert (
        bot.driver.forging(signing_secret_override="wrong")
        .command(member.id, channel.id, "help")
        .status
        == 401
    )
    stale = bot.driver.forging(timestamp_override=time.time() - 6 * 60)
    assert stale.command(member.id, channel.id, "help").status == 401
    assert bot.driver.forging(unsigned=True).command(member.id, channel.id, "help").status == 401


def test_home_tab_is_published_when_opened(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    assert bot.event(bot.slack.user_opens_home(member.id)).ok
    home = bot.slack.home_view(member.id)
    assert home is not None
    assert "Mentor groups" in json.dumps(home.payload)


def test_a_retried_event_is_handled_once(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    event = bot.slack.user_opens_home(member.id)
    first = bot.event(event, event_id="Ev0001")
    retry = bot.event(event, event_id="Ev0001", retry_num=1)
    assert first.ok
    assert retry.ok
    assert len(bot.slack.calls_to("views.publish")) == 1
