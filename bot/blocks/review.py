"""The coordinator's review of proposed groups (issue 17): the review modal (paged: a view
holds 100 blocks), the move form pushed over it, the approval's progress, what each person
is told, and the coordinators' DM about a late sign-up.

Every word is in the reader's language (`t`); names people gave are escaped by `md`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.blocks.basic_components import PlainTextObject
from slack_sdk.models.views import View

from bot.blocks.ids import (
    LATE_ADD,
    LATE_NOT_NOW,
    REVIEW_APPROVE,
    REVIEW_LOCK,
    REVIEW_MODAL,
    REVIEW_MOVE,
    REVIEW_MOVE_MODAL,
    REVIEW_MOVE_PERSON,
    REVIEW_MOVE_TARGET,
    REVIEW_PAGE,
    REVIEW_PAGE_BACK,
    REVIEW_RERUN,
    REVIEW_UNLOCK,
    review_group_block,
)
from bot.blocks.text import (
    SECTION_TEXT,
    SELECT_OPTIONS,
    VIEW_BLOCKS,
    Mrkdwn,
    button_text,
    channel,
    context,
    md,
    mention,
    message_text,
    modal_text,
    option_text,
    plain,
    section,
)
from bot.domain.matching import GroupReasons, LeftOutReason
from bot.domain.review import MOVED_OUT, Review, ReviewGroup
from bot.i18n import Translator

GROUPS_PER_PAGE = 30
"""Two blocks a group: 60 of a view's 100, the rest for the buttons and who is left out."""
LEFT_OUT_BLOCKS = 8
"""Sections listing who is left out (each up to 3,000 characters; more are summarised)."""
OUT = "out"
"""The move form's target for "out of every group"."""
SEPARATOR = " · "


# --- Reasons --------------------------------------------------------------------------


def _reasons_text(t: Translator, reasons: GroupReasons, names: Mapping[str, str]) -> Mrkdwn:
    """ "3 common slots · all speak Danish · Ada asked for this mentor": each fact a whole
    sentence of its own, joined by a dot."""
    slots = len(reasons.common_slots)
    facts = [
        md(t.ngettext("{count} common slot", "{count} common slots", slots), count=slots)
        if slots
        else md(t.gettext("no common slot"))
    ]
    if reasons.languages:
        spoken = t.listing(_language(t, code) for code in reasons.languages)
        facts.append(md(t.gettext("all speak {languages}"), languages=spoken))
    if reasons.preferred_mentor_of:
        wishers = t.listing(names.get(p, p) for p in reasons.preferred_mentor_of)
        facts.append(
            md(
                t.ngettext(
                    "{names} asked for this mentor",
                    "{names} asked for this mentor",
                    len(reasons.preferred_mentor_of),
                ),
                names=wishers,
            )
        )
    for asker, friend in reasons.friends_together:
        facts.append(
            md(
                t.gettext("{first} and {second} are together"),
                first=names.get(asker, asker),
                second=names.get(friend, friend),
            )
        )
    if len(reasons.programmes) == 1 and not reasons.mix_programmes:
        facts.append(md(t.gettext("all in {programme}"), programme=reasons.programmes[0]))
    elif len(reasons.programmes) > 1:
        count = len(reasons.programmes)
        facts.append(md(t.ngettext("{count} programme", "{count} programmes", count), count=count))
    if len(reasons.years) > 1:
        facts.append(md(t.gettext("years: {years}"), years=t.listing(reasons.years)))
    return Mrkdwn(SEPARATOR.join(facts))


def _language(t: Translator, code: str) -> str:
    """A language's name in the reader's language ("Danish", "dansk", "Dänisch")."""
    return str(t.locale.languages.get(code, code))


def _left_out_reason(t: Translator, reason: str) -> str:
    if reason == LeftOutReason.WITHDRAWN:
        return t.gettext("withdrew their sign-up")
    if reason == LeftOutReason.UNCERTIFIED_MENTOR:
        return t.gettext("mentor not certified yet")
    if reason == LeftOutReason.NO_LANGUAGE_GIVEN:
        return t.gettext("gave no language")
    if reason == LeftOutReason.NO_SHARED_LANGUAGE:
        return t.gettext("no certified mentor speaks their language")
    if reason == LeftOutReason.NO_ROOM:
        return t.gettext("no group had room within the rules")
    if reason == LeftOutReason.NOT_NEEDED:
        return t.gettext("mentor not needed for a group")
    if reason == LeftOutReason.NO_CAPACITY:
        return t.gettext("mentor has room for no more groups")
    if reason == MOVED_OUT:
        return t.gettext("taken out by a coordinator")
    return reason


