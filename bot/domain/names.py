"""Readable, valid Slack channel names for group channels.

Slack's rules (conversations.create): lowercase letters, digits, hyphens and underscores,
at most 80 characters, not only punctuation.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHANNEL_NAME = 80
# Letters NFKD does not decompose; the Danish ones spelled the way Danes do without them.
_SPELLED_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "œ": "oe", "ł": "l", "đ": "d"}
)


def slugify(text: str) -> str:
    """ "Spring 2027" → "spring-2027"; "Søren's group" → "soerens-group"."""
    lowered = text.lower().translate(_SPELLED_OUT)
    ascii_only = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    ascii_only = re.sub(r"['’`]", "", ascii_only)
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def group_channel_name(term_name: str, group_name: str, *, attempt: int = 1) -> str:
    """The channel name for a group; `attempt` > 1 adds a suffix after a name was taken."""
    suffix = f"-{attempt}" if attempt > 1 else ""
    term_part = slugify(term_name) or "term"
    group_part = slugify(group_name) or "group"
    base = f"mentor-{term_part}-{group_part}"
    return base[: MAX_CHANNEL_NAME - len(suffix)].rstrip("-") + suffix


def is_valid_channel_name(name: str) -> bool:
    return (
        0 < len(name) <= MAX_CHANNEL_NAME
        and re.fullmatch(r"[a-z0-9_-]+", name) is not None
        and re.search(r"[a-z0-9]", name) is not None
    )
