"""Joining a group from its channel: someone added to a group channel by hand may ask to
join, and becomes a member only when the group's mentor (or a coordinator) approves, never
beyond the group's size and never while they mentor or are a mentee in another group.

Every step is re-checked on the server when it happens: a click proves only that Slack
delivered it, not that the clicker may decide or that the group still has room.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.blocks.text import mention
from bot.domain.errors import UserError
from bot.domain.groups import MAX_MENTEES
from bot.i18n import Phrase, phrase
from bot.runtime import Runtime
from bot.services.people import fetch_profile
from storage.db import Session, read_session, write_session
from storage.groups import (
    active_group_as,
    active_mentee_group,
    add_member,
    group_by_channel,
    group_by_id,
    members_of,
)
from storage.ids import stored_id
from storage.join_requests import (
    active_mentee_count,
    ask_to_join,
    decide_join_request,
    join_request_by_id,
    lock_group,
)
from storage.models import JoinRequest, JoinRequestState, MemberRole, MentorGroup, Term
from storage.people import save_person
from storage.terms import term_by_id

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JoinAsked:
    """A request to join that the group's mentors must now be asked about (once)."""

    request_id: int
    group_id: int
    group_name: str
    mentor_ids: tuple[str, ...]


@dataclass(frozen=True)
class JoinDecision:
    """What a decision did: the answer for the person who decided, and for the requester
    (each said in their own language)."""

    answer: Phrase
    requester_id: str | None = None
    requester_message: Phrase | None = None


def join_offer_for(runtime: Runtime, *, channel_id: str, user_id: str) -> MentorGroup | None:
    """The group to offer, when someone joined a group channel without being a member."""
    with read_session(runtime.engine) as session:
        group = group_by_channel(session, channel_id)
        if group is None or group.id is None:
            return None
        if any(m.slack_user_id == user_id for m in members_of(session, group.id)):
            return None
        return group


def ask_to_join_group(
    runtime: Runtime, client: WebClient, *, group_id: int, user_id: str
) -> JoinAsked | Phrase:
    """Store the person's request to join; a JoinAsked when the mentors are to be asked now,
    or the answer for the person when there is nothing to ask (already asked, a member)."""
    with read_session(runtime.engine) as session:
        group = group_by_id(session, group_id)
    if group is None or group.channel_id is None:
        raise UserError(phrase("That group no longer exists."))
    if user_id not in channel_members(client, group.channel_id):
        raise UserError(phrase("Only people in the group's channel can ask to join it."))
    with write_session(runtime.engine) as session:
        term = _current_term_of(session, group)
        members = members_of(session, group_id)
        if any(m.slack_user_id == user_id for m in members):
            return phrase("You are already a member of {name}.", name=group.name)
        _check_free_to_join(session, term, user_id)
        request, asked_now = ask_to_join(
            session, group_id=group_id, slack_user_id=user_id, now=runtime.now()
        )
        mentor_ids = tuple(m.slack_user_id for m in members if m.role == MemberRole.MENTOR)
    if request.state == JoinRequestState.DECLINED:
        return phrase(
            "The mentor of {name} has not added you to the group. "
            "If you think that is a mistake, ask your coordinator.",
            name=group.name,
        )
    if not asked_now:
        return phrase(
            "You have asked to join {name} already; its mentor will decide soon.",
            name=group.name,
        )
    logger.info("%r asked to join group %s", user_id, group_id)
    return JoinAsked(
        request_id=stored_id(request),
        group_id=group_id,
        group_name=group.name,
        mentor_ids=mentor_ids,
    )


def decide_join(
    runtime: Runtime,
    client: WebClient,
    *,
    request_id: int,
    by: str,
    approve: bool,
) -> JoinDecision:
    """The group's mentor or a coordinator approves or declines a request to join."""
    request, group = _request_to_decide(runtime, request_id=request_id, by=by)
    if request.state != JoinRequestState.PENDING:
        return _decided_already(request)
    if approve:
        return _approve(runtime, client, request, group, by=by)
    return _decline(runtime, request, group, by=by)