# --- The review modal -------------------------------------------------------------------


def _page_count(review: Review) -> int:
    return max(1, -(-len(review.groups) // GROUPS_PER_PAGE))


def review_modal(t: Translator, review: Review, *, page: int = 0) -> View:
    pages = _page_count(review)
    page = min(max(page, 0), pages - 1)
    shown = review.groups[page * GROUPS_PER_PAGE : (page + 1) * GROUPS_PER_PAGE]
    blocks: list[Block] = [section(_summary(t, review))]
    if review.draft:
        blocks.append(_review_buttons(t, review))
    else:
        blocks.append(
            context(md(t.gettext("This proposal is approved or replaced: it is shown as it was.")))
        )
    for group in shown:
        blocks.extend(_group_blocks(t, review, group))
    if pages > 1:
        blocks.append(_page_buttons(t, review.proposal_id, page, pages))
    blocks.extend(_left_out_blocks(t, review))
    return View(
        type="modal",
        callback_id=REVIEW_MODAL,
        private_metadata=f"{review.proposal_id}:{page}",
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("Proposed groups"))),
        # TRANSLATORS: a modal's close button, max 24 characters.
        close=PlainTextObject(text=modal_text(t.pgettext("form", "Close"))),
        blocks=blocks[:VIEW_BLOCKS],
    )


def _summary(t: Translator, review: Review) -> Mrkdwn:
    groups = len(review.groups)
    placed = sum(len(g.mentees) for g in review.groups)
    out = len(review.left_out)
    facts = [
        md(
            t.ngettext("*{count} group* proposed", "*{count} groups* proposed", groups),
            count=groups,
        ),
        md(t.ngettext("{count} mentee placed", "{count} mentees placed", placed), count=placed),
        md(t.ngettext("{count} person left out", "{count} people left out", out), count=out),
    ]
    return Mrkdwn(SEPARATOR.join(facts))


def _review_buttons(t: Translator, review: Review) -> ActionsBlock:
    value = str(review.proposal_id)
    count = len(review.groups)
    return ActionsBlock(
        elements=[
            ButtonElement(
                # TRANSLATORS: button, max 75 characters: opens a form to move a person.
                text=button_text(t.gettext("Move someone")),
                action_id=REVIEW_MOVE,
                value=value,
            ),
            ButtonElement(
                # TRANSLATORS: button, max 75 characters: solves again, keeping locked groups.
                text=button_text(t.gettext("Re-run the rest")),
                action_id=REVIEW_RERUN,
                value=value,
            ),
            ButtonElement(
                # TRANSLATORS: button, max 75 characters: creates the proposed groups.
                text=button_text(t.gettext("Approve and create")),
                action_id=REVIEW_APPROVE,
                value=value,
                style="primary",
                confirm=ConfirmObject(
                    # TRANSLATORS: a confirmation's title, max 100 characters.
                    title=plain(t.gettext("Create these groups?"), 100),
                    text=plain(
                        t.ngettext(
                            "This creates {count} group with its channel and tells everyone "
                            "where they are.",
                            "This creates {count} groups with their channels and tells "
                            "everyone where they are.",
                            count,
                        ).format(count=count),
                        300,
                    ),
                    # TRANSLATORS: a confirmation's button, max 30 characters.
                    confirm=plain(t.gettext("Create them"), 30),
                    # TRANSLATORS: a confirmation's button, max 30 characters: go back.
                    deny=plain(t.gettext("Not yet"), 30),
                ),
            ),
        ]
    )


def _group_blocks(t: Translator, review: Review, group: ReviewGroup) -> list[Block]:
    mentees = t.listing(review.name(m) for m in group.mentees)
    title = md(
        t.gettext("*{number}.* Mentor *{mentor}* with {mentees}"),
        number=group.number,
        mentor=review.name(group.mentor),
        mentees=mentees,
    )
    if group.locked:
        title = md("{title} {lock}", title=title, lock=md(t.gettext("🔒 locked")))
    accessory = None
    if review.draft:
        accessory = ButtonElement(
            # TRANSLATORS: button, max 75 characters: keep this group as it is on a re-run.
            text=button_text(t.gettext("Unlock") if group.locked else t.gettext("Lock")),
            action_id=REVIEW_UNLOCK if group.locked else REVIEW_LOCK,
            value=f"{review.proposal_id}:{group.position}",
        )
    reasons = (
        _reasons_text(t, group.reasons, review.names)
        if group.reasons is not None
        else md(t.gettext("Someone in this group is no longer signed up."))
    )
    return [
        section(title, block_id=review_group_block(group.position), accessory=accessory),
        context(reasons),
    ]


