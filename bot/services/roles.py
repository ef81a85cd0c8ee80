"""Working out a user's roles from configuration and stored state."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.runtime import Runtime
from storage.db import read_session
from storage.people import is_certified, roles_in_current_term


def roles_of(runtime: Runtime, user_id: str) -> frozenset[Role]:
    roles = {Role.MEMBER}
    if user_id in runtime.settings.coordinators:
        roles.add(Role.COORDINATOR)
    with read_session(runtime.engine) as session:
        if is_certified(session, user_id):
            roles.add(Role.MENTOR)
        roles.update(Role(role) for role in roles_in_current_term(session, user_id))
    return frozenset(roles)
