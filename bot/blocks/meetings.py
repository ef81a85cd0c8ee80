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
    DateTimePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.ids import (
    ATTENDANCE_MODAL,
    ATTENDEES,
    DID_MEET,
    DID_NOT_MEET,
    FIX_ATTENDANCE,
    LOG_MODAL,
    MEETING_DELETE,
    MEETING_THEME,
    MORE_IDEAS,
    NOTE,
    THEME,
    WHEN,
)
from bot.blocks.polls import place_line, start_poll_button
from bot.blocks.text import (
    CHECKBOX_OPTIONS,
    MESSAGE_BLOCKS,
    SELECT_OPTIONS,
    Mrkdwn,
    bold,
    context,
    fields,
    header,
    italic,
    join,
    md,
    message_text,
    modal_text,
    option_text,
    section,
    shortened,
)
from bot.domain.digest import times

MAX_ATTENDEE_OPTIONS = CHECKBOX_OPTIONS
"""Slack allows 10 options in a checkbox group; a mentor group is far smaller."""
MAX_NAME = 200
"""A group or theme name, or a date as shown, is cut to this before it is escaped."""
MAX_SHOWN_NOTE = 500
"""A private note is shown up to this many characters in the list of meetings."""
MAX_PROMPT = 300
MAX_LISTED_MEETINGS = 40
MAX_SUGGESTIONS = MESSAGE_BLOCKS - 1
"""Theme suggestions, one section each after the intro."""

NOTE_MAX_LENGTH = 3000
"""As the meeting's `mentor_note` column holds."""


