"""Text in Slack messages: what people typed is shown as text, and every text fits.

Slack parses mrkdwn text objects and a message's top-level `text`: there `<…>` becomes a
mention, a broadcast (`<!channel>`), a link or a date. Escaping `&`, `<` and `>` is all Slack
asks for (https://api.slack.com/reference/surfaces/formatting#escaping). Plain-text objects
(headers, buttons, options, modal titles, labels) are never parsed, so they are never escaped:
"A & B" reads "A & B" in both.

The mechanism, used by every builder in bot/blocks and every service that composes a message:

* `Mrkdwn` marks text that is already safe mrkdwn. Anything else is escaped when it becomes
  mrkdwn: `md("*{name}* met", name=group.name)` escapes `name`; bot-made markup goes in as
  `Mrkdwn` on purpose (`mention(user_id)`, `channel(channel_id)`, `bold(text)`, `code(text)`).
* The block constructors here (`section`, `fields`, `context`, `header`, `button_text`,
  `option_text`, `modal_text`) and `message_text` escape plain `str` by default and fit the
  result into Slack's limit, so a forgotten template shows escaped markup rather than posting
  a broadcast, and stored text of any length shortens instead of failing validation.
* Shortening never cuts an escape (`&amp;`) or a bot-made `<@U…>` in half: `fit` backs off to
  the start of one it would cut.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.blocks.block_elements import BlockElement

# Rules need these three too, so they live in bot/domain/text.py (no Slack library there);
# imported here, every builder and service still finds the whole mechanism in this module.
from bot.domain.text import ELLIPSIS as ELLIPSIS
from bot.domain.text import Mrkdwn as Mrkdwn
from bot.domain.text import escape as escape
from bot.domain.text import shortened as shortened
from bot.i18n import ENGLISH, Translator

# -- Slack's limits (Block Kit reference; slack_sdk validates most of them in to_dict()) ----

MESSAGE_TEXT = 3000
"""A message's top-level `text`: Slack cuts at 40,000; ours stay far below."""
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
"""Blocks in a modal or the App Home tab."""
SECTION_TEXT = 3000
SECTION_FIELD = 2000
SECTION_FIELDS = 10
CONTEXT_TEXT = 2000
CONTEXT_ELEMENTS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
OPTION_TEXT = 75
SELECT_OPTIONS = 100
CHECKBOX_OPTIONS = 10
MODAL_TEXT = 24
"""A modal's title, submit and close texts."""


def safe(text: str) -> Mrkdwn:
    """`text` as mrkdwn: kept if it already is, escaped otherwise."""
    return text if isinstance(text, Mrkdwn) else Mrkdwn(escape(text))


