"""Reading people out of slash-command text.

With escaping on (manifest: should_escape), Slack turns a picked @-mention into `<@U123|name>`.
Plain text like "@bob" means the person was typed, not picked, and cannot be trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class Mentions:
    user_ids: tuple[str, ...]
    other_words: tuple[str, ...]


def user_id_from_mention(word: str) -> str | None:
    match = _MENTION.match(word.strip())
    return match.group(1) if match else None


def split_mentions(words: tuple[str, ...] | list[str]) -> Mentions:
    """Mentions in order (each once), and the words that are not mentions."""
    user_ids: list[str] = []
    others: list[str] = []
    for word in words:
        user_id = user_id_from_mention(word)
        if user_id is None:
            others.append(word)
        elif user_id not in user_ids:
            user_ids.append(user_id)
    return Mentions(user_ids=tuple(user_ids), other_words=tuple(others))


def unpicked_mentions(words: tuple[str, ...] | list[str]) -> list[str]:
    """Words like "@bob" that look like a person but were typed rather than picked."""
    return [word for word in words if word.startswith("@") and len(word) > 1]
