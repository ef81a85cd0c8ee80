"""What Slack refuses in blocks and views (bot/sandbox/fakeslack/blockkit.py)."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from bot.sandbox.fakeslack import FakeSlack, User
from tests.fakeslack.helpers import (
    button,
    error_of,
    modal,
    refusal,
    section,
    text_input,
)


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
