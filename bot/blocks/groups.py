"""Messages about a single group: the result of forming it, and the offer to join it."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import APPROVE_JOIN, DECLINE_GROUP, JOIN_GROUP, REFUSE_JOIN
from bot.blocks.text import (
    Mrkdwn,
    bold,
    channel,
    join,
    md,
    mention,
    message_text,
    section,
    shortened,
)

MAX_NAME = 200
"""A group name is cut to this before it is escaped into a message."""


def group_formed_text(
    *,
    name: str,
    channel_id: str | None,
    created: bool,
    warnings: list[str],
    setup_problem: str | None,
) -> Mrkdwn:
    """`warnings` and `setup_problem` are mrkdwn the bot wrote (Mrkdwn, or plain text that
    is escaped here)."""
    where = channel(channel_id) if channel_id else "its channel"
    name = shortened(name, MAX_NAME)
    if setup_problem:
        head = md(
            "The group “{name}” is saved, but setting up {where} stopped: {problem}. "
            "Run the same command again to carry on where it stopped.",
            name=name,
            where=where,
            problem=setup_problem,
        )
    elif created:
        head = md(
            "Formed “{name}” with its private channel {where}; everyone is invited.",
            name=name,
            where=where,
        )
    else:
        head = md(
            "“{name}” already exists with these people ({where}); nothing was changed.",
            name=name,
            where=where,
        )
    return message_text(join([head, *warnings], "\n"))


def join_offer_blocks(*, group_id: int, group_name: str) -> list[Block]:
    return [
        section(
            md(
                "You were added to the channel of the mentor group {name}. "
                "Do you want to join the group as a mentee? Its mentor will be asked to "
                "approve. Only group members can answer date polls.",
                name=bold(shortened(group_name, MAX_NAME)),
            )
        ),
        ActionsBlock(
            block_id="join_offer",
            elements=[
                ButtonElement(
                    text="Ask to join",
                    action_id=JOIN_GROUP,
                    value=str(group_id),
                    style="primary",
                ),
                ButtonElement(text="No thanks", action_id=DECLINE_GROUP, value=str(group_id)),
            ],
        ),
    ]


def join_request_text(*, requester_id: str, group_name: str) -> Mrkdwn:
    return message_text(
        md(
            "{requester} asks to join your mentor group {name} as a mentee.",
            requester=mention(requester_id),
            name=shortened(group_name, MAX_NAME),
        )
    )


def join_request_blocks(*, request_id: int, requester_id: str, group_name: str) -> list[Block]:
    """The mentor's private question: may someone added to the channel join the group?"""
    return [
        section(
            md(
                "{requester} was added to the channel of {name} and asks "
                "to join the group as a mentee. Only members can answer polls and are counted "
                "at meetings.",
                requester=mention(requester_id),
                name=bold(shortened(group_name, MAX_NAME)),
            )
        ),
        ActionsBlock(
            block_id="join_request",
            elements=[
                ButtonElement(
                    text="Let them join",
                    action_id=APPROVE_JOIN,
                    value=str(request_id),
                    style="primary",
                ),
                ButtonElement(text="Decline", action_id=REFUSE_JOIN, value=str(request_id)),
            ],
        ),
    ]