def _when(when: str) -> str:
    """A moment as shown: a date token (Mrkdwn) kept whole, plain text cut to MAX_NAME."""
    return when if isinstance(when, Mrkdwn) else shortened(when, MAX_NAME)


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
        Option(text=option_text(member.name), value=member.user_id)
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
        section(md("Log a meeting of {name}.", name=bold(shortened(group_name, MAX_NAME)))),
        InputBlock(
            block_id=WHEN,
            label="When did you meet?",
            element=DateTimePickerElement(
                action_id="value", initial_date_time=int(starts_at.timestamp())
            ),
        ),
        InputBlock(
            block_id=ATTENDEES,
            label="Who came?",
            element=_attendee_checkboxes(members, [m.user_id for m in members]),
        ),
    ]
    if themes:
        blocks.append(
            InputBlock(
                block_id=THEME,
                label="What did you talk about?",
                optional=True,
                element=StaticSelectElement(
                    action_id="value",
                    placeholder="Pick a theme",
                    options=[
                        Option(text=option_text(t.name), value=str(t.theme_id))
                        for t in themes[:SELECT_OPTIONS]
                    ],
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=NOTE,
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
        title=PlainTextObject(text=modal_text("Log a meeting")),
        submit=PlainTextObject(text=modal_text("Log it")),
        close=PlainTextObject(text=modal_text("Cancel")),
        blocks=blocks,
    )


def attendance_modal(
    *, meeting_id: int, when: str, members: Sequence[MemberChoice], present: Sequence[str]
) -> View:
    return View(
        type="modal",
        callback_id=ATTENDANCE_MODAL,
        private_metadata=str(meeting_id),
        title=PlainTextObject(text=modal_text("Who came?")),
        submit=PlainTextObject(text=modal_text("Save")),
        close=PlainTextObject(text=modal_text("Cancel")),
        blocks=[
            section(md("The meeting on {when}.", when=bold(_when(when)))),
            InputBlock(
                block_id=ATTENDEES,
                label="Who came?",
                element=_attendee_checkboxes(members, present),
            ),
        ],
    )


def logged_text(*, number: int, minimum: int, when: str, theme: str | None) -> Mrkdwn:
    about = md(" about {theme}", theme=italic(shortened(theme, MAX_NAME))) if theme else ""
    return message_text(
        md(
            "📝 Meeting {number} logged ({when}{about}), at least {minimum} this term.",
            number=number,
            when=_when(when),
            about=about,
            minimum=minimum,
        )
    )


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
    blocks: list[Block] = [header(f"Meetings of {group_name}")]
    if not lines:
        blocks.append(section("No meetings logged yet: `/mentor log WHEN`."))
    for number, line in enumerate(lines[:MAX_LISTED_MEETINGS], start=1):
        text = md(
            "{title} · {attendees} came",
            title=bold(md("{number}. {when}", number=number, when=_when(line.when))),
            attendees=line.attendees,
        )
        if line.theme:
            text = md("{text} · {theme}", text=text, theme=shortened(line.theme, MAX_NAME))
        if line.note:
            text = md(
                "{text}\n_Your private note:_ {note}",
                text=text,
                note=shortened(line.note, MAX_SHOWN_NOTE),
            )
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
        blocks.append(section(text, accessory=accessory))
    blocks.append(context(f"{len(lines)} held; the group meets at least {times(minimum)}."))
    return blocks


def did_you_meet_blocks(*, meeting_id: int, group_name: str, when: str) -> list[Block]:
    return [
        section(
            md(
                "Did {name} meet on {when}? It isn't logged yet.",
                name=bold(shortened(group_name, MAX_NAME)),
                when=bold(_when(when)),
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


def met_answer_blocks(
    *,
    text: str,
    meeting_id: int,
    themes: Sequence[ThemeOption] = (),
    theme_id: int | None = None,
) -> list[Block]:
    """`text` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here). With the
    group's `themes`, a select sets what the meeting was about (`theme_id` shown picked);
    each option's value is "MEETING_ID:THEME_ID"."""
    elements: list[StaticSelectElement | ButtonElement] = []
    if themes:
        options = [
            Option(text=option_text(t.name), value=f"{meeting_id}:{t.theme_id}")
            for t in themes[:SELECT_OPTIONS]
        ]
        picked = next((o for o in options if o.value == f"{meeting_id}:{theme_id}"), None)
        elements.append(
            StaticSelectElement(
                action_id=MEETING_THEME,
                placeholder="What did you talk about?",
                options=options,
                initial_option=picked,
            )
        )
    elements.append(
        ButtonElement(text="Change who came", action_id=FIX_ATTENDANCE, value=str(meeting_id))
    )
    return [section(text), ActionsBlock(block_id="fix_attendance", elements=elements)]


def attendance_saved_view(*, came: int, members: int) -> View:
    """What the "Who came?" form shows once saved."""
    return View(
        type="modal",
        title=PlainTextObject(text=modal_text("Who came?")),
        close=PlainTextObject(text=modal_text("Done")),
        blocks=[section(md("Saved: {came} of {members} came.", came=came, members=members))],
    )


def not_met_blocks(*, group_id: int) -> list[Block]:
    return [
        section("Thanks for letting me know. Find a new date with a poll:"),
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
    next_place: str | None = None


def status_blocks(view: StatusView) -> list[Block]:
    next_meeting = _when(view.next_meeting or "none planned")
    if view.next_meeting and view.next_place:
        next_meeting = md("{when}\n{place}", when=next_meeting, place=place_line(view.next_place))
    covered = ", ".join(shortened(theme, MAX_NAME) for theme in view.themes_covered)
    return [
        header(view.group_name),
        fields(
            [
                md(
                    "*Meetings held*\n{held} of at least {minimum}",
                    held=view.held,
                    minimum=view.minimum,
                ),
                md("*Next meeting*\n{when}", when=next_meeting),
                md("*Open polls*\n{count}", count=view.open_polls),
                md("*Themes covered*\n{covered}", covered=covered or "none yet"),
            ]
        ),
    ]


@dataclass(frozen=True)
class SuggestedTheme:
    name: str
    prompts: tuple[str, ...]
    own: bool


def theme_suggestion_blocks(themes: Sequence[SuggestedTheme], *, intro: str) -> list[Block]:
    """`intro` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here)."""
    blocks: list[Block] = [section(intro)]
    for theme in themes[:MAX_SUGGESTIONS]:
        mark = " (your group's idea)" if theme.own else ""
        prompts = join(
            (md("• {prompt}", prompt=shortened(p, MAX_PROMPT)) for p in theme.prompts[:3]), "\n"
        )
        text = md(
            "{name}{mark}\n{prompts}",
            name=bold(shortened(theme.name, MAX_NAME)),
            mark=mark,
            prompts=prompts,
        )
        blocks.append(section(Mrkdwn(text.strip())))
    return blocks


DAY_BEFORE_PROMPTS = 2
"""The day-before reminder shows one theme with this many prompts, to stay brief."""


def day_before_text(*, group_name: str, when: str, where: str | None = None) -> Mrkdwn:
    """The day-before reminder's notification: which group, when, and where if set."""
    name = shortened(group_name, MAX_NAME)
    who = name if "group" in name.casefold() else f"Mentor group {name}"
    return message_text(
        md(
            "{who} meets tomorrow, {when}{at}",
            who=who,
            when=_when(when),
            at=md(" · {place}", place=shortened(where, MAX_NAME)) if where else "",
        )
    )


def day_before_blocks(
    *, meeting_id: int, when: str, where: str | None, theme: SuggestedTheme | None
) -> list[Block]:
    """Five lines at most: when, where (if set), one theme and two of its prompts; the
    "More ideas" button shows the clicker two more themes."""
    lines = [md("⏰ The group meets tomorrow, {when}.", when=bold(_when(when)))]
    if where:
        lines.append(place_line(where))
    if theme is not None:
        lines.append(
            md("💬 Something to talk about: {name}", name=bold(shortened(theme.name, MAX_NAME)))
        )
        lines += [
            md("• {prompt}", prompt=shortened(prompt, MAX_PROMPT))
            for prompt in theme.prompts[:DAY_BEFORE_PROMPTS]
        ]
    return [
        section(join(lines, "\n")),
        ActionsBlock(
            block_id="more_ideas",
            elements=[
                ButtonElement(text="More ideas", action_id=MORE_IDEAS, value=str(meeting_id))
            ],
        ),
    ]
