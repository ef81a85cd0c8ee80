"""The "Join as a mentee" / "No thanks" buttons offered to someone added to a channel by hand."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import DECLINE_GROUP, JOIN_GROUP
from bot.domain.errors import UserError
from bot.runtime import Runtime
from bot.services.groups import accept_join_offer
from handlers.parsing import int_value


def register(app: App, runtime: Runtime) -> None:
    @app.action(JOIN_GROUP)
    def join(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        try:
            group_id = int_value(action)
            message = accept_join_offer(
                runtime, client, group_id=group_id, user_id=body["user"]["id"]
            )
        except UserError as error:
            message = error.message
        respond(text=message, replace_original=True)

    @app.action(DECLINE_GROUP)
    def decline(ack: Ack, respond: Respond) -> None:
        ack()
        respond(
            text="All right, you are not in the group. Leave the channel whenever you like.",
            replace_original=True,
        )
