"""What the bot stores and for how long, as people are told it: one line in the welcome
message and App Home, the whole of it (without links) in `/mentor help`."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks.text import Mrkdwn, context, join, md
from bot.domain.retention import RetentionPeriods
from bot.i18n import Translator


def stored_line(t: Translator, periods: RetentionPeriods) -> Mrkdwn:
    """One line: what is kept, when notes go, when names and IDs go (two whole sentences)."""
    days = periods.notes_kept_days
    months = periods.pseudonymise_after_months
    notes = t.ngettext(
        ":lock: The bot keeps your name, your group and its meetings; private notes are "
        "deleted {count} day after the term ends.",
        ":lock: The bot keeps your name, your group and its meetings; private notes are "
        "deleted {count} days after the term ends.",
        days,
    )
    names = t.ngettext(
        "Your name and Slack ID go {count} month after your last term. More in `/mentor help`.",
        "Your name and Slack ID go {count} months after your last term. More in `/mentor help`.",
        months,
    )
    return md("{notes} {names}", notes=md(notes, count=days), names=md(names, count=months))


def stored_line_block(t: Translator, periods: RetentionPeriods) -> Block:
    return context(stored_line(t, periods))


def privacy_help(t: Translator, periods: RetentionPeriods) -> Mrkdwn:
    """The explanation in `/mentor help`: what is stored, who sees it, when it goes."""
    days = periods.notes_kept_days
    months = periods.pseudonymise_after_months
    uses = t.gettext(
        "• Your name and Slack ID (from Slack), your group, your answers to date polls "
        "and the meetings you came to: to run the groups and count their meetings."
    )
    signup = t.gettext(
        "• What you wrote when you signed up, to form the groups; a note to the "
        "coordinators is seen only by them."
    )
    notes = t.ngettext(
        "• A mentor's private meeting notes (seen only by that mentor) and notes to "
        "the coordinators are deleted {count} day after the term ends.",
        "• A mentor's private meeting notes (seen only by that mentor) and notes to "
        "the coordinators are deleted {count} days after the term ends.",
        days,
    )
    names = t.ngettext(
        "• {count} month after your last term, your name and Slack ID are replaced by "
        "a pseudonym and your sign-up answers are deleted, except programme and year. "
        "Only counts remain.",
        "• {count} months after your last term, your name and Slack ID are replaced "
        "by a pseudonym and your sign-up answers are deleted, except programme and "
        "year. Only counts remain.",
        months,
    )
    pulse = t.gettext(
        "• Check-in answers about belonging are stored without your name and shown only "
        "as totals of at least 5 people."
    )
    ask = t.gettext(
        "• The coordinators can give you everything stored about you, or erase it: just ask them."
    )
    lines = [
        md(t.gettext("*What the bot stores, and for how long*")),
        md(uses),
        md(signup),
        md(notes, count=days),
        md(names, count=months),
        md(pulse),
        md(ask),
    ]
    return join(lines, "\n")
