"""Who may do what. Roles are cumulative: a coordinator may also mentor a group."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    """Anyone in the workspace."""
    MENTEE = "mentee"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"


def role_label(roles: frozenset[Role]) -> str:
    """The single word that best describes someone, for messages like "as a mentor"."""
    for role in (Role.COORDINATOR, Role.MENTOR, Role.MENTEE):
        if role in roles:
            return role.value
    return Role.MEMBER.value
