"""Echoing what people typed back to them, safely: the escaping and shortening that rules'
messages need, without Slack's library (bot/blocks/text.py builds the rest on these)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

ELLIPSIS = "…"


class Mrkdwn(str):
    """Text that is safe to show as mrkdwn as it is: written by the bot, or escaped."""

    __slots__ = ()


def escape(text: str) -> str:
    """`text` shown as typed in mrkdwn: `&`, `<` and `>` as Slack's three escapes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shortened(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis: for plain-text objects, and for
    typed text before it is escaped (escaping after cutting can never split an escape)."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


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


class _Template(string.Formatter):
    """str.format whose fields are escaped unless they are Mrkdwn; format specs still work
    on the value itself (`{day:%-d %B}`, `{count:,}`)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        formatted = format(value, format_spec)
        return formatted if isinstance(value, Mrkdwn) else escape(formatted)


_TEMPLATE = _Template()


def fill(template: str, values: Mapping[str, Any]) -> Mrkdwn:
    """Mrkdwn from a bot-written `template` (trusted: it may hold `*bold*`, backticks…)
    with each `{name}` filled by its value escaped, unless the value is Mrkdwn."""
    return Mrkdwn(_TEMPLATE.vformat(template, (), values))
