"""Small builders of blocks and views, and readers of Slack's refusals, for the fake's tests."""

from __future__ import annotations

import json
from typing import Any
from urllib.request import Request, urlopen

import pytest
from slack_sdk.errors import SlackApiError

SIGNING_SECRET = "test-signing-secret"


class FakeClock:
    """Seconds since the epoch that only move when told to."""

    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


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


def post_json(url: str, body: dict[str, Any]) -> tuple[int, str]:
    request = Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urlopen(request) as answer:
            return answer.status, answer.read().decode()
    except Exception as error:  # noqa: BLE001 - HTTPError carries the status we compare
        return getattr(error, "code", 0), error.read().decode()  # type: ignore[attr-defined]
