"""Echoing what people typed back to them, safely."""

from __future__ import annotations

from bot.blocks.text import Mrkdwn, escape, shortened


def shorten(text: str, limit: int = 60) -> Mrkdwn:
    """What someone typed, for an echo in a message (mrkdwn, as UserError messages are):
    on one line, at most `limit` characters so it never breaks a message's size limits,
    backticks dropped so it cannot break out of inline code, and escaped after shortening so
    `<!channel>` is shown as typed and the cut never splits an escape."""
    flat = " ".join(text.replace("`", "'").split())
    return Mrkdwn(escape(shortened(flat, limit)))


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n")
_CONTROL[0x7F] = None


def clean(text: str) -> str:
    """Text as people can have meant it: control characters (NUL above all, which
    PostgreSQL refuses to store) removed."""
    return text.translate(_CONTROL)
