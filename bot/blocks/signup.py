"""Signing up for the programme: the "Join the programme" button, the role choice, the form
(one per role), a sign-up as its owner sees it, and the answers to a submission.

Every word is in the reader's language (`t`); every label, option and title is fitted to
Slack's limits after translation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel.dates import get_day_names
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.blocks.basic_components import PlainTextObject
from slack_sdk.models.views import View

from bot.blocks.ids import (
    SIGNUP_CAPACITY,
    SIGNUP_CHANGE,
    SIGNUP_FRIEND,
    SIGNUP_JOIN,
    SIGNUP_LANGUAGES,
    SIGNUP_MODAL,
    SIGNUP_NOTE,
    SIGNUP_OTHER_LANGUAGES,
    SIGNUP_PREFERRED_MENTOR,
    SIGNUP_PROGRAMME,
    SIGNUP_ROLE,
    SIGNUP_ROLE_MODAL,
    SIGNUP_THEMES,
    SIGNUP_WITHDRAW,
    SIGNUP_YEAR,
    signup_times_block,
)
from bot.blocks.text import (
    SELECT_OPTIONS,
    Mrkdwn,
    button_text,
    context,
    md,
    mention,
    modal_text,
    option_text,
    plain,
    section,
)
from bot.domain.limits import (
    MAX_MENTOR_CAPACITY,
    MAX_OTHER_LANGUAGES,
    MAX_PROGRAMME,
    MAX_SIGNUP_NOTE,
    MAX_YEAR,
)
from bot.domain.signup import (
    MENTEE,
    MENTOR,
    PARTS_OF_DAY,
    SIGNUP_LANGUAGE_CODES,
    WEEKDAYS,
    Signup,
    slots_by_part,
)
from bot.domain.themes import in_language
from bot.i18n import Translator

LABEL_TEXT = 2000
HINT_TEXT = 2000
PLACEHOLDER_TEXT = 150

JOIN_ACTION = SIGNUP_JOIN
"""The action id of `join_button`, for the App Home listener table."""


def join_button(t: Translator, *, signed_up: bool = False) -> ActionsBlock:
    """ "Join the programme", for App Home: opens the same thing as `/mentor join` (for
    someone `signed_up`, their sign-up with Change / Withdraw)."""
    label = (
        # TRANSLATORS: button, max 75 characters: shows the person's own sign-up.
        t.gettext("See or change my sign-up")
        if signed_up
        # TRANSLATORS: button, max 75 characters: opens the sign-up form.
        else t.gettext("Join the programme")
    )
    return ActionsBlock(
        block_id=SIGNUP_JOIN,
        elements=[
            ButtonElement(
                text=button_text(label),
                action_id=SIGNUP_JOIN,
                value="join",
                style="primary",
            )
        ],
    )


def _label(text: str) -> str:
    return plain(text, LABEL_TEXT)


def _modal(
    t: Translator,
    *,
    callback_id: str | None,
    title: str,
    blocks: list[Block],
    submit: str | None = None,
    metadata: str = "",
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        private_metadata=metadata,
        title=PlainTextObject(text=modal_text(title)),
        submit=PlainTextObject(text=modal_text(submit)) if submit else None,
        # TRANSLATORS: a form's close button, max 24 characters.
        close=PlainTextObject(text=modal_text(t.pgettext("form", "Close"))),
        blocks=blocks,
    )


def _title(t: Translator) -> str:
    # TRANSLATORS: modal title, max 24 characters.
    return t.gettext("Join the programme")


def _late_note(t: Translator) -> Mrkdwn:
    return md(
        t.gettext(
            "The groups for this term are formed already. You can still sign up: your "
            "coordinator will place you in a group that has room."
        )
    )


def role_modal(t: Translator, *, late: bool) -> View:
    """First step for someone not on the roster: mentor or mentee."""
    blocks: list[Block] = [
        section(md(t.gettext("Great that you want to join! First: which part would you like?")))
    ]
    if late:
        blocks.append(context(_late_note(t)))
    blocks.append(
        InputBlock(
            block_id=SIGNUP_ROLE,
            label=_label(t.gettext("I would like to be")),
            element=RadioButtonsElement(
                action_id="value",
                options=[
                    Option(
                        text=option_text(t.gettext("A mentee: I join a group")),
                        value=MENTEE,
                    ),
                    Option(
                        text=option_text(t.gettext("A mentor: I lead a group")),
                        value=MENTOR,
                    ),
                ],
            ),
        )
    )
    return _modal(
        t,
        callback_id=SIGNUP_ROLE_MODAL,
        title=_title(t),
        blocks=blocks,
        # TRANSLATORS: button of a form, max 24 characters: go on to the next step.
        submit=t.gettext("Next"),
    )


def weekday_names(t: Translator) -> list[str]:
    """Monday … Sunday in `t`'s language, capitalised as the start of a list item."""
    names = get_day_names("wide", locale=t.locale)
    return [names[number][:1].upper() + names[number][1:] for number in range(len(WEEKDAYS))]


