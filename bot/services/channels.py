"""Setting up a group's private channel, one recorded step at a time.

Each step's result is stored before the next begins, so an interrupted run (a crash, a
Ctrl-C during a bulk import, a rate limit that outlasted the retries) resumes where it
stopped, and a group that is already set up costs no Slack call at all.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.welcome import welcome_blocks, welcome_text
from bot.domain.names import group_channel_name
from bot.i18n import Phrase, language_or_default, phrase, translator
from bot.runtime import Runtime
from bot.services.privacy import retention_periods
from storage.db import read_session, write_session
from storage.groups import advance_setup, group_by_channel, group_by_id, members_of
from storage.ids import stored_id
from storage.models import GroupSetup, MemberRole, MentorGroup, Term
from storage.terms import term_by_id

logger = logging.getLogger(__name__)

MAX_NAME_ATTEMPTS = 20
_HARMLESS_INVITE_ERRORS = {"already_in_channel", "cant_invite_self"}


class ChannelSetupError(Exception):
    """Slack refused a step in a way retrying will not fix; `phrase` says which, in the
    reader's language (`str(error)` in English, for logs)."""

    def __init__(self, message: Phrase) -> None:
        super().__init__(str(message))
        self.phrase = message


def set_up_channel(runtime: Runtime, client: WebClient, group_id: int) -> MentorGroup:
    """Run the remaining setup steps of a group; returns the group as stored afterwards."""
    steps = {
        GroupSetup.NEW: _create_channel,
        GroupSetup.CHANNEL: _invite_members,
        GroupSetup.INVITED: _set_purpose,
        GroupSetup.PURPOSE: _post_welcome,
    }
    while True:
        group, term = _load(runtime, group_id)
        step = group.setup
        if step is GroupSetup.WELCOMED:
            return group
        steps[step](runtime, client, group, term)


def _load(runtime: Runtime, group_id: int) -> tuple[MentorGroup, Term]:
    with read_session(runtime.engine) as session:
        group = group_by_id(session, group_id)
        if group is None:
            raise ChannelSetupError(phrase("the group no longer exists"))
        term = term_by_id(session, group.term_id)
        assert term is not None
        return group, term


def _create_channel(runtime: Runtime, client: WebClient, group: MentorGroup, term: Term) -> None:
    for attempt in range(1, MAX_NAME_ATTEMPTS + 1):
        name = group_channel_name(term.name, group.name, attempt=attempt)
        try:
            channel = client.conversations_create(name=name, is_private=True)["channel"]
        except SlackApiError as error:
            if error.response.get("error") != "name_taken":
                raise
            adopted = _orphan_channel_named(runtime, client, name)
            if adopted is None:
                continue
            channel = adopted
        recorded = _record(
            runtime,
            group,
            GroupSetup.NEW,
            GroupSetup.CHANNEL,
            channel_id=channel["id"],
            channel_name=channel["name"],
        )
        if not recorded:
            # Another worker set this group up at the same moment; ours is the spare.
            client.conversations_archive(channel=channel["id"])
        return
    raise ChannelSetupError(
        phrase(
            "every channel name from {first} to -{attempts} is taken; rename the group",
            first=group_channel_name(term.name, group.name),
            attempts=MAX_NAME_ATTEMPTS,
        )
    )


def _orphan_channel_named(runtime: Runtime, client: WebClient, name: str) -> dict[str, Any] | None:
    """A private channel with this name that the bot created but never recorded (the process
    stopped between Slack's answer and our commit): reuse it rather than make another."""
    for page in client.users_conversations(
        types="private_channel", exclude_archived=True, limit=200
    ):
        channels: list[dict[str, Any]] = page.get("channels", [])  # Slack's JSON, untyped
        for channel in channels:
            if channel.get("name") != name:
                continue
            with read_session(runtime.engine) as session:
                if group_by_channel(session, channel["id"]) is None:
                    logger.info("adopting unrecorded channel %s (%s)", name, channel["id"])
                    return channel
            return None
    return None


def _invite_members(runtime: Runtime, client: WebClient, group: MentorGroup, term: Term) -> None:  # noqa: ARG001 - one signature for every step
    assert group.channel_id is not None
    with read_session(runtime.engine) as session:
        user_ids = [member.slack_user_id for member in members_of(session, stored_id(group))]
    if user_ids:
        try:
            client.conversations_invite(channel=group.channel_id, users=user_ids, force=True)
        except SlackApiError as error:
            problems = _invite_problems(error)
            if problems:
                logger.warning("group %s: could not invite %s", stored_id(group), problems)
    _record(runtime, group, GroupSetup.CHANNEL, GroupSetup.INVITED)


def _invite_problems(error: SlackApiError) -> dict[str, str]:
    """Per-person failures worth reporting; raise if the call failed as a whole."""
    code = error.response.get("error")
    per_user = error.response.get("errors") or []
    if code in _HARMLESS_INVITE_ERRORS and not per_user:
        return {}
    if not per_user:
        raise error
    return {
        entry.get("user", "?"): entry.get("error", "?")
        for entry in per_user
        if entry.get("error") not in _HARMLESS_INVITE_ERRORS
    }


def _set_purpose(runtime: Runtime, client: WebClient, group: MentorGroup, term: Term) -> None:
    t = translator(language_or_default(term.language))
    # TRANSLATORS: the channel's purpose (plain text, cut at 250 characters).
    purpose = t.ngettext(
        "Mentor group “{group}”, {term}. Voluntary and confidential; "
        "we meet at least {count} time this term.",
        "Mentor group “{group}”, {term}. Voluntary and confidential; "
        "we meet at least {count} times this term.",
        term.min_meetings,
    ).format(group=group.name, term=term.name, count=term.min_meetings)
    client.conversations_setPurpose(channel=group.channel_id or "", purpose=purpose[:250])
    _record(runtime, group, GroupSetup.INVITED, GroupSetup.PURPOSE)


def _post_welcome(runtime: Runtime, client: WebClient, group: MentorGroup, term: Term) -> None:
    assert group.channel_id is not None
    with read_session(runtime.engine) as session:
        members = members_of(session, stored_id(group))
    mentor_id = next(
        (m.slack_user_id for m in members if m.role == MemberRole.MENTOR), group.created_by
    )
    t = translator(language_or_default(term.language))
    posted = client.chat_postMessage(
        channel=group.channel_id,
        text=welcome_text(t, group.name),
        blocks=welcome_blocks(
            t,
            group_id=stored_id(group),
            group_name=group.name,
            mentor_id=mentor_id,
            mentee_ids=[m.slack_user_id for m in members if m.role == MemberRole.MENTEE],
            min_meetings=term.min_meetings,
            term_name=term.name,
            term_ends_on=term.ends_on,
            periods=retention_periods(runtime),
        ),
    )
    try:
        client.pins_add(channel=group.channel_id, timestamp=posted["ts"])
    except SlackApiError as error:
        if error.response.get("error") != "already_pinned":
            raise
    _record(runtime, group, GroupSetup.PURPOSE, GroupSetup.WELCOMED, welcome_ts=posted["ts"])


def _record(
    runtime: Runtime, group: MentorGroup, from_step: GroupSetup, to_step: GroupSetup, **values: str
) -> bool:
    """Store a finished step; False if another worker recorded it first (the loop in
    `set_up_channel` then carries on from whatever step is stored)."""
    with write_session(runtime.engine) as session:
        moved = advance_setup(
            session, group_id=stored_id(group), from_step=from_step, to_step=to_step, **values
        )
    if not moved:
        logger.info(
            "group %s: step %s was already done by another worker", stored_id(group), to_step
        )
    return moved
