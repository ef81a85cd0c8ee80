"""Echoing what people typed back to them, safely."""

from __future__ import annotations


def shorten(text: str, limit: int = 60) -> str:
    """At most `limit` characters, so an echo of user input never breaks a message's size
    limits; backticks are dropped so the echo cannot break out of inline code."""
    flat = " ".join(text.replace("`", "'").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n")
_CONTROL[0x7F] = None


def clean(text: str) -> str:
    """Text as people can have meant it: control characters (NUL above all, which
    PostgreSQL refuses to store) removed."""
    return text.translate(_CONTROL)
