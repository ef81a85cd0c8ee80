"""The App Home tab: what someone sees when they open the bot, in their own language, with
the menu where they choose it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.digest import needs_attention_blocks, pace_fields
from bot.blocks.help import command_lines
from bot.blocks.ids import (
    CHOOSE_LANGUAGE,
    CHOOSE_TERM_LANGUAGE,
    LOG_MEETING,
    SNOOZE_WEEK,
    START_POLL,
)
from bot.blocks.privacy import stored_line_block
from bot.blocks.signup import join_button
from bot.blocks.text import (
    VIEW_BLOCKS,
    Mrkdwn,
    at_most,
    bold,
    button_text,
    channel,
    context,
    fields,
    header,
    join,
    link,
    md,
    option_text,
    section,
    shortened,
)
from bot.domain.commands import CommandSpec
from bot.domain.digest import Digest
from bot.domain.retention import RetentionPeriods
from bot.domain.roles import Role
from bot.i18n import LANGUAGES, Phrase, Translator, phrase

INTRO = phrase(
    "I help mentor groups find dates to meet, keep track of the meetings they hold, and "
    "suggest things to talk about. What is said in a group stays in its private channel."
)
MAX_GROUPS_SHOWN = 20
MAX_NAME = 200
"""A group or term name is cut to this before it is escaped into the tab."""

_USING_AS: dict[str, Phrase] = {
    Role.COORDINATOR.value: phrase("You are using the bot as a *coordinator*."),
    Role.MENTOR.value: phrase("You are using the bot as a *mentor*."),
    Role.MENTEE.value: phrase("You are using the bot as a *mentee*."),
}
"""The footer for each role (`bot.domain.roles.role_label`), a whole sentence each; anyone
else gets no role named."""


@dataclass(frozen=True)
class HomeGroup:
    name: str
    role: str
    channel_id: str | None
    min_meetings: int
    term_name: str
    meetings_held: int
    next_meeting: str | None
    group_id: int = 0
    next_place: str | None = None
    open_polls: int = 0
    polls_waiting: int = 0
    """Open polls this person has not answered."""
    waiting_links: tuple[str, ...] = ()
    """Permalinks of those polls' messages (as many as Slack gave)."""


@dataclass(frozen=True)
class LanguageChoice:
    """What the language menu shows: the person's own choice (None: they follow the
    programme's), and the programme's language (the current term's)."""

    own: str | None
    programme: str


def home_view(
    t: Translator,
    *,
    groups: Sequence[HomeGroup],
    commands: Sequence[CommandSpec],
    role: str,
    notice: str | None = None,
    glance: Digest | None = None,
    coordinator: bool = False,
    language: LanguageChoice | None = None,
    sign_up: SignUpOffer | None = None,
    periods: RetentionPeriods | None = None,
) -> View:
    """The tab in `t`, the reader's language. `notice`: what the person's last click in the
    tab did (the tab has no other answer), in their language; `glance`: the term at a
    glance, for a coordinator, with the groups needing attention first and their buttons;
    `language`: what the language menu shows (by default: following the programme's, `t`);
    `sign_up`: for someone in no group while a term is current, their sign-up or the way in."""
    # TRANSLATORS: the App Home tab's header, max 150 characters.
    blocks: list[Block] = [header(t.gettext("Mentor groups"))]
    if notice:
        blocks.append(section(notice))
    if glance is not None:
        blocks += term_glance_blocks(t, glance)
    blocks += [section(INTRO.say(t)), DividerBlock()]
    if groups:
        blocks.append(section(t.gettext("*Your groups*")))
        for group in groups[:MAX_GROUPS_SHOWN]:
            blocks += _group_blocks(t, group)
        if any(group.role == Role.MENTEE.value for group in groups):
            blocks.append(_snooze_button(t))
    elif coordinator:
        pass  # a coordinator's place is the term above, not a group
    elif sign_up is not None:
        blocks += _sign_up_blocks(t, sign_up)
    else:
        blocks.append(
            section(
                t.gettext(
                    "You are not in a mentor group this term. Your coordinator forms "
                    "the groups; you will be invited to your group's channel."
                )
            )
        )
    blocks += [
        DividerBlock(),
        section(md(t.gettext("*What you can do*\n{lines}"), lines=command_lines(commands, t=t))),
        language_picker(t, language or LanguageChoice(own=None, programme=t.language)),
    ]
    if role in _USING_AS:
        blocks.append(context(_USING_AS[role].say(t)))
    if periods is not None:
        blocks.append(stored_line_block(t, periods))
    return View(type="home", blocks=at_most(blocks, VIEW_BLOCKS))


