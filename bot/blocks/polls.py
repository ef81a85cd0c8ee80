"""The availability poll: the message in the channel (open and closed), the modal that
starts one, and the announcements around it.

Every builder takes the `Translator` of whoever reads what it builds first: the term's
(`GroupContext.t`) for the poll in the channel, the reader's own (`reader(runtime, user_id)`)
for modals, ephemerals and direct messages. Dates come in already written (`t.moment`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DateTimePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.ids import (
    DEADLINE,
    LENGTH,
    OPTIONS_TEXT,
    POLL_ADD_DATE,
    POLL_ADD_DATE_MODAL,
    POLL_CANCEL,
    POLL_CHANGE_WHEN,
    POLL_CLOSE,
    POLL_DEADLINE_MODAL,
    POLL_MODAL,
    POLL_MOVE_DEADLINE,
    POLL_NONE_WORKS,
    POLL_PICK,
    POLL_VOTE_PREFIX,
    START_POLL,
    WHERE,
    picked_block,
)
from bot.blocks.snooze import reminder_with_snooze_blocks
from bot.blocks.text import (
    Mrkdwn,
    bold,
    button_text,
    context,
    escape,
    header,
    join,
    md,
    mention,
    mentions,
    message_text,
    modal_text,
    option_text,
    plain,
    section,
    shortened,
)
from bot.domain.limits import MAX_MEETING_PLACE
from bot.domain.polls import DEFAULT_LENGTH_MINUTES, LENGTH_CHOICES, MAX_OPTIONS, Answer
from bot.i18n import Translator

ANSWER_ICONS = {Answer.YES: "✅", Answer.IF_NEED_BE: "🤔", Answer.NO: "❌"}
MODAL_PICKERS = 3
MAX_WHEN = 200
"""A date as shown (bot-made: "Thu 3 Dec, 16:00"; cut to this in case it ever is not)."""
MAX_NAME = 200
"""A group name is cut to this before it is escaped into a message."""
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
CONFIRM_BUTTON = 30
"""Slack's limits for a confirmation dialog's title, text and buttons."""
LABEL_TEXT = 2000
PLACEHOLDER_TEXT = 150
HINT_TEXT = 2000
"""Slack's limits for an input's label, placeholder and hint."""


@dataclass(frozen=True)
class OptionView:
    option_id: int
    when: str
    yes: tuple[str, ...]
    if_need_be: tuple[str, ...]
    no: tuple[str, ...]
    is_winner: bool = False


@dataclass(frozen=True)
class PollView:
    poll_id: int
    mentor_id: str
    state: str
    deadline: str
    length_minutes: int
    options: tuple[OptionView, ...]
    waiting_for: tuple[str, ...]
    result: str | None = None
    where: str | None = None
    """Where the group will meet, as the mentor typed it."""
    none_work: tuple[str, ...] = ()
    """Members who answered no to every date ("none of these work for me")."""


def _answer_label(t: Translator, answer: Answer) -> str:
    """An answer's word on its button and in the tally."""
    if answer is Answer.YES:
        # TRANSLATORS: an answer to a date in the poll (button and tally), very short.
        return t.pgettext("poll answer", "Yes")
    if answer is Answer.IF_NEED_BE:
        # TRANSLATORS: an answer to a date in the poll: "I can, but only if it must be".
        return t.pgettext("poll answer", "If need be")
    # TRANSLATORS: an answer to a date in the poll (button and tally), very short.
    return t.pgettext("poll answer", "No")


def place_line(where: str | None, *, t: Translator) -> Mrkdwn:
    """ "📍 Where: PLACE" (escaped), or nothing when no place was given; in `t`'s language."""
    if not where:
        return Mrkdwn("")
    return md(t.gettext("📍 Where: {place}"), place=shortened(where, MAX_MEETING_PLACE))


def _with_place(t: Translator, text: Mrkdwn, where: str | None) -> Mrkdwn:
    return md("{text}\n{place}", text=text, place=place_line(where, t=t)) if where else text


def vote_action_id(answer: Answer) -> str:
    return f"{POLL_VOTE_PREFIX}{answer.value}"


def vote_value(poll_id: int, option_id: int) -> str:
    return f"{poll_id}:{option_id}"


