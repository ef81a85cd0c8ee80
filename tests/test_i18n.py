"""The message catalogues: complete, in step with the code, and safe to fill.

Each test here fails on a mistake a translator or a developer can make without noticing in
English: a message added to the code but not to the catalogues, a translation missing or
left in English, a `{placeholder}` renamed or dropped in one language, a stale .mo.
"""

from __future__ import annotations

import io
import string
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, nphrase, phrase, translator

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [language for language in LANGUAGES if language != "en"]
KEYWORDS = {
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "phrase": None,
    "nphrase": (1, 2),
}
"""The calls `pybabel extract` reads, as README "Languages" runs it (-k phrase -k
nphrase:1,2 on top of Babel's defaults, which hold the gettext family)."""
SAME_MARK = "same:"
"""A translator comment that says why a translation is the English text on purpose
("# same: Motivation is Danish too"); any other untranslated-looking message fails."""


def _po(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return read_po(po, locale=language)


def _pot() -> Catalog:
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as pot:
        return read_po(pot)


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def test_the_template_holds_every_message_in_the_code() -> None:
    """A message written in the code but not extracted would be English in every language."""
    in_code: set[tuple[str, str | None]] = set()
    for folder in ("bot", "handlers"):
        for _, _, message, _, context in extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
        ):
            msgid = message if isinstance(message, str) else message[0]
            in_code.add((msgid, context))
    in_template = {_key(message) for message in _entries(_pot())}
    missing = sorted(in_code - in_template, key=str)
    stale = sorted(in_template - in_code, key=str)
    assert not missing, f"run README 'Languages' extract + update; not in the .pot: {missing[:5]}"
    assert not stale, f"run README 'Languages' extract + update; gone from the code: {stale[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    catalog = _po(language)
    template = {_key(message) for message in _entries(_pot())}
    translated = {_key(message): message for message in _entries(catalog)}
    missing = sorted(template - set(translated), key=str)
    assert not missing, f"{language}: run `pybabel update`: missing {missing[:5]}"
    problems = []
    for key in template:
        message = translated[key]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            problems.append(key[0])
        elif forms[0] == key[0] and _has_words(key[0]) and not _marked_same(message):
            problems.append(f"{key[0]} (left in English)")
    assert not problems, f"{language}: untranslated: {problems[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str) -> None:
    """A dropped `{when}` loses the date; a renamed one raises KeyError in front of people."""
    wrong = []
    for message in _entries(_po(language)):
        if isinstance(message.id, tuple):
            singular, plural = message.id
            expected = [_names(singular)] + [_names(plural)] * (len(message.string) - 1)
            forms = list(message.string)
        else:
            expected, forms = [_names(message.id)], [message.string]
        for form, names in zip(forms, expected, strict=True):
            if form and _names(form) != names:
                wrong.append((message.id, form))
    assert not wrong, f"{language}: placeholders differ: {wrong[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_messages_have_every_form_of_the_language(language: str) -> None:
    catalog = _po(language)
    for message in _entries(catalog):
        if isinstance(message.id, tuple):
            assert len(message.string) == catalog.num_plurals, message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_current_one(language: str) -> None:
    """The .mo the bot loads says what the .po says (run README's compile after editing)."""
    compiled = io.BytesIO()
    write_mo(compiled, _po(language))
    compiled.seek(0)
    expected = {_key(m): m.string for m in _entries(read_mo(compiled))}
    mo_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with mo_path.open("rb") as mo:
        shipped = {_key(m): m.string for m in _entries(read_mo(mo))}
    assert shipped == expected, f"{language}: run `pybabel compile` (README 'Languages')"


def test_polish_counts_take_three_forms() -> None:
    """CLDR: 1 → one; 2–4, 22–24 → few; 5–21, 25… → many."""
    polish = translator("pl").translations
    forms = {count: polish.plural(count) for count in (1, 2, 4, 5, 12, 14, 21, 22, 24, 25)}  # type: ignore[attr-defined]
    assert forms == {1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 14: 2, 21: 2, 22: 1, 24: 1, 25: 2}


def test_dates_read_as_each_language_writes_them() -> None:
    moment = datetime(2026, 11, 26, 16, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    assert translator("da").long_moment(moment) == "torsdag den 26. november kl. 16.00"
    assert translator("en").moment(moment) == "Thu 26 Nov, 16:00"
    assert translator("de").long_day(moment) == "Donnerstag, 26. November"
    assert translator("pl").long_day(moment) == "czwartek, 26 listopada"


def test_a_phrase_is_said_in_the_readers_language_with_its_values_escaped() -> None:
    said = phrase("{day}, {time}", day="<!channel>", time="16:00")
    assert str(said) == "&lt;!channel&gt;, 16:00"
    counted = nphrase("{count} meeting", "{count} meetings", 1)
    assert str(counted) == "1 meeting"


def test_an_unknown_language_is_a_bug_not_english() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        translator("xx")


def _has_words(text: str) -> bool:
    plain = "".join(literal for literal, *_ in string.Formatter().parse(text))
    return any(character.isalpha() for character in plain)


def _marked_same(message: Message) -> bool:
    return any(comment.startswith(SAME_MARK) for comment in message.user_comments)
