"""The driver (bot/sandbox/fakeslack/driver.py, payloads.py, interactions.py): signed
commands, clicks, submissions and events shaped like Slack's own examples."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.sandbox.fakeslack import FakeSlack, User
from bot.sandbox.fakeslack.driver import SlackDriver
from tests.fakeslack.helpers import (
    SIGNING_SECRET,
    SUBMIT,
    button,
    modal,
    post_json,
    section,
    text_input,
)
from tests.support.reference import require_reference


class RecordingBot:
    """A stand-in request URL: records each request and answers what the test scripted."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.answer: tuple[int, str] = (200, "")
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                recorder.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status, text = recorder.answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    def last_form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.requests[-1][1].decode()).items()}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bot() -> Iterator[RecordingBot]:
    recording = RecordingBot()
    yield recording
    recording.close()


@pytest.fixture
def driver(slack: FakeSlack, bot: RecordingBot) -> SlackDriver:
    return SlackDriver(slack, bot.url, SIGNING_SECRET)


def test_driver_signs_like_slack(
    slack: FakeSlack, bot: RecordingBot, driver: SlackDriver, alice: User
) -> None:
    channel = slack.add_channel("chat", [alice])
    verifier = SignatureVerifier(SIGNING_SECRET)

    driver.command(alice.id, channel.id, "help")
    driver.forging(signing_secret_override="wrong").command(alice.id, channel.id, "help")
    driver.forging(timestamp_override=time.time() - 6 * 60).command(alice.id, channel.id, "help")
    driver.forging(unsigned=True).command(alice.id, channel.id, "help")

    verdicts = [verifier.is_valid_request(body, headers) for headers, body in bot.requests]
    assert verdicts == [True, False, False, False]
    assert "x-slack-signature" not in bot.requests[-1][0]


def test_slash_command_payload(
    slack: FakeSlack, bot: RecordingBot, driver: SlackDriver, alice: User
) -> None:
    channel = slack.add_channel("chat", [alice])
    bot.answer = (200, json.dumps({"text": "Here is your help"}))

    response = driver.command(alice.id, channel.id, "help me")

    headers, _ = bot.requests[0]
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    fields = bot.last_form()
    assert fields["command"] == "/mentor"
    assert fields["text"] == "help me"
    assert fields["user_id"] == alice.id
    assert fields["channel_name"] == "chat"
    assert fields["response_url"] == slack.response_url(response.response_url_id or "")
    assert fields["trigger_id"] == response.trigger_id
    assert response.acked_in_time
    # Slack shows a command's answer to the person who ran it.
    assert [e.text for e in slack.ephemerals_for(alice.id)] == ["Here is your help"]


def test_click_is_built_from_the_stored_message(
    slack: FakeSlack, bot: RecordingBot, driver: SlackDriver, client: WebClient, alice: User
) -> None:
    select = {
        "type": "static_select",
        "action_id": "pick_day",
        "placeholder": {"type": "plain_text", "text": "Day"},
        "options": [
            {"text": {"type": "plain_text", "text": d}, "value": d.lower()} for d in ("Mon", "Tue")
        ],
    }
    posted = client.chat_postMessage(
        channel=alice.id,
        text="Vote",
        blocks=[
            section("When?"),
            {"type": "actions", "elements": [button("vote", value="v1"), select]},
        ],
    )
    message = (posted["channel"], posted["ts"])

    driver.click(alice.id, message=message, action_id="vote")
    clicked = json.loads(bot.last_form()["payload"])
    driver.click(alice.id, message=message, action_id="pick_day", value="tue")
    picked = json.loads(bot.last_form()["payload"])

    stored_block_id = slack.dm_messages_to(alice.id)[0].blocks[1]["block_id"]
    assert clicked["type"] == "block_actions"
    assert clicked["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": posted["channel"],
        "is_ephemeral": False,
    }
    assert clicked["message"]["ts"] == posted["ts"]
    assert clicked["actions"][0] | {"action_ts": "-"} == {
        "action_id": "vote",
        "block_id": stored_block_id,
        "type": "button",
        "text": {"type": "plain_text", "text": "Go"},
        "value": "v1",
        "action_ts": "-",
    }
    assert picked["actions"][0]["selected_option"]["value"] == "tue"
    assert picked["state"]["values"][stored_block_id]["pick_day"]["selected_option"]["value"] == (
        "tue"
    )
    with pytest.raises(LookupError):
        driver.click(alice.id, message=message, action_id="no_such_button")
    # The click's response_url can replace the message the person clicked in.
    response = driver.click(alice.id, message=message, action_id="vote")
    url = slack.response_url(response.response_url_id or "")
    assert post_json(url, {"replace_original": True, "text": "Thanks for voting"})[0] == 200
    assert slack.dm_messages_to(alice.id)[0].text == "Thanks for voting"


