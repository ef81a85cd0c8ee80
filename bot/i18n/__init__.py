"""The bot's words in the reader's language: gettext catalogues managed with Babel.

Every word people read goes through a `Translator`, one per reader and request, never a
process-wide language: the same process answers a Danish channel and an English ephemeral
in one second. Channel posts use the term's language (`GroupContext.t`); what one person
alone sees (ephemerals, DMs, modals, App Home) uses their own choice, made in App Home and
defaulting to the term's language (Slack's own locale has no Danish or Polish).

Messages are Python format strings whose `{names}` are filled after translation, so a
translation may reorder them: `md(t.gettext("{who} planned {when}"), who=…, when=…)`. A count
picks its plural form by CLDR's rules for the language (Polish has three: 1, 2–4, 5+):
`t.ngettext("{count} meeting", "{count} meetings", n).format(count=n)`.

The catalogues live in bot/i18n/locale/<lang>/LC_MESSAGES/mentorbot.po (compiled to .mo);
README "Languages" has the extract/update/compile commands.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import Translations

from bot.domain.text import Mrkdwn, fill

DOMAIN = "mentorbot"
LOCALE_DIR = Path(__file__).parent / "locale"

ENGLISH = "en"
LANGUAGES: tuple[str, ...] = ("en", "da", "de", "pt", "pl")
"""The languages a term or a person can choose, English (the messages' source) first."""

_BABEL_LOCALES = {"en": "en_GB", "da": "da_DK", "de": "de_DE", "pt": "pt_PT", "pl": "pl_PL"}
"""Which CLDR locale formats dates and lists: British English for its 24-hour clock and
day-before-month order, as the schemes we serve write in English."""


@dataclass(frozen=True)
class Translator:
    """One reader's language: the catalogue's translations and CLDR's formats."""

    language: str
    translations: gettext_module.NullTranslations = field(repr=False, compare=False)
    locale: Locale = field(repr=False, compare=False)

    # -- Words ---------------------------------------------------------------------------

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for `count`; the caller fills `{count}` (and any other names)."""
        return self.translations.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        """A message whose words mean different things in different places ("Close" a poll,
        "Close" a modal): `context` tells translators which."""
        return self.translations.pgettext(context, message)

    def say(self, phrase: Phrase) -> Mrkdwn:
        return phrase.say(self)

    # -- Dates, numbers and lists, as people of the language write them -------------------

    def day(self, moment: date) -> str:
        """A short day: "Thu 26 Nov", "tors. 26. nov.", "Do., 26. Nov."."""
        return format_skeleton("MMMEd", moment, locale=self.locale)

    def long_day(self, moment: date) -> str:
        """A day in full words, no year: "Thursday 26 November", "torsdag den 26. november"."""
        return format_date(moment, self.pgettext("CLDR date pattern", "EEEE d MMMM"), self.locale)

    def clock(self, moment: datetime) -> str:
        """The time of day in the moment's own zone: "16:00", "16.00"."""
        return format_time(moment, "short", tzinfo=moment.tzinfo, locale=self.locale)

    def moment(self, moment: datetime) -> str:
        """Day and time in the moment's zone: "Thu 26 Nov, 16:00", "tors. 26. nov. kl. 16.00"."""
        template = self.pgettext("a day and a time of day", "{day}, {time}")
        return template.format(day=self.day(moment), time=self.clock(moment))

    def long_moment(self, moment: datetime) -> str:
        """ "Thursday 26 November, 16:00", "torsdag den 26. november kl. 16.00"."""
        template = self.pgettext("a day and a time of day", "{day}, {time}")
        return template.format(day=self.long_day(moment), time=self.clock(moment))

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def listing(self, items: Iterable[str]) -> str:
        """ "Ada, Bo and Cleo", "Ada, Bo og Cleo" (plain text: escape before it is mrkdwn)."""
        words = list(items)
        return format_list(words, locale=self.locale) if words else ""

    def language_name(self, code: str) -> str:
        """A language's own name for itself ("dansk", "polski"): how people find theirs."""
        name = Locale.parse(_BABEL_LOCALES[code]).get_language_name(_BABEL_LOCALES[code])
        return (name or code)[:1].upper() + (name or code)[1:]


@cache
def translator(language: str) -> Translator:
    """The translator for one of `LANGUAGES` (an unknown code is a bug: codes are checked
    where people choose them, so this fails loudly rather than falling back to English)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    locale = Locale.parse(_BABEL_LOCALES[language])
    if language == ENGLISH:
        translations: gettext_module.NullTranslations = gettext_module.NullTranslations()
    else:
        loaded = Translations.load(str(LOCALE_DIR), [language], DOMAIN)
        if not isinstance(loaded, Translations):
            raise FileNotFoundError(f"no compiled catalogue for {language!r} in {LOCALE_DIR}")
        translations = loaded
    return Translator(language=language, translations=translations, locale=locale)


def language_or_default(code: str | None, default: str = ENGLISH) -> str:
    """A stored choice if it is one we speak, else `default` (a row written by a newer
    version, or a language withdrawn, must not break anyone's messages)."""
    return code if code in LANGUAGES else default


# -- Words chosen now, said later in the reader's language -------------------------------


@dataclass(frozen=True)
class Phrase:
    """A message to be said later, in a language not known yet where it is chosen: a rule
    deep in bot/domain refuses something, the listener that answers knows the reader.

    Its values are filled after translation and escaped as mrkdwn unless they are Mrkdwn;
    a value that is itself a Phrase is said in the same language.
    """

    message: str
    values: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None

    def say(self, t: Translator) -> Mrkdwn:
        if self.plural is not None and self.count is not None:
            template = t.ngettext(self.message, self.plural, self.count)
            values = {"count": self.count, **self.values}
        else:
            template, values = t.gettext(self.message), dict(self.values)
        filled = {
            name: value.say(t) if isinstance(value, Phrase) else value
            for name, value in values.items()
        }
        return fill(template, filled)

    def __str__(self) -> str:
        """English, for logs of the bot's own words and for tests."""
        return self.say(translator(ENGLISH))


def phrase(message: str, /, **values: Any) -> Phrase:
    """Mark `message` for translation now and say it later (see `Phrase`)."""
    return Phrase(message, values)


def nphrase(singular: str, plural: str, count: int, /, **values: Any) -> Phrase:
    """`phrase` with a count: `{count}` and the plural form are filled when said."""
    return Phrase(singular, values, plural=plural, count=count)
