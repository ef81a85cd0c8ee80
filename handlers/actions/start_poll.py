"""The "Start a date poll" button on the welcome message and on nudges."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.blocks.ids import START_POLL
from bot.runtime import Runtime


def register(app: App, runtime: Runtime) -> None:  # noqa: ARG001 - same signature as every listener module
    @app.action(START_POLL)
    def start_poll(ack: Ack, respond: Respond) -> None:
        # Date polls are the next feature (issue 5); until then the button answers honestly.
        ack()
        respond(
            text="Date polls are not available yet. Agree a date in the channel for now.",
            response_type="ephemeral",
            replace_original=False,
        )