class _Template(string.Formatter):
    """str.format whose fields are escaped unless they are Mrkdwn; format specs still work
    on the value itself (`{day:%-d %B}`, `{count:,}`)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        formatted = format(value, format_spec)
        return formatted if isinstance(value, Mrkdwn) else escape(formatted)


_TEMPLATE = _Template()


def md(template: str, /, **values: Any) -> Mrkdwn:
    """Mrkdwn from a bot-written `template` (trusted: it may hold `*bold*`, backticks…)
    with each `{name}` filled by its value escaped, unless the value is Mrkdwn."""
    return Mrkdwn(_TEMPLATE.vformat(template, (), values))


def join(parts: Iterable[str], separator: str = ", ") -> Mrkdwn:
    """Parts joined as mrkdwn, each escaped unless it is Mrkdwn; the separator is trusted."""
    return Mrkdwn(separator.join(safe(part) for part in parts))


_USER_ID = re.compile(r"[UW][A-Z0-9]{1,30}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{1,30}")


def mention(user_id: str) -> Mrkdwn:
    """`<@U…>` for a user ID the bot got from Slack (anything else is shown as text)."""
    if _USER_ID.fullmatch(user_id):
        return Mrkdwn(f"<@{user_id}>")
    return safe(user_id)


def mentions(user_ids: Iterable[str], separator: str = " ") -> Mrkdwn:
    return Mrkdwn(separator.join(mention(user_id) for user_id in user_ids))


def channel(channel_id: str) -> Mrkdwn:
    """`<#C…>` for a channel ID the bot got from Slack (anything else is shown as text)."""
    if _CHANNEL_ID.fullmatch(channel_id):
        return Mrkdwn(f"<#{channel_id}>")
    return safe(channel_id)


_LINKABLE = re.compile(r"https?://[^\s<>|]+")


def link(url: str, label: str) -> Mrkdwn:
    """`<url|label>` for a URL the bot got or made (anything but a plain http(s) URL is
    left out, showing the label alone); the label is escaped unless it is Mrkdwn."""
    shown = label if isinstance(label, Mrkdwn) else escape(_inline(label))
    if not _LINKABLE.fullmatch(url):
        return Mrkdwn(shown)
    return Mrkdwn(f"<{url}|{shown}>")


def _inline(text: str) -> str:
    """One line, no backticks: a name inside `*…*`, `_…_` or a code span stays inside it
    (a line break ends the emphasis; a backtick would close the code span)."""
    return " ".join(text.replace("`", "'").split())


def bold(text: str) -> Mrkdwn:
    """`*text*`, escaped unless it is Mrkdwn already."""
    inner = text if isinstance(text, Mrkdwn) else escape(_inline(text))
    return Mrkdwn(f"*{inner}*")


def italic(text: str) -> Mrkdwn:
    inner = text if isinstance(text, Mrkdwn) else escape(_inline(text))
    return Mrkdwn(f"_{inner}_")


def code(text: str) -> Mrkdwn:
    """An inline code span that the text cannot close."""
    return Mrkdwn(f"`{escape(_inline(text))}`")


# -- Times in each reader's zone -------------------------------------------------------

LOCAL_DAY_AND_TIME = "{date_short_pretty} {time}"
"""Slack's tokens for "today 16:00", "tomorrow 16:00" or "Nov 26, 2026 16:00", in the
reader's own zone, language and 12/24-hour preference."""
LOCAL_DAY = "{date_short_pretty}"
LOCAL_TIME_OF_DAY = "{time}"


def local_time(moment: datetime, fallback: str, tokens: str = LOCAL_DAY_AND_TIME) -> Mrkdwn:
    """`moment` as Slack's date token (`<!date^UNIX^TOKENS|FALLBACK>`): every reader's
    client shows it in their own zone, with "today"/"tomorrow" where it applies.

    Only mrkdwn is parsed for it: plain-text objects (buttons, options, headers) would show
    the raw token, so they take `fallback` text directly. Where Slack cannot format the
    date (push and desktop notifications built from a message's `text`, older clients,
    e-mail) it shows `fallback`, so the fallback should name the zone it is written in:
    "Thu 26 Nov, 16:00 (Europe/Copenhagen)". The fallback is escaped unless it is Mrkdwn.
    (https://api.slack.com/reference/surfaces/formatting#date-formatting)
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a date token needs a time-zone-aware moment")
    # The fallback ends at the token's closing `>`; escaping keeps a `>` in it from ending
    # the token early, and one line keeps notifications tidy.
    shown = fallback if isinstance(fallback, Mrkdwn) else escape(_inline(fallback))
    return Mrkdwn(f"<!date^{int(moment.timestamp())}^{tokens}|{shown}>")


def zoned_fallback(moment: datetime, zone: ZoneInfo, t: Translator) -> str:
    """The bot's own wording of `moment` in the term's zone, naming the zone:
    "Thu 26 Nov, 16:00 (Europe/Copenhagen)", "tors. 26. nov. kl. 16.00 (Europe/Copenhagen)"
    (plain text, for buttons and fallbacks), in `t`'s language."""
    return f"{t.moment(moment.astimezone(zone))} ({zone.key})"


