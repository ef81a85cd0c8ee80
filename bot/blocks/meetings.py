"""Meeting logs, "did you meet?", group status and theme suggestions.

Every builder takes the reader's `Translator` first: the group channel's (`GroupContext.t`)
for what is posted there, the person's own (`reader`) for modals, ephemerals and DMs."""

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
    button_text,
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
from bot.i18n import Translator

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
    t: Translator,
    *,
    group_id: int,
    group_name: str,
    starts_at: datetime,
    members: Sequence[MemberChoice],
    themes: Sequence[ThemeOption],
) -> View:
    blocks: list[Block] = [
        section(
            md(t.gettext("Log a meeting of {name}."), name=bold(shortened(group_name, MAX_NAME)))
        ),
        InputBlock(
            block_id=WHEN,
            # TRANSLATORS: a form field's label.
            label=t.gettext("When did you meet?"),
            element=DateTimePickerElement(
                action_id="value", initial_date_time=int(starts_at.timestamp())
            ),
        ),
        InputBlock(
            block_id=ATTENDEES,
            # TRANSLATORS: a form field's label, above the members to tick.
            label=t.gettext("Who came?"),
            element=_attendee_checkboxes(members, [m.user_id for m in members]),
        ),
    ]
    if themes:
        blocks.append(
            InputBlock(
                block_id=THEME,
                # TRANSLATORS: a form field's label, above a menu of conversation themes.
                label=t.gettext("What did you talk about?"),
                optional=True,
                element=StaticSelectElement(
                    action_id="value",
                    # TRANSLATORS: a menu's placeholder, max 150 characters.
                    placeholder=t.gettext("Pick a theme"),
                    options=[
                        Option(text=option_text(theme.name), value=str(theme.theme_id))
                        for theme in themes[:SELECT_OPTIONS]
                    ],
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=NOTE,
            # TRANSLATORS: a form field's label: a note only the mentor who writes it sees.
            label=t.gettext("Private note"),
            optional=True,
            element=PlainTextInputElement(
                action_id="value", multiline=True, max_length=NOTE_MAX_LENGTH
            ),
            hint=t.gettext(
                "Only you will ever see this note: it is in no digest, report or export."
            ),
        )
    )
    return View(
        type="modal",
        callback_id=LOG_MODAL,
        private_metadata=str(group_id),
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("Log a meeting"))),
        # TRANSLATORS: the log form's submit button, max 24 characters.
        submit=PlainTextObject(text=modal_text(t.gettext("Log it"))),
        # TRANSLATORS: a form's close button, max 24 characters.
        close=PlainTextObject(text=modal_text(t.pgettext("form", "Cancel"))),
        blocks=blocks,
    )


def attendance_modal(
    t: Translator,
    *,
    meeting_id: int,
    when: str,
    members: Sequence[MemberChoice],
    present: Sequence[str],
) -> View:
    return View(
        type="modal",
        callback_id=ATTENDANCE_MODAL,
        private_metadata=str(meeting_id),
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("Who came?"))),
        # TRANSLATORS: a form's submit button, max 24 characters.
        submit=PlainTextObject(text=modal_text(t.gettext("Save"))),
        # TRANSLATORS: a form's close button, max 24 characters.
        close=PlainTextObject(text=modal_text(t.pgettext("form", "Cancel"))),
        blocks=[
            section(md(t.gettext("The meeting on {when}."), when=bold(_when(when)))),
            InputBlock(
                block_id=ATTENDEES,
                label=t.gettext("Who came?"),
                element=_attendee_checkboxes(members, present),
            ),
        ],
    )


def logged_text(
    t: Translator, *, number: int, minimum: int, when: str, theme: str | None
) -> Mrkdwn:
    """The channel's line for a logged meeting: its number, when, what about."""
    if theme:
        line = md(
            t.gettext(
                "📝 Meeting {number} logged ({when}, about {theme}), at least {minimum} this term."
            ),
            number=number,
            when=_when(when),
            theme=italic(shortened(theme, MAX_NAME)),
            minimum=minimum,
        )
    else:
        line = md(
            t.gettext("📝 Meeting {number} logged ({when}), at least {minimum} this term."),
            number=number,
            when=_when(when),
            minimum=minimum,
        )
    return message_text(line)


@dataclass(frozen=True)
class LoggedMeetingLine:
    meeting_id: int
    when: str
    attendees: int
    theme: str | None
    note: str | None


