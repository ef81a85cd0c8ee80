"""chat.*, pins.*, files.* and response_url posts (bot/sandbox/fakeslack/methods/chat.py,
pins.py, files.py; httpd.py for response_urls)."""

from __future__ import annotations

from urllib.request import Request, urlopen

from slack_sdk import WebClient

from bot.sandbox.fakeslack import FakeSlack, User
from tests.fakeslack.helpers import (
    error_of,
    post_json,
    refusal,
    section,
)

# -- messages ---------------------------------------------------------------------------


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


# -- files ------------------------------------------------------------------------------


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


# -- response_url -----------------------------------------------------------------------


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
