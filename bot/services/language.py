"""Which language each reader gets: their own choice for what only they see, else the term's.

Looked up for nearly every answer the bot gives, so the choice is remembered in the process
for a short while; a choice made here takes effect at once, one made through another process
within `REMEMBERED`.
"""

from __future__ import annotations

import time
import weakref
from threading import Lock

from bot.i18n import ENGLISH, LANGUAGES, Translator, language_or_default, translator
from bot.runtime import Runtime
from storage.db import Engine, read_session, write_session
from storage.people import language_choices, set_language

REMEMBERED = 30.0
"""Seconds a reader's language is reused without asking the database again."""

_remembered: weakref.WeakKeyDictionary[Engine, dict[str, tuple[float, str]]] = (
    weakref.WeakKeyDictionary()
)
"""Per database (tests run many side by side): user ID → (when looked up, language)."""
_lock = Lock()


def reader(runtime: Runtime, user_id: str) -> Translator:
    """The translator for what `user_id` alone will read (ephemerals, DMs, modals, App Home)."""
    return translator(reader_language(runtime, user_id))


def reader_language(runtime: Runtime, user_id: str) -> str:
    now = time.monotonic()
    with _lock:
        found = _remembered.get(runtime.engine, {}).get(user_id)
    if found is not None and now - found[0] < REMEMBERED:
        return found[1]
    with read_session(runtime.engine) as session:
        own, term = language_choices(session, user_id)
    language = language_or_default(own, language_or_default(term, ENGLISH))
    with _lock:
        _remembered.setdefault(runtime.engine, {})[user_id] = (now, language)
    return language


def choose_language(runtime: Runtime, user_id: str, language: str | None) -> None:
    """Record `user_id`'s choice (None: the term's language) and use it from now on."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    with write_session(runtime.engine) as session:
        set_language(session, user_id, language)
    with _lock:
        _remembered.get(runtime.engine, {}).pop(user_id, None)
