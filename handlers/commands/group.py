"""`/mentor group create|list|add|remove`."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.admin import group_list_blocks, group_list_text
from bot.blocks.groups import group_formed_text
from bot.domain.errors import UserError
from bot.domain.limits import MAX_GROUP_NAME, too_long
from bot.domain.mentions import split_mentions, unpicked_mentions
from bot.domain.options import split_options
from bot.domain.text import shorten
from bot.i18n import phrase
from bot.services.groups import (
    add_to_group,
    create_group,
    list_groups,
    remove_from_group,
    request_from_slack,
)
from handlers.commands.router import Invocation


def _people_and_options(
    invocation: Invocation, allowed: set[str]
) -> tuple[tuple[str, ...], dict[str, str]]:
    mentions = split_mentions(invocation.args)
    options = split_options(mentions.other_words, allowed=allowed)
    typed = unpicked_mentions(options.positional)
    if typed:
        raise UserError(
            phrase(
                "I can't tell who {typed} is. Pick people from the @-mention list as you type, "
                "so Slack links them.",
                typed=shorten(", ".join(typed)),
            )
        )
    if options.positional:
        usage = invocation.spec.usage if invocation.spec else "/mentor help"
        raise UserError(
            phrase(
                "I don't understand “{typed}”. Usage: `{usage}`",
                typed=shorten(" ".join(options.positional)),
                usage=usage,
            )
        )
    return mentions.user_ids, options.named


def create(invocation: Invocation, *, slack: WebClient) -> None:
    people, named = _people_and_options(invocation, {"name"})
    if len(people) < 2:
        raise UserError(
            phrase(
                "Name the mentor first, then the mentees: "
                '`/mentor group create @mentor @mentee1 @mentee2 @mentee3 [name="Blue group"]`.'
            )
        )
    name = named.get("name")
    # Checked before anyone is looked up in Slack: the name is stored, and the channel's
    # name is made from it.
    if name is not None and too_long(name, MAX_GROUP_NAME):
        raise UserError(
            phrase(
                "A group's name can be at most {most} characters (yours has {length}); "
                'choose a shorter name="…".',
                most=MAX_GROUP_NAME,
                length=len(name),
            )
        )
    request = request_from_slack(slack, mentor_id=people[0], mentee_ids=people[1:], name=name)
    outcome = create_group(invocation.runtime, slack, request, created_by=invocation.user_id)
    t = invocation.t
    invocation.reply.ephemeral(
        group_formed_text(
            t,
            name=outcome.group.name,
            channel_id=outcome.group.channel_id,
            created=outcome.created,
            warnings=[warning.say(t) for warning in outcome.warnings],
            setup_problem=outcome.setup_problem.say(t) if outcome.setup_problem else None,
        )
    )


def show_list(invocation: Invocation) -> None:
    term, summaries = list_groups(invocation.runtime)
    t = invocation.t
    invocation.reply.ephemeral(
        group_list_text(t, term, len(summaries)), group_list_blocks(t, term, summaries)
    )


def add(invocation: Invocation, *, slack: WebClient) -> None:
    people, named = _people_and_options(invocation, {"group"})
    if len(people) != 1 or "group" not in named:
        raise UserError(
            phrase(
                'Name one person and the group: `/mentor group add @someone group="Blue group"`.'
            )
        )
    message = add_to_group(
        invocation.runtime,
        slack,
        user_id=people[0],
        group_name=named["group"],
        by=invocation.user_id,
    )
    invocation.reply.ephemeral(message.say(invocation.t))


def remove(invocation: Invocation, *, slack: WebClient) -> None:
    people, named = _people_and_options(invocation, {"group"})
    if len(people) != 1:
        raise UserError(
            phrase(
                "Name one person: `/mentor group remove @someone` "
                '(add `group="NAME"` if they are in several).'
            )
        )
    message = remove_from_group(
        invocation.runtime, slack, user_id=people[0], group_name=named.get("group")
    )
    invocation.reply.ephemeral(message.say(invocation.t))
