"""A form's problems as Slack shows them: each under the input block it belongs to.

Slack shows a view's `errors` as plain text, while a UserError's message is mrkdwn (what people
typed is escaped into it, `&` as `&amp;`). Every form listener answers a refused submission
with `ack(response_action="errors", errors=field_errors(error, default_block=…, t=…))`, so the
escapes are turned back into the characters people typed here, in one place.
"""

from __future__ import annotations

from bot.blocks.text import shortened
from bot.domain.errors import FieldError, FormErrors, UserError
from bot.i18n import Translator

FIELD_ERROR_TEXT = 1900
"""An error shown under a field is cut to this many characters (Slack refuses long ones)."""


def plain_text(message: str) -> str:
    """A mrkdwn message as plain text: Slack's three escapes back into `<`, `>` and `&`
    (`&amp;` last, so a typed `&lt;` stays `&lt;`)."""
    return message.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def field_errors(error: UserError, *, default_block: str, t: Translator) -> dict[str, str]:
    """Block id → the plain text shown under that input, in `t`'s language (the person
    filling in the form: `reader(runtime, user_id)`). Problems of one field are listed one
    per line; an error that names no field is shown on `default_block`."""
    problems = error.errors if isinstance(error, FormErrors) else (error,)
    shown: dict[str, list[str]] = {}
    for problem in problems:
        block_id = problem.block_id if isinstance(problem, FieldError) else default_block
        shown.setdefault(block_id, []).append(plain_text(problem.say(t)))
    return {
        block_id: shortened("\n".join(lines), FIELD_ERROR_TEXT) for block_id, lines in shown.items()
    }
