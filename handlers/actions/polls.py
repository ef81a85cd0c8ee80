"""Poll buttons: Yes / If need be / No on each date, Close now, Cancel, Start a date poll."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.ids import POLL_CANCEL, POLL_CLOSE, POLL_VOTE_PREFIX, START_POLL
from bot.blocks.polls import poll_modal
from bot.domain.errors import UserError
from bot.domain.polls import Answer
from bot.runtime import Runtime
from bot.services.polls import (
    after_vote,
    cancel_poll,
    close_by_mentor,
    poll_mentor_context,
    store_vote,
)
from handlers.parsing import int_value, poll_option_value
from handlers.reply import refuse


def register(app: App, runtime: Runtime) -> None:
    @app.action(re.compile(f"^{POLL_VOTE_PREFIX}"))
    def vote(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        try:
            answer = Answer(action["action_id"].removeprefix(POLL_VOTE_PREFIX))
            poll_id, option_id = poll_option_value(action)
            complete = store_vote(
                runtime,
                poll_id=poll_id,
                option_id=option_id,
                user_id=body["user"]["id"],
                answer=answer,
            )
        except (ValueError, UserError) as error:
            ack()
            message = (
                error.message if isinstance(error, UserError) else "That button is out of date."
            )
            refuse(respond, message)
            return
        ack()
        after_vote(runtime, client, poll_id=poll_id, complete=complete)

    def mentor_button(action_id: str, act: Callable[..., None]) -> None:
        """A poll button only the mentor may use: act, or tell the clicker why not."""

        @app.action(action_id)
        def handle(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            respond: Respond,
            client: WebClient,
        ) -> None:
            ack()
            try:
                act(runtime, client, poll_id=int_value(action), user_id=body["user"]["id"])
            except UserError as error:
                refuse(respond, error.message)

    mentor_button(POLL_CLOSE, close_by_mentor)
    mentor_button(POLL_CANCEL, cancel_poll)

    @app.action(START_POLL)
    def start_poll(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        try:
            context = poll_mentor_context(
                runtime, channel_id=None, group_id=int_value(action), user_id=body["user"]["id"]
            )
        except UserError as error:
            refuse(respond, error.message)
            return
        assert context.group.id is not None
        client.views_open(
            trigger_id=body["trigger_id"],
            view=poll_modal(group_id=context.group.id, group_name=context.group.name),
        )
