"""Echoing what people typed back to them, safely."""

from __future__ import annotations


def shorten(text: str, limit: int = 60) -> str:
    """At most `limit` characters, so an echo of user input never breaks a message's size
    limits; backticks are dropped so the echo cannot break out of inline code."""
    flat = " ".join(text.replace("`", "'").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