def log_list_blocks(
    t: Translator,
    *,
    group_name: str,
    lines: Sequence[LoggedMeetingLine],
    minimum: int,
    can_delete: bool,
) -> list[Block]:
    # TRANSLATORS: a header, {group} is the group's name.
    blocks: list[Block] = [header(t.gettext("Meetings of {group}").format(group=group_name))]
    if not lines:
        blocks.append(section(md(t.gettext("No meetings logged yet: `/mentor log WHEN`."))))
    for number, line in enumerate(lines[:MAX_LISTED_MEETINGS], start=1):
        title = bold(md("{number}. {when}", number=number, when=_when(line.when)))
        text = md(
            t.ngettext("{title} · {count} came", "{title} · {count} came", line.attendees),
            title=title,
            count=line.attendees,
        )
        if line.theme:
            text = md("{text} · {theme}", text=text, theme=shortened(line.theme, MAX_NAME))
        if line.note:
            text = md(
                t.gettext("{text}\n_Your private note:_ {note}"),
                text=text,
                note=shortened(line.note, MAX_SHOWN_NOTE),
            )
        accessory = (
            ButtonElement(
                # TRANSLATORS: button, max 75 characters: deletes a logged meeting.
                text=button_text(t.pgettext("meeting", "Delete")),
                action_id=MEETING_DELETE,
                value=str(line.meeting_id),
                style="danger",
                confirm=ConfirmObject(
                    # TRANSLATORS: a confirmation's title, max 100 characters.
                    title=t.gettext("Delete this meeting?"),
                    text=t.gettext("Use this for a meeting logged by mistake."),
                    # TRANSLATORS: a confirmation's button, max 30 characters.
                    confirm=t.pgettext("meeting", "Delete"),
                    # TRANSLATORS: a confirmation's button, max 30 characters: do not delete.
                    deny=t.gettext("Keep"),
                ),
            )
            if can_delete
            else None
        )
        blocks.append(section(text, accessory=accessory))
    blocks.append(
        context(
            md(
                t.ngettext(
                    "{held} held; the group meets at least once.",
                    "{held} held; the group meets at least {count} times.",
                    minimum,
                ),
                held=len(lines),
                count=minimum,
            )
        )
    )
    return blocks


def did_you_meet_text(t: Translator, *, group_name: str, when: str) -> Mrkdwn:
    """The notification of "did you meet?": which group, which day (plain text: where Slack
    shows this, a date token would not be read)."""
    return message_text(
        md(
            t.gettext("Did {name} meet on {when}?"),
            name=shortened(group_name, MAX_NAME),
            when=_when(when),
        )
    )


def did_you_meet_blocks(
    t: Translator, *, meeting_id: int, group_name: str, when: str
) -> list[Block]:
    return [
        section(
            md(
                t.gettext("Did {name} meet on {when}? It isn't logged yet."),
                name=bold(shortened(group_name, MAX_NAME)),
                when=bold(_when(when)),
            )
        ),
        ActionsBlock(
            block_id="did_you_meet",
            elements=[
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: the group met as planned.
                    text=button_text(t.gettext("Yes, we met")),
                    action_id=DID_MEET,
                    value=str(meeting_id),
                    style="primary",
                ),
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: the group did not meet.
                    text=button_text(t.pgettext("did the group meet", "No")),
                    action_id=DID_NOT_MEET,
                    value=str(meeting_id),
                ),
            ],
        ),
    ]


def met_answer_blocks(
    t: Translator,
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
            Option(text=option_text(theme.name), value=f"{meeting_id}:{theme.theme_id}")
            for theme in themes[:SELECT_OPTIONS]
        ]
        picked = next((o for o in options if o.value == f"{meeting_id}:{theme_id}"), None)
        elements.append(
            StaticSelectElement(
                action_id=MEETING_THEME,
                # TRANSLATORS: a menu's placeholder, max 150 characters.
                placeholder=t.gettext("What did you talk about?"),
                options=options,
                initial_option=picked,
            )
        )
    elements.append(
        ButtonElement(
            # TRANSLATORS: button, max 75 characters: opens the form of who came.
            text=button_text(t.gettext("Change who came")),
            action_id=FIX_ATTENDANCE,
            value=str(meeting_id),
        )
    )
    return [section(text), ActionsBlock(block_id="fix_attendance", elements=elements)]


def attendance_saved_view(t: Translator, *, came: int, members: int) -> View:
    """What the "Who came?" form shows once saved."""
    return View(
        type="modal",
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("Who came?"))),
        # TRANSLATORS: a form's close button once saved, max 24 characters.
        close=PlainTextObject(text=modal_text(t.gettext("Done"))),
        blocks=[
            section(
                md(
                    t.ngettext(
                        "Saved: {count} of {members} came.",
                        "Saved: {count} of {members} came.",
                        came,
                    ),
                    count=came,
                    members=members,
                )
            )
        ],
    )


