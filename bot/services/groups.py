"""Forming mentor groups and keeping their membership in step with Slack."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.text import join, md, mention
from bot.domain.errors import UserError
from bot.domain.groups import composition_warning, member_key
from bot.domain.text import shorten
from bot.i18n import Phrase, language_or_default, phrase, translator
from bot.runtime import Runtime
from bot.services.channels import ChannelSetupError, set_up_channel
from bot.services.people import SlackProfile, fetch_profile
from bot.services.terms import require_current_term
from storage.db import Session, read_session, write_session
from storage.groups import (
    GroupClash,
    GroupSummary,
    active_groups_of,
    active_mentee_group,
    add_member,
    group_by_channel,
    group_by_channel_name,
    group_by_id,
    group_by_member_key,
    group_by_name,
    group_summaries,
    insert_group,
    mark_left,
    members_of,
)
from storage.ids import stored_id
from storage.models import MemberRole, MentorGroup, Term
from storage.people import get_person, save_person

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GroupRequest:
    mentor: SlackProfile
    mentees: tuple[SlackProfile, ...]
    name: str | None = None


@dataclass
class GroupOutcome:
    group: MentorGroup
    created: bool
    warnings: list[Phrase] = field(default_factory=list)
    setup_problem: Phrase | None = None
    """Why the channel setup stopped, if it did; running the creation again resumes it."""


def request_from_slack(
    client: WebClient, *, mentor_id: str, mentee_ids: tuple[str, ...], name: str | None
) -> GroupRequest:
    if not mentee_ids:
        raise UserError(phrase("A group needs at least one mentee after the mentor."))
    if mentor_id in mentee_ids:
        raise UserError(
            phrase("{who} can't be both the mentor and a mentee.", who=mention(mentor_id))
        )
    return GroupRequest(
        mentor=fetch_profile(client, mentor_id),
        mentees=tuple(fetch_profile(client, mentee_id) for mentee_id in mentee_ids),
        name=name,
    )


def form_group(runtime: Runtime, request: GroupRequest, *, created_by: str) -> GroupOutcome:
    """Store a group and its members, or find the same group stored before.

    The same mentor with the same mentees in the same term is the same group, so running a
    command or an import twice never makes a second group or channel.
    """
    key = member_key(request.mentor.user_id, (m.user_id for m in request.mentees))
    try:
        with write_session(runtime.engine) as session:
            term = require_current_term(session)
            existing = group_by_member_key(session, term_id=stored_id(term), member_key=key)
            if existing is not None:
                return GroupOutcome(group=existing, created=False)
            _check_mentor(session, request.mentor)
            _check_mentees_free(session, term, request.mentees)
            for profile in (request.mentor, *request.mentees):
                save_person(
                    session, slack_user_id=profile.user_id, name=profile.name, email=profile.email
                )
            group = insert_group(
                session,
                term_id=stored_id(term),
                name=_free_name(session, term, request),
                member_key=key,
                mentor_id=request.mentor.user_id,
                mentee_ids=tuple(mentee.user_id for mentee in request.mentees),
                created_by=created_by,
                now=runtime.now(),
            )
    except GroupClash:
        raise UserError(
            phrase(
                "Someone else just formed a group with some of these people; "
                "check `/mentor group list` and try again."
            )
        ) from None
    return GroupOutcome(group=group, created=True, warnings=_composition(len(request.mentees)))


def _composition(mentee_count: int) -> list[Phrase]:
    """The domain's heads-up about an unusual group size, in words to be translated."""
    warning = composition_warning(mentee_count)
    return [warning] if warning is not None else []


def _check_mentor(session: Session, mentor: SlackProfile) -> None:
    person = get_person(session, mentor.user_id)
    if person is None or person.certified_at is None:
        raise UserError(
            phrase(
                "{who} is not certified as a mentor yet, so they can't lead a group. "
                "Once they have done the mentor training, run `/mentor certify {who}`.",
                who=mention(mentor.user_id),
            )
        )


def _check_mentees_free(session: Session, term: Term, mentees: tuple[SlackProfile, ...]) -> None:
    taken = []
    for mentee in mentees:
        group = active_mentee_group(session, term_id=stored_id(term), slack_user_id=mentee.user_id)
        if group is not None:
            taken.append(md("{who} ({name})", who=mention(mentee.user_id), name=group.name))
    if taken:
        raise UserError(
            phrase(
                "A mentee can be in one group per term, and these already are in one: {taken}. "
                "Remove them there first with `/mentor group remove`.",
                taken=join(taken),
            )
        )


def _free_name(session: Session, term: Term, request: GroupRequest) -> str:
    if request.name:
        if group_by_name(session, term_id=stored_id(term), name=request.name) is not None:
            raise UserError(
                phrase(
                    "There is already a group called “{name}” this term; choose another name.",
                    name=shorten(request.name),
                )
            )
        return request.name
    base = _default_name(term, request.mentor.name)
    name, number = base, 1
    while group_by_name(session, term_id=stored_id(term), name=name) is not None:
        number += 1
        name = f"{base} {number}"
    return name