def _part_label(t: Translator, part: str) -> str:
    labels = {
        "morning": t.gettext("Mornings (until 12)"),
        "afternoon": t.gettext("Afternoons (12–17)"),
        "evening": t.gettext("Evenings (from 17)"),
    }
    return labels[part]


def _options(pairs: Sequence[tuple[str, str]]) -> list[Option]:
    return [Option(text=option_text(text), value=value) for value, text in pairs]


def signup_modal(
    t: Translator,
    *,
    role: str,
    metadata: str,
    themes: Sequence[tuple[str, str]],
    current: Signup | None,
    late: bool,
) -> View:
    """The sign-up form for `role`: `themes` are (value, name) of the term's themes, and
    `current` what the person said before (filled in to be changed)."""
    blocks: list[Block] = [
        section(
            md(t.gettext("Tell us a little about yourself, so we can find you a good group."))
            if role == MENTEE
            else md(
                t.gettext(
                    "Tell us a little about yourself, so we can find you mentees who fit "
                    "your group."
                )
            )
        )
    ]
    if late:
        blocks.append(context(_late_note(t)))
    blocks += [
        InputBlock(
            block_id=SIGNUP_PROGRAMME,
            label=_label(t.gettext("What do you study?")),
            element=PlainTextInputElement(
                action_id="value",
                max_length=MAX_PROGRAMME,
                initial_value=_initial(current.programme if current else None, MAX_PROGRAMME),
                placeholder=plain(t.gettext("e.g. Nursing"), PLACEHOLDER_TEXT),
            ),
        ),
        InputBlock(
            block_id=SIGNUP_YEAR,
            label=_label(t.gettext("Which year are you in?")),
            element=PlainTextInputElement(
                action_id="value",
                max_length=MAX_YEAR,
                initial_value=_initial(current.year if current else None, MAX_YEAR),
                placeholder=plain(t.gettext("e.g. 1st year"), PLACEHOLDER_TEXT),
            ),
        ),
        _languages_block(t, current),
        InputBlock(
            block_id=SIGNUP_OTHER_LANGUAGES,
            label=_label(t.gettext("Other languages you speak")),
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                max_length=MAX_OTHER_LANGUAGES,
                initial_value=_other_languages(t, current),
                placeholder=plain(t.gettext("e.g. Ukrainian, Arabic"), PLACEHOLDER_TEXT),
            ),
        ),
    ]
    if themes:
        blocks.append(_themes_block(t, themes, current))
    blocks += [_times_block(t, part, current) for part in PARTS_OF_DAY]
    if role == MENTEE:
        blocks.append(
            InputBlock(
                block_id=SIGNUP_PREFERRED_MENTOR,
                label=_label(t.gettext("A mentor you would like (optional)")),
                optional=True,
                hint=plain(
                    t.gettext("Only certified mentors who signed up this term can be chosen."),
                    HINT_TEXT,
                ),
                element=UserSelectElement(
                    action_id="value",
                    initial_user=current.preferred_mentor if current else None,
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=SIGNUP_FRIEND,
            label=_label(t.gettext("A friend you would like to be grouped with (optional)")),
            optional=True,
            element=UserSelectElement(
                action_id="value", initial_user=current.friend if current else None
            ),
        )
    )
    if role == MENTOR:
        blocks.append(_capacity_block(t, current))
    blocks.append(
        InputBlock(
            block_id=SIGNUP_NOTE,
            label=_label(t.gettext("A note to the coordinators (optional)")),
            optional=True,
            hint=plain(t.gettext("Only the coordinators see this."), HINT_TEXT),
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                max_length=MAX_SIGNUP_NOTE,
                initial_value=_initial(current.note if current else None, MAX_SIGNUP_NOTE),
            ),
        )
    )
    return _modal(
        t,
        callback_id=SIGNUP_MODAL,
        # TRANSLATORS: modal title, max 24 characters.
        title=t.gettext("Sign up as a mentor") if role == MENTOR else t.gettext("Sign up"),
        blocks=blocks,
        # TRANSLATORS: button of the sign-up form, max 24 characters.
        submit=t.gettext("Sign me up") if current is None else t.gettext("Save"),
        metadata=metadata,
    )


