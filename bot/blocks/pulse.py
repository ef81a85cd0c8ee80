"""The belonging pulse: the check-in DM (a statement at a time, one click each on a five-point
scale), its answers to skipping and stopping, and the results as coordinators see them.

Everything here is in the reader's language (`t`): the DM in the participant's, the results
in the coordinator's. Nothing people typed appears in any of it."""

from __future__ import annotations

from datetime import date

from babel.numbers import format_decimal
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import PULSE_SCORE_PREFIX, PULSE_SKIP, PULSE_STOP, pulse_statement_block
from bot.blocks.text import Mrkdwn, button_text, context, join, md, message_text, section
from bot.domain.pulse import (
    MIN_ANSWERS,
    ROUND_WORDS,
    SCALE,
    STATEMENTS,
    PulseSummary,
    RoleChange,
    RoundKind,
    RoundResult,
    click_value,
)
from bot.i18n import Translator


def pulse_text(t: Translator, *, kind: RoundKind) -> Mrkdwn:
    """The DM's notification: which check-in it is, in a sentence of its own per round."""
    if kind is RoundKind.START:
        template = t.gettext(
            "💬 A quick check-in as the term begins: how is it going for you? One click per "
            "statement, and your answers are anonymous."
        )
    elif kind is RoundKind.MIDDLE:
        template = t.gettext(
            "💬 A quick check-in halfway through the term: how is it going for you? One click "
            "per statement, and your answers are anonymous."
        )
    else:
        template = t.gettext(
            "💬 A quick check-in as the term ends: how is it going for you? One click per "
            "statement, and your answers are anonymous."
        )
    return message_text(md(template))


def _intro(t: Translator, kind: RoundKind, until: date) -> list[Block]:
    return [
        section(pulse_text(t, kind=kind)),
        context(
            md(
                t.ngettext(
                    "🔒 Your answers are stored without your name, and coordinators only see "
                    "totals of at least {count} person, never a group's. Open until {day}.",
                    "🔒 Your answers are stored without your name, and coordinators only see "
                    "totals of at least {count} people, never a group's. Open until {day}.",
                    MIN_ANSWERS,
                ),
                count=t.number(MIN_ANSWERS),
                day=t.long_day(until),
            )
        ),
    ]


def _scale(t: Translator, round_id: int, statement: int) -> ActionsBlock:
    return ActionsBlock(
        block_id=pulse_statement_block(statement),
        elements=[
            ButtonElement(
                text=button_text(label.say(t)),
                action_id=f"{PULSE_SCORE_PREFIX}{score}",
                value=click_value(round_id=round_id, statement=statement, score=score),
            )
            for score, label in SCALE.items()
        ],
    )


def pulse_blocks(
    t: Translator, *, round_id: int, kind: RoundKind, answered: frozenset[int], until: date
) -> list[Block]:
    """The check-in: each statement with its scale, or a thank-you once answered (or
    skipped); "Skip this time" while some are left, and "Stop these check-ins"."""
    blocks = _intro(t, kind, until)
    for number, statement in STATEMENTS.items():
        if number in answered:
            blocks.append(
                context(
                    md(
                        # TRANSLATORS: a statement of the check-in, once answered.
                        t.gettext("✓ {statement} Thanks!"),
                        statement=statement.say(t),
                    )
                )
            )
        else:
            blocks += [
                section(md("*{statement}*", statement=statement.say(t))),
                _scale(t, round_id, number),
            ]
    buttons: list[ButtonElement] = []
    if len(answered & set(STATEMENTS)) == len(STATEMENTS):
        blocks.append(section(t.gettext("🙏 Thank you for taking part! That's all for this time.")))
    else:
        buttons.append(
            ButtonElement(
                # TRANSLATORS: button, max 75 characters: no answers to this check-in.
                text=button_text(t.gettext("Skip this time")),
                action_id=PULSE_SKIP,
                value=str(round_id),
            )
        )
    buttons.append(
        ButtonElement(
            # TRANSLATORS: button, max 75 characters: no more check-ins, ever.
            text=button_text(t.gettext("Stop these check-ins")),
            action_id=PULSE_STOP,
            value=str(round_id),
        )
    )
    blocks.append(ActionsBlock(block_id="pulse_actions", elements=buttons))
    return blocks


def skipped_text(t: Translator) -> Mrkdwn:
    """ "Skip this time" was clicked."""
    return message_text(
        md(t.gettext("👍 No problem, you skipped this check-in. We'll ask again next time."))
    )


def stopped_text(t: Translator) -> Mrkdwn:
    """ "Stop these check-ins" was clicked."""
    return message_text(
        md(t.gettext("👍 Done: you won't get these check-ins any more. Thanks for your time!"))
    )


# -- Results, for coordinators ----------------------------------------------------------


def _decimal(t: Translator, value: float) -> str:
    return format_decimal(round(value, 1), "0.0", locale=t.locale)


def _signed(t: Translator, value: float) -> str:
    return format_decimal(round(value, 1), "+0.0;-0.0", locale=t.locale)


def _role_name(t: Translator, role: str) -> str:
    # TRANSLATORS: the people a line of the check-in results is about.
    return t.gettext("Mentors") if role == "mentor" else t.gettext("Mentees")


def round_result_text(t: Translator, result: RoundResult) -> Mrkdwn:
    """ "start of term: 3.9 of 5 (12 answered)", or that there are too few answers."""
    if not result.shown or result.mean is None:
        return md(
            t.gettext("{round}: not enough answers to show"),
            round=ROUND_WORDS[result.kind].say(t),
        )
    return md(
        t.ngettext(
            "{round}: {mean} of 5 ({count} answered)",
            "{round}: {mean} of 5 ({count} answered)",
            result.answered,
        ),
        round=ROUND_WORDS[result.kind].say(t),
        mean=_decimal(t, result.mean),
        count=t.number(result.answered),
    )


def change_text(t: Translator, change: RoleChange) -> Mrkdwn:
    """The start-to-end change of one role, or that it cannot be shown yet."""
    if change.change is None:
        return md(t.gettext("from start to end: not enough answers yet"))
    return md(t.gettext("from start to end: {change}"), change=_signed(t, change.change))


def pulse_lines(t: Translator, summary: PulseSummary) -> list[Mrkdwn]:
    """One line per role: each round's figure and the change from start to end."""
    lines = []
    for change in summary.changes:
        parts = [round_result_text(t, r) for r in summary.rounds if r.role == change.role]
        parts.append(change_text(t, change))
        lines.append(
            md(
                "*{role}* · {parts}",
                role=_role_name(t, change.role),
                parts=join(parts, " · "),
            )
        )
    return lines


def pulse_digest_blocks(t: Translator, summary: PulseSummary) -> list[Block]:
    """The results in the digest: per term and role, never per group."""
    if not summary.rounds:
        return []
    return [
        section(
            join(
                [
                    md(
                        t.ngettext(
                            "*Belonging check-ins* (scale 1–5, shown from {count} answer)",
                            "*Belonging check-ins* (scale 1–5, shown from {count} answers)",
                            MIN_ANSWERS,
                        ),
                        count=t.number(MIN_ANSWERS),
                    ),
                    *pulse_lines(t, summary),
                ],
                "\n",
            )
        )
    ]