def _default_name(term: Term, mentor_name: str) -> str:
    """ "Anna's group", in the term's language: the name is stored and shown in its channel."""
    t = translator(language_or_default(term.language))
    words = mentor_name.split()
    first = words[0] if words else t.gettext("Mentor")
    # TRANSLATORS: the name a new group gets from its mentor's first name; stored, and the
    # group's channel name is made from it.
    return t.gettext("{name}'s group").format(name=first)


def create_group(
    runtime: Runtime, client: WebClient, request: GroupRequest, *, created_by: str
) -> GroupOutcome:
    """Form the group and make sure its channel is fully set up (resuming if it was not)."""
    outcome = form_group(runtime, request, created_by=created_by)
    try:
        outcome.group = set_up_channel(runtime, client, stored_id(outcome.group))
    except (SlackApiError, ChannelSetupError) as error:
        logger.warning("group %s: channel setup stopped", stored_id(outcome.group), exc_info=True)
        outcome.setup_problem = describe_setup_error(error)
        with read_session(runtime.engine) as session:
            outcome.group = group_by_id(session, stored_id(outcome.group)) or outcome.group
    return outcome


def describe_setup_error(error: Exception) -> Phrase:
    if isinstance(error, SlackApiError):
        return phrase("Slack answered “{answer}”", answer=str(error.response.get("error", "?")))
    if isinstance(error, ChannelSetupError):
        return error.phrase
    return phrase("an unexpected error")


def list_groups(runtime: Runtime) -> tuple[Term, list[GroupSummary]]:
    with read_session(runtime.engine) as session:
        term = require_current_term(session)
        return term, group_summaries(session, term_id=stored_id(term))


def record_departure(runtime: Runtime, *, channel_id: str, user_id: str) -> MentorGroup | None:
    """Someone left a group channel: they leave the group (the scheme is voluntary)."""
    with write_session(runtime.engine) as session:
        group = group_by_channel(session, channel_id)
        if group is None or group.id is None:
            return None
        left = mark_left(session, group_id=group.id, slack_user_id=user_id, now=runtime.now())
    if left:
        logger.info("%r left group %s", user_id, group.id)
    return group if left else None


def _group_named(session: Session, term: Term, name: str) -> MentorGroup:
    group = group_by_name(session, term_id=stored_id(term), name=name) or group_by_channel_name(
        session, term_id=stored_id(term), channel_name=name.lstrip("#")
    )
    if group is None:
        raise UserError(
            phrase(
                "There is no group called “{name}” this term; see `/mentor group list`.",
                name=shorten(name),
            )
        )
    return group


def add_to_group(
    runtime: Runtime, client: WebClient, *, user_id: str, group_name: str, by: str
) -> Phrase:
    """A coordinator adds someone to a group as a mentee and invites them to its channel."""
    profile = fetch_profile(client, user_id)
    with write_session(runtime.engine) as session:
        term = require_current_term(session)
        group = _group_named(session, term, group_name)
        member_ids = {m.slack_user_id for m in members_of(session, stored_id(group))}
        if user_id in member_ids:
            return phrase("{who} is already in {name}.", who=mention(user_id), name=group.name)
        _check_mentees_free(session, term, (profile,))
        save_person(session, slack_user_id=user_id, name=profile.name, email=profile.email)
        add_member(
            session, group=group, slack_user_id=user_id, role=MemberRole.MENTEE, now=runtime.now()
        )
    logger.info("%r added %r to group %s", by, user_id, group.id)
    if group.channel_id:
        _invite(client, group.channel_id, user_id)
    return phrase(
        "Added {who} to {name} as a mentee and invited them to its channel.",
        who=mention(user_id),
        name=group.name,
    )


def remove_from_group(
    runtime: Runtime, client: WebClient, *, user_id: str, group_name: str | None
) -> Phrase:
    """A coordinator takes someone out of a group and its channel."""
    with write_session(runtime.engine) as session:
        term = require_current_term(session)
        if group_name is not None:
            group = _group_named(session, term, group_name)
        else:
            groups = active_groups_of(session, term_id=stored_id(term), slack_user_id=user_id)
            if not groups:
                raise UserError(
                    phrase("{who} is not in any group this term.", who=mention(user_id))
                )
            if len(groups) > 1:
                names = join((md("“{name}”", name=shorten(g.name)) for g in groups), ", ")
                raise UserError(
                    phrase(
                        '{who} is in {names}; say which with `group="NAME"`.',
                        who=mention(user_id),
                        names=names,
                    )
                )
            group = groups[0]
        removed = mark_left(
            session, group_id=stored_id(group), slack_user_id=user_id, now=runtime.now()
        )
    if not removed:
        return phrase(
            "{who} is not a member of {name}; nothing changed.",
            who=mention(user_id),
            name=group.name,
        )
    if group.channel_id:
        try:
            client.conversations_kick(channel=group.channel_id, user=user_id)
        except SlackApiError as error:
            if error.response.get("error") not in ("not_in_channel", "user_not_found"):
                raise
    return phrase(
        "Removed {who} from {name} and its channel.", who=mention(user_id), name=group.name
    )


def _invite(client: WebClient, channel_id: str, user_id: str) -> None:
    try:
        client.conversations_invite(channel=channel_id, users=[user_id])
    except SlackApiError as error:
        if error.response.get("error") != "already_in_channel":
            raise