def _tally_line(t: Translator, option: OptionView) -> Mrkdwn:
    """ "✅ Yes 2: @Ada, @Cleo · 🤔 If need be 1: @Bo · ❌ No 0": words and counts a screen
    reader reads out, not only icons."""
    parts = []
    for answer, voters in (
        (Answer.YES, option.yes),
        (Answer.IF_NEED_BE, option.if_need_be),
        (Answer.NO, option.no),
    ):
        # A label with its count, as a table shows it (no sentence, so no plural form).
        part = md(
            "{icon} {label} {count}",
            icon=ANSWER_ICONS[answer],
            label=_answer_label(t, answer),
            count=t.number(len(voters)),
        )
        if voters:
            part = md("{part}: {people}", part=part, people=mentions(voters, ", "))
        parts.append(part)
    return join(parts, " · ")


def poll_message_blocks(t: Translator, view: PollView) -> list[Block]:
    """The poll's message: its intro, each date with its tally (and, while open, the vote
    buttons and "None of these work for me"), then the waiting line, or the result once
    closed. Only what every member can do: the mentor's buttons go to the mentor alone.
    `t`: the channel's language (the term's)."""
    is_open = view.state == "open"
    winner = next((option for option in view.options if option.is_winner), None)
    if not is_open and winner is not None:
        return _result_blocks(t, view, winner)
    blocks = _intro_blocks(t, view, is_open=is_open)
    for option in view.options:
        blocks.extend(_option_blocks(t, view.poll_id, option, is_open=is_open))
    if is_open:
        blocks.append(_none_works_button(t, view.poll_id))
        blocks.extend(_open_footer_blocks(t, view))
    elif view.result:
        # The result is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here).
        blocks.append(section(view.result))
    return blocks


def _calendar_in_thread(t: Translator) -> str:
    return t.gettext(
        "📎 The calendar file (.ics) is in this message's thread: open it to add the meeting "
        "to your calendar."
    )


def _result_blocks(t: Translator, view: PollView, winner: OptionView) -> list[Block]:
    """A poll that ended in a date, shown as its result: when and where, who said yes (in
    words and counts), and where the calendar file is. The poll's message becomes this, so
    the channel reads the outcome once."""
    result = view.result or md(t.gettext("📅 The group meets {when}."), when=bold(winner.when))
    return [
        # TRANSLATORS: header of a poll that ended in a date (max 150 characters).
        header(t.gettext("🏆 The date is set")),
        section(
            _with_place(t, md("{result}", result=result), view.where),
            block_id=_result_block(view),
        ),
        section(_tally_line(t, winner), block_id=f"poll{view.poll_id}_option{winner.option_id}"),
        context(_calendar_in_thread(t)),
    ]


def _result_block(view: PollView) -> str:
    return f"poll{view.poll_id}_result"


def _intro_blocks(t: Translator, view: PollView, *, is_open: bool) -> list[Block]:
    if is_open:
        intro = md(
            t.ngettext(
                "{mentor} suggests these dates ({count} min). Click an answer for each date; "
                "click again to change it. Answers close {deadline}.",
                "{mentor} suggests these dates ({count} min). Click an answer for each date; "
                "click again to change it. Answers close {deadline}.",
                view.length_minutes,
            ),
            mentor=mention(view.mentor_id),
            count=view.length_minutes,
            deadline=bold(shortened(view.deadline, MAX_WHEN)),
        )
    else:
        intro = md(
            t.ngettext(
                "{mentor} suggested these dates ({count} min).",
                "{mentor} suggested these dates ({count} min).",
                view.length_minutes,
            ),
            mentor=mention(view.mentor_id),
            count=view.length_minutes,
        )
    return [
        # TRANSLATORS: header of an open date poll (max 150 characters).
        header(t.gettext("When shall we meet?") if is_open else t.gettext("Date poll closed")),
        section(_with_place(t, intro, view.where)),
    ]


def _option_blocks(
    t: Translator, poll_id: int, option: OptionView, *, is_open: bool
) -> list[Block]:
    """One date: when, with its tally; while the poll is open, a button per answer."""
    blocks: list[Block] = [
        section(
            md(
                "{mark}{when}\n{tally}",
                mark="🏆 " if option.is_winner else "",
                when=bold(shortened(option.when, MAX_WHEN)),
                tally=_tally_line(t, option),
            ),
            block_id=f"poll{poll_id}_option{option.option_id}",
        )
    ]
    if is_open:
        blocks.append(_vote_buttons(t, poll_id, option.option_id))
    return blocks


