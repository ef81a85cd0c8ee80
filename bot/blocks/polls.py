"""The availability poll: the message in the channel (open and closed), the modal that
starts one, and the announcements around it."""

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
    context,
    escape,
    header,
    join,
    md,
    mention,
    mentions,
    message_text,
    modal_text,
    section,
    shortened,
)
from bot.domain.digest import counted
from bot.domain.limits import MAX_MEETING_PLACE
from bot.domain.polls import DEFAULT_LENGTH_MINUTES, LENGTH_CHOICES, MAX_OPTIONS, Answer

ANSWER_ICONS = {Answer.YES: "✅", Answer.IF_NEED_BE: "🤔", Answer.NO: "❌"}
MODAL_PICKERS = 3
MAX_WHEN = 200
"""A date as shown (bot-made: "Thu 3 Dec, 16:00"; cut to this in case it ever is not)."""
MAX_NAME = 200
"""A group name is cut to this before it is escaped into a message."""


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


def place_line(where: str | None) -> Mrkdwn:
    """ "📍 Where: PLACE" (escaped), or nothing when no place was given."""
    if not where:
        return Mrkdwn("")
    return md("📍 Where: {place}", place=shortened(where, MAX_MEETING_PLACE))


def _with_place(text: Mrkdwn, where: str | None) -> Mrkdwn:
    return md("{text}\n{place}", text=text, place=place_line(where)) if where else text


def vote_action_id(answer: Answer) -> str:
    return f"{POLL_VOTE_PREFIX}{answer.value}"


def vote_value(poll_id: int, option_id: int) -> str:
    return f"{poll_id}:{option_id}"


def _tally_line(option: OptionView) -> Mrkdwn:
    """ "✅ Yes 2: @Ada, @Cleo · 🤔 If need be 1: @Bo · ❌ No 0": words and counts a screen
    reader reads out, not only icons."""
    parts = []
    for answer, voters in (
        (Answer.YES, option.yes),
        (Answer.IF_NEED_BE, option.if_need_be),
        (Answer.NO, option.no),
    ):
        part = md(
            "{icon} {label} {count}",
            icon=ANSWER_ICONS[answer],
            label=answer.label,
            count=len(voters),
        )
        if voters:
            part = md("{part}: {people}", part=part, people=mentions(voters, ", "))
        parts.append(part)
    return join(parts, " · ")


def poll_message_blocks(view: PollView) -> list[Block]:
    """The poll's message: its intro, each date with its tally (and, while open, the vote
    buttons and "None of these work for me"), then the waiting line, or the result once
    closed. Only what every member can do: the mentor's buttons go to the mentor alone."""
    is_open = view.state == "open"
    winner = next((option for option in view.options if option.is_winner), None)
    if not is_open and winner is not None:
        return _result_blocks(view, winner)
    blocks = _intro_blocks(view, is_open=is_open)
    for option in view.options:
        blocks.extend(_option_blocks(view.poll_id, option, is_open=is_open))
    if is_open:
        blocks.append(_none_works_button(view.poll_id))
        blocks.extend(_open_footer_blocks(view))
    elif view.result:
        # The result is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here).
        blocks.append(section(view.result))
    return blocks


CALENDAR_IN_THREAD = (
    "📎 The calendar file (.ics) is in this message's thread: open it to add the meeting "
    "to your calendar."
)


def _result_blocks(view: PollView, winner: OptionView) -> list[Block]:
    """A poll that ended in a date, shown as its result: when and where, who said yes (in
    words and counts), and where the calendar file is. The poll's message becomes this, so
    the channel reads the outcome once."""
    result = view.result or md("📅 The group meets {when}.", when=bold(winner.when))
    return [
        header("🏆 The date is set"),
        section(
            _with_place(md("{result}", result=result), view.where), block_id=_result_block(view)
        ),
        section(_tally_line(winner), block_id=f"poll{view.poll_id}_option{winner.option_id}"),
        context(CALENDAR_IN_THREAD),
    ]


def _result_block(view: PollView) -> str:
    return f"poll{view.poll_id}_result"


