"""Answering the person who ran a command or clicked a button, and nobody else."""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_bolt import BoltResponse, Respond
from slack_sdk.models.blocks import Block


class Reply:
    """Ephemeral answers to a request that was already acknowledged, through its
    `response_url` (which also works in channels the bot is not in)."""

    def __init__(self, respond: Respond) -> None:
        self._respond = respond

    def ephemeral(self, text: str, blocks: Sequence[Block] | None = None) -> None:
        self._respond(
            text=text,
            blocks=list(blocks) if blocks else None,
            response_type="ephemeral",
            replace_original=False,
        )


def refuse(respond: Respond, message: str) -> None:
    """Tell the person who clicked why nothing happened, without touching the message."""
    respond(text=message, response_type="ephemeral", replace_original=False)


def sorry_response(text: str) -> BoltResponse:
    """The acknowledgement sent in place of an error that escaped a listener: `text` is the
    apology in the person's language."""
    body = json.dumps({"response_type": "ephemeral", "text": text})
    return BoltResponse(status=200, body=body, headers={"content-type": "application/json"})
