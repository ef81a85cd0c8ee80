"""`key=value` options in command text, e.g. `min=3 tz=Europe/Copenhagen name="Blue group"`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import UserError
from bot.domain.text import shorten
from bot.i18n import Phrase, phrase


@dataclass(frozen=True)
class Options:
    positional: tuple[str, ...]
    named: dict[str, str]


def split_options(words: tuple[str, ...] | list[str], *, allowed: set[str]) -> Options:
    positional: list[str] = []
    named: dict[str, str] = {}
    for word in words:
        key, equals, value = word.partition("=")
        if not equals:
            positional.append(word)
            continue
        key = key.strip().lower()
        if key not in allowed:
            raise UserError(_unknown_option(key, allowed))
        if not value.strip():
            raise UserError(
                phrase("`{key}=` needs a value after the equals sign.", key=shorten(key))
            )
        named[key] = value.strip()
    return Options(positional=tuple(positional), named=named)


def _unknown_option(key: str, allowed: set[str]) -> Phrase:
    """The refusal of an option the command does not take, naming those it does (they are
    the command's own words, the same in every language)."""
    if not allowed:
        return phrase(
            "I don't know the option `{key}=`; this command takes no options.", key=shorten(key)
        )
    return phrase(
        "I don't know the option `{key}=`. Options here: {known}.",
        key=shorten(key),
        known=", ".join(f"{name}=…" for name in sorted(allowed)),
    )
