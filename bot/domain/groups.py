"""What makes a mentor group: composition rules and its identity."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from bot.i18n import Phrase, nphrase

IDEAL_MENTEES = range(3, 5)
"""One mentor and 3–4 mentees, as the schemes we serve run them."""

MAX_MENTEES = IDEAL_MENTEES[-1]
"""The most mentees a mentor can let join from the channel; a coordinator forming or
changing a group on purpose may go beyond it (with a heads-up)."""


def composition_warning(mentee_count: int) -> Phrase | None:
    """A heads-up for a group of an unusual size, said later in the reader's language."""
    if mentee_count in IDEAL_MENTEES:
        return None
    return nphrase(
        "Heads-up: this group has {count} mentee; groups usually have one mentor and 3–4 mentees.",
        "Heads-up: this group has {count} mentees; groups usually have one mentor and 3–4 mentees.",
        mentee_count,
    )


def member_key(mentor_id: str, mentee_ids: Iterable[str]) -> str:
    """Identifies a group by who was in it at creation, so creating it again finds it."""
    people = mentor_id + ":" + ",".join(sorted(set(mentee_ids)))
    return hashlib.sha256(people.encode()).hexdigest()[:32]