def _none_works_button(t: Translator, poll_id: int) -> ActionsBlock:
    """One button for the whole poll: "no" to every date at once."""
    return ActionsBlock(
        block_id=f"poll{poll_id}_none",
        elements=[
            ButtonElement(
                # TRANSLATORS: button under a date poll: no to every date (max 75 characters).
                text=button_text(t.gettext("None of these work for me")),
                action_id=POLL_NONE_WORKS,
                value=str(poll_id),
            )
        ],
    )


def _none_work_line(t: Translator, view: PollView) -> Mrkdwn | None:
    if not view.none_work:
        return None
    return md(
        t.gettext("None of these dates work for {people}."),
        people=mentions(view.none_work, ", "),
    )


def _open_footer_blocks(t: Translator, view: PollView) -> list[Block]:
    """Who has yet to answer, and who none of the dates work for. The mentor's buttons are
    not here: every member sees this message (see `mentor_poll_controls`)."""
    waiting = (
        md(t.gettext("Waiting for answers from {people}."), people=mentions(view.waiting_for))
        if view.waiting_for
        else t.gettext("Everyone has answered.")
    )
    none_work = _none_work_line(t, view)
    return [context(waiting), *([context(none_work)] if none_work else [])]


def mentor_controls_text(t: Translator) -> str:
    """The notification text of the mentor's controls, right after the poll is posted."""
    return t.gettext(
        "Your poll is up. Only you see this: close it now, cancel it, add a date or move the "
        "deadline."
    )


def mentor_poll_controls(poll_id: int, *, t: Translator, just_posted: bool = False) -> list[Block]:
    """What only the group's mentors see (an ephemeral): close now, cancel, add a date and
    move the deadline, in the mentor's language (`t`). Worded for where it is shown: right
    after the poll is posted, or under the group's status (`just_posted` False)."""
    if just_posted:
        # TRANSLATORS: keep the commands as they are; WHEN stands for a date the mentor types.
        intro = t.gettext(
            "Your poll is up. Only you see this message.\n"
            "Or type `/mentor poll add WHEN` or `/mentor poll deadline WHEN`."
        )
    else:
        # TRANSLATORS: keep the commands as they are; WHEN stands for a date the mentor types.
        intro = t.gettext(
            "Your group's poll is running. Only you see these buttons.\n"
            "Or type `/mentor poll add WHEN` or `/mentor poll deadline WHEN`."
        )
    return [
        section(md(intro)),
        ActionsBlock(
            block_id=f"poll{poll_id}_manage",
            elements=[
                ButtonElement(
                    # TRANSLATORS: the mentor's button (max 75 characters).
                    text=button_text(t.gettext("Add a date")),
                    action_id=POLL_ADD_DATE,
                    value=str(poll_id),
                ),
                ButtonElement(
                    # TRANSLATORS: the mentor's button (max 75 characters).
                    text=button_text(t.gettext("Move the deadline")),
                    action_id=POLL_MOVE_DEADLINE,
                    value=str(poll_id),
                ),
                ButtonElement(
                    # TRANSLATORS: the mentor's button: end the poll now (max 75 characters).
                    text=button_text(t.gettext("Close now")),
                    action_id=POLL_CLOSE,
                    value=str(poll_id),
                ),
                ButtonElement(
                    # TRANSLATORS: the mentor's button (max 30 characters: also a confirm button).
                    text=button_text(t.gettext("Cancel poll")),
                    action_id=POLL_CANCEL,
                    value=str(poll_id),
                    style="danger",
                    confirm=ConfirmObject(
                        title=plain(t.gettext("Cancel this poll?"), CONFIRM_TITLE),
                        text=plain(
                            t.gettext("The votes are kept, but no date will be chosen."),
                            CONFIRM_TEXT,
                        ),
                        confirm=plain(t.gettext("Cancel poll"), CONFIRM_BUTTON),
                        # TRANSLATORS: keep the poll running (max 30 characters).
                        deny=plain(t.gettext("Keep it"), CONFIRM_BUTTON),
                    ),
                ),
            ],
        ),
    ]


