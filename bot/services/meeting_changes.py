"""The mentor changes the group's next planned meeting: another place, another time, or
called off (`/mentor meeting where|move|cancel`).

Each change is one conditional update that raises the meeting's `calendar_sequence`; the
channel is told in one line, with an .ics of the same UID and the higher SEQUENCE (a
cancellation: METHOD:CANCEL, STATUS:CANCELLED), so calendars update the event they hold.
The day-before reminder and "did you meet?" read the meeting as stored, so they follow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.text import Mrkdwn, bold, md, shortened
from bot.domain.calendar import meeting_ics, meeting_summary, meeting_uid
from bot.domain.dates import DateNotUnderstood
from bot.domain.errors import UserError
from bot.domain.limits import MAX_MEETING_PLACE
from bot.domain.places import clean_place
from bot.i18n import phrase
from bot.runtime import Runtime
from bot.services.group_context import GroupContext
from bot.services.meetings import when_local, when_text
from bot.services.polls.closing import channel_place
from bot.services.polls.drafting import understand_meeting_date
from storage.db import read_session, write_session
from storage.ids import stored_id
from storage.meetings import DuplicateMeeting, MeetingChanged, change_planned_meeting
from storage.models import Meeting
from storage.polls import next_planned_meeting

logger = logging.getLogger(__name__)

NO_MEETING = phrase(
    "The group has no meeting planned ahead; a date poll plans one: `/mentor poll`."
)
CHANGED_MEANWHILE = phrase("The meeting was changed or logged just now; look again and retry.")


@dataclass(frozen=True)
class MeetingChange:
    """A change stored: the meeting as it is now and the line that tells the channel (in
    the channel's language)."""

    meeting: Meeting
    line: Mrkdwn
    cancelled: bool = False


def next_meeting(runtime: Runtime, context: GroupContext) -> Meeting:
    """The group's next planned meeting (not yet started); refused when there is none."""
    with read_session(runtime.engine) as session:
        meeting = next_planned_meeting(session, group_id=context.group_id, after=runtime.now())
    if meeting is None:
        raise UserError(NO_MEETING)
    return meeting


def change_place(runtime: Runtime, context: GroupContext, typed: str) -> MeetingChange:
    place = clean_place(typed)
    if place is None:
        raise UserError(phrase('Say where: `/mentor meeting where "Room 2.14"` or a video link.'))
    meeting = next_meeting(runtime, context)
    changed = _store(runtime, meeting, location=place)
    return MeetingChange(
        changed,
        md(
            context.t.gettext("📍 The meeting on {when} is now at {place}."),
            when=bold(_when(context, changed)),
            place=bold(shortened(place, MAX_MEETING_PLACE)),
        ),
    )


def move_meeting(runtime: Runtime, context: GroupContext, typed: str) -> MeetingChange:
    if not typed.strip():
        raise UserError(phrase("Say when: `/mentor meeting move fri 16:00`."))
    try:
        starts_at = understand_meeting_date(context, typed, now=runtime.now())
    except DateNotUnderstood as error:
        raise UserError(
            phrase("The meeting was not moved: {problem}.", problem=error.phrase)
        ) from None
    meeting = next_meeting(runtime, context)
    before = _when(context, meeting)
    length = meeting.ends_at - meeting.starts_at
    try:
        changed = _store(runtime, meeting, starts_at=starts_at, ends_at=starts_at + length)
    except DuplicateMeeting:
        raise UserError(phrase("The group already has a meeting at that time.")) from None
    return MeetingChange(
        changed,
        md(
            context.t.gettext("📅 The meeting on {before} moved to {after}."),
            before=before,
            after=bold(_when(context, changed)),
        ),
    )


def cancel_meeting(runtime: Runtime, context: GroupContext) -> MeetingChange:
    meeting = next_meeting(runtime, context)
    changed = _store(runtime, meeting, cancel=True)
    return MeetingChange(
        changed,
        md(
            context.t.gettext("❌ The meeting on {when} is cancelled."),
            when=bold(_when(context, changed)),
        ),
        cancelled=True,
    )


def _store(
    runtime: Runtime,
    meeting: Meeting,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    location: str | None = None,
    cancel: bool = False,
) -> Meeting:
    with write_session(runtime.engine) as session:
        try:
            return change_planned_meeting(
                session,
                meeting_id=stored_id(meeting),
                sequence=meeting.calendar_sequence,
                starts_at=starts_at,
                ends_at=ends_at,
                location=location,
                cancel=cancel,
            )
        except MeetingChanged:
            raise UserError(CHANGED_MEANWHILE) from None


def _when(context: GroupContext, meeting: Meeting) -> Mrkdwn:
    return when_local(context, meeting.starts_at, context.t)


def tell_channel(
    runtime: Runtime, client: WebClient, context: GroupContext, change: MeetingChange
) -> str | None:
    """The one line and the updated .ics, in the group's channel. Returns the line if the
    channel could not be told (the change is stored all the same), for the mentor."""
    meeting, channel_id = change.meeting, context.group.channel_id
    t = context.t
    line = md(t.gettext("{line} The attached file updates your calendar."), line=change.line)
    if channel_id is None:
        return line
    ics = meeting_ics(
        uid=meeting_uid(
            poll_id=meeting.poll_id, meeting_id=stored_id(meeting), channel_id=channel_id
        ),
        title=meeting_summary(t, context.group.name),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.location or channel_place(context.group.channel_name),
        # TRANSLATORS: the calendar event's description.
        description=t.gettext("Your mentor group's meeting, planned in Slack."),
        zone=context.zone,
        stamp=runtime.now(),
        sequence=meeting.calendar_sequence,
        cancelled=change.cancelled,
        t=t,
    )
    try:
        client.files_upload_v2(
            channel=channel_id,
            content=ics,
            # TRANSLATORS: the calendar file's name people see in Slack: lowercase, no spaces.
            filename=t.gettext("mentor-group-meeting.ics"),
            # TRANSLATORS: the calendar file's title in Slack: the group's name and when.
            title=t.gettext("{group}: {when}").format(
                group=context.group.name, when=when_text(context, meeting.starts_at, t)
            ),
            initial_comment=line,
        )
    except (SlackApiError, OSError):
        logger.warning("could not tell the channel of meeting %s", meeting.id, exc_info=True)
        return line
    return None
