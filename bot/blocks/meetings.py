"""Meeting logs, "did you meet?", group status and theme suggestions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
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
    ATTENDANCE_MODAL,
    DID_MEET,
    DID_NOT_MEET,
    FIX_ATTENDANCE,
    LOG_MODAL,
    MEETING_DELETE,
)
from bot.blocks.polls import start_poll_button

MAX_ATTENDEE_OPTIONS = 10
"""Slack allows 10 options in a checkbox group; a mentor group is far smaller."""

NOTE_MAX_LENGTH = 3000
"""As the meeting's `mentor_note` column holds."""


@dataclass(frozen=True)
class MemberChoice:
    user_id: str
    name: str


@dataclass(frozen=True)
class ThemeOption:
    theme_id: int
    name: str


def _attendee_checkboxes(
    members: Sequence[MemberChoice], ticked: Sequence[str]
) -> CheckboxesElement:
    options = [
        Option(text=member.name[:75], value=member.user_id)
        for member in members[:MAX_ATTENDEE_OPTIONS]
    ]
    initial = [option for option in options if option.value in set(ticked)]
    return CheckboxesElement(action_id="value", options=options, initial_options=initial or None)


def log_modal(
    *,
    group_id: int,
    group_name: str,
    starts_at: datetime,
    members: Sequence[MemberChoice],
    themes: Sequence[ThemeOption],
) -> View:
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"Log a meeting of *{group_name}*.")),
        InputBlock(
            block_id="when",
            label="When did you meet?",
            element=DateTimePickerElement(
                action_id="value", initial_date_time=int(starts_at.timestamp())
            ),
        ),
        InputBlock(
            block_id="attendees",
            label="Who came?",
            element=_attendee_checkboxes(members, [m.user_id for m in members]),
        ),
    ]
    if themes:
        blocks.append(
            InputBlock(
                block_id="theme",
                label="What did you talk about?",
                optional=True,
                element=StaticSelectElement(
                    action_id="value",
                    placeholder="Pick a theme",
                    options=[Option(text=t.name[:75], value=str(t.theme_id)) for t in themes[:100]],
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id="note",
            label="Private note",
            optional=True,
            element=PlainTextInputElement(
                action_id="value", multiline=True, max_length=NOTE_MAX_LENGTH
            ),
            hint="Only you will ever see this note: it is in no digest, report or export.",
        )
    )
    return View(
        type="modal",
        callback_id=LOG_MODAL,
        private_metadata=str(group_id),
        title=PlainTextObject(text="Log a meeting"),
        submit=PlainTextObject(text="Log it"),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks,
    )


def attendance_modal(
    *, meeting_id: int, when: str, members: Sequence[MemberChoice], present: Sequence[str]
) -> View:
    return View(
        type="modal",
        callback_id=ATTENDANCE_MODAL,
        private_metadata=str(meeting_id),
        title=PlainTextObject(text="Who came?"),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=f"The meeting on *{when}*.")),
            InputBlock(
                block_id="attendees",
                label="Who came?",
                element=_attendee_checkboxes(members, present),
            ),
        ],
    )


def logged_text(*, number: int, minimum: int, when: str, theme: str | None) -> str:
    about = f" about _{theme}_" if theme else ""
    return f"📝 Meeting {number} logged ({when}{about}), at least {minimum} this term."


@dataclass(frozen=True)
class LoggedMeetingLine:
    meeting_id: int
    when: str
    attendees: int
    theme: str | None
    note: str | None


def log_list_blocks(
    *, group_name: str, lines: Sequence[LoggedMeetingLine], minimum: int, can_delete: bool
) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=f"Meetings of {group_name}"[:150])]
    if not lines:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text="No meetings logged yet: `/mentor log WHEN`.")
            )
        )
    for number, line in enumerate(lines[:40], start=1):
        text = f"*{number}. {line.when}* · {line.attendees} came"
        if line.theme:
            text += f" · {line.theme}"
        if line.note:
            text += f"\n_Your private note:_ {line.note[:500]}"
        accessory = (
            ButtonElement(
                text="Delete",
                action_id=MEETING_DELETE,
                value=str(line.meeting_id),
                style="danger",
                confirm=ConfirmObject(
                    title="Delete this meeting?",
                    text="Use this for a meeting logged by mistake.",
                    confirm="Delete",
                    deny="Keep",
                ),
            )
            if can_delete
            else None
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text), accessory=accessory))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"{len(lines)} held; the group meets at least {minimum} times."
                )
            ]
        )
    )
    return blocks


def did_you_meet_blocks(*, meeting_id: int, group_name: str, when: str) -> list[Block]:
    return [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"Did *{group_name}* meet on *{when}*? It isn't logged yet."
            )
        ),
        ActionsBlock(
            block_id="did_you_meet",
            elements=[
                ButtonElement(
                    text="Yes, we met", action_id=DID_MEET, value=str(meeting_id), style="primary"
                ),
                ButtonElement(text="No", action_id=DID_NOT_MEET, value=str(meeting_id)),
            ],
        ),
    ]


def met_answer_blocks(*, text: str, meeting_id: int) -> list[Block]:
    return [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(
            block_id="fix_attendance",
            elements=[
                ButtonElement(
                    text="Change who came", action_id=FIX_ATTENDANCE, value=str(meeting_id)
                )
            ],
        ),
    ]


def not_met_blocks(*, group_id: int) -> list[Block]:
    return [
        SectionBlock(
            text=MarkdownTextObject(text="Thanks for letting me know. Find a new date with a poll:")
        ),
        start_poll_button(group_id),
    ]


@dataclass(frozen=True)
class StatusView:
    group_name: str
    held: int
    minimum: int
    next_meeting: str | None
    open_polls: int
    themes_covered: tuple[str, ...]


def status_blocks(view: StatusView) -> list[Block]:
    next_meeting = view.next_meeting or "none planned"
    covered = ", ".join(view.themes_covered) or "none yet"
    return [
        HeaderBlock(text=f"{view.group_name}"[:150]),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*Meetings held*\n{view.held} of at least {view.minimum}"),
                MarkdownTextObject(text=f"*Next meeting*\n{next_meeting}"),
                MarkdownTextObject(text=f"*Open polls*\n{view.open_polls}"),
                MarkdownTextObject(text=f"*Themes covered*\n{covered}"),
            ]
        ),
    ]


@dataclass(frozen=True)
class SuggestedTheme:
    name: str
    prompts: tuple[str, ...]
    own: bool


def theme_suggestion_blocks(themes: Sequence[SuggestedTheme], *, intro: str) -> list[Block]:
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=intro))]
    for theme in themes:
        mark = " (your group's idea)" if theme.own else ""
        prompts = "\n".join(f"• {prompt}" for prompt in theme.prompts[:3])
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=f"*{theme.name}*{mark}\n{prompts}".strip()))
        )
    return blocks
