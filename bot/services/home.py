"""What a person's App Home shows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.views import View

from bot.blocks.home import HomeGroup, home_view
from bot.domain.commands import commands_for
from bot.domain.dates import describe_datetime
from bot.domain.roles import role_label
from bot.runtime import Runtime
from bot.services.roles import roles_of
from storage.db import read_session
from storage.groups import memberships_in_current_term
from storage.ids import stored_id
from storage.polls import meeting_progress
from storage.terms import current_term


def home_for(runtime: Runtime, user_id: str, *, notice: str | None = None) -> View:
    roles = roles_of(runtime, user_id)
    now = runtime.now()
    with read_session(runtime.engine) as session:
        term = current_term(session)
        memberships = memberships_in_current_term(session, user_id) if term else []
        progress = meeting_progress(
            session, group_ids=[m.group.id for m in memberships if m.group.id], now=now
        )
    groups = []
    for membership in memberships:
        assert term is not None
        held, upcoming = progress.get(stored_id(membership.group), (0, None))
        groups.append(
            HomeGroup(
                name=membership.group.name,
                role=membership.role,
                channel_id=membership.group.channel_id,
                min_meetings=term.min_meetings,
                term_name=term.name,
                meetings_held=held,
                next_meeting=describe_datetime(
                    upcoming.astimezone(ZoneInfo(term.timezone)), term.language
                )
                if upcoming
                else None,
            )
        )
    return home_view(
        groups=groups, commands=commands_for(roles), role=role_label(roles), notice=notice
    )