def _initial(value: str | None, limit: int) -> str | None:
    """A stored answer as a text input's initial value: Slack refuses one longer than the
    input's `max_length` (stored values fit; this keeps an older, longer one from breaking
    the form)."""
    return value[:limit] if value else None


def _languages_block(t: Translator, current: Signup | None) -> InputBlock:
    options = _options([(code, t.language_name(code)) for code in SIGNUP_LANGUAGE_CODES])
    ticked = [o for o in options if current and o.value in current.languages]
    return InputBlock(
        block_id=SIGNUP_LANGUAGES,
        label=_label(t.gettext("Languages you are comfortable talking in")),
        # Optional to Slack: someone may speak only languages they type below; the server
        # asks for at least one of either.
        optional=True,
        element=CheckboxesElement(
            action_id="value", options=options, initial_options=ticked or None
        ),
    )


def _other_languages(t: Translator, current: Signup | None) -> str | None:
    """The languages typed before, by their names in `t`'s language (read back as codes)."""
    if current is None:
        return None
    others = [code for code in current.languages if code not in SIGNUP_LANGUAGE_CODES]
    return ", ".join(_spoken_name(t, code) for code in others)[:MAX_OTHER_LANGUAGES] or None


def _spoken_name(t: Translator, code: str) -> str:
    """A language's name in `t`'s language ("ukrainsk"); a name no language knows as it was
    typed."""
    return str(t.locale.languages.get(code, code))


def _themes_block(
    t: Translator, themes: Sequence[tuple[str, str]], current: Signup | None
) -> InputBlock:
    options = _options([(value, _theme_name(t, name)) for value, name in themes[:SELECT_OPTIONS]])
    chosen = [
        o
        for o, (_, name) in zip(options, themes, strict=False)
        if current and name in current.themes
    ]
    return InputBlock(
        block_id=SIGNUP_THEMES,
        label=_label(t.gettext("Themes you care about (optional)")),
        optional=True,
        element=StaticMultiSelectElement(
            action_id="value",
            placeholder=plain(t.gettext("Pick themes"), PLACEHOLDER_TEXT),
            options=options,
            initial_options=chosen or None,
        ),
    )


def _theme_name(t: Translator, stored: str) -> str:
    """A theme as `t`'s language names it (the default themes are written in each); the
    stored name stays the value, the same in every language, for matching."""
    return in_language(stored, (), t.language).name


def _times_block(t: Translator, part: str, current: Signup | None) -> InputBlock:
    days = weekday_names(t)
    options = _options([(f"{day}-{part}", days[n]) for n, day in enumerate(WEEKDAYS)])
    ticked = [o for o in options if current and o.value in current.slots]
    first = part == PARTS_OF_DAY[0]
    return InputBlock(
        block_id=signup_times_block(part),
        label=_label(_part_label(t, part)),
        optional=True,
        hint=plain(t.gettext("When can you usually meet? Tick all that suit you."), HINT_TEXT)
        if first
        else None,
        element=CheckboxesElement(
            action_id="value", options=options, initial_options=ticked or None
        ),
    )


def _capacity_block(t: Translator, current: Signup | None) -> InputBlock:
    options = _options(
        [
            (
                str(count),
                t.ngettext("{count} group", "{count} groups", count).format(count=count),
            )
            for count in range(1, MAX_MENTOR_CAPACITY + 1)
        ]
    )
    chosen = current.capacity if current else 1
    return InputBlock(
        block_id=SIGNUP_CAPACITY,
        label=_label(t.gettext("How many groups can you lead?")),
        element=StaticSelectElement(
            action_id="value",
            options=options,
            initial_option=next((o for o in options if o.value == str(chosen)), options[0]),
        ),
    )


# -- A sign-up as its owner sees it ----------------------------------------------------


