"""Working out a user's roles from configuration and stored state."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.runtime import Runtime


def roles_of(runtime: Runtime, user_id: str) -> frozenset[Role]:
    roles = {Role.MEMBER}
    if user_id in runtime.settings.coordinators:
        roles.add(Role.COORDINATOR)
    return frozenset(roles)
