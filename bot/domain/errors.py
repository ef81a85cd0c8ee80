"""Exceptions whose message is meant for the person who asked.

A form's problems carry the block they belong to (`FieldError`), so the listener puts each
on its field without reading the wording; the same problems, raised from a typed command,
are one ephemeral message (`FormErrors.message`).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import Phrase, Translator, phrase


class UserError(Exception):
    """Something the user can fix; the message says what to do instead.

    Services raise it; the listeners turn it into an ephemeral reply in one place. The
    message is mrkdwn (what people typed is escaped into it): a `Phrase` where the reader's
    language is not known where the problem is found, said by the listener in theirs.
    """

    def __init__(self, message: str | Phrase) -> None:
        super().__init__(str(message))
        self.message = str(message)
        """In English: for the CLI, whose coordinator output stays English, and for logs."""
        self.phrase = message if isinstance(message, Phrase) else None

    def say(self, t: Translator) -> str:
        """The message in `t`'s language."""
        return self.phrase.say(t) if self.phrase is not None else self.message


class FieldError(UserError):
    """A problem with one field of a form: `block_id` names the input block it is shown on
    (the block ids are the shared constants in bot/blocks/ids.py)."""

    def __init__(self, block_id: str, message: str | Phrase) -> None:
        super().__init__(message)
        self.block_id = block_id


class FormErrors(UserError):
    """Several problems found in one go, each on its field. As one message (a typed
    command's reply) the problems are listed one per line, unless the raiser words the
    whole differently (`message`)."""

    def __init__(
        self, errors: Iterable[FieldError], *, message: str | Phrase | None = None
    ) -> None:
        self.errors = tuple(errors)
        self.whole = message
        super().__init__(message or "\n".join(error.message for error in self.errors))

    def say(self, t: Translator) -> str:
        if self.whole is not None:
            return UserError(self.whole).say(t)
        return "\n".join(error.say(t) for error in self.errors)


SORRY = phrase(
    "Sorry, something went wrong on our side and nothing was changed. "
    "Please try again in a minute; if it keeps happening, tell your coordinator."
)
"""What the person is told when a request failed for a reason that is not theirs to fix."""
