"""Exceptions whose message is meant for the person who asked."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; the message says what to do instead.

    Services raise it; the listeners turn it into an ephemeral reply in one place.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