def _intro_blocks(view: PollView, *, is_open: bool) -> list[Block]:
    how = (
        md(
            "Click an answer for each date; click again to change it. Answers close {deadline}.",
            deadline=bold(shortened(view.deadline, MAX_WHEN)),
        )
        if is_open
        else ""
    )
    return [
        header("When shall we meet?" if is_open else "Date poll closed"),
        section(
            _with_place(
                md(
                    "{mentor} suggests these dates ({length} min). {how}",
                    mentor=mention(view.mentor_id),
                    length=view.length_minutes,
                    how=how,
                ),
                view.where,
            )
        ),
    ]


def _option_blocks(poll_id: int, option: OptionView, *, is_open: bool) -> list[Block]:
    """One date: when, with its tally; while the poll is open, a button per answer."""
    blocks: list[Block] = [
        section(
            md(
                "{mark}{when}\n{tally}",
                mark="🏆 " if option.is_winner else "",
                when=bold(shortened(option.when, MAX_WHEN)),
                tally=_tally_line(option),
            ),
            block_id=f"poll{poll_id}_option{option.option_id}",
        )
    ]
    if is_open:
        blocks.append(_vote_buttons(poll_id, option.option_id))
    return blocks


def _none_works_button(poll_id: int) -> ActionsBlock:
    """One button for the whole poll: "no" to every date at once."""
    return ActionsBlock(
        block_id=f"poll{poll_id}_none",
        elements=[
            ButtonElement(
                text="None of these work for me", action_id=POLL_NONE_WORKS, value=str(poll_id)
            )
        ],
    )


def _none_work_line(view: PollView) -> Mrkdwn | None:
    if not view.none_work:
        return None
    return md("None of these dates work for {people}.", people=mentions(view.none_work, ", "))


def _open_footer_blocks(view: PollView) -> list[Block]:
    """Who has yet to answer, and who none of the dates work for. The mentor's buttons are
    not here: every member sees this message (see `mentor_poll_controls`)."""
    waiting = (
        md("Waiting for answers from {people}.", people=mentions(view.waiting_for))
        if view.waiting_for
        else "Everyone has answered."
    )
    none_work = _none_work_line(view)
    return [context(waiting), *([context(none_work)] if none_work else [])]


MENTOR_CONTROLS_TEXT = (
    "Your poll is up. Only you see this: close it now, cancel it, add a date or move the deadline."
)
RUNNING_POLL_CONTROLS_TEXT = "Your group's poll is running. Only you see these buttons."


def mentor_poll_controls(poll_id: int, *, just_posted: bool = False) -> list[Block]:
    """What only the group's mentors see (an ephemeral): close now, cancel, add a date and
    move the deadline. Worded for where it is shown: right after the poll is posted, or
    under the group's status (`just_posted` False)."""
    intro = (
        "Your poll is up. Only you see this message." if just_posted else RUNNING_POLL_CONTROLS_TEXT
    )
    return [
        section(
            md(
                "{intro}\nOr type `/mentor poll add WHEN` or `/mentor poll deadline WHEN`.",
                intro=intro,
            )
        ),
        ActionsBlock(
            block_id=f"poll{poll_id}_manage",
            elements=[
                ButtonElement(text="Add a date", action_id=POLL_ADD_DATE, value=str(poll_id)),
                ButtonElement(
                    text="Move the deadline", action_id=POLL_MOVE_DEADLINE, value=str(poll_id)
                ),
                ButtonElement(text="Close now", action_id=POLL_CLOSE, value=str(poll_id)),
                ButtonElement(
                    text="Cancel poll",
                    action_id=POLL_CANCEL,
                    value=str(poll_id),
                    style="danger",
                    confirm=ConfirmObject(
                        title="Cancel this poll?",
                        text="The votes are kept, but no date will be chosen.",
                        confirm="Cancel poll",
                        deny="Keep it",
                    ),
                ),
            ],
        ),
    ]


def poll_change_modal(*, poll_id: int, adding: bool) -> View:
    """The small form behind "Add a date" (`adding`) or "Move the deadline": one date,
    read by the same rules as `/mentor poll add WHEN` and `/mentor poll deadline WHEN`."""
    return View(
        type="modal",
        callback_id=POLL_ADD_DATE_MODAL if adding else POLL_DEADLINE_MODAL,
        private_metadata=str(poll_id),
        title=PlainTextObject(text=modal_text("Add a date" if adding else "Move the deadline")),
        submit=PlainTextObject(text=modal_text("Add it" if adding else "Move it")),
        close=PlainTextObject(text=modal_text("Cancel")),
        blocks=[
            InputBlock(
                block_id=POLL_CHANGE_WHEN,
                label="New date and time" if adding else "New deadline",
                element=PlainTextInputElement(
                    action_id="value",
                    placeholder="e.g. fri 14:00" if adding else "e.g. wed 12:00",
                ),
                hint=(
                    "A day and a time, like “fri 14:00” or “2/12 16:30”; after the deadline."
                    if adding
                    else "A day and a time, like “wed 12:00”; not after the first date."
                ),
            )
        ],
    )


