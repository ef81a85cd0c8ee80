"""Messages about a single group: the result of forming it, and the offer to join it."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.ids import APPROVE_JOIN, DECLINE_GROUP, JOIN_GROUP, REFUSE_JOIN


def group_formed_text(
    *,
    name: str,
    channel_id: str | None,
    created: bool,
    warnings: list[str],
    setup_problem: str | None,
) -> str:
    channel = f"<#{channel_id}>" if channel_id else "its channel"
    if setup_problem:
        head = (
            f"The group “{name}” is saved, but setting up {channel} stopped: {setup_problem}. "
            "Run the same command again to carry on where it stopped."
        )
    elif created:
        head = f"Formed “{name}” with its private channel {channel}; everyone is invited."
    else:
        head = f"“{name}” already exists with these people ({channel}); nothing was changed."
    return "\n".join([head, *warnings])


def join_offer_blocks(*, group_id: int, group_name: str) -> list[Block]:
    return [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"You were added to the channel of the mentor group *{group_name}*. "
                "Do you want to join the group as a mentee? Its mentor will be asked to "
                "approve. Only group members can answer date polls."
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


def join_request_text(*, requester_id: str, group_name: str) -> str:
    return f"<@{requester_id}> asks to join your mentor group {group_name} as a mentee."


def join_request_blocks(*, request_id: int, requester_id: str, group_name: str) -> list[Block]:
    """The mentor's private question: may someone added to the channel join the group?"""
    return [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"<@{requester_id}> was added to the channel of *{group_name}* and asks "
                "to join the group as a mentee. Only members can answer polls and are counted "
                "at meetings."
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