def poll_change_modal(t: Translator, *, poll_id: int, adding: bool) -> View:
    """The small form behind "Add a date" (`adding`) or "Move the deadline": one date,
    read by the same rules as `/mentor poll add WHEN` and `/mentor poll deadline WHEN`."""
    if adding:
        # TRANSLATORS: modal title, max 24 characters.
        title = t.gettext("Add a date")
        # TRANSLATORS: modal button, max 24 characters.
        submit = t.gettext("Add it")
        label = t.gettext("New date and time")
        # TRANSLATORS: an example the bot must read as a date in your language.
        placeholder = t.gettext("e.g. fri 14:00")
        # TRANSLATORS: the examples must be dates the bot reads in your language.
        hint = t.gettext("A day and a time, like “fri 14:00” or “2/12 16:30”; after the deadline.")
    else:
        # TRANSLATORS: modal title, max 24 characters.
        title = t.gettext("Move the deadline")
        # TRANSLATORS: modal button, max 24 characters.
        submit = t.gettext("Move it")
        label = t.gettext("New deadline")
        # TRANSLATORS: an example the bot must read as a date in your language.
        placeholder = t.gettext("e.g. wed 12:00")
        # TRANSLATORS: the example must be a date the bot reads in your language.
        hint = t.gettext("A day and a time, like “wed 12:00”; not after the first date.")
    return View(
        type="modal",
        callback_id=POLL_ADD_DATE_MODAL if adding else POLL_DEADLINE_MODAL,
        private_metadata=str(poll_id),
        title=PlainTextObject(text=modal_text(title)),
        submit=PlainTextObject(text=modal_text(submit)),
        # TRANSLATORS: closes a form without doing anything (max 24 characters).
        close=PlainTextObject(text=modal_text(t.pgettext("close a form", "Cancel"))),
        blocks=[
            InputBlock(
                block_id=POLL_CHANGE_WHEN,
                label=plain(label, LABEL_TEXT),
                element=PlainTextInputElement(
                    action_id="value", placeholder=plain(placeholder, PLACEHOLDER_TEXT)
                ),
                hint=plain(hint, HINT_TEXT),
            )
        ],
    )


def poll_change_done_modal(t: Translator, done: str) -> View:
    """What the change form shows once the poll was changed (`done`: the service's words,
    mrkdwn the bot wrote)."""
    return View(
        type="modal",
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("Poll changed"))),
        # TRANSLATORS: closes a form after a change was made (max 24 characters).
        close=PlainTextObject(text=modal_text(t.gettext("Done"))),
        blocks=[section(md("✅ {done}", done=done))],
    )


def poll_message_text(t: Translator, view: PollView) -> Mrkdwn:
    if view.state == "open":
        return message_text(
            md(
                t.ngettext(
                    "Date poll: {count} date to answer by {deadline}",
                    "Date poll: {count} dates to answer by {deadline}",
                    len(view.options),
                ),
                count=len(view.options),
                deadline=shortened(view.deadline, MAX_WHEN),
            )
        )
    return message_text(view.result or t.gettext("Date poll closed"))


def poll_modal(t: Translator, *, group_id: int, group_name: str) -> View:
    """The "New date poll" form, in the mentor's language."""
    length_options = [
        Option(
            text=option_text(
                t.ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
            ),
            value=str(minutes),
        )
        for minutes in LENGTH_CHOICES
    ]
    initial_length = next(o for o in length_options if o.value == str(DEFAULT_LENGTH_MINUTES))
    blocks: list[Block] = [
        section(
            md(
                t.ngettext(
                    "Suggest 2–{count} date for {name}. Type them, pick them, or both.",
                    "Suggest 2–{count} dates for {name}. Type them, pick them, or both.",
                    MAX_OPTIONS,
                ),
                count=MAX_OPTIONS,
                name=bold(shortened(group_name, MAX_NAME)),
            )
        ),
        InputBlock(
            block_id=OPTIONS_TEXT,
            label=plain(t.gettext("Dates, one per line"), LABEL_TEXT),
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                placeholder=_plain_lines(
                    # TRANSLATORS: three example dates, one per line, that the bot reads in
                    # your language (max 150 characters).
                    t.gettext("thu 16:00\nfri 14:00\n7 Dec 10:00"),
                    PLACEHOLDER_TEXT,
                ),
            ),
            hint=plain(
                # TRANSLATORS: the examples must be dates the bot reads in your language.
                t.gettext("Write a day and a time, like “thu 16:00” or “2/12 16:30”."),
                HINT_TEXT,
            ),
        ),
    ]
    blocks += [
        InputBlock(
            block_id=picked_block(index),
            label=plain(t.gettext("Or pick date {number}").format(number=index), LABEL_TEXT),
            optional=True,
            element=DateTimePickerElement(action_id="value"),
        )
        for index in range(1, MODAL_PICKERS + 1)
    ]
    blocks += [
        InputBlock(
            block_id=LENGTH,
            label=plain(t.gettext("Meeting length"), LABEL_TEXT),
            element=StaticSelectElement(
                action_id="value", options=length_options, initial_option=initial_length
            ),
        ),
        InputBlock(
            block_id=DEADLINE,
            # TRANSLATORS: the label of the poll's deadline field.
            label=plain(t.gettext("Answer by"), LABEL_TEXT),
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                placeholder=plain(
                    # TRANSLATORS: an example the bot must read as a date in your language.
                    t.gettext("e.g. wed 12:00"),
                    PLACEHOLDER_TEXT,
                ),
            ),
            hint=plain(
                t.gettext("Leave empty for 48 hours from now (never later than the first date)."),
                HINT_TEXT,
            ),
        ),
        InputBlock(
            block_id=WHERE,
            label=plain(t.gettext("Where?"), LABEL_TEXT),
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                max_length=MAX_MEETING_PLACE,
                placeholder=plain(t.gettext("e.g. Room 2.14, or a video link"), PLACEHOLDER_TEXT),
            ),
            hint=plain(
                t.gettext("A room or a video link (https://…); it goes into the calendar file."),
                HINT_TEXT,
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=POLL_MODAL,
        private_metadata=str(group_id),
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("New date poll"))),
        # TRANSLATORS: modal button, max 24 characters.
        submit=PlainTextObject(text=modal_text(t.gettext("Post poll"))),
        # TRANSLATORS: closes a form without doing anything (max 24 characters).
        close=PlainTextObject(text=modal_text(t.pgettext("close a form", "Cancel"))),
        blocks=blocks,
    )