def poll_change_done_modal(done: str) -> View:
    """What the change form shows once the poll was changed (`done`: the service's words,
    mrkdwn the bot wrote)."""
    return View(
        type="modal",
        title=PlainTextObject(text=modal_text("Poll changed")),
        close=PlainTextObject(text=modal_text("Done")),
        blocks=[section(md("✅ {done}", done=done))],
    )


def poll_message_text(view: PollView) -> Mrkdwn:
    if view.state == "open":
        return message_text(
            md(
                "Date poll: {dates} to answer by {deadline}",
                dates=counted(len(view.options), "date"),
                deadline=shortened(view.deadline, MAX_WHEN),
            )
        )
    return message_text(view.result or "Date poll closed")


def poll_modal(*, group_id: int, group_name: str) -> View:
    length_options = [
        Option(text=f"{minutes} minutes", value=str(minutes)) for minutes in LENGTH_CHOICES
    ]
    initial_length = next(o for o in length_options if o.value == str(DEFAULT_LENGTH_MINUTES))
    blocks: list[Block] = [
        section(
            md(
                "Suggest 2–{most} dates for {name}. Type them, pick them, or both.",
                most=MAX_OPTIONS,
                name=bold(shortened(group_name, MAX_NAME)),
            )
        ),
        InputBlock(
            block_id=OPTIONS_TEXT,
            label="Dates, one per line",
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                placeholder="thu 16:00\nfri 14:00\n7 Dec 10:00",
            ),
            hint="Write a day and a time, like “thu 16:00” or “2/12 16:30”.",
        ),
    ]
    blocks += [
        InputBlock(
            block_id=picked_block(index),
            label=f"Or pick date {index}",
            optional=True,
            element=DateTimePickerElement(action_id="value"),
        )
        for index in range(1, MODAL_PICKERS + 1)
    ]
    blocks += [
        InputBlock(
            block_id=LENGTH,
            label="Meeting length",
            element=StaticSelectElement(
                action_id="value", options=length_options, initial_option=initial_length
            ),
        ),
        InputBlock(
            block_id=DEADLINE,
            label="Answer by",
            optional=True,
            element=PlainTextInputElement(action_id="value", placeholder="e.g. wed 12:00"),
            hint="Leave empty for 48 hours from now (never later than the first date).",
        ),
        InputBlock(
            block_id=WHERE,
            label="Where?",
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                max_length=MAX_MEETING_PLACE,
                placeholder="e.g. Room 2.14, or a video link",
            ),
            hint="A room or a video link (https://…); it goes into the calendar file.",
        ),
    ]
    return View(
        type="modal",
        callback_id=POLL_MODAL,
        private_metadata=str(group_id),
        title=PlainTextObject(text=modal_text("New date poll")),
        submit=PlainTextObject(text=modal_text("Post poll")),
        close=PlainTextObject(text=modal_text("Cancel")),
        blocks=blocks,
    )


