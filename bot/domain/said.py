"""Values of a refusal that each language writes its own way (numbers, days, moments),
said when the refusal is said, in the reader's language: a rule raising `UserError(phrase(
"… {limit} characters", limit=number_said(2000)))` does not know who will read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date

from bot.domain.text import Mrkdwn, escape
from bot.i18n import Phrase, Translator


@dataclass(frozen=True, kw_only=True)
class InReadersWords(Phrase):
    """A value rendered by the reader's Translator (escaped: it is shown as mrkdwn)."""

    render: Callable[[Translator], str]

    def say(self, t: Translator) -> Mrkdwn:
        return Mrkdwn(escape(self.render(t)))


def number_said(value: int) -> Phrase:
    """ "2,000", "2.000", "2 000"."""
    return InReadersWords("", render=lambda t: t.number(value))


def moment_said(moment: datetime) -> Phrase:
    """ "Mon 23 Nov, 10:00", "man. 23. nov. kl. 10.00", in the moment's own zone."""
    return InReadersWords("", render=lambda t: t.moment(moment))


def day_said(day: date) -> Phrase:
    """ "1 Sept 2026", "1. sep. 2026"."""
    return InReadersWords("", render=lambda t: format_date(day, "medium", locale=t.locale))