def _plain_lines(text: str, limit: int) -> str:
    """Plain text of several lines (a multi-line placeholder), cut to `limit` characters."""
    return shortened(text, limit) or "…"


def start_poll_button(group_id: int, *, t: Translator, label: str | None = None) -> ActionsBlock:
    """The button that opens the poll form; "Start a date poll" in `t`'s language unless
    `label` (already in the reader's words) words it for its place."""
    # TRANSLATORS: button, max 75 characters.
    text = label or t.gettext("Start a date poll")
    return ActionsBlock(
        block_id="start_poll",
        elements=[
            ButtonElement(
                text=button_text(text), action_id=START_POLL, value=str(group_id), style="primary"
            )
        ],
    )


@dataclass(frozen=True)
class CandidateView:
    """A date the mentor may pick when no date works for everyone, with its tally."""

    poll_id: int
    option_id: int
    when: str
    yes: int
    if_need_be: int
    no: int
    unanswered: int


def candidate_tally(t: Translator, candidate: CandidateView) -> Mrkdwn:
    """ "Wed 10 Feb, 16:00: 3 yes, 1 if need be, 1 unanswered" (counts that are 0 left out,
    except yes)."""
    counts = [t.ngettext("{count} yes", "{count} yes", candidate.yes).format(count=candidate.yes)]
    if candidate.if_need_be:
        counts.append(
            t.ngettext("{count} if need be", "{count} if need be", candidate.if_need_be).format(
                count=candidate.if_need_be
            )
        )
    if candidate.no:
        counts.append(
            t.ngettext("{count} no", "{count} no", candidate.no).format(count=candidate.no)
        )
    if candidate.unanswered:
        counts.append(
            t.ngettext("{count} unanswered", "{count} unanswered", candidate.unanswered).format(
                count=candidate.unanswered
            )
        )
    return md(
        "{when}: {counts}",
        when=bold(shortened(candidate.when, MAX_WHEN)),
        counts=", ".join(counts),
    )


def no_date_choice_blocks(
    t: Translator, *, group_id: int, group_name: str, candidates: Sequence[CandidateView]
) -> list[Block]:
    """The mentor's private choice when no date worked for everyone: the best dates with
    their tallies, each with "Pick it", and "Start a new poll"; in the mentor's language."""
    blocks: list[Block] = [
        section(
            md(
                t.gettext(
                    "No date in the poll for {name} worked for everyone. "
                    "Pick one of the best, or start a new poll with other dates:"
                ),
                name=bold(shortened(group_name, MAX_NAME)),
            )
        )
    ]
    for candidate in candidates:
        blocks.append(
            section(
                md(t.gettext("{tally} — pick it?"), tally=candidate_tally(t, candidate)),
                block_id=f"poll{candidate.poll_id}_candidate{candidate.option_id}",
                accessory=ButtonElement(
                    # TRANSLATORS: button: the mentor picks this date (max 75 characters).
                    text=button_text(t.gettext("Pick it")),
                    action_id=POLL_PICK,
                    value=vote_value(candidate.poll_id, candidate.option_id),
                ),
            )
        )
    # TRANSLATORS: button, max 75 characters.
    blocks.append(start_poll_button(group_id, label=t.gettext("Start a new poll"), t=t))
    return blocks


