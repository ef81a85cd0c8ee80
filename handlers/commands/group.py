"""`/mentor group create|list|add|remove`."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.admin import group_list_blocks
from bot.blocks.groups import group_formed_text
from bot.blocks.text import md
from bot.domain.digest import counted
from bot.domain.errors import UserError
from bot.domain.limits import MAX_GROUP_NAME, check_length
from bot.domain.mentions import split_mentions, unpicked_mentions
from bot.domain.options import split_options
from bot.domain.text import shorten
from bot.services.groups import (
    add_to_group,
    create_group,
    list_groups,
    remove_from_group,
    request_from_slack,
)
from handlers.commands.router import Invocation

PICK_PEOPLE = "Pick people from the @-mention list as you type, so Slack links them"


def _people_and_options(
    invocation: Invocation, allowed: set[str]
) -> tuple[tuple[str, ...], dict[str, str]]:
    mentions = split_mentions(invocation.args)
    options = split_options(mentions.other_words, allowed=allowed)
    typed = unpicked_mentions(options.positional)
    if typed:
        raise UserError(f"I can't tell who {shorten(', '.join(typed))} is. {PICK_PEOPLE}.")
    if options.positional:
        usage = invocation.spec.usage if invocation.spec else "/mentor help"
        raise UserError(
            f"I don't understand “{shorten(' '.join(options.positional))}”. Usage: `{usage}`"
        )
    return mentions.user_ids, options.named


def create(invocation: Invocation, *, slack: WebClient) -> None:
    people, named = _people_and_options(invocation, {"name"})
    if len(people) < 2:
        raise UserError(
            "Name the mentor first, then the mentees: "
            '`/mentor group create @mentor @mentee1 @mentee2 @mentee3 [name="Blue group"]`.'
        )
    name = named.get("name")
    if name is not None:
        # Checked before anyone is looked up in Slack: the name is stored, and the
        # channel's name is made from it.
        check_length(
            name, MAX_GROUP_NAME, what="A group's name", instead='choose a shorter name="…".'
        )
    request = request_from_slack(slack, mentor_id=people[0], mentee_ids=people[1:], name=name)
    outcome = create_group(invocation.runtime, slack, request, created_by=invocation.user_id)
    invocation.reply.ephemeral(
        group_formed_text(
            name=outcome.group.name,
            channel_id=outcome.group.channel_id,
            created=outcome.created,
            warnings=outcome.warnings,
            setup_problem=outcome.setup_problem,
        )
    )


def show_list(invocation: Invocation) -> None:
    term, summaries = list_groups(invocation.runtime)
    invocation.reply.ephemeral(
        md("{count} in {term}", count=counted(len(summaries), "group"), term=term.name),
        group_list_blocks(term, summaries),
    )


def add(invocation: Invocation, *, slack: WebClient) -> None:
    people, named = _people_and_options(invocation, {"group"})
    if len(people) != 1 or "group" not in named:
        raise UserError(
            'Name one person and the group: `/mentor group add @someone group="Blue group"`.'
        )
    message = add_to_group(
        invocation.runtime,
        slack,
        user_id=people[0],
        group_name=named["group"],
        by=invocation.user_id,
    )
    invocation.reply.ephemeral(message)


def remove(invocation: Invocation, *, slack: WebClient) -> None:
    people, named = _people_and_options(invocation, {"group"})
    if len(people) != 1:
        raise UserError(
            "Name one person: `/mentor group remove @someone` "
            '(add `group="NAME"` if they are in several).'
        )
    message = remove_from_group(
        invocation.runtime, slack, user_id=people[0], group_name=named.get("group")
    )
    invocation.reply.ephemeral(message)
