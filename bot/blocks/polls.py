"""The availability poll: the message in the channel (open and closed), the modal that
starts one, and the announcements around it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DateTimePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.ids import (
    POLL_CANCEL,
    POLL_CLOSE,
    POLL_MODAL,
    POLL_VOTE_PREFIX,
    START_POLL,
)
from bot.domain.polls import DEFAULT_LENGTH_MINUTES, MAX_OPTIONS, Answer

ANSWER_ICONS = {Answer.YES: "✅", Answer.IF_NEED_BE: "🤔", Answer.NO: "❌"}
MODAL_PICKERS = 3
LENGTH_CHOICES = (45, 60, 90, 120, 150)


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


def vote_action_id(answer: Answer) -> str:
    return f"{POLL_VOTE_PREFIX}{answer.value}"


def vote_value(poll_id: int, option_id: int) -> str:
    return f"{poll_id}:{option_id}"


def _people(user_ids: Sequence[str]) -> str:
    return " ".join(f"<@{user_id}>" for user_id in user_ids)


def _tally_line(option: OptionView) -> str:
    parts = []
    for answer, voters in (
        (Answer.YES, option.yes),
        (Answer.IF_NEED_BE, option.if_need_be),
        (Answer.NO, option.no),
    ):
        part = f"{ANSWER_ICONS[answer]} {len(voters)}"
        if voters:
            part += f" {_people(voters)}"
        parts.append(part)
    return "   ".join(parts)


def poll_message_blocks(view: PollView) -> list[Block]:
    is_open = view.state == "open"
    blocks: list[Block] = [
        HeaderBlock(text="When shall we meet?" if is_open else "Date poll closed"),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"<@{view.mentor_id}> suggests these dates ({view.length_minutes} min). "
                + (
                    f"Click an answer for each date; click again to change it. "
                    f"Answers close *{view.deadline}*."
                    if is_open
                    else ""
                )
            )
        ),
    ]
    for option in view.options:
        mark = "🏆 " if option.is_winner else ""
        blocks.append(
            SectionBlock(
                block_id=f"poll{view.poll_id}_option{option.option_id}",
                text=MarkdownTextObject(text=f"{mark}*{option.when}*\n{_tally_line(option)}"),
            )
        )
        if is_open:
            blocks.append(
                ActionsBlock(
                    block_id=f"poll{view.poll_id}_vote{option.option_id}",
                    elements=[
                        ButtonElement(
                            text=f"{ANSWER_ICONS[answer]} {answer.label}",
                            action_id=vote_action_id(answer),
                            value=vote_value(view.poll_id, option.option_id),
                        )
                        for answer in Answer
                    ],
                )
            )
    if is_open:
        waiting = (
            f"Waiting for answers from {_people(view.waiting_for)}."
            if view.waiting_for
            else "Everyone has answered."
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=waiting)]))
        blocks.append(
            ActionsBlock(
                block_id=f"poll{view.poll_id}_manage",
                elements=[
                    ButtonElement(text="Close now", action_id=POLL_CLOSE, value=str(view.poll_id)),
                    ButtonElement(
                        text="Cancel poll",
                        action_id=POLL_CANCEL,
                        value=str(view.poll_id),
                        style="danger",
                        confirm=ConfirmObject(
                            title="Cancel this poll?",
                            text="The votes are kept, but no date will be chosen.",
                            confirm="Cancel poll",
                            deny="Keep it",
                        ),
                    ),
                ],
            )
        )
    elif view.result:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=view.result)))
    return blocks


def poll_message_text(view: PollView) -> str:
    if view.state == "open":
        return f"Date poll: {len(view.options)} dates to answer by {view.deadline}"
    return view.result or "Date poll closed"


def poll_modal(*, group_id: int, group_name: str) -> View:
    length_options = [
        Option(text=f"{minutes} minutes", value=str(minutes)) for minutes in LENGTH_CHOICES
    ]
    initial_length = next(o for o in length_options if o.value == str(DEFAULT_LENGTH_MINUTES))
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"Suggest 2–{MAX_OPTIONS} dates for *{group_name}*. Type them, pick them, "
                "or both."
            )
        ),
        InputBlock(
            block_id="options_text",
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
            block_id=f"picked_{index}",
            label=f"Or pick date {index}",
            optional=True,
            element=DateTimePickerElement(action_id="value"),
        )
        for index in range(1, MODAL_PICKERS + 1)
    ]
    blocks += [
        InputBlock(
            block_id="length",
            label="Meeting length",
            element=StaticSelectElement(
                action_id="value", options=length_options, initial_option=initial_length
            ),
        ),
        InputBlock(
            block_id="deadline",
            label="Answer by",
            optional=True,
            element=PlainTextInputElement(action_id="value", placeholder="e.g. wed 12:00"),
            hint="Leave empty for 48 hours from now (never later than the first date).",
        ),
    ]
    return View(
        type="modal",
        callback_id=POLL_MODAL,
        private_metadata=str(group_id),
        title=PlainTextObject(text="New date poll"),
        submit=PlainTextObject(text="Post poll"),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks,
    )


def start_poll_button(group_id: int) -> ActionsBlock:
    return ActionsBlock(
        block_id="start_poll",
        elements=[
            ButtonElement(
                text="Start a date poll", action_id=START_POLL, value=str(group_id), style="primary"
            )
        ],
    )


def no_date_possible_blocks(*, mentor_id: str, group_id: int) -> list[Block]:
    return [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"No date in that poll works for everyone who must be there, <@{mentor_id}>. "
                "Try a new poll with other dates:"
            )
        ),
        start_poll_button(group_id),
    ]


def reminder_text(*, group_name: str, deadline: str, permalink_hint: str) -> str:
    return (
        f"Reminder: your mentor group *{group_name}* is finding a date to meet. "
        f"Please answer every date in the poll in {permalink_hint} by {deadline}."
    )


def day_before_text(*, when: str) -> str:
    return f"Reminder: the group meets tomorrow, *{when}*. See you there!"