@dataclass(frozen=True)
class SignUpOffer:
    """Where someone in no group stands with this term's sign-up: `role` once they signed
    up ("mentor"/"mentee"), None while they have not."""

    role: str | None = None


def _sign_up_blocks(t: Translator, offer: SignUpOffer) -> list[Block]:
    if offer.role == Role.MENTOR.value:
        said = t.gettext(
            "You have signed up as a *mentor* this term. Your coordinator forms the groups "
            "and the bot tells you yours."
        )
    elif offer.role is not None:
        said = t.gettext(
            "You have signed up as a *mentee* this term. Your coordinator forms the groups "
            "and the bot tells you yours."
        )
    else:
        said = t.gettext(
            "You are not in a mentor group this term. Sign up, and your coordinator will "
            "place you in a group."
        )
    # The same button opens the form, or the sign-up with Change / Withdraw once it exists.
    return [section(said), join_button(t, signed_up=offer.role is not None)]


def language_picker(t: Translator, choice: LanguageChoice) -> SectionBlock:
    """The menu where someone picks the language of what only they see: each language by
    its own name (how people find theirs), or the programme's."""
    programme = Option(
        text=option_text(
            # TRANSLATORS: a menu option, max 75 characters; {language} is the programme's
            # language by its own name ("Dansk"). The programme: the mentoring scheme.
            t.gettext("Same as the programme ({language})").format(
                language=t.language_name(choice.programme)
            )
        ),
        value=CHOOSE_TERM_LANGUAGE,
    )
    options = [programme] + [
        Option(text=option_text(t.language_name(code)), value=code) for code in LANGUAGES
    ]
    chosen = choice.own if choice.own in LANGUAGES else CHOOSE_TERM_LANGUAGE
    return section(
        t.gettext(
            "*Language*\nWhat only you see: this tab, direct messages and answers to you. "
            "Group channels keep the programme's language."
        ),
        block_id="language",
        accessory=StaticSelectElement(
            action_id=CHOOSE_LANGUAGE,
            # TRANSLATORS: a menu's placeholder, max 150 characters.
            placeholder=t.gettext("Language"),
            options=options,
            initial_option=next(option for option in options if option.value == chosen),
        ),
    )


def term_glance_blocks(t: Translator, glance: Digest) -> list[Block]:
    """A coordinator's term at a glance, then the groups needing attention (as in the
    digest, with the same buttons)."""
    blocks: list[Block] = [
        section(md(t.gettext("*{term} at a glance*"), term=shortened(glance.term_name, MAX_NAME))),
        fields(
            [
                *pace_fields(t, glance.by_pace),
                md(
                    t.ngettext(
                        "*Held in the last 7 days*\n{count} meeting",
                        "*Held in the last 7 days*\n{count} meetings",
                        glance.held_last_week,
                    ),
                    count=t.number(glance.held_last_week),
                ),
                md(
                    t.ngettext(
                        "*Planned this week*\n{count} meeting",
                        "*Planned this week*\n{count} meetings",
                        glance.planned_next_week,
                    ),
                    count=t.number(glance.planned_next_week),
                ),
            ]
        ),
    ]
    blocks += needs_attention_blocks(t, glance.attention)
    return [*blocks, DividerBlock()]