def _page_buttons(t: Translator, proposal_id: int, page: int, pages: int) -> ActionsBlock:
    elements = []
    if page > 0:
        elements.append(
            ButtonElement(
                # TRANSLATORS: button, max 75 characters: the previous page of groups.
                text=button_text(t.gettext("← Previous groups")),
                action_id=REVIEW_PAGE_BACK,
                value=f"{proposal_id}:{page - 1}",
            )
        )
    if page < pages - 1:
        elements.append(
            ButtonElement(
                # TRANSLATORS: button, max 75 characters: the next page of groups.
                text=button_text(t.gettext("More groups →")),
                action_id=REVIEW_PAGE,
                value=f"{proposal_id}:{page + 1}",
            )
        )
    return ActionsBlock(elements=elements)


def _left_out_blocks(t: Translator, review: Review) -> list[Block]:
    if not review.left_out:
        return []
    blocks: list[Block] = [DividerBlock()]
    lines = [
        md(
            t.gettext("{name}: {reason}"),
            name=review.name(person),
            reason=_left_out_reason(t, reason),
        )
        for person, reason in review.left_out
    ]
    heading = md(t.gettext("*Left out*"))
    chunk: list[str] = [heading]
    shown = 0
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > SECTION_TEXT:
            if len(blocks) >= LEFT_OUT_BLOCKS:
                break
            blocks.append(section(Mrkdwn("\n".join(chunk))))
            chunk = []
        chunk.append(line)
        shown += 1
    if chunk:
        blocks.append(section(Mrkdwn("\n".join(chunk))))
    if shown < len(lines):
        more = len(lines) - shown
        blocks.append(
            context(md(t.ngettext("…and {count} more.", "…and {count} more.", more), count=more))
        )
    return blocks


def review_notice_modal(t: Translator, text: str) -> View:
    """The review modal while the bot works, or when there is nothing to review."""
    return View(
        type="modal",
        callback_id=REVIEW_MODAL,
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("Proposed groups"))),
        close=PlainTextObject(text=modal_text(t.pgettext("form", "Close"))),
        blocks=[section(text)],
    )


def working_text(t: Translator) -> Mrkdwn:
    return md(t.gettext("⏳ Working out the groups from the sign-ups…"))


def progress_text(t: Translator, *, done: int, total: int) -> Mrkdwn:
    return md(
        t.ngettext(
            "⏳ {done} of {total} group created…",
            "⏳ {done} of {total} groups created…",
            total,
        ),
        done=done,
        total=total,
    )


def approved_text(
    t: Translator,
    *,
    created: int,
    total: int,
    failed: Sequence[tuple[int, Mrkdwn]],
    told: int,
) -> Mrkdwn:
    """The approval's outcome; `failed` holds each group's number and why, already said
    (a Phrase said in `t`: mrkdwn with what people typed escaped)."""
    lines = [
        md(
            t.ngettext(
                "✅ {done} of {total} group created.",
                "✅ {done} of {total} groups created.",
                total,
            ),
            done=created,
            total=total,
        ),
        md(
            t.ngettext("{count} person told by DM.", "{count} people told by DM.", told), count=told
        ),
    ]
    for number, why in failed:
        lines.append(md(t.gettext("⚠️ Group {number}: {why}"), number=number, why=why))
    if failed:
        lines.append(
            md(
                t.gettext(
                    "The other groups went ahead. Fix the problem, then form the group with "
                    "`/mentor group create`."
                )
            )
        )
    return message_text(Mrkdwn("\n".join(lines)))


# --- The move form ----------------------------------------------------------------------


