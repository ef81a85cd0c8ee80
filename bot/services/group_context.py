"""A group with its term and members, as the services that act within a group need it."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.blocks.text import Mrkdwn, bold, channel, join
from bot.domain.errors import UserError
from bot.i18n import Phrase, Translator, language_or_default, nphrase, phrase, translator
from bot.runtime import Runtime
from storage.db import Session, read_connection, read_session
from storage.groups import group_with_members, memberships_in_current_term
from storage.ids import stored_id
from storage.models import MemberRole, MentorGroup, Term


@dataclass(frozen=True)
class GroupContext:
    group: MentorGroup
    term: Term
    mentor_ids: tuple[str, ...]
    member_ids: tuple[str, ...]

    @property
    def group_id(self) -> int:
        return stored_id(self.group)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.term.timezone)

    @property
    def languages(self) -> tuple[str, ...]:
        """The term's language, with English always understood too."""
        return (self.term.language,) if self.term.language == "en" else (self.term.language, "en")

    @property
    def t(self) -> Translator:
        """The words of the group's channel: the term's language (what one person alone
        reads is in their own: bot.services.language.reader)."""
        return translator(language_or_default(self.term.language))

    @property
    def mentor_id(self) -> str:
        return self.mentor_ids[0] if self.mentor_ids else self.group.created_by


def context_in(session: Session, group_id: int) -> GroupContext | None:
    """The context of a group, read inside a unit of work that already holds a session."""
    found = group_with_members(session, group_id=group_id)
    return _context(*found) if found is not None else None


def load_context(session: Session, group: MentorGroup) -> GroupContext:
    """`context_in` for a group read in the same session."""
    context = context_in(session, stored_id(group))
    assert context is not None, "the group was read in this session"
    return context


def group_context(
    runtime: Runtime,
    *,
    channel_id: str | None = None,
    group_id: int | None = None,
    user_id: str | None = None,
) -> GroupContext:
    """The group of a channel (or by ID). Elsewhere (their DM with the bot, any other
    channel) a person in one group of the current term acts on that group; someone in
    several is told which channels to use, and anyone else where to go."""
    with read_connection(runtime.engine) as connection:
        found = group_with_members(
            connection, group_id=group_id, channel_id=None if group_id is not None else channel_id
        )
    if found is None and group_id is None and user_id is not None:
        found = _the_one_group_of(runtime, user_id)
    if found is None:
        raise UserError(phrase("Use this in your mentor group's channel."))
    return _context(*found)


def _the_one_group_of(
    runtime: Runtime, user_id: str
) -> tuple[MentorGroup, Term, list[tuple[str, MemberRole]]] | None:
    with read_session(runtime.engine) as session:
        groups = [view.group for view in memberships_in_current_term(session, user_id)]
        if len(groups) == 1:
            return group_with_members(session, group_id=stored_id(groups[0]))
    if len(groups) > 1:
        raise UserError(
            nphrase(
                "You are in {count} mentor group: use this in its channel, {channels}.",
                "You are in {count} mentor groups: use this in one of their channels, {channels}.",
                len(groups),
                channels=_channel_links(groups),
            )
        )
    return None


def _channel_links(groups: list[MentorGroup]) -> Mrkdwn:
    return join(
        (channel(group.channel_id) if group.channel_id else bold(group.name) for group in groups),
        ", ",
    )


def _elsewhere(runtime: Runtime, user_id: str) -> Phrase | None:
    """Where someone who used a command in another group's channel should use it."""
    with read_session(runtime.engine) as session:
        groups = [view.group for view in memberships_in_current_term(session, user_id)]
    if not groups:
        return None
    return nphrase(
        "This is not your mentor group's channel: use this in {channels}.",
        "This is not your mentor group's channel: use this in one of {channels}.",
        len(groups),
        channels=_channel_links(groups),
    )


_ONLY_THE_MENTOR = {
    "log meetings": phrase("Only the group's mentor can log meetings."),
    "delete meetings": phrase("Only the group's mentor can delete meetings."),
    "change the group's meeting": phrase("Only the group's mentor can change the group's meeting."),
    "answer for the group": phrase("Only the group's mentor can answer for the group."),
}
"""The refusal for each `action` callers name, each a whole sentence to translate."""


def _only_the_mentor(action: str) -> Phrase:
    return _ONLY_THE_MENTOR.get(action) or phrase("Only the group's mentor can do that.")


def _context(group: MentorGroup, term: Term, members: list[tuple[str, MemberRole]]) -> GroupContext:
    """The one way a GroupContext is built: from `group_with_members`'s row."""
    return GroupContext(
        group=group,
        term=term,
        mentor_ids=tuple(user_id for user_id, role in members if role == MemberRole.MENTOR),
        member_ids=tuple(user_id for user_id, _ in members),
    )


def mentor_context(
    runtime: Runtime,
    *,
    user_id: str,
    action: str,
    channel_id: str | None = None,
    group_id: int | None = None,
) -> GroupContext:
    """The group, refusing anyone but its mentor and groups of a finished term."""
    context = group_context(runtime, channel_id=channel_id, group_id=group_id, user_id=user_id)
    if user_id not in context.member_ids and group_id is None:
        raise UserError(_elsewhere(runtime, user_id) or _only_the_mentor(action))
    if user_id not in context.mentor_ids:
        raise UserError(_only_the_mentor(action))
    if not context.term.is_current:
        raise UserError(phrase("This group's term is over."))
    return context


def member_context(
    runtime: Runtime, *, user_id: str, channel_id: str | None = None, group_id: int | None = None
) -> GroupContext:
    context = group_context(runtime, channel_id=channel_id, group_id=group_id, user_id=user_id)
    if user_id not in context.member_ids:
        elsewhere = _elsewhere(runtime, user_id) if group_id is None else None
        raise UserError(elsewhere or phrase("Only members of this mentor group can do that."))
    return context
