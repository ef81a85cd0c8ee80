"""A proposal as the coordinator reviews it (issue 17): its groups in order, who is left out
and why, and the names to show. Built by bot/services/review.py, shown by
bot/blocks/review.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.matching import GroupReasons, GroupRules

MOVED_OUT = "moved out"
"""A left-out reason of the coordinator's own: someone they took out of the groups."""


@dataclass(frozen=True)
class ReviewGroup:
    position: int
    mentor: str
    mentees: tuple[str, ...]
    locked: bool
    reasons: GroupReasons | None
    """None when someone in it is no longer on the roster."""

    @property
    def number(self) -> int:
        """As the coordinator sees it: from 1."""
        return self.position + 1


@dataclass(frozen=True)
class Review:
    proposal_id: int
    draft: bool
    """Still open to changes (not approved, not replaced)."""
    groups: tuple[ReviewGroup, ...]
    left_out: tuple[tuple[str, str], ...]
    """(person, reason): a `LeftOutReason` value or `MOVED_OUT`."""
    names: Mapping[str, str]
    rules: GroupRules

    def name(self, person_id: str) -> str:
        return self.names.get(person_id, person_id)