def zoned_time(moment: datetime, zone: ZoneInfo, t: Translator) -> Mrkdwn:
    """`moment` in each reader's zone, falling back to the term's wording and zone.

    Only in English: Slack's client writes a date token in its own display language, and
    Slack has no Danish or Polish, so a token would put "Tomorrow" into a Danish sentence.
    In the other languages the moment is the bot's own wording in the term's zone, where
    the schemes' members live ("tors. 26. nov. kl. 16.00")."""
    if t.language != ENGLISH:
        return Mrkdwn(escape(t.moment(moment.astimezone(zone))))
    return local_time(moment, zoned_fallback(moment, zone, t))


# -- Fitting into limits -----------------------------------------------------------------


_OPENERS = {"&": ";", "<": ">"}


def fit(text: str, limit: int) -> Mrkdwn:
    """Mrkdwn (escaped unless it is Mrkdwn) cut to `limit` characters. A cut that would
    split an escape (`&amp;`) or a bot-made `<@U…>` backs off to its start."""
    safe_text = safe(text)
    if len(safe_text) <= limit:
        return safe_text
    cut = max(limit - 1, 0)
    # Back off while the kept part ends inside an unfinished escape or markup; backing off
    # from one can expose another unfinished one before it, hence the loop.
    backed_off = True
    while backed_off:
        backed_off = False
        for opener, closer in _OPENERS.items():
            start = safe_text.rfind(opener, 0, cut)
            if start != -1 and safe_text.find(closer, start, cut) == -1:
                cut, backed_off = start, True
    return Mrkdwn(safe_text[:cut] + ELLIPSIS)


def message_text(text: str) -> Mrkdwn:
    """A message's top-level `text` (notification and fallback; Slack parses it as mrkdwn)."""
    return fit(text, MESSAGE_TEXT)


# -- Block constructors: escaped by default, always inside the limits --------------------


def mrkdwn_object(text: str, limit: int = SECTION_TEXT) -> MarkdownTextObject:
    return MarkdownTextObject(text=fit(text, limit) or ELLIPSIS)


def section(
    text: str, *, block_id: str | None = None, accessory: BlockElement | None = None
) -> SectionBlock:
    """A section with mrkdwn `text` (escaped unless Mrkdwn), fitted to 3,000 characters."""
    return SectionBlock(text=mrkdwn_object(text), block_id=block_id, accessory=accessory)


def fields(texts: Iterable[str]) -> SectionBlock:
    """A section of up to 10 mrkdwn fields of up to 2,000 characters each."""
    return SectionBlock(
        fields=[mrkdwn_object(text, SECTION_FIELD) for text in list(texts)[:SECTION_FIELDS]]
    )


def context(*texts: str) -> ContextBlock:
    """A context block of mrkdwn elements, each fitted to 2,000 characters."""
    return ContextBlock(
        elements=[mrkdwn_object(text, CONTEXT_TEXT) for text in texts[:CONTEXT_ELEMENTS]]
    )


def plain(text: str, limit: int) -> str:
    """Text for a plain-text object (never parsed by Slack, so never escaped), on one line
    and cut to `limit` characters; never empty, which Slack refuses."""
    return shortened(" ".join(text.split()), limit) or ELLIPSIS


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=plain(text, HEADER_TEXT))


def button_text(text: str) -> str:
    return plain(text, BUTTON_TEXT)


def option_text(text: str) -> str:
    return plain(text, OPTION_TEXT)


def modal_text(text: str) -> str:
    """A modal's title, submit or close text."""
    return plain(text, MODAL_TEXT)


def at_most(blocks: list[Block], limit: int = MESSAGE_BLOCKS) -> list[Block]:
    """Blocks cut to Slack's count (the builders cap their lists below it; this is the
    last guard)."""
    return blocks[:limit]