def _request_to_decide(
    runtime: Runtime, *, request_id: int, by: str
) -> tuple[JoinRequest, MentorGroup]:
    """The request and its group, once `by` is known to be allowed to decide it."""
    with read_session(runtime.engine) as session:
        request = join_request_by_id(session, request_id)
        group = group_by_id(session, request.group_id) if request is not None else None
        mentors = (
            {
                m.slack_user_id
                for m in members_of(session, stored_id(group))
                if m.role == MemberRole.MENTOR
            }
            if group is not None
            else set()
        )
    if request is None or group is None or group.id is None:
        raise UserError(phrase("That request to join no longer exists."))
    if by not in mentors and by not in runtime.settings.coordinators:
        logger.info("refused a join decision by %r on group %s", by, group.id)
        raise UserError(phrase("Only the group's mentor or a coordinator can decide who joins it."))
    return request, group


def _decided_already(request: JoinRequest) -> JoinDecision:
    return JoinDecision(
        phrase("{who}'s request to join was decided already.", who=mention(request.slack_user_id))
    )


def _decline(
    runtime: Runtime, request: JoinRequest, group: MentorGroup, *, by: str
) -> JoinDecision:
    with write_session(runtime.engine) as session:
        decided = decide_join_request(
            session,
            request_id=stored_id(request),
            state=JoinRequestState.DECLINED,
            by=by,
            now=runtime.now(),
        )
    if not decided:
        return _decided_already(request)
    return JoinDecision(
        phrase(
            "{who} was not added to {name}.", who=mention(request.slack_user_id), name=group.name
        ),
        requester_id=request.slack_user_id,
        requester_message=phrase(
            "You were not added to the mentor group {name}. "
            "If you think that is a mistake, ask your coordinator.",
            name=group.name,
        ),
    )


def _approve(
    runtime: Runtime, client: WebClient, request: JoinRequest, group: MentorGroup, *, by: str
) -> JoinDecision:
    """Add the requester as a mentee: re-checked under the group's lock, as they may have
    left the channel, joined another group, or the group may have filled up meanwhile."""
    requester = request.slack_user_id
    if group.channel_id is None or requester not in channel_members(client, group.channel_id):
        raise UserError(
            phrase(
                "{who} is no longer in the group's channel; nothing to approve.",
                who=mention(requester),
            )
        )
    profile = fetch_profile(client, requester)
    with write_session(runtime.engine) as session:
        locked = lock_group(session, stored_id(group))
        assert locked is not None
        term = _current_term_of(session, locked)
        if not decide_join_request(
            session,
            request_id=stored_id(request),
            state=JoinRequestState.APPROVED,
            by=by,
            now=runtime.now(),
        ):
            return _decided_already(request)
        _check_free_to_join(session, term, requester)
        if active_mentee_count(session, stored_id(group)) >= MAX_MENTEES:
            raise UserError(
                phrase(
                    "{name} has {most} mentees already, as many as a group takes. "
                    "A coordinator can place them in another group.",
                    name=group.name,
                    most=MAX_MENTEES,
                )
            )
        save_person(session, slack_user_id=requester, name=profile.name, email=profile.email)
        add_member(
            session,
            group=locked,
            slack_user_id=requester,
            role=MemberRole.MENTEE,
            now=runtime.now(),
        )
    logger.info("%r approved %r joining group %s", by, requester, stored_id(group))
    return JoinDecision(
        phrase("{who} is now a mentee in {name}.", who=mention(requester), name=group.name),
        requester_id=requester,
        requester_message=phrase(
            "Welcome! You are now a mentee in the mentor group {name}.", name=group.name
        ),
    )


def _current_term_of(session: Session, group: MentorGroup) -> Term:
    term = term_by_id(session, group.term_id)
    if term is None or not term.is_current:
        raise UserError(phrase("That group's term is over."))
    return term


def _check_free_to_join(session: Session, term: Term, user_id: str) -> None:
    led = active_group_as(
        session, term_id=stored_id(term), slack_user_id=user_id, role=MemberRole.MENTOR
    )
    if led is not None:
        raise UserError(
            phrase(
                "{who} is the mentor of {name}, so they can't join another group as a mentee "
                "this way; a coordinator can change groups.",
                who=mention(user_id),
                name=led.name,
            )
        )
    other = active_mentee_group(session, term_id=stored_id(term), slack_user_id=user_id)
    if other is not None:
        raise UserError(
            phrase(
                "{who} is already a mentee in {name}; a mentee is in one group per term.",
                who=mention(user_id),
                name=other.name,
            )
        )


def channel_members(client: WebClient, channel_id: str) -> set[str]:
    members: set[str] = set()
    for page in client.conversations_members(channel=channel_id, limit=200):
        members.update(page.get("members", []))
    return members