def _group_blocks(t: Translator, group: HomeGroup) -> list[Block]:
    blocks: list[Block] = [_group_section(t, group)]
    if group.role == Role.MENTOR.value and group.group_id:
        blocks.append(
            ActionsBlock(
                block_id=f"group_{group.group_id}",
                elements=[
                    ButtonElement(
                        # TRANSLATORS: button, max 75 characters.
                        text=button_text(t.gettext("Start a date poll")),
                        action_id=START_POLL,
                        value=str(group.group_id),
                        style="primary",
                    ),
                    ButtonElement(
                        # TRANSLATORS: button, max 75 characters.
                        text=button_text(t.gettext("Log a meeting")),
                        action_id=LOG_MEETING,
                        value=str(group.group_id),
                    ),
                ],
            )
        )
    return blocks


def _snooze_button(t: Translator) -> ActionsBlock:
    return ActionsBlock(
        block_id="snooze",
        elements=[
            ButtonElement(
                # TRANSLATORS: button, max 75 characters.
                text=button_text(t.gettext("Snooze reminders for a week")),
                action_id=SNOOZE_WEEK,
            )
        ],
    )


def _polls_line(t: Translator, group: HomeGroup) -> Mrkdwn:
    if group.role == Role.MENTOR.value:
        return md(
            t.ngettext("Open polls: {count}.", "Open polls: {count}.", group.open_polls),
            count=t.number(group.open_polls),
        )
    where = (
        channel(group.channel_id)
        if group.channel_id
        # TRANSLATORS: said as {where} in "1 poll waiting for your answer in {where}".
        else Mrkdwn(t.gettext("the group's channel"))
    )
    waiting = group.polls_waiting
    if waiting and group.waiting_links:
        many = len(group.waiting_links) > 1
        links = join(
            (
                link(
                    url,
                    # TRANSLATORS: a link to one of several polls: "poll 1, poll 2".
                    t.gettext("poll {number}").format(number=number)
                    if many
                    # TRANSLATORS: a link to the poll waiting for the reader's answer.
                    else t.gettext("open the poll"),
                )
                for number, url in enumerate(group.waiting_links, start=1)
            ),
            ", ",
        )
        return md(
            t.ngettext(
                "*{count} poll* waiting for your answer: {links} (in {where}).",
                "*{count} polls* waiting for your answer: {links} (in {where}).",
                waiting,
            ),
            count=t.number(waiting),
            links=links,
            where=where,
        )
    if waiting:
        return md(
            t.ngettext(
                "*{count} poll* waiting for your answer in {where}.",
                "*{count} polls* waiting for your answer in {where}.",
                waiting,
            ),
            count=t.number(waiting),
            where=where,
        )
    return Mrkdwn("")


def _when(when: str) -> str:
    """A date token (Mrkdwn) kept whole; plain text cut to MAX_NAME."""
    return when if isinstance(when, Mrkdwn) else shortened(when, MAX_NAME)


def _role_line(t: Translator, group: HomeGroup) -> str:
    if group.role == Role.MENTOR.value:
        return t.gettext("You are the mentor.")
    return t.gettext("You are a mentee.")


def _next_meeting(t: Translator, group: HomeGroup) -> Mrkdwn:
    if not group.next_meeting:
        return md(t.gettext("No meeting planned yet."))
    when = bold(_when(group.next_meeting))
    if group.next_place:
        return md(
            t.gettext("Next meeting: {when} at {place}."),
            when=when,
            place=shortened(group.next_place, MAX_NAME),
        )
    return md(t.gettext("Next meeting: {when}."), when=when)


def _group_section(t: Translator, group: HomeGroup) -> SectionBlock:
    where = (
        channel(group.channel_id)
        if group.channel_id
        # TRANSLATORS: shown beside a group's name while its private channel is being made.
        else Mrkdwn(t.gettext("channel being set up"))
    )
    held = md(
        t.ngettext(
            "Meetings so far: *{held} of at least {count}* in {term}.",
            "Meetings so far: *{held} of at least {count}* in {term}.",
            group.min_meetings,
        ),
        held=t.number(group.meetings_held),
        count=t.number(group.min_meetings),
        term=shortened(group.term_name, MAX_NAME),
    )
    return section(
        md(
            "{name} · {where}\n{role} {held} {next} {polls}",
            name=bold(shortened(group.name, MAX_NAME)),
            where=where,
            role=_role_line(t, group),
            held=held,
            next=_next_meeting(t, group),
            polls=_polls_line(t, group),
        )
    )
