"""The fake Slack itself, driven through the real slack_sdk clients: it must answer as Slack
does (shapes, error codes, limits, headers) or the end-to-end tests built on it prove
nothing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from urllib.request import Request, urlopen
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.builtin.client import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.sandbox.fakeslack import FakeSlack, User
from bot.sandbox.fakeslack.catalog import METHODS
from bot.sandbox.fakeslack.driver import SlackDriver, SocketModeDriver
from bot.sandbox.fakeslack.methods import METHOD_HANDLERS
from tests.support.code_scan import api_methods_called
from tests.support.reference import require_reference

SIGNING_SECRET = "test-signing-secret"


# -- fixtures -----------------------------------------------------------------------------


class FakeClock:
    """Seconds since the epoch that only move when told to."""

    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def slack(clock: FakeClock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock) as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(base_url=slack.api_url, token=slack.bot_token)


@pytest.fixture
def alice(slack: FakeSlack) -> User:
    return slack.add_user("alice", tz="Europe/Copenhagen")


@pytest.fixture
def bob(slack: FakeSlack) -> User:
    return slack.add_user("bob", email="bob@uni.example")


def refusal(call: Any) -> dict[str, Any]:
    """The body of the SlackApiError a client call raises."""
    with pytest.raises(SlackApiError) as raised:
        call()
    return dict(raised.value.response.data)


def error_of(call: Any) -> str:
    """The error code Slack refuses a client call with."""
    return str(refusal(call)["error"])


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(action_id: str, text: str = "Go", value: str = "v") -> dict[str, Any]:
    label = {"type": "plain_text", "text": text}
    return {"type": "button", "action_id": action_id, "text": label, "value": value}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    title = {"type": "plain_text", "text": "Goal"}
    return {"type": "modal", "title": title, "blocks": blocks, **extra}


def text_input(block_id: str = "goal_block", action_id: str = "goal") -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "Goal"},
        "element": {"type": "plain_text_input", "action_id": action_id},
    }


SUBMIT = {"submit": {"type": "plain_text", "text": "Save"}}


# -- authentication and the HTTP envelope --------------------------------------------------


def test_auth_test_answers_with_slack_headers(slack: FakeSlack, client: WebClient) -> None:
    response = client.auth_test()

    assert response.data == {
        "ok": True,
        "url": "https://fake-workspace.slack.com/",
        "team": "Fake Workspace",
        "user": "mentorbot",
        "team_id": "T0FAKE",
        "user_id": "UBOT0001",
        "bot_id": "B0FAKE",
        "is_enterprise_install": False,
    }
    headers = {name.lower(): value for name, value in response.headers.items()}
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["x-slack-req-id"]
    assert "chat:write" in headers["x-oauth-scopes"].split(",")


@pytest.mark.parametrize(("token", "error"), [(None, "not_authed"), ("xoxb-nope", "invalid_auth")])
def test_bad_tokens_are_refused(slack: FakeSlack, token: str | None, error: str) -> None:
    anonymous = WebClient(base_url=slack.api_url, token=token)

    assert refusal(anonymous.auth_test) == {"ok": False, "error": error}


def test_token_can_come_as_a_form_field(slack: FakeSlack) -> None:
    body = f"token={slack.bot_token}".encode()
    with urlopen(Request(slack.api_url + "auth.test", data=body)) as answer:
        assert json.loads(answer.read())["ok"] is True


def test_unknown_method(client: WebClient) -> None:
    assert refusal(lambda: client.api_call("chat.teleport")) == {
        "ok": False,
        "error": "unknown_method",
    }


def test_app_token_is_only_for_socket_mode(slack: FakeSlack, client: WebClient) -> None:
    assert (
        error_of(lambda: client.apps_connections_open(app_token=slack.bot_token))
        == "not_allowed_token_type"
    )
    app_client = WebClient(base_url=slack.api_url, token=slack.app_token)
    assert error_of(app_client.auth_test) == "not_allowed_token_type"
    url = client.apps_connections_open(app_token=slack.app_token)["url"]
    assert url.startswith(f"ws://127.0.0.1:{slack.socket_mode.port}/link/?ticket=")


def test_missing_scope_names_what_is_needed(slack: FakeSlack, client: WebClient) -> None:
    slack.bot_scopes.discard("users:read.email")

    body = refusal(lambda: client.users_lookupByEmail(email="x@example.com"))

    assert body["error"] == "missing_scope"
    assert body["needed"] == "users:read.email"


# -- users ---------------------------------------------------------------------------------


def test_users_info_and_lookup_by_email(client: WebClient, alice: User, bob: User) -> None:
    user = client.users_info(user=alice.id)["user"]
    assert (user["id"], user["name"], user["profile"]["email"]) == (
        alice.id,
        "alice",
        "alice@example.com",
    )
    assert user["tz"] == "Europe/Copenhagen"
    assert user["tz_offset"] in (3600, 7200)
    assert client.users_lookupByEmail(email="BOB@uni.example")["user"]["id"] == bob.id
    assert (
        error_of(lambda: client.users_lookupByEmail(email="nobody@x.example")) == "users_not_found"
    )
    assert error_of(lambda: client.users_info(user="U404")) == "user_not_found"


# -- conversations --------------------------------------------------------------------------


def test_create_private_channel(slack: FakeSlack, client: WebClient) -> None:
    channel = client.conversations_create(name="mentors-2027", is_private=True)["channel"]

    assert channel["id"].startswith("C")
    assert channel["id"][1:].isalnum()
    assert channel["id"] == channel["id"].upper()
    assert channel["is_private"] is True
    assert channel["creator"] == slack.bot_user_id
    assert channel["is_member"] is True
    assert slack.channel(channel["id"]).members == {slack.bot_user_id}
    [event] = slack.take_events()
    assert (event["type"], event["user"], event["channel"], event["channel_type"]) == (
        "member_joined_channel",
        slack.bot_user_id,
        channel["id"],
        "G",
    )


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "invalid_name_required"),
        ("Mentors", "invalid_name_specials"),
        ("mentor group", "invalid_name_specials"),
        ("mentors!", "invalid_name_specials"),
        ("-_-", "invalid_name_punctuation"),
        ("a" * 81, "invalid_name_maxlength"),
    ],
)
def test_channel_name_rules(client: WebClient, name: str, error: str) -> None:
    assert refusal(lambda: client.conversations_create(name=name))["error"] == error


@pytest.mark.parametrize("name", ["a" * 80, "group_7-b", "mentorgruppe-æøå", "2027"])
def test_channel_names_slack_accepts(client: WebClient, name: str) -> None:
    assert client.conversations_create(name=name)["channel"]["name"] == name


def test_archived_channel_still_holds_its_name(client: WebClient) -> None:
    channel_id = client.conversations_create(name="cohort-1")["channel"]["id"]
    client.conversations_archive(channel=channel_id)

    assert error_of(lambda: client.conversations_create(name="cohort-1")) == "name_taken"
    assert error_of(lambda: client.conversations_archive(channel=channel_id)) == "already_archived"
    assert error_of(lambda: client.chat_postMessage(channel=channel_id, text="hi")) == "is_archived"


def test_invite_adds_members_and_tells_the_app(
    slack: FakeSlack, client: WebClient, alice: User, bob: User
) -> None:
    channel_id = client.conversations_create(name="group-1", is_private=True)["channel"]["id"]
    slack.take_events()

    client.conversations_invite(channel=channel_id, users=[alice.id, bob.id])

    assert slack.channel(channel_id).members == {slack.bot_user_id, alice.id, bob.id}
    joined = [(e["type"], e["user"], e.get("inviter")) for e in slack.take_events()]
    assert joined == [
        ("member_joined_channel", alice.id, slack.bot_user_id),
        ("member_joined_channel", bob.id, slack.bot_user_id),
    ]


def test_invite_partial_failure_invites_nobody_without_force(
    slack: FakeSlack, client: WebClient, alice: User, bob: User
) -> None:
    channel_id = client.conversations_create(name="group-2")["channel"]["id"]
    client.conversations_invite(channel=channel_id, users=alice.id)

    body = refusal(
        lambda: client.conversations_invite(
            channel=channel_id, users=[bob.id, "U0MISSING", slack.bot_user_id, alice.id]
        )
    )

    assert body == {
        "ok": False,
        "error": "user_not_found",
        "errors": [
            {"user": "U0MISSING", "ok": False, "error": "user_not_found"},
            {"user": slack.bot_user_id, "ok": False, "error": "cant_invite_self"},
            {"user": alice.id, "ok": False, "error": "already_in_channel"},
        ],
    }
    assert bob.id not in slack.channel(channel_id).members


def test_invite_with_force_adds_the_valid_users(
    slack: FakeSlack, client: WebClient, alice: User, bob: User
) -> None:
    channel_id = client.conversations_create(name="group-3")["channel"]["id"]

    response = client.conversations_invite(
        channel=channel_id, users=[alice.id, "U0MISSING", bob.id], force=True
    )

    assert response["errors"] == [{"user": "U0MISSING", "ok": False, "error": "user_not_found"}]
    assert {alice.id, bob.id} <= slack.channel(channel_id).members


def test_bot_must_be_in_the_channel(
    slack: FakeSlack, client: WebClient, alice: User, bob: User
) -> None:
    public = slack.add_channel("lounge", [alice])
    private = slack.add_channel("secret", [alice], is_private=True)

    assert (
        error_of(lambda: client.conversations_invite(channel=public.id, users=bob.id))
        == "not_in_channel"
    )
    assert (
        error_of(lambda: client.chat_postMessage(channel=public.id, text="hi")) == "not_in_channel"
    )
    # A private channel the bot is not in does not exist as far as the bot can tell.
    for call in (
        lambda: client.conversations_invite(channel=private.id, users=bob.id),
        lambda: client.chat_postMessage(channel=private.id, text="hi"),
        lambda: client.conversations_info(channel=private.id),
    ):
        assert error_of(call) == "channel_not_found"


def test_purpose_and_topic_are_limited_to_250_characters(
    slack: FakeSlack, client: WebClient
) -> None:
    channel_id = client.conversations_create(name="group-4")["channel"]["id"]

    client.conversations_setPurpose(channel=channel_id, purpose="p" * 250)
    topic = client.conversations_setTopic(channel=channel_id, topic="Thursdays")["channel"]

    assert slack.channel(channel_id).purpose.value == "p" * 250
    assert topic["topic"]["value"] == "Thursdays"
    too_long = refusal(
        lambda: client.conversations_setPurpose(channel=channel_id, purpose="p" * 251)
    )
    assert too_long["error"] == "too_long"


def test_members_are_paginated_with_cursors(slack: FakeSlack, client: WebClient) -> None:
    people = [slack.add_user(f"person{n}") for n in range(5)]
    channel = slack.add_channel("big", [slack.bot_user_id, *people])

    seen, cursor, pages = [], None, 0
    while True:
        page = client.conversations_members(channel=channel.id, limit=2, cursor=cursor)
        seen += page["members"]
        pages += 1
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break

    assert pages == 3
    assert sorted(seen) == sorted([slack.bot_user_id, *(p.id for p in people)])
    bad_cursor = refusal(lambda: client.conversations_members(channel=channel.id, cursor="zz"))
    assert bad_cursor["error"] == "invalid_cursor"


def test_kick_removes_a_member_and_tells_the_app(
    slack: FakeSlack, client: WebClient, alice: User, bob: User
) -> None:
    channel = slack.add_channel("group-5", [slack.bot_user_id, alice], is_private=True)

    assert client.conversations_kick(channel=channel.id, user=alice.id)["errors"] == {}

    assert alice.id not in slack.channel(channel.id).members
    assert [(e["type"], e["user"]) for e in slack.take_events()] == [
        ("member_left_channel", alice.id)
    ]
    assert error_of(lambda: client.conversations_kick(channel=channel.id, user=alice.id)) == (
        "not_in_channel"
    )
    assert error_of(
        lambda: client.conversations_kick(channel=channel.id, user=slack.bot_user_id)
    ) == ("cant_kick_self")


def test_users_conversations_pages_through_the_bots_private_channels(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    mine = [slack.add_channel(f"mine-{n}", [slack.bot_user_id], is_private=True) for n in range(3)]
    slack.add_channel("not-mine", [alice], is_private=True)
    slack.add_channel("public", [slack.bot_user_id])

    pages = client.users_conversations(types="private_channel", exclude_archived=True, limit=2)
    names = [channel["name"] for page in pages for channel in page["channels"]]

    assert names == [channel.name for channel in mine]
    assert error_of(lambda: client.users_conversations(types="secret_channel")) == ("invalid_types")


def test_conversations_open_returns_the_same_dm(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    first = client.conversations_open(users=alice.id)
    again = client.conversations_open(users=[alice.id], return_im=True)

    assert first["channel"]["id"].startswith("D")
    assert again["channel"]["id"] == first["channel"]["id"]
    assert again["already_open"] is True
    assert again["channel"]["user"] == alice.id


# -- messages -------------------------------------------------------------------------------


def test_post_to_a_user_id_lands_in_the_dm(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    response = client.chat_postMessage(channel=alice.id, text="Welcome!", blocks=[section("Hi")])

    assert response["channel"].startswith("D")
    assert response["message"]["bot_id"] == slack.bot_id
    [message] = slack.dm_messages_to(alice.id)
    assert (message.text, message.ts) == ("Welcome!", response["ts"])
    assert message.blocks[0]["block_id"], "Slack gives every stored block a block_id"


def test_timestamps_are_unique_and_increasing_even_when_the_clock_stands_still(
    client: WebClient, alice: User
) -> None:
    stamps = [client.chat_postMessage(channel=alice.id, text=str(n))["ts"] for n in range(3)]

    assert stamps == sorted(set(stamps), key=float)
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_post_needs_text_or_blocks(client: WebClient, alice: User) -> None:
    # Through api_call: slack_sdk's chat_postMessage warns before sending a message without text.
    no_text = refusal(lambda: client.api_call("chat.postMessage", json={"channel": alice.id}))
    assert no_text["error"] == "no_text"


def test_update_and_delete_only_the_bots_own_messages(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    channel = slack.add_channel("chat", [slack.bot_user_id, alice])
    posted = client.chat_postMessage(channel=channel.id, text="draft")
    slack.user_posts(alice, channel, "a person's message")
    theirs = slack.messages_in(channel.id)[-1]

    updated = client.chat_update(channel=channel.id, ts=posted["ts"], text="final")

    assert updated["message"]["text"] == "final"
    assert slack.messages_in(channel.id)[0].edited is not None
    assert (
        error_of(lambda: client.chat_update(channel=channel.id, ts=theirs.ts, text="x"))
        == "cant_update_message"
    )
    assert (
        error_of(lambda: client.chat_update(channel=channel.id, ts="1.000001", text="x"))
        == "message_not_found"
    )
    assert (
        error_of(lambda: client.chat_delete(channel=channel.id, ts=theirs.ts))
        == "cant_delete_message"
    )
    client.chat_delete(channel=channel.id, ts=posted["ts"])
    assert [m.ts for m in slack.messages_in(channel.id)] == [theirs.ts]


def test_update_refuses_text_past_4000_characters(client: WebClient, alice: User) -> None:
    posted = client.chat_postMessage(channel=alice.id, text="short")

    assert (
        error_of(
            lambda: client.chat_update(channel=posted["channel"], ts=posted["ts"], text="x" * 4001)
        )
        == "msg_too_long"
    )


def test_ephemeral_needs_the_person_in_the_channel(
    slack: FakeSlack, client: WebClient, alice: User, bob: User
) -> None:
    channel = slack.add_channel("chat", [slack.bot_user_id, alice])

    client.chat_postEphemeral(channel=channel.id, user=alice.id, text="only you")

    assert [e.text for e in slack.ephemerals_for(alice.id)] == ["only you"]
    assert (
        error_of(lambda: client.chat_postEphemeral(channel=channel.id, user=bob.id, text="x"))
        == "user_not_in_channel"
    )


def test_pins(slack: FakeSlack, client: WebClient) -> None:
    channel_id = client.conversations_create(name="pinboard")["channel"]["id"]
    ts = client.chat_postMessage(channel=channel_id, text="Agenda")["ts"]

    client.pins_add(channel=channel_id, timestamp=ts)

    assert [p.message_ts for p in slack.pins_in(channel_id)] == [ts]
    assert error_of(lambda: client.pins_add(channel=channel_id, timestamp=ts)) == "already_pinned"
    assert (
        error_of(lambda: client.pins_add(channel=channel_id, timestamp="1.000001"))
        == "message_not_found"
    )


# -- Block Kit limits -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocks", "problem"),
    [
        ([section("x")] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
        (
            [section("x" * 3001)],
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/fields]",
        ),
        (
            [{"type": "actions", "elements": [button("a", text="b" * 76)]}],
            "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [button("a" * 256)]}],
            "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
        ),
        (
            [{"type": "actions", "elements": [button(f"b{n}") for n in range(26)]}],
            "no more than 25 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [{**section("a"), "block_id": "same"}, {**section("b"), "block_id": "same"}],
            "duplicate block_id: same [json-pointer:/blocks/1/block_id]",
        ),
        (
            [{**section("a"), "block_id": "b" * 256}],
            "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
        ),
        ([{"type": "sections"}], "unsupported type: sections [json-pointer:/blocks/0/type]"),
        (
            [{"type": "section"}],
            "must define either `text` or `fields` [json-pointer:/blocks/0/type]",
        ),
        ([section("")], "must be more than 0 characters [json-pointer:/blocks/0/text/text]"),
    ],
)
def test_block_kit_limits(client: WebClient, alice: User, blocks: list[Any], problem: str) -> None:
    body = refusal(lambda: client.chat_postMessage(channel=alice.id, text="t", blocks=blocks))

    assert body["error"] == "invalid_blocks"
    assert problem in body["errors"]
    assert f"[ERROR] {problem}" in body["response_metadata"]["messages"]


def test_fifty_blocks_are_fine(client: WebClient, alice: User) -> None:
    assert client.chat_postMessage(channel=alice.id, text="t", blocks=[section("x")] * 50)["ok"]


def test_too_much_text_across_blocks(client: WebClient, alice: User) -> None:
    blocks = [section("x" * 3000) for _ in range(5)]

    body = refusal(lambda: client.chat_postMessage(channel=alice.id, text="t", blocks=blocks))

    assert body["error"] == "msg_blocks_too_long"


def test_bad_blocks_json_is_invalid_blocks_format(client: WebClient, alice: User) -> None:
    body = refusal(
        lambda: client.api_call(
            "chat.postMessage", params={"channel": alice.id, "text": "t", "blocks": "[{"}
        )
    )

    assert body["error"] == "invalid_blocks_format"


@pytest.mark.parametrize(
    ("view", "problem"),
    [
        (
            modal([section("x")], title={"type": "plain_text", "text": "t" * 25}),
            "must be less than 25 characters [json-pointer:/view/title/text]",
        ),
        (
            modal([text_input()]),
            "must define `submit` to use an `input` block in modals "
            "[json-pointer:/view/blocks/0/input]",
        ),
        (
            modal([section("x")], private_metadata="m" * 3001),
            "must be less than 3001 characters [json-pointer:/view/private_metadata]",
        ),
        (modal([section("x")] * 101), "no more than 100 items allowed [json-pointer:/view/blocks]"),
        ({"title": {"type": "plain_text", "text": "x"}, "blocks": []}, None),
    ],
)
def test_modal_limits(
    slack: FakeSlack, client: WebClient, alice: User, view: dict[str, Any], problem: str | None
) -> None:
    trigger_id = slack.issue_trigger(alice.id)

    body = refusal(lambda: client.views_open(trigger_id=trigger_id, view=view))

    assert body["error"] == "invalid_arguments"
    messages = body["response_metadata"]["messages"]
    assert messages[0] == "[ERROR] failed to match all allowed schemas [json-pointer:/view]"
    assert f"[ERROR] {problem or 'missing required field: type [json-pointer:/view]'}" in messages
    # A refused view leaves the trigger unused.
    assert client.views_open(trigger_id=trigger_id, view=modal([section("ok")]))["ok"]


def test_view_over_250_kb_is_too_large(slack: FakeSlack, client: WebClient, alice: User) -> None:
    huge = modal([section("x" * 3000) for _ in range(90)])

    assert (
        error_of(lambda: client.views_open(trigger_id=slack.issue_trigger(alice.id), view=huge))
        == "view_too_large"
    )


# -- views ----------------------------------------------------------------------------------


def test_trigger_ids_are_single_use_and_expire(
    slack: FakeSlack, client: WebClient, alice: User, clock: FakeClock
) -> None:
    view = modal([section("hello")])
    trigger_id = slack.issue_trigger(alice.id)

    opened = client.views_open(trigger_id=trigger_id, view=view)["view"]

    assert opened["id"].startswith("V")
    assert opened["root_view_id"] == opened["id"]
    assert [v.id for v in slack.open_views(alice.id)] == [opened["id"]]
    assert (
        error_of(lambda: client.views_open(trigger_id=trigger_id, view=view))
        == "exchanged_trigger_id"
    )
    assert (
        error_of(lambda: client.views_open(trigger_id="1.2.abc", view=view)) == "invalid_trigger_id"
    )
    late = slack.issue_trigger(alice.id)
    clock.now += 3.1
    assert error_of(lambda: client.views_open(trigger_id=late, view=view)) == "expired_trigger_id"


def test_views_update_checks_hash_and_finds_views_by_external_id(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    opened = client.views_open(
        trigger_id=slack.issue_trigger(alice.id),
        view=modal([section("loading…")], external_id="goal-42"),
    )["view"]

    updated = client.views_update(
        external_id="goal-42", hash=opened["hash"], view=modal([section("ready")])
    )["view"]

    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    assert slack.open_views(alice.id)[0].blocks[0]["text"]["text"] == "ready"
    stale = refusal(
        lambda: client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal([]))
    )
    assert stale["error"] == "hash_conflict"
    assert error_of(lambda: client.views_update(view_id="V404", view=modal([]))) == "not_found"


def test_at_most_three_stacked_modals(slack: FakeSlack, client: WebClient, alice: User) -> None:
    root = client.views_open(trigger_id=slack.issue_trigger(alice.id), view=modal([section("1")]))
    for text in ("2", "3"):
        client.views_push(
            trigger_id=slack.issue_trigger(alice.id, view_id=root["view"]["id"]),
            view=modal([section(text)]),
        )

    assert len(slack.open_views(alice.id)) == 3
    assert slack.open_views(alice.id)[2].previous_view_id == slack.open_views(alice.id)[1].id
    fourth = refusal(
        lambda: client.views_push(
            trigger_id=slack.issue_trigger(alice.id), view=modal([section("4")])
        )
    )
    assert fourth["error"] == "push_limit_reached"


def test_home_tab(slack: FakeSlack, client: WebClient, alice: User) -> None:
    home = {"type": "home", "blocks": [section("Your groups")]}

    first = client.views_publish(user_id=alice.id, view=home)["view"]
    client.views_publish(user_id=alice.id, view=home, hash=first["hash"])

    assert slack.home_view(alice.id) is not None
    assert slack.user_opens_home(alice)["view"]["id"] == first["id"]
    stale = refusal(lambda: client.views_publish(user_id=alice.id, view=home, hash=first["hash"]))
    assert stale["error"] == "hash_conflict"
    assert (
        error_of(lambda: client.views_publish(user_id=alice.id, view=modal([section("x")])))
        == "invalid_arguments"
    )


# -- files ----------------------------------------------------------------------------------


def test_files_upload_v2_end_to_end(slack: FakeSlack, client: WebClient) -> None:
    channel_id = client.conversations_create(name="reports")["channel"]["id"]

    response = client.files_upload_v2(
        channel=channel_id,
        content=b"week,meetings\n1,3\n",
        filename="report.csv",
        title="Weekly report",
        initial_comment="This week's numbers",
    )

    [stored] = slack.files_in(channel_id)
    assert response["file"]["id"] == stored.id
    assert response["file"]["title"] == "Weekly report"
    assert stored.content == b"week,meetings\n1,3\n"
    [message] = slack.messages_in(channel_id)
    assert message.text == "This week's numbers"
    assert [f.id for f in message.files] == [stored.id]
    upload = slack.calls_to("files.getUploadURLExternal")[0].response["upload_url"]
    assert upload.startswith(f"{slack.base_url}/upload/v1/")


def test_upload_url_answers_like_files_slack_com(slack: FakeSlack, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="a.txt", length=5)

    with urlopen(Request(ticket["upload_url"], data=b"hello")) as answer:
        assert (answer.status, answer.read()) == (200, b"OK - 5")
    assert (
        error_of(lambda: client.files_completeUploadExternal(files=[{"id": "F404", "title": "x"}]))
        == "file_not_found"
    )
    assert (
        error_of(lambda: client.files_getUploadURLExternal(filename="a.txt", length=0))
        == "missing_argument"
    )


# -- rate limits and faults -----------------------------------------------------------------


def test_rate_limit_is_seen_by_the_client(slack: FakeSlack, client: WebClient) -> None:
    slack.rate_limit("conversations.create", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.conversations_create(name="limited")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert slack.workspace.channel_named("limited") is None, "a 429 does nothing"
    assert client.conversations_create(name="limited")["ok"]


def test_rate_limit_retry_handler_waits_and_retries(slack: FakeSlack) -> None:
    patient = WebClient(
        base_url=slack.api_url,
        token=slack.bot_token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.rate_limit("auth.test", retry_after=1)

    assert patient.auth_test()["ok"]
    assert [c.http_status for c in slack.calls_to("auth.test")] == [429, 200]


def test_tiers_count_calls_by_the_fake_clock(
    slack: FakeSlack, client: WebClient, alice: User, bob: User, clock: FakeClock
) -> None:
    slack.enforce_tiers()
    client.chat_postMessage(channel=alice.id, text="1")

    limited = refusal(lambda: client.chat_postMessage(channel=alice.id, text="2"))
    client.chat_postMessage(channel=bob.id, text="other channel")
    clock.now += 1.0
    client.chat_postMessage(channel=alice.id, text="a second later")

    assert limited["error"] == "ratelimited"
    for _ in range(20):  # conversations.create is Tier 2: 20 a minute
        client.conversations_create(name=f"c-{len(slack.calls)}")
    assert error_of(lambda: client.conversations_create(name="one-too-many")) == "ratelimited"


def test_faults_before_and_after_the_effect(slack: FakeSlack, alice: User) -> None:
    no_retries = WebClient(base_url=slack.api_url, token=slack.bot_token, retry_handlers=[])
    slack.fail_next("chat.postMessage", "500")
    slack.fail_next("chat.postMessage", "500_after")

    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            no_retries.chat_postMessage(channel=alice.id, text="hello")
        assert raised.value.response.status_code == 500

    assert len(slack.dm_messages_to(alice.id)) == 1, "only 500_after carried the call out"


def test_a_lost_reply_makes_the_default_retry_post_twice(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    slack.fail_next("chat.postMessage", "drop_after")

    client.chat_postMessage(channel=alice.id, text="Reminder")

    assert [m.text for m in slack.dm_messages_to(alice.id)] == ["Reminder", "Reminder"]
    assert [c.http_status for c in slack.calls_to("chat.postMessage")] == [0, 200]


def test_slow_answers_arrive_late(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("auth.test", "slow", delay=0.3)

    started = time.perf_counter()
    client.auth_test()

    assert time.perf_counter() - started >= 0.3


def test_random_faults_follow_the_seed(slack: FakeSlack) -> None:
    no_retries = WebClient(base_url=slack.api_url, token=slack.bot_token, retry_handlers=[])
    slack.random_faults(0.5, kinds=["500"], seed=7)

    outcomes = []
    for _ in range(12):
        try:
            no_retries.auth_test()
            outcomes.append("ok")
        except SlackApiError:
            outcomes.append("500")

    assert {"ok", "500"} == set(outcomes)
    slack.clear_faults()
    assert no_retries.auth_test()["ok"]


# -- response_url ---------------------------------------------------------------------------


def post_json(url: str, body: dict[str, Any]) -> tuple[int, str]:
    request = Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urlopen(request) as answer:
            return answer.status, answer.read().decode()
    except Exception as error:  # noqa: BLE001 - HTTPError carries the status we compare
        return getattr(error, "code", 0), error.read().decode()  # type: ignore[attr-defined]


def test_response_url_posts_are_applied_and_limited_to_five(slack: FakeSlack, alice: User) -> None:
    channel = slack.add_channel("chat", [alice])
    issued = slack.issue_response_url(alice.id, channel.id)
    url = slack.response_url(issued.id)

    assert post_json(url, {"text": "just for you"}) == (200, '{"ok":true}')
    assert post_json(url, {"text": "for everyone", "response_type": "in_channel"})[0] == 200
    assert post_json(url, {"text": "edited", "replace_original": True})[0] == 200
    for _ in range(2):
        post_json(url, {"text": "more"})

    assert post_json(url, {"text": "sixth"}) == (404, "used_url")
    assert [e.text for e in slack.ephemerals_for(alice.id)] == ["edited", "more", "more"]
    assert [m.text for m in slack.messages_in(channel.id)] == ["for everyone"]
    assert [r.http_status for r in slack.responses_to(issued.id)] == [200] * 5 + [404]


# -- people acting --------------------------------------------------------------------------


def test_people_actions_return_the_events_slack_sends(
    slack: FakeSlack, alice: User, bob: User
) -> None:
    with_bot = slack.add_channel("group", [slack.bot_user_id, alice])
    without_bot = slack.add_channel("elsewhere", [alice])

    joined = slack.user_adds(bob, with_bot, by=alice)
    left = slack.user_leaves_channel(alice, with_bot)

    assert joined is not None
    assert left is not None
    assert (joined["type"], joined["user"], joined["inviter"]) == (
        "member_joined_channel",
        bob.id,
        alice.id,
    )
    assert (left["type"], left["user"], left["channel_type"]) == (
        "member_left_channel",
        alice.id,
        "C",
    )
    assert slack.user_leaves_channel(alice, without_bot) is None, "the bot is not there"
    direct = slack.user_writes_to_bot(bob, "hi bot")
    assert (direct["type"], direct["channel_type"], direct["text"]) == ("message", "im", "hi bot")
    assert direct["channel"] == slack.dm_with(bob).id
    removed = slack.user_removes(slack.bot_user_id, with_bot, by=bob)
    assert removed is not None
    assert (removed["type"], removed["channel"], removed["actor_id"]) == (
        "channel_left",
        with_bot.id,
        bob.id,
    )


# -- the drivers ----------------------------------------------------------------------------


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


def test_the_fake_serves_every_method_the_bot_calls() -> None:
    missing = api_methods_called() - set(METHOD_HANDLERS)

    assert not missing, f"add these to bot/sandbox/fakeslack/methods: {sorted(missing)}"


def test_catalog_matches_the_reference() -> None:
    summary = json.loads((require_reference() / "methods-summary.json").read_text())["methods"]

    for method, facts in METHODS.items():
        assert facts.tier == summary[method]["rate_limit_tier"], method
        assert set(facts.bot_scopes) == set(summary[method]["bot_scopes_any_of"]), method


# -- Socket Mode ----------------------------------------------------------------------------


def test_socket_mode_round_trip_with_the_sdk_client(slack: FakeSlack, alice: User) -> None:
    web = WebClient(base_url=slack.api_url, token=slack.bot_token)
    sdk_client = SocketModeClient(app_token=slack.app_token, web_client=web)
    received: list[SocketModeRequest] = []

    def on_request(socket_client: SocketModeClient, request: SocketModeRequest) -> None:
        received.append(request)
        answer = SocketModeResponse(request.envelope_id, payload={"text": "pong"})
        socket_client.send_socket_mode_response(answer)

    sdk_client.socket_mode_request_listeners.append(on_request)
    sdk_client.connect()
    try:
        slack.socket_mode.wait_for_connection(timeout=5)
        ack = slack.socket_mode.send("slash_commands", {"command": "/mentor", "text": "ping"})
    finally:
        sdk_client.close()

    assert ack["payload"] == {"text": "pong"}
    assert received[0].type == "slash_commands"
    assert received[0].payload["text"] == "ping"
    assert slack.calls_to("apps.connections.open")[0].ok


def test_socket_mode_clients_reconnect_when_told_to(slack: FakeSlack) -> None:
    web = WebClient(base_url=slack.api_url, token=slack.bot_token)
    sdk_client = SocketModeClient(app_token=slack.app_token, web_client=web)
    sdk_client.socket_mode_request_listeners.append(
        lambda socket_client, request: socket_client.send_socket_mode_response(
            SocketModeResponse(request.envelope_id)
        )
    )
    sdk_client.connect()
    try:
        slack.socket_mode.wait_for_connection(timeout=5)
        slack.socket_mode.disconnect_all(reason="refresh_requested")
        slack.wait_for_calls("apps.connections.open", 2, timeout=5)
        slack.socket_mode.wait_for_connection(timeout=5)
        ack = slack.socket_mode.send("events_api", {"type": "event_callback"})
    finally:
        sdk_client.close()

    assert set(ack) == {"envelope_id"}


# -- one small Bolt app over both transports ------------------------------------------------


def goal_app(client: WebClient) -> App:
    app = App(client=client, signing_secret=SIGNING_SECRET)

    @app.command("/mentor")
    def open_goal_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = modal([text_input()], callback_id="set_goal", **SUBMIT)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view("set_goal")
    def save_goal(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        goal = view["state"]["values"]["goal_block"]["goal"]["value"]
        if len(goal) < 5:
            ack(response_action="errors", errors={"goal_block": "Say a bit more"})
            return
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=f"Goal saved: {goal}")

    return app


class _QuietWsgi(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize("transport", ["http", "socket_mode"])
def test_the_same_bot_works_over_http_and_socket_mode(
    slack: FakeSlack, client: WebClient, alice: User, transport: str
) -> None:
    app = goal_app(client)
    channel = slack.add_channel("chat", [alice])
    if transport == "http":
        server = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=_QuietWsgi)
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        drive: SlackDriver | SocketModeDriver = SlackDriver(
            slack, f"http://127.0.0.1:{server.server_port}/slack/events", SIGNING_SECRET
        )
        stop = server.shutdown
    else:
        handler = SocketModeHandler(app, slack.app_token)
        handler.connect()
        slack.socket_mode.wait_for_connection(timeout=5)
        drive, stop = SocketModeDriver(slack), handler.close
    try:
        assert drive.command(alice.id, channel.id, "goal").acked_in_time
        slack.wait_for_call("views.open")
        [goal_view] = slack.open_views(alice.id)

        refused = drive.submit_view(alice.id, goal_view.id, {"goal_block": {"goal": "SQL"}})
        saved = drive.submit_view(alice.id, goal_view.id, {"goal_block": {"goal": "Learn SQL"}})
        slack.wait_for_call("chat.postMessage")
    finally:
        stop()

    assert refused.json == {"response_action": "errors", "errors": {"goal_block": "Say a bit more"}}
    assert saved.ok
    assert slack.open_views(alice.id) == []
    assert [m.text for m in slack.dm_messages_to(alice.id)] == ["Goal saved: Learn SQL"]