def signup_summary_blocks(
    t: Translator,
    *,
    role: str,
    signup: Signup,
    signed_up_at: datetime | None,
    can_change: bool,
    certified: bool,
) -> list[Block]:
    intro = (
        t.gettext("You are signed up as a *mentor* this term.")
        if role == MENTOR
        else t.gettext("You are signed up as a *mentee* this term.")
    )
    lines: list[str] = [
        md(t.gettext("*Study:* {programme}, {year}"), programme=signup.programme, year=signup.year),
        md(
            t.gettext("*Languages:* {languages}"),
            languages=t.listing(_language_names(t, signup.languages)),
        ),
    ]
    if signup.themes:
        lines.append(
            md(
                t.gettext("*Themes:* {themes}"),
                themes=t.listing(_theme_name(t, name) for name in signup.themes),
            )
        )
    lines += _times_lines(t, signup.slots)
    if signup.preferred_mentor:
        lines.append(
            md(
                t.gettext("*Mentor you would like:* {person}"),
                person=mention(signup.preferred_mentor),
            )
        )
    if signup.friend:
        lines.append(md(t.gettext("*Friend:* {person}"), person=mention(signup.friend)))
    if role == MENTOR:
        lines.append(
            md(
                t.ngettext(
                    "*You can lead:* {count} group",
                    "*You can lead:* {count} groups",
                    signup.capacity,
                ),
                count=signup.capacity,
            )
        )
    if signup.note:
        lines.append(md(t.gettext("*Your note to the coordinators:* {note}"), note=signup.note))
    blocks: list[Block] = [section(md(intro)), section(Mrkdwn("\n".join(lines)))]
    notes: list[str] = []
    if signed_up_at is not None:
        notes.append(md(t.gettext("Signed up on {day}."), day=t.day(signed_up_at)))
    if role == MENTOR and not certified:
        notes.append(md(t.gettext("A coordinator certifies you as a mentor after your training.")))
    if not can_change:
        notes.append(
            md(
                t.gettext(
                    "The groups are formed, so your sign-up can no longer be changed here. "
                    "Write to your coordinator if something has changed."
                )
            )
        )
    if notes:
        blocks.append(context(*notes))
    if can_change:
        blocks.append(
            ActionsBlock(
                block_id="signup_buttons",
                elements=[
                    ButtonElement(
                        # TRANSLATORS: button, max 75 characters: change one's sign-up.
                        text=button_text(t.gettext("Change")),
                        action_id=SIGNUP_CHANGE,
                        value="change",
                    ),
                    ButtonElement(
                        # TRANSLATORS: button, max 75 characters: take one's sign-up back.
                        text=button_text(t.gettext("Withdraw")),
                        action_id=SIGNUP_WITHDRAW,
                        value="withdraw",
                        style="danger",
                    ),
                ],
            )
        )
    return blocks


def signup_summary_text(t: Translator, *, role: str) -> str:
    return (
        t.gettext("You are signed up as a mentor this term.")
        if role == MENTOR
        else t.gettext("You are signed up as a mentee this term.")
    )


def _language_names(t: Translator, codes: Sequence[str]) -> list[str]:
    known = set(SIGNUP_LANGUAGE_CODES)
    return [t.language_name(code) if code in known else _spoken_name(t, code) for code in codes]


def _times_lines(t: Translator, slots: Sequence[str]) -> list[Mrkdwn]:
    days = weekday_names(t)
    by_part = slots_by_part(slots)
    templates = {
        "morning": t.gettext("*Mornings:* {days}"),
        "afternoon": t.gettext("*Afternoons:* {days}"),
        "evening": t.gettext("*Evenings:* {days}"),
    }
    return [
        md(templates[part], days=t.listing(days[n] for n in numbers))
        for part, numbers in by_part.items()
        if numbers
    ]


def summary_modal(t: Translator, blocks: list[Block]) -> View:
    # TRANSLATORS: modal title, max 24 characters.
    return _modal(t, callback_id=None, title=t.gettext("Your sign-up"), blocks=blocks)


def notice_modal(t: Translator, text: str) -> View:
    """A short answer in a modal: where a click in App Home has no message to answer in."""
    return _modal(t, callback_id=None, title=_title(t), blocks=[section(text)])


def signed_up_text(
    t: Translator, *, role: str, late: bool, changed: bool, uncertified_mentor: bool
) -> Mrkdwn:
    """The answer to a submitted form."""
    if changed:
        said = [t.gettext("Saved: your sign-up is changed.")]
    elif role == MENTOR:
        said = [t.gettext("Thank you for signing up as a mentor! 🎉")]
    else:
        said = [t.gettext("Thank you for signing up! 🎉")]
    if late:
        said.append(
            t.gettext(
                "The groups for this term are formed already, so yours is a late sign-up: "
                "your coordinator will place you in a group that has room."
            )
        )
    else:
        said.append(
            t.gettext(
                "We will tell you your group once the groups are formed. Until then, type "
                "`/mentor join` to see, change or withdraw your sign-up."
            )
        )
    if uncertified_mentor:
        said.append(t.gettext("A coordinator certifies you as a mentor after your training."))
    return md("\n\n".join(said))


def signed_up_modal(t: Translator, text: str) -> View:
    return _modal(t, callback_id=None, title=_title(t), blocks=[section(text)])
