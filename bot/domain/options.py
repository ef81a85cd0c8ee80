"""`key=value` options in command text, e.g. `min=3 tz=Europe/Copenhagen name="Blue group"`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import UserError
from bot.domain.text import shorten


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
            known = ", ".join(f"{name}=…" for name in sorted(allowed)) or "none"
            raise UserError(f"I don't know the option `{shorten(key)}=`. Options here: {known}.")
        if not value.strip():
            raise UserError(f"`{shorten(key)}=` needs a value after the equals sign.")
        named[key] = value.strip()
    return Options(positional=tuple(positional), named=named)
