"""users.* and conversations.* (bot/sandbox/fakeslack/methods/users.py, conversations.py)."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.sandbox.fakeslack import FakeSlack, User
from tests.fakeslack.helpers import (
    error_of,
    refusal,
)

# -- users ------------------------------------------------------------------------------


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


# -- conversations ----------------------------------------------------------------------


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
