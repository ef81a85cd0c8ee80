"""Signing up for a term (issue 17): what a mentor or mentee brings to matching, the rules
a sign-up is held to, and how it is written into the roster's columns.

Everything here is read from a form or a roster file, i.e. typed or forged by someone: each
field is checked on its own and its problem is a FieldError on the block it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale

from bot.blocks.ids import (
    SIGNUP_CAPACITY,
    SIGNUP_LANGUAGES,
    SIGNUP_NOTE,
    SIGNUP_OTHER_LANGUAGES,
    SIGNUP_PROGRAMME,
    SIGNUP_THEMES,
    SIGNUP_YEAR,
    signup_times_block,
)
from bot.domain.errors import FieldError, FormErrors
from bot.domain.limits import (
    MAX_MENTOR_CAPACITY,
    MAX_OTHER_LANGUAGE,
    MAX_OTHER_LANGUAGES,
    MAX_PROGRAMME,
    MAX_SIGNUP_NOTE,
    MAX_YEAR,
)
from bot.domain.text import clean
from bot.i18n import LANGUAGES, Phrase, nphrase, phrase

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS_OF_DAY: tuple[str, ...] = ("morning", "afternoon", "evening")
SLOTS: tuple[str, ...] = tuple(f"{day}-{part}" for part in PARTS_OF_DAY for day in WEEKDAYS)
"""When someone can usually meet: "mon-morning" … "sun-evening" (the stored form)."""

SIGNUP_LANGUAGE_CODES: tuple[str, ...] = ("da", "en", "de", "pt", "pl")
"""The languages ticked on the form; others are typed by name."""

MAX_LANGUAGES_TEXT = 200
"""Participant.languages (200): every code, comma-separated."""
MAX_THEMES_TEXT = 2000
"""Participant.themes (2000): theme names, one per line."""

MENTOR = "mentor"
MENTEE = "mentee"
ROLES = (MENTOR, MENTEE)


@dataclass(frozen=True)
class SignupAnswers:
    """The form as sent: every value is client data until `check_answers` has read it."""

    programme: str = ""
    year: str = ""
    languages: Sequence[str] = ()
    other_languages: str = ""
    theme_ids: Sequence[str] = ()
    slots: Sequence[str] = ()
    preferred_mentor: str | None = None
    friend: str | None = None
    note: str = ""
    capacity: str = ""


@dataclass(frozen=True)
class Signup:
    """A checked sign-up, as it is stored on the roster row."""

    programme: str
    year: str
    languages: tuple[str, ...]
    themes: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()
    preferred_mentor: str | None = None
    friend: str | None = None
    note: str | None = None
    capacity: int = 1


_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{1,31}\Z")


def is_slack_user_id(text: str) -> bool:
    return bool(_SLACK_USER.match(text))


def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def check_answers(
    answers: SignupAnswers,
    *,
    role: str,
    user_id: str,
    themes_by_id: dict[str, str],
) -> Signup:
    """The sign-up in `answers`, or FormErrors with a problem per field. `themes_by_id` are
    the themes offered (value → name): any other value was not on the form. Only a mentor's
    form has a capacity and only a mentee's a preferred mentor: for the other role those
    values are not read at all, whatever was sent."""
    problems: list[FieldError] = []
    programme = one_line(answers.programme)
    year = one_line(answers.year)
    if not programme:
        problems.append(FieldError(SIGNUP_PROGRAMME, phrase("Say what you study.")))
    elif len(programme) > MAX_PROGRAMME:
        problems.append(FieldError(SIGNUP_PROGRAMME, _too_long(programme, MAX_PROGRAMME)))
    if not year:
        problems.append(FieldError(SIGNUP_YEAR, phrase("Say which year you are in.")))
    elif len(year) > MAX_YEAR:
        problems.append(FieldError(SIGNUP_YEAR, _too_long(year, MAX_YEAR)))
    languages = _languages(answers, problems)
    themes = _themes(answers.theme_ids, themes_by_id, problems)
    slots = _slots(answers.slots, problems)
    note = clean(answers.note).strip()
    if len(note) > MAX_SIGNUP_NOTE:
        problems.append(FieldError(SIGNUP_NOTE, _too_long(note, MAX_SIGNUP_NOTE)))
    capacity = _capacity(answers.capacity, problems) if role == MENTOR else 1
    preferred = answers.preferred_mentor if role == MENTEE else None
    friend = answers.friend or None
    if problems:
        raise FormErrors(problems)
    return Signup(
        programme=programme,
        year=year,
        languages=languages,
        themes=themes,
        slots=slots,
        preferred_mentor=preferred or None,
        friend=None if friend == user_id else friend,
        note=note or None,
        capacity=capacity,
    )


def _too_long(text: str, limit: int) -> Phrase:
    return nphrase(
        "At most {count} character, please (this has {length}).",
        "At most {count} characters, please (this has {length}).",
        limit,
        length=len(text),
    )


def _languages(answers: SignupAnswers, problems: list[FieldError]) -> tuple[str, ...]:
    ticked = [code for code in answers.languages if code in SIGNUP_LANGUAGE_CODES]
    if len(ticked) != len(answers.languages):
        problems.append(
            FieldError(SIGNUP_LANGUAGES, phrase("Tick only the languages the form offers."))
        )
    other_text = clean(answers.other_languages)
    if len(other_text) > MAX_OTHER_LANGUAGES:
        problems.append(
            FieldError(SIGNUP_OTHER_LANGUAGES, _too_long(other_text, MAX_OTHER_LANGUAGES))
        )
        return ()
    others: list[str] = []
    for name in re.split(r"[,;/\n]+| and | og | und | e | i ", other_text):
        word = one_line(name)
        if not word:
            continue
        if len(word) > MAX_OTHER_LANGUAGE or not all(c.isalpha() or c in " -'" for c in word):
            problems.append(
                FieldError(
                    SIGNUP_OTHER_LANGUAGES,
                    phrase(
                        "Write other languages by name, separated by commas "
                        "(e.g. Ukrainian, Arabic)."
                    ),
                )
            )
            break
        others.append(language_code(word))
    languages = tuple(dict.fromkeys([*ticked, *others]))
    if not languages:
        problems.append(
            FieldError(SIGNUP_LANGUAGES, phrase("Tick at least one language you speak."))
        )
    elif len(",".join(languages)) > MAX_LANGUAGES_TEXT:
        problems.append(
            FieldError(SIGNUP_OTHER_LANGUAGES, phrase("That is too many languages to store."))
        )
    return languages


@cache
def _language_names() -> dict[str, str]:
    """Lower-cased language names in every language the bot speaks → language code, so
    "Ukrainian", "ukrainsk" and "Ukrainisch" are one language to matching."""
    names: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).languages.items():
            if "_" not in code:
                names.setdefault(name.lower(), code)
    for code in SIGNUP_LANGUAGE_CODES:
        names.setdefault(code, code)
    return names


def language_code(name: str) -> str:
    """A typed language name as its code ("Ukrainian" → "uk"); a name no language knows is
    kept, lower-cased, so that two people who typed it alike still share it."""
    lowered = one_line(name).lower()
    return _language_names().get(lowered, lowered)


def _themes(
    ids: Sequence[str], themes_by_id: dict[str, str], problems: list[FieldError]
) -> tuple[str, ...]:
    if any(value not in themes_by_id for value in ids):
        problems.append(
            FieldError(
                SIGNUP_THEMES,
                phrase("Pick themes from the list (one of them is no longer offered)."),
            )
        )
        return ()
    names = tuple(dict.fromkeys(themes_by_id[value] for value in ids))
    if len("\n".join(names)) > MAX_THEMES_TEXT:
        problems.append(FieldError(SIGNUP_THEMES, phrase("Pick fewer themes, please.")))
    return names


def _slots(values: Sequence[str], problems: list[FieldError]) -> tuple[str, ...]:
    first_block = signup_times_block(PARTS_OF_DAY[0])
    if any(value not in SLOTS for value in values):
        problems.append(FieldError(first_block, phrase("Tick times from the form only.")))
        return ()
    if not values:
        problems.append(
            FieldError(first_block, phrase("Tick at least one time when you can usually meet."))
        )
    return tuple(slot for slot in SLOTS if slot in values)


def _capacity(text: str, problems: list[FieldError]) -> int:
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_MENTOR_CAPACITY:
        return int(text)
    problems.append(
        FieldError(
            SIGNUP_CAPACITY,
            phrase("Choose how many groups you can lead: 1 to {most}.", most=MAX_MENTOR_CAPACITY),
        )
    )
    return 1


# -- The stored form of each field, shared by the form, the roster file and matching ----


def languages_text(codes: Iterable[str]) -> str | None:
    return ",".join(codes) or None


def split_languages(text: str | None) -> tuple[str, ...]:
    return tuple(code for code in (text or "").split(",") if code)


def themes_text(names: Iterable[str]) -> str | None:
    return "\n".join(names) or None


def split_themes(text: str | None) -> tuple[str, ...]:
    return tuple(name for name in (text or "").splitlines() if name)


def slots_text(slots: Iterable[str]) -> str | None:
    return ",".join(slots) or None


def split_slots(text: str | None) -> tuple[str, ...]:
    return tuple(slot for slot in (text or "").split(",") if slot in SLOTS)


def slots_by_part(slots: Iterable[str]) -> dict[str, list[int]]:
    """Part of day → the weekdays (0 = Monday) ticked for it, for showing a sign-up."""
    ticked = set(slots)
    return {
        part: [number for number, day in enumerate(WEEKDAYS) if f"{day}-{part}" in ticked]
        for part in PARTS_OF_DAY
    }