def test_submit_view_and_response_actions(
    slack: FakeSlack, bot: RecordingBot, driver: SlackDriver, client: WebClient, alice: User
) -> None:
    opened = client.views_open(
        trigger_id=slack.issue_trigger(alice.id),
        view=modal([text_input()], callback_id="set_goal", private_metadata="group=7", **SUBMIT),
    )["view"]

    bot.answer = (
        200,
        json.dumps({"response_action": "errors", "errors": {"goal_block": "Too short"}}),
    )
    driver.submit_view(alice.id, opened["id"], {"goal_block": {"goal": "SQL"}})
    submitted = json.loads(bot.last_form()["payload"])
    bot.answer = (200, "")
    driver.submit_view(alice.id, opened["id"], {"goal_block": {"goal": "Learn SQL well"}})

    assert submitted["type"] == "view_submission"
    assert submitted["view"]["callback_id"] == "set_goal"
    assert submitted["view"]["private_metadata"] == "group=7"
    assert submitted["view"]["hash"] == opened["hash"]
    assert submitted["view"]["state"]["values"] == {
        "goal_block": {"goal": {"type": "plain_text_input", "value": "SQL"}}
    }
    assert slack.view(opened["id"]).errors == {"goal_block": "Too short"}
    assert slack.open_views(alice.id) == [], "an empty answer closes the modal"


def test_events_and_their_retries(
    slack: FakeSlack, bot: RecordingBot, driver: SlackDriver, alice: User
) -> None:
    channel = slack.add_channel("chat", [slack.bot_user_id, alice])
    said = slack.user_posts(alice, channel, "hello bot")
    assert said is not None

    first = driver.event(said)
    driver.event(said, event_id=first.event_id, retry_num=1, retry_reason="http_timeout")

    (headers, body), (retry_headers, retry_body) = bot.requests
    assert headers["content-type"] == "application/json"
    assert retry_body == body, "a retry repeats the delivery exactly"
    wrapper = json.loads(body)
    assert wrapper["type"] == "event_callback"
    assert wrapper["event_id"] == first.event_id
    assert wrapper["event"]["text"] == "hello bot"
    assert wrapper["authorizations"][0]["user_id"] == slack.bot_user_id
    assert (retry_headers["x-slack-retry-num"], retry_headers["x-slack-retry-reason"]) == (
        "1",
        "http_timeout",
    )


def test_payloads_have_every_field_of_slacks_own_examples(
    slack: FakeSlack, driver: SlackDriver, client: WebClient, alice: User
) -> None:
    reference = require_reference()
    channel = slack.add_channel("chat", [slack.bot_user_id, alice])
    posted = client.chat_postMessage(
        channel=channel.id, text="x", blocks=[{"type": "actions", "elements": [button("b")]}]
    )
    opened = client.views_open(
        trigger_id=slack.issue_trigger(alice.id), view=modal([text_input()], **SUBMIT)
    )["view"]
    examples = {
        "block_actions": reference / "extracted-from-tests/block_actions.json",
        "view_submission": reference / "extracted-from-tests/view_submission.json",
        "event": reference / "real-payloads/event_message_channel_join.json",
    }
    ours = {
        "block_actions": driver.click(alice.id, message=(channel.id, posted["ts"]), action_id="b"),
        "view_submission": driver.submit_view(alice.id, opened["id"]),
        "event": driver.event(slack.user_posts(alice, channel, "hi") or {}),
    }

    for kind, path in examples.items():
        theirs = json.loads(path.read_text())
        missing = set(theirs) - set(ours[kind].payload) - {"enterprise_id"}
        assert not missing, f"{kind} lacks {missing}"
    command_fields = json.loads((reference / "extracted-from-tests/slash_command.json").read_text())
    fields = set(driver.command(alice.id, channel.id, "x").payload)
    assert set(command_fields["fields"]) - fields <= {"enterprise_id", "enterprise_name"}