def not_met_blocks(t: Translator, *, group_id: int) -> list[Block]:
    return [
        section(md(t.gettext("Thanks for letting me know. Find a new date with a poll:"))),
        start_poll_button(group_id, t=t),
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


def status_text(t: Translator, view: StatusView) -> Mrkdwn:
    """The status answer's notification: meetings held against the minimum."""
    return md(
        t.ngettext(
            "{held} of at least {count} meeting held",
            "{held} of at least {count} meetings held",
            view.minimum,
        ),
        held=view.held,
        count=view.minimum,
    )


def status_blocks(t: Translator, view: StatusView) -> list[Block]:
    # TRANSLATORS: the group's status when no meeting is planned.
    next_meeting = _when(view.next_meeting or t.gettext("none planned"))
    if view.next_meeting and view.next_place:
        next_meeting = md(
            "{when}\n{place}", when=next_meeting, place=place_line(view.next_place, t=t)
        )
    covered = t.listing(shortened(theme, MAX_NAME) for theme in view.themes_covered)
    return [
        header(view.group_name),
        fields(
            [
                md(
                    t.gettext("*Meetings held*\n{held} of at least {minimum}"),
                    held=view.held,
                    minimum=view.minimum,
                ),
                md(t.gettext("*Next meeting*\n{when}"), when=next_meeting),
                md(t.gettext("*Open polls*\n{count}"), count=view.open_polls),
                md(
                    t.gettext("*Themes covered*\n{covered}"),
                    # TRANSLATORS: no conversation theme covered so far.
                    covered=covered or t.gettext("none yet"),
                ),
            ]
        ),
    ]


@dataclass(frozen=True)
class SuggestedTheme:
    name: str
    prompts: tuple[str, ...]
    own: bool


def theme_suggestion_blocks(
    t: Translator, themes: Sequence[SuggestedTheme], *, intro: str
) -> list[Block]:
    """`intro` is mrkdwn the bot wrote (Mrkdwn, or plain text that is escaped here)."""
    blocks: list[Block] = [section(intro)]
    for theme in themes[:MAX_SUGGESTIONS]:
        name = bold(shortened(theme.name, MAX_NAME))
        if theme.own:
            name = md(t.gettext("{name} (your group's idea)"), name=name)
        prompts = join(
            (md("• {prompt}", prompt=shortened(p, MAX_PROMPT)) for p in theme.prompts[:3]), "\n"
        )
        text = md("{name}\n{prompts}", name=name, prompts=prompts)
        blocks.append(section(Mrkdwn(text.strip())))
    return blocks


DAY_BEFORE_PROMPTS = 2
"""The day-before reminder shows one theme with this many prompts, to stay brief."""


def day_before_text(
    t: Translator, *, group_name: str, when: str, where: str | None = None
) -> Mrkdwn:
    """The day-before reminder's notification: which group, when, and where if set."""
    name = shortened(group_name, MAX_NAME)
    at = md(" · {place}", place=shortened(where, MAX_NAME)) if where else ""
    # TRANSLATORS: the word for "group" as it appears in group names ("Anna's group"): a
    # name that holds it is not called "Mentor group …" again. Lower case.
    if t.pgettext("in a group's name", "group").casefold() in name.casefold():
        template = t.gettext("{group} meets tomorrow, {when}{at}")
    else:
        template = t.gettext("Mentor group {group} meets tomorrow, {when}{at}")
    return message_text(md(template, group=name, when=_when(when), at=at))


def day_before_blocks(
    t: Translator,
    *,
    meeting_id: int,
    when: str,
    where: str | None,
    theme: SuggestedTheme | None,
) -> list[Block]:
    """Five lines at most: when, where (if set), one theme and two of its prompts; the
    "More ideas" button shows the clicker two more themes."""
    lines = [md(t.gettext("⏰ The group meets tomorrow, {when}."), when=bold(_when(when)))]
    if where:
        lines.append(place_line(where, t=t))
    if theme is not None:
        lines.append(
            md(
                t.gettext("💬 Something to talk about: {name}"),
                name=bold(shortened(theme.name, MAX_NAME)),
            )
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
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: shows two more themes.
                    text=button_text(t.gettext("More ideas")),
                    action_id=MORE_IDEAS,
                    value=str(meeting_id),
                )
            ],
        ),
    ]
