"""What a person's App Home shows."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.blocks.home import HomeGroup, home_view
from bot.domain.commands import commands_for
from bot.domain.roles import role_label
from bot.runtime import Runtime
from bot.services.roles import roles_of
from storage.db import read_session
from storage.groups import memberships_in_current_term
from storage.terms import current_term


def home_for(runtime: Runtime, user_id: str) -> View:
    roles = roles_of(runtime, user_id)
    with read_session(runtime.engine) as session:
        term = current_term(session)
        memberships = memberships_in_current_term(session, user_id) if term else []
    groups = [
        HomeGroup(
            name=m.group.name,
            role=m.role,
            channel_id=m.group.channel_id,
            min_meetings=term.min_meetings if term else 0,
            term_name=term.name if term else "",
        )
        for m in memberships
    ]
    return home_view(groups=groups, commands=commands_for(roles), role=role_label(roles))
