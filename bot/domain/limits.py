"""How much text people may give the bot: one place for every limit checked on entry.

Each stored limit is at most its column's `max_length` in storage/models.py (PostgreSQL
refuses longer values; SQLite would keep them and let them break messages later), and low
enough that an echo or a Block Kit section built from it stays inside Slack's limits. The
request-size limits make huge input cheap to refuse: it is counted, never split or parsed.
"""

from __future__ import annotations

MAX_COMMAND_TEXT = 4000
"""`/mentor` text longer than this is refused before it is split into words. Slack's own
message limit is 4,000 characters; no command needs more."""

MAX_THEME_NAME = 120
"""Theme.name (120)."""
MAX_THEME_PROMPT = 300
"""One conversation prompt: a question, not an essay."""
MAX_THEME_PROMPTS = 2000
"""Theme.prompts (2000): all of a theme's prompts, one per line."""

MAX_GROUP_NAME = 80
"""MentorGroup.name (80); the channel name is made from it and cut to Slack's 80."""
MAX_TERM_NAME = 80
"""Term.name (80)."""

MAX_POLL_OPTION = 100
"""One date as typed ("thu 16:00"); bot/domain/dates.py refuses longer text the same way."""
MAX_POLL_FORM_TEXT = 3000
"""The poll form's free-text field (one date per line): Slack's limit for a text input."""

MAX_MEETING_PLACE = 500
"""Poll.location and Meeting.location (500): a room or a video link."""

MAX_MEETING_NOTE = 3000
"""Meeting.mentor_note (3000), the log form's `max_length`."""

MAX_PERSON_NAME = 200
"""Person.name (200), from the roster file."""
MAX_EMAIL = 254
"""An email address (RFC 5321's path limit); Person.email holds 320."""
MAX_PROGRAMME = 200
"""Participant.programme (200)."""
MAX_YEAR = 32
"""Participant.year (32)."""
MAX_LANGUAGE = 8
"""Person.language (8): a language code such as `da` or `en`."""


def too_long(text: str, limit: int) -> bool:
    """True if `text` is over `limit` characters (cheap: no copying, no parsing)."""
    return len(text) > limit


# The sign-up form (issue 17): what a person brings to matching.
MAX_SIGNUP_NOTE = 1000
"""Participant.note (1000): a note to the coordinators."""
MAX_OTHER_LANGUAGES = 200
"""The sign-up form's "other languages" text; Participant.languages (200) holds them all."""
MAX_OTHER_LANGUAGE = 40
"""One language's name as typed ("Ukrainian")."""
MAX_MENTOR_CAPACITY = 3
"""Groups one mentor can lead in a term."""