def picked_date_text(t: Translator, *, group_name: str, when: str) -> Mrkdwn:
    """What the mentor's choice says once a date is picked (its message text too)."""
    return md(
        t.gettext("📅 Planned: {when} for {name}. The group has been told, with a calendar file."),
        when=shortened(when, MAX_WHEN),
        name=bold(shortened(group_name, MAX_NAME)),
    )


def picked_date_blocks(t: Translator, *, group_name: str, when: str) -> list[Block]:
    """The mentor's choice redrawn once a date is picked: the date, and no buttons left to
    pick another or start a new poll (the group's next step is the meeting)."""
    return [section(picked_date_text(t, group_name=group_name, when=when))]


def no_date_channel_text(t: Translator, mentor_id: str) -> Mrkdwn:
    """The channel's one plain line when no date worked for everyone."""
    return md(
        t.gettext("No date worked for everyone yet; {mentor} will pick one or suggest new dates."),
        mentor=mention(mentor_id),
    )


def reminder_text(t: Translator, *, group_name: str, deadline: str, permalink_hint: str) -> Mrkdwn:
    """`permalink_hint` is mrkdwn the bot made (a channel link, as Mrkdwn) or plain text."""
    return message_text(
        md(
            t.gettext(
                "Reminder: your mentor group {name} is finding a date to meet. "
                "Please answer every date in the poll in {where} by {deadline}."
            ),
            name=bold(shortened(group_name, MAX_NAME)),
            where=permalink_hint,
            deadline=shortened(deadline, MAX_WHEN),
        )
    )


def _vote_buttons(t: Translator, poll_id: int, option_id: int) -> ActionsBlock:
    """Yes / If need be / No on one date: the same action ids and values wherever they are
    shown (the poll, a reminder), so every vote goes through the same listener and checks."""
    return ActionsBlock(
        block_id=f"poll{poll_id}_vote{option_id}",
        elements=[
            ButtonElement(
                text=button_text(f"{ANSWER_ICONS[answer]} {_answer_label(t, answer)}"),
                action_id=vote_action_id(answer),
                value=vote_value(poll_id, option_id),
            )
            for answer in Answer
        ],
    )


_SLACK_LINK = re.compile(r"https://[^\s<>|]+")


def poll_link(t: Translator, permalink: str | None) -> Mrkdwn:
    """ "Open the poll" linked to the poll's message (a permalink Slack gave), or nothing."""
    if permalink is None or not _SLACK_LINK.fullmatch(permalink):
        return Mrkdwn("")
    label = escape(t.gettext("Open the poll in the channel"))
    return Mrkdwn(f"<{escape(permalink)}|{label}>")


@dataclass(frozen=True)
class UnansweredDate:
    """A date of the poll the reminded person has not answered yet."""

    option_id: int
    when: str


def poll_reminder_blocks(
    t: Translator,
    *,
    text: str,
    poll_id: int,
    unanswered: Sequence[UnansweredDate],
    permalink: str | None,
) -> list[Block]:
    """The poll reminder: what it is about (`text`, mrkdwn the bot wrote), each date the
    person has not answered with its vote buttons, a link to the poll, and "Remind me
    later"; with none left to answer, a thank-you instead of the dates. In the reader's
    language (`t`)."""
    intro, *snooze = reminder_with_snooze_blocks(t, text)
    blocks: list[Block] = [intro]
    for date in unanswered:
        blocks.append(
            section(
                md("{when}", when=bold(shortened(date.when, MAX_WHEN))),
                block_id=f"poll{poll_id}_remind{date.option_id}",
            )
        )
        blocks.append(_vote_buttons(t, poll_id, date.option_id))
    if not unanswered:
        blocks.append(section(t.gettext("✅ Thank you: you have answered every date.")))
    link = poll_link(t, permalink)
    if link:
        blocks.append(context(link))
    return [*blocks, *(snooze if unanswered else [])]
