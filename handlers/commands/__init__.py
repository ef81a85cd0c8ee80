"""The `/mentor` slash command: checked and acknowledged at once, answered by the worker.

The acknowledgement only says the command was received (or, for text that cannot be read
at all, what to type instead); everything else, from "who is asking" to the answer, is the
follow-up, so no command makes Slack or the next person wait."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.domain.commands import CommandTextError, split_command_text
from bot.followups import DeferredRequest, defer
from bot.services.language import reader
from bot.services.roles import roles_of
from bot.wiring import runtime_of
from handlers.commands import (
    group,
    join,
    match,
    meetings,
    oversight,
    people,
    poll,
    snooze,
    term,
    themes,
)
from handlers.commands import help as help_command
from handlers.commands.router import Invocation, SubcommandRouter
from handlers.reply import Reply

ANSWER_COMMAND = "command"


def build_router(slack: WebClient) -> SubcommandRouter:
    """`slack` is the client for slow work: it waits out rate limits."""
    router = SubcommandRouter(fallback=help_command.show_help)
    router.add("help", help_command.show_help)
    router.add("term", term.show_term)
    router.add("term new", term.new_term)
    router.add("term close", term.close_term)
    router.add("certify", people.certify)
    router.add("group create", partial(group.create, slack=slack))
    router.add("group list", group.show_list)
    router.add("group add", partial(group.add, slack=slack))
    router.add("group remove", partial(group.remove, slack=slack))
    router.add("poll", partial(poll.start, slack=slack))
    router.add("poll add", poll.add_date)
    router.add("poll deadline", poll.move_deadline)
    router.add("log", partial(meetings.log, slack=slack))
    router.add("log list", meetings.log_list)
    router.add("status", meetings.status)
    router.add("meeting where", partial(meetings.meeting_where, slack=slack))
    router.add("meeting move", partial(meetings.meeting_move, slack=slack))
    router.add("meeting cancel", partial(meetings.meeting_cancel, slack=slack))
    router.add("themes", partial(themes.post_suggestions, slack=slack))
    router.add("themes suggest", themes.suggest)
    router.add("themes add", themes.add)
    router.add("themes retire", themes.retire)
    router.add("digest", partial(oversight.digest, slack=slack))
    router.add("pause", oversight.pause_groups)
    router.add("snooze", snooze.snooze)
    router.add("join", join.join)
    router.add("match", match.match)
    return router


def mentor(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    try:
        split_command_text(command.get("text") or "")
    except CommandTextError as error:
        t = reader(runtime_of(context), command.get("user_id", ""))
        ack(text=error.phrase.say(t), response_type="ephemeral")
        return
    defer(runtime_of(context), ANSWER_COMMAND, command)
    ack()


def answer_command(request: DeferredRequest) -> None:
    command = request.payload
    text = split_command_text(command.get("text") or "")
    router = build_router(request.slow_client)
    user_id = command["user_id"]
    router.dispatch(
        Invocation(
            text=text,
            spec=router.resolve(text),
            user_id=user_id,
            channel_id=command.get("channel_id", ""),
            trigger_id=command.get("trigger_id", ""),
            roles=roles_of(request.runtime, user_id),
            reply=Reply(request.respond),
            client=request.client,
            runtime=request.runtime,
        )
    )


COMMANDS = {"/mentor": mentor}
FOLLOW_UPS = {ANSWER_COMMAND: answer_command}