def start_poll_button(group_id: int, *, label: str = "Start a date poll") -> ActionsBlock:
    return ActionsBlock(
        block_id="start_poll",
        elements=[
            ButtonElement(text=label, action_id=START_POLL, value=str(group_id), style="primary")
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


def candidate_tally(candidate: CandidateView) -> Mrkdwn:
    """ "Wed 10 Feb, 16:00: 3 yes, 1 if need be, 1 unanswered" (counts that are 0 left out,
    except yes)."""
    counts = [f"{candidate.yes} yes"] + [
        f"{count} {label}"
        for count, label in (
            (candidate.if_need_be, "if need be"),
            (candidate.no, "no"),
            (candidate.unanswered, "unanswered"),
        )
        if count
    ]
    return md(
        "{when}: {counts}",
        when=bold(shortened(candidate.when, MAX_WHEN)),
        counts=", ".join(counts),
    )


def no_date_choice_blocks(
    *, group_id: int, group_name: str, candidates: Sequence[CandidateView]
) -> list[Block]:
    """The mentor's private choice when no date worked for everyone: the best dates with
    their tallies, each with "Pick it", and "Start a new poll"."""
    blocks: list[Block] = [
        section(
            md(
                "No date in the poll for {name} worked for everyone. "
                "Pick one of the best, or start a new poll with other dates:",
                name=bold(shortened(group_name, MAX_NAME)),
            )
        )
    ]
    for candidate in candidates:
        blocks.append(
            section(
                md("{tally} — pick it?", tally=candidate_tally(candidate)),
                block_id=f"poll{candidate.poll_id}_candidate{candidate.option_id}",
                accessory=ButtonElement(
                    text="Pick it",
                    action_id=POLL_PICK,
                    value=vote_value(candidate.poll_id, candidate.option_id),
                ),
            )
        )
    blocks.append(start_poll_button(group_id, label="Start a new poll"))
    return blocks


def no_date_channel_text(mentor_id: str) -> Mrkdwn:
    """The channel's one plain line when no date worked for everyone."""
    return md(
        "No date worked for everyone yet; {mentor} will pick one or suggest new dates.",
        mentor=mention(mentor_id),
    )


def reminder_text(*, group_name: str, deadline: str, permalink_hint: str) -> Mrkdwn:
    """`permalink_hint` is mrkdwn the bot made (a channel link, as Mrkdwn) or plain text."""
    return message_text(
        md(
            "Reminder: your mentor group {name} is finding a date to meet. "
            "Please answer every date in the poll in {where} by {deadline}.",
            name=bold(shortened(group_name, MAX_NAME)),
            where=permalink_hint,
            deadline=shortened(deadline, MAX_WHEN),
        )
    )


def _vote_buttons(poll_id: int, option_id: int) -> ActionsBlock:
    """Yes / If need be / No on one date: the same action ids and values wherever they are
    shown (the poll, a reminder), so every vote goes through the same listener and checks."""
    return ActionsBlock(
        block_id=f"poll{poll_id}_vote{option_id}",
        elements=[
            ButtonElement(
                text=f"{ANSWER_ICONS[answer]} {answer.label}",
                action_id=vote_action_id(answer),
                value=vote_value(poll_id, option_id),
            )
            for answer in Answer
        ],
    )


_SLACK_LINK = re.compile(r"https://[^\s<>|]+")


def poll_link(permalink: str | None) -> Mrkdwn:
    """ "Open the poll" linked to the poll's message (a permalink Slack gave), or nothing."""
    if permalink is None or not _SLACK_LINK.fullmatch(permalink):
        return Mrkdwn("")
    return Mrkdwn(f"<{escape(permalink)}|Open the poll in the channel>")


@dataclass(frozen=True)
class UnansweredDate:
    """A date of the poll the reminded person has not answered yet."""

    option_id: int
    when: str


def poll_reminder_blocks(
    *, text: str, poll_id: int, unanswered: Sequence[UnansweredDate], permalink: str | None
) -> list[Block]:
    """The poll reminder: what it is about (`text`, mrkdwn the bot wrote), each date the
    person has not answered with its vote buttons, a link to the poll, and "Remind me
    later"; with none left to answer, a thank-you instead of the dates."""
    intro, *snooze = reminder_with_snooze_blocks(text)
    blocks: list[Block] = [intro]
    for date in unanswered:
        blocks.append(
            section(
                md("{when}", when=bold(shortened(date.when, MAX_WHEN))),
                block_id=f"poll{poll_id}_remind{date.option_id}",
            )
        )
        blocks.append(_vote_buttons(poll_id, date.option_id))
    if not unanswered:
        blocks.append(section("✅ Thank you: you have answered every date."))
    link = poll_link(permalink)
    if link:
        blocks.append(context(link))
    return [*blocks, *(snooze if unanswered else [])]


def day_before_text(*, when: str, where: str | None = None) -> Mrkdwn:
    return message_text(
        md(
            "Reminder: the group meets tomorrow, {when}{at}. See you there!",
            when=bold(shortened(when, MAX_WHEN)),
            at=md(" at {place}", place=shortened(where, MAX_MEETING_PLACE)) if where else "",
        )
    )
