"""What a person's App Home shows: for a coordinator the term at a glance with the groups
needing attention first; for each group someone is in, its next meeting with its place,
its open polls and the buttons of their role. A fixed number of queries however many
groups (the coordinator's figures are the digest's)."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.blocks.home import HomeGroup, LanguageChoice, SignUpOffer, home_view
from bot.blocks.ids import CHOOSE_TERM_LANGUAGE
from bot.blocks.text import zoned_time
from bot.domain.commands import commands_for
from bot.domain.errors import UserError
from bot.domain.roles import Role, role_label
from bot.i18n import ENGLISH, LANGUAGES, Translator, language_or_default, phrase
from bot.runtime import Runtime
from bot.services.language import choose_language, reader
from bot.services.oversight import term_digest
from bot.services.privacy import retention_periods
from bot.services.roles import roles_of
from bot.services.snooze import snooze_command
from storage.db import read_session
from storage.groups import memberships_in_current_term
from storage.ids import stored_id
from storage.models import Participant, Poll, Term
from storage.people import language_choices
from storage.polls import open_polls_of_group, votes_of
from storage.progress import home_figures
from storage.signup import participant_of
from storage.terms import current_term

logger = logging.getLogger(__name__)

SNOOZE_DAYS = 7
MAX_LINKED_POLLS = 3
"""Polls waiting for someone's answer linked one by one; a group rarely runs more than one."""


def home_for(
    runtime: Runtime,
    user_id: str,
    *,
    notice: str | None = None,
    client: WebClient | None = None,
) -> View:
    """The tab in the person's language. `client` links each poll waiting for the person's
    answer to the poll's message (without it, or when Slack gives no link, the group's
    channel is named instead)."""
    roles = roles_of(runtime, user_id)
    now = runtime.now()
    t = reader(runtime, user_id)
    with read_session(runtime.engine) as session:
        own_language, term_language = language_choices(session, user_id)
        term = current_term(session)
        memberships = memberships_in_current_term(session, user_id) if term else []
        signed_up = (
            participant_of(session, term_id=stored_id(term), slack_user_id=user_id)
            if term is not None and not memberships
            else None
        )
        figures = home_figures(
            session,
            group_ids=[stored_id(m.group) for m in memberships],
            user_id=user_id,
            now=now,
        )
    coordinator = Role.COORDINATOR in roles
    glance = term_digest(runtime, term) if coordinator and term is not None else None
    groups = []
    for membership in memberships:
        assert term is not None
        group_id = stored_id(membership.group)
        row = figures[group_id]
        zone = ZoneInfo(term.timezone)
        groups.append(
            HomeGroup(
                name=membership.group.name,
                role=membership.role,
                channel_id=membership.group.channel_id,
                min_meetings=term.min_meetings,
                term_name=term.name,
                meetings_held=row.held,
                next_meeting=zoned_time(row.next_at, zone, t) if row.next_at else None,
                group_id=group_id,
                next_place=row.next_place,
                open_polls=row.open_polls,
                polls_waiting=row.polls_waiting,
                waiting_links=_waiting_links(runtime, client, group_id, user_id)
                if row.polls_waiting and client is not None
                else (),
            )
        )
    return home_view(
        t,
        groups=groups,
        commands=commands_for(roles),
        role=role_label(roles),
        notice=notice,
        glance=glance,
        coordinator=coordinator,
        language=LanguageChoice(
            own=own_language, programme=language_or_default(term_language, ENGLISH)
        ),
        sign_up=_sign_up_offer(term, signed_up) if not memberships else None,
        periods=retention_periods(runtime),
    )


def _sign_up_offer(term: Term | None, participant: Participant | None) -> SignUpOffer | None:
    """The way in for someone in no group of a current term; a withdrawn sign-up counts as
    none (the button offers it again)."""
    if term is None:
        return None
    if participant is None or participant.withdrawn_at is not None:
        return SignUpOffer()
    return SignUpOffer(role=participant.role.value)


def _waiting_links(
    runtime: Runtime, client: WebClient, group_id: int, user_id: str
) -> tuple[str, ...]:
    """Links to the messages of the group's open polls `user_id` has not answered; a poll
    Slack gives no link for is left out (the tab then names the channel)."""
    with read_session(runtime.engine) as session:
        waiting = [
            poll
            for poll in open_polls_of_group(session, group_id)
            if poll.id is not None
            and not any(voter == user_id for _, voter in votes_of(session, poll.id))
        ]
    links = (_permalink(client, poll) for poll in waiting[:MAX_LINKED_POLLS])
    return tuple(link for link in links if link)


def _permalink(client: WebClient, poll: Poll) -> str | None:
    if poll.message_ts is None:
        return None
    try:
        answer = client.chat_getPermalink(channel=poll.channel_id, message_ts=poll.message_ts)
    except (SlackApiError, OSError):
        logger.warning("no permalink for poll %s's message", poll.id, exc_info=True)
        return None
    permalink = answer.get("permalink")
    return permalink if isinstance(permalink, str) else None


def snooze_for_week(runtime: Runtime, t: Translator, *, user_id: str) -> str:
    """The App Home's "Snooze reminders for a week": quiet through the seventh day."""
    last_day = runtime.now().date() + timedelta(days=SNOOZE_DAYS - 1)
    return snooze_command(runtime, t, user_id=user_id, words=["until", last_day.isoformat()])


def choose_own_language(runtime: Runtime, *, user_id: str, value: object) -> str | None:
    """The App Home's language menu: `value` (from the click, so untrusted) is one of the
    bot's languages, or the programme's (None is stored: follow the term). The choice is
    always the clicker's own. Anything else is refused and nothing is stored."""
    if value == CHOOSE_TERM_LANGUAGE:
        language = None
    elif isinstance(value, str) and value in LANGUAGES:
        language = value
    else:
        raise UserError(phrase("That is not a language I can offer; pick one from the menu."))
    choose_language(runtime, user_id, language)
    return language
