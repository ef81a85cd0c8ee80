"""What a person's App Home shows: for a coordinator the term at a glance with the groups
needing attention first; for each group someone is in, its next meeting with its place,
its open polls and the buttons of their role. A fixed number of queries however many
groups (the coordinator's figures are the digest's)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.views import View

from bot.blocks.home import HomeGroup, home_view
from bot.domain.commands import commands_for
from bot.domain.dates import describe_datetime
from bot.domain.roles import Role, role_label
from bot.runtime import Runtime
from bot.services.oversight import term_digest
from bot.services.roles import roles_of
from bot.services.snooze import snooze_command
from storage.db import read_session
from storage.groups import memberships_in_current_term
from storage.ids import stored_id
from storage.progress import home_figures
from storage.terms import current_term

SNOOZE_DAYS = 7


def home_for(runtime: Runtime, user_id: str, *, notice: str | None = None) -> View:
    roles = roles_of(runtime, user_id)
    now = runtime.now()
    with read_session(runtime.engine) as session:
        term = current_term(session)
        memberships = memberships_in_current_term(session, user_id) if term else []
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
        groups.append(
            HomeGroup(
                name=membership.group.name,
                role=membership.role,
                channel_id=membership.group.channel_id,
                min_meetings=term.min_meetings,
                term_name=term.name,
                meetings_held=row.held,
                next_meeting=describe_datetime(
                    row.next_at.astimezone(ZoneInfo(term.timezone)), term.language
                )
                if row.next_at
                else None,
                group_id=group_id,
                next_place=row.next_place,
                open_polls=row.open_polls,
                polls_waiting=row.polls_waiting,
            )
        )
    return home_view(
        groups=groups,
        commands=commands_for(roles),
        role=role_label(roles),
        notice=notice,
        glance=glance,
        coordinator=coordinator,
    )


def snooze_for_week(runtime: Runtime, *, user_id: str) -> str:
    """The App Home's "Snooze reminders for a week": quiet through the seventh day."""
    last_day = runtime.now().date() + timedelta(days=SNOOZE_DAYS - 1)
    return snooze_command(runtime, user_id=user_id, words=["until", last_day.isoformat()])
