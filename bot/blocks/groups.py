"""Messages about a single group: the result of forming it, and the offer to join it."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import APPROVE_JOIN, DECLINE_GROUP, JOIN_GROUP, REFUSE_JOIN
from bot.blocks.text import (
    Mrkdwn,
    bold,
    button_text,
    channel,
    join,
    md,
    mention,
    message_text,
    section,
    shortened,
)
from bot.i18n import Translator

MAX_NAME = 200
"""A group name is cut to this before it is escaped into a message."""


def group_formed_text(
    t: Translator,
    *,
    name: str,
    channel_id: str | None,
    created: bool,
    warnings: list[str],
    setup_problem: str | None,
) -> Mrkdwn:
    """`warnings` and `setup_problem` are mrkdwn the bot wrote, already in `t`'s language
    (Mrkdwn, or plain text that is escaped here)."""
    where = channel(channel_id) if channel_id else None
    name = shortened(name, MAX_NAME)
    if setup_problem:
        if where is not None:
            template = t.gettext(
                "The group “{name}” is saved, but setting up {where} stopped: {problem}. "
                "Run the same command again to carry on where it stopped."
            )
        else:
            template = t.gettext(
                "The group “{name}” is saved, but setting up its channel stopped: {problem}. "
                "Run the same command again to carry on where it stopped."
            )
        head = md(template, name=name, where=where, problem=setup_problem)
    elif created:
        template = (
            t.gettext("Formed “{name}” with its private channel {where}; everyone is invited.")
            if where is not None
            else t.gettext("Formed “{name}”; its channel is not set up yet.")
        )
        head = md(template, name=name, where=where)
    else:
        template = (
            t.gettext("“{name}” already exists with these people ({where}); nothing was changed.")
            if where is not None
            else t.gettext("“{name}” already exists with these people; nothing was changed.")
        )
        head = md(template, name=name, where=where)
    return message_text(join([head, *warnings], "\n"))


def join_offer_blocks(t: Translator, *, group_id: int, group_name: str) -> list[Block]:
    """The offer to someone added to a group's channel by hand (only they see it)."""
    return [
        section(
            md(
                t.gettext(
                    "You were added to the channel of the mentor group {name}. "
                    "Do you want to join the group as a mentee? Its mentor will be asked to "
                    "approve. Only group members can answer date polls."
                ),
                name=bold(shortened(group_name, MAX_NAME)),
            )
        ),
        ActionsBlock(
            block_id="join_offer",
            elements=[
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters.
                    text=button_text(t.gettext("Ask to join")),
                    action_id=JOIN_GROUP,
                    value=str(group_id),
                    style="primary",
                ),
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: not joining the group.
                    text=button_text(t.gettext("No thanks")),
                    action_id=DECLINE_GROUP,
                    value=str(group_id),
                ),
            ],
        ),
    ]


def join_offer_text(t: Translator, *, group_name: str) -> Mrkdwn:
    """The offer's notification text."""
    return message_text(
        md(
            t.gettext("Do you want to ask to join {name} as a mentee?"),
            name=shortened(group_name, MAX_NAME),
        )
    )


def join_request_text(t: Translator, *, requester_id: str, group_name: str) -> Mrkdwn:
    return message_text(
        md(
            t.gettext("{requester} asks to join your mentor group {name} as a mentee."),
            requester=mention(requester_id),
            name=shortened(group_name, MAX_NAME),
        )
    )


def join_request_blocks(
    t: Translator, *, request_id: int, requester_id: str, group_name: str
) -> list[Block]:
    """The mentor's private question: may someone added to the channel join the group?"""
    return [
        section(
            md(
                t.gettext(
                    "{requester} was added to the channel of {name} and asks "
                    "to join the group as a mentee. Only members can answer polls and are "
                    "counted at meetings."
                ),
                requester=mention(requester_id),
                name=bold(shortened(group_name, MAX_NAME)),
            )
        ),
        ActionsBlock(
            block_id="join_request",
            elements=[
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: the mentor lets someone join.
                    text=button_text(t.gettext("Let them join")),
                    action_id=APPROVE_JOIN,
                    value=str(request_id),
                    style="primary",
                ),
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: the mentor says no to a request.
                    text=button_text(t.pgettext("request to join", "Decline")),
                    action_id=REFUSE_JOIN,
                    value=str(request_id),
                ),
            ],
        ),
    ]
