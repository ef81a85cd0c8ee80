"""What the bot says when a term ends: the thank-you in each group's channel, the summary a
mentor keeps, the coordinators' final report, the line before a channel is archived, the
invitation to the next term, and the coordinator's confirmation of `/mentor term close`.

Counts and theme names only: a meeting's private note never appears here."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks.ids import TERM_CLOSE_CANCEL, TERM_CLOSE_CONFIRM
from bot.blocks.pulse import pulse_lines
from bot.blocks.signup import join_button
from bot.blocks.text import bold, button_text, join, md, message_text, section
from bot.domain.closing import Contribution, GroupRecord
from bot.domain.pulse import MIN_ANSWERS, PulseSummary
from bot.domain.text import Mrkdwn
from bot.domain.themes import in_language
from bot.i18n import Translator


def _day_with_year(t: Translator, day: date) -> str:
    """ "26 Nov 2026", "26. nov. 2026": a summary kept for later needs its year."""
    return format_date(day, "medium", locale=t.locale)


def _theme_list(t: Translator, names: tuple[str, ...]) -> str:
    """Theme names as the reader's language writes the default ones, in a list."""
    return t.listing(in_language(name, (), t.language).name for name in names)


def group_thanks_text(
    t: Translator, *, term_name: str, record: GroupRecord, archive_on: date
) -> Mrkdwn:
    """The thank-you posted in a group's channel when its term closes (`t`: the term's)."""
    lines = [
        md(
            t.gettext("🎓 *{term}* has ended. Thank you, {group}, for this term together!"),
            term=term_name,
            group=bold(record.name),
        )
    ]
    if record.never_met:
        lines.append(
            md(
                t.gettext(
                    "You did not get to meet this time, but thank you for being part of it. "
                    "Maybe next term!"
                )
            )
        )
    else:
        lines.append(
            md(
                t.ngettext(
                    "You met {count} time.",
                    "You met {count} times.",
                    record.held,
                ),
                count=t.number(record.held),
            )
        )
    if record.theme_names:
        count = len(record.theme_names)
        lines.append(
            md(
                t.ngettext(
                    "You talked about {count} theme: {themes}.",
                    "You talked about {count} themes: {themes}.",
                    count,
                ),
                count=t.number(count),
                themes=_theme_list(t, record.theme_names),
            )
        )
    lines.append(
        md(
            t.gettext(
                "This channel stays open until {day}; then it is archived, and you can still "
                "read it."
            ),
            day=_day_with_year(t, archive_on),
        )
    )
    return message_text(join(lines, "\n"))


def mentor_summary_text(
    t: Translator,
    *,
    term_name: str,
    starts_on: date,
    ends_on: date,
    contribution: Contribution,
) -> Mrkdwn:
    """The DM a mentor keeps: their groups, meetings, themes and dates (`t`: theirs)."""
    lines = [
        md(
            t.gettext(
                "💛 *Your contribution as a mentor in {term}* ({starts} – {ends}). Thank you "
                "for giving your time to others! Here is a summary to keep."
            ),
            term=term_name,
            starts=_day_with_year(t, starts_on),
            ends=_day_with_year(t, ends_on),
        ),
        md(
            t.ngettext(
                "You led {count} group:",
                "You led {count} groups:",
                len(contribution.groups),
            ),
            count=t.number(len(contribution.groups)),
        ),
    ]
    lines += [_group_line(t, group) for group in contribution.groups]
    lines.append(
        md(
            t.ngettext(
                "{count} meeting held in all.",
                "{count} meetings held in all.",
                contribution.held,
            ),
            count=t.number(contribution.held),
        )
    )
    themes = contribution.theme_names
    if themes:
        lines.append(
            md(
                t.ngettext(
                    "{count} theme covered: {themes}.",
                    "{count} themes covered: {themes}.",
                    len(themes),
                ),
                count=t.number(len(themes)),
                themes=_theme_list(t, themes),
            )
        )
    return message_text(join(lines, "\n"))


def _group_line(t: Translator, group: GroupRecord) -> Mrkdwn:
    if group.first_met_on is None or group.last_met_on is None:
        return md(t.gettext("• {group}: no meetings held"), group=bold(group.name))
    if group.held == 1:
        return md(
            t.gettext("• {group}: one meeting, on {day}"),
            group=bold(group.name),
            day=_day_with_year(t, group.first_met_on),
        )
    return md(
        t.ngettext(
            "• {group}: {count} meeting, from {first} to {last}",
            "• {group}: {count} meetings, from {first} to {last}",
            group.held,
        ),
        group=bold(group.name),
        count=t.number(group.held),
        first=_day_with_year(t, group.first_met_on),
        last=_day_with_year(t, group.last_met_on),
    )