def move_modal(t: Translator, review: Review, *, page: int, review_view_id: str) -> View:
    """Pick a mentee (Slack's people picker) and where they go: a group, or out."""
    # TRANSLATORS: an option of the move form, max 75 characters: no group.
    options = [Option(text=option_text(t.gettext("Out of every group")), value=OUT)]
    for group in review.groups[: SELECT_OPTIONS - 1]:
        options.append(
            Option(
                text=option_text(
                    t.gettext("Group {number}: {mentor}").format(
                        number=group.number, mentor=review.name(group.mentor)
                    )
                ),
                value=str(group.position),
            )
        )
    target: StaticSelectElement | PlainTextInputElement
    if len(review.groups) < SELECT_OPTIONS:
        target = StaticSelectElement(action_id="value", options=options)
    else:
        # More groups than a menu lists: the group's number, typed.
        target = PlainTextInputElement(action_id="value", max_length=8)
    return View(
        type="modal",
        callback_id=REVIEW_MOVE_MODAL,
        private_metadata=f"{review.proposal_id}:{page}:{review_view_id}",
        # TRANSLATORS: modal title, max 24 characters.
        title=PlainTextObject(text=modal_text(t.gettext("Move someone"))),
        # TRANSLATORS: a form's submit button, max 24 characters.
        submit=PlainTextObject(text=modal_text(t.gettext("Move"))),
        close=PlainTextObject(text=modal_text(t.gettext("Back"))),
        blocks=[
            InputBlock(
                block_id=REVIEW_MOVE_PERSON,
                # TRANSLATORS: a form field's label.
                label=plain(t.gettext("Who"), 2000),
                element=UserSelectElement(action_id="value"),
            ),
            InputBlock(
                block_id=REVIEW_MOVE_TARGET,
                # TRANSLATORS: a form field's label: the group to move the person to.
                label=plain(t.gettext("Where to"), 2000),
                element=target,
                hint=plain(t.gettext("Type the group's number."), 2000)
                if len(review.groups) >= SELECT_OPTIONS
                else None,
            ),
        ],
    )


# --- What people are told -----------------------------------------------------------------


def your_group_text(
    t: Translator, *, name: str, channel_id: str | None, mentor_id: str, leads: bool
) -> Mrkdwn:
    if leads:
        template = t.gettext(
            "🎉 Your mentor group *{group}* is formed, and you lead it. Say hello in {channel}!"
        )
    else:
        template = t.gettext(
            "🎉 You are in the mentor group *{group}*, with {mentor} as your mentor. "
            "Say hello in {channel}!"
        )
    where = channel(channel_id) if channel_id else md(t.gettext("its channel (coming soon)"))
    return message_text(md(template, group=name, channel=where, mentor=mention(mentor_id)))


def left_out_dm_text(t: Translator, *, reason: str) -> Mrkdwn:
    """What happens next for someone the groups do not include."""
    if reason == LeftOutReason.NOT_NEEDED:
        return md(
            t.gettext(
                "Thank you for offering to mentor! Every group has a mentor this term, so "
                "you don't lead one for now. If a group needs a mentor, a coordinator will "
                "ask you."
            )
        )
    if reason in (LeftOutReason.NO_CAPACITY, LeftOutReason.UNCERTIFIED_MENTOR):
        return md(
            t.gettext(
                "Thank you for offering to mentor! You don't lead a group this term yet; "
                "a coordinator will write to you about what comes next."
            )
        )
    return md(
        t.gettext(
            "The groups for this term are formed, and we could not place you in one yet. "
            "You are still signed up: a coordinator will write to you, and when a group has "
            "room we'll add you to it."
        )
    )


def late_proposal_text(t: Translator, *, name: str, group: str) -> Mrkdwn:
    return message_text(
        md(t.gettext("*{name}* signed up late. Add them to *{group}*?"), name=name, group=group)
    )


def late_proposal_blocks(
    t: Translator,
    *,
    proposal_id: int,
    name: str,
    group: str,
    reasons: GroupReasons,
    names: Mapping[str, str],
) -> list[Block]:
    value = str(proposal_id)
    return [
        section(late_proposal_text(t, name=name, group=group)),
        context(_reasons_text(t, reasons, names)),
        ActionsBlock(
            elements=[
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: adds a late sign-up to a group.
                    text=button_text(t.gettext("Add to {group}").format(group=group)),
                    action_id=LATE_ADD,
                    value=value,
                    style="primary",
                ),
                ButtonElement(
                    # TRANSLATORS: button, max 75 characters: leaves a late sign-up unplaced.
                    text=button_text(t.gettext("Not now")),
                    action_id=LATE_NOT_NOW,
                    value=value,
                ),
            ]
        ),
    ]


def late_no_room_text(t: Translator, *, name: str) -> Mrkdwn:
    return message_text(
        md(
            t.gettext(
                "*{name}* signed up late, and no group has room in a language they speak. "
                'Add them by hand with `/mentor group add @someone group="NAME"` when one does.'
            ),
            name=name,
        )
    )