def final_report_text(
    t: Translator,
    *,
    term_name: str,
    groups: list[GroupRecord],
    pulse: Mrkdwn | None,
) -> Mrkdwn:
    """The coordinators' final report, the comment on the per-group CSV file (`t`: the
    coordinator's). `pulse` is the belonging pulse's results, when there are any."""
    held = sum(group.held for group in groups)
    never_met = [group.name for group in groups if group.never_met]
    lines = [
        md(t.gettext("📋 *{term}* is closed. The final report:"), term=term_name),
        md(
            t.ngettext("{count} group took part.", "{count} groups took part.", len(groups)),
            count=t.number(len(groups)),
        ),
        md(
            t.ngettext(
                "{count} meeting was held in all.",
                "{count} meetings were held in all.",
                held,
            ),
            count=t.number(held),
        ),
    ]
    if never_met:
        lines.append(
            md(
                t.ngettext(
                    "{count} group never met: {groups}",
                    "{count} groups never met: {groups}",
                    len(never_met),
                ),
                count=t.number(len(never_met)),
                groups=t.listing(never_met),
            )
        )
    elif groups:
        lines.append(md(t.gettext("Every group met at least once. 🎉")))
    if pulse is not None:
        lines.append(pulse)
    lines.append(md(t.gettext("The figures per group are in the CSV file.")))
    return message_text(join(lines, "\n"))


def pulse_report_text(t: Translator, summary: PulseSummary) -> Mrkdwn | None:
    """The belonging check-ins' results for the final report: per role, never per group,
    figures withheld below the threshold; None when no check-in was held."""
    if not summary.rounds:
        return None
    heading = md(
        t.ngettext(
            "*Belonging check-ins* over the term (1–5; figures only where at least {count} "
            "person answered):",
            "*Belonging check-ins* over the term (1–5; figures only where at least {count} "
            "people answered):",
            MIN_ANSWERS,
        ),
        count=t.number(MIN_ANSWERS),
    )
    return message_text(join([heading, *pulse_lines(t, summary)], "\n"))


def report_file_name(t: Translator) -> str:
    # TRANSLATORS: the final report's file name people see in Slack: lowercase, no spaces.
    return t.gettext("final-report.csv")


def archive_notice_text(t: Translator, *, term_name: str) -> Mrkdwn:
    """The one line a group's channel gets before it is archived (`t`: the term's)."""
    return message_text(
        md(
            t.gettext(
                "📦 *{term}* is over, so this channel is archived now. You can still read it any "
                "time. Thank you all!"
            ),
            term=term_name,
        )
    )


def invitation_text(
    t: Translator, *, term_name: str, starts_on: date, ends_on: date, certified: bool
) -> Mrkdwn:
    """The invitation to someone who was in a group last term (`t`: theirs)."""
    if certified:
        template = t.gettext(
            "👋 A new term, *{term}*, runs from {starts} to {ends}. You are still a certified "
            "mentor, so you can lead a group again: sign up below if you would like to."
        )
    else:
        template = t.gettext(
            "👋 A new term, *{term}*, runs from {starts} to {ends}. You were in a mentor group "
            "last term: would you like to take part again? Sign up below."
        )
    return message_text(
        md(
            template,
            term=term_name,
            starts=_day_with_year(t, starts_on),
            ends=_day_with_year(t, ends_on),
        )
    )


def invitation_blocks(t: Translator, text: Mrkdwn) -> list[Block]:
    return [section(text), join_button(t)]


def close_question_text(t: Translator, *, term_name: str, archive_after_days: int) -> Mrkdwn:
    return message_text(
        md(
            t.ngettext(
                "Close *{term}* now? Each group gets a thank-you, each mentor a summary and you "
                "the final report; open polls are cancelled, and the group channels are archived "
                "{count} day later.",
                "Close *{term}* now? Each group gets a thank-you, each mentor a summary and you "
                "the final report; open polls are cancelled, and the group channels are archived "
                "{count} days later.",
                archive_after_days,
            ),
            term=term_name,
            count=t.number(archive_after_days),
        )
    )


def close_question_blocks(t: Translator, *, text: Mrkdwn, term_id: int) -> list[Block]:
    """The question with its two buttons; the confirmation carries the term's ID, so an
    old question never closes a term other than the one it named."""
    return [
        section(text),
        ActionsBlock(
            block_id=TERM_CLOSE_CONFIRM,
            elements=[
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: ends the term now.
                    text=button_text(t.gettext("Close the term")),
                    action_id=TERM_CLOSE_CONFIRM,
                    value=str(term_id),
                    style="danger",
                ),
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: leaves the term open.
                    text=button_text(t.gettext("Not now")),
                    action_id=TERM_CLOSE_CANCEL,
                    value=str(term_id),
                ),
            ],
        ),
    ]


def closed_answer_text(t: Translator, *, term_name: str, groups: int) -> Mrkdwn:
    return message_text(
        md(
            t.ngettext(
                "Done: *{term}* is closed. {count} group was thanked, and the final report is in "
                "your messages from me.",
                "Done: *{term}* is closed. {count} groups were thanked, and the final report is "
                "in your messages from me.",
                groups,
            ),
            term=term_name,
            count=t.number(groups),
        )
    )


def already_closed_text(t: Translator, *, term_name: str, closed_on: date) -> Mrkdwn:
    return message_text(
        md(
            t.gettext("*{term}* was already closed on {day}."),
            term=term_name,
            day=_day_with_year(t, closed_on),
        )
    )


def close_cancelled_text(t: Translator) -> Mrkdwn:
    return md(t.gettext("All right, the term stays open."))
