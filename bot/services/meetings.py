"""Logging meetings, listing and deleting them, "did you meet?", and a group's status.

A meeting is logged in three steps, the same for `/mentor log WHEN`, the log form and the
"did you meet?" answer: `draft_meeting` checks what the mentor gave (every problem on its
form field), `log_meeting` stores it, `announce_meeting` tells the channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.ids import ATTENDEES, NOTE, THEME, WHEN
from bot.blocks.meetings import (
    LoggedMeetingLine,
    MemberChoice,
    StatusView,
    SuggestedTheme,
    ThemeOption,
    day_before_blocks,
    day_before_text,
    did_you_meet_blocks,
    did_you_meet_text,
    logged_text,
)
from bot.blocks.text import (
    LOCAL_TIME_OF_DAY,
    Mrkdwn,
    italic,
    local_time,
    md,
    zoned_fallback,
    zoned_time,
)
from bot.domain.dates import DateNotUnderstood, understand_datetime
from bot.domain.errors import FieldError, FormErrors, UserError
from bot.domain.flood import StoringAction
from bot.domain.limits import MAX_MEETING_NOTE
from bot.domain.polls import DEFAULT_LENGTH_MINUTES
from bot.domain.said import day_said, moment_said, number_said
from bot.domain.text import shorten
from bot.domain.themes import find_theme, in_language, unknown_theme
from bot.i18n import Translator, phrase
from bot.runtime import Runtime
from bot.services.flood import check_flood
from bot.services.group_context import GroupContext, context_in, load_context
from bot.services.job_runs import JobRun
from bot.services.language import reader
from bot.services.outbox import send_once
from bot.services.snooze import awake_among
from bot.services.themes import suggestions_for
from storage.db import read_session, write_session
from storage.groups import members_of
from storage.ids import stored_id
from storage.meetings import (
    DuplicateMeeting,
    attendees_of,
    cancel_planned_meeting,
    delete_meeting,
    held_count,
    insert_meeting,
    latest_planned_before,
    meeting_by_id,
    meetings_of,
    planned_meetings_ended_before,
    planned_meetings_starting_between,
    planned_on_the_same_day,
    replace_attendance,
    set_held_meeting_theme,
    theme_names,
    themes_for_group,
)
from storage.models import Meeting, MeetingState, Theme
from storage.polls import next_planned_meeting, open_polls_of_group

logger = logging.getLogger(__name__)

ASK_AFTER_END = timedelta(hours=2)
MEETINGS_JOB = "meetings"
T = TypeVar("T")
NOBODY_TICKED = phrase("Tick who came (at least one person).")


def when_text(context: GroupContext, moment: datetime, t: Translator) -> str:
    """`moment` in the term's zone, as plain text in `t`'s language (form errors, buttons,
    file titles)."""
    return t.moment(moment.astimezone(context.zone))


def when_local(context: GroupContext, moment: datetime, t: Translator) -> Mrkdwn:
    """`moment` for mrkdwn: each reader sees their own local time ("tomorrow 16:00");
    where Slack cannot format it, `t`'s wording naming the term's zone."""
    return zoned_time(moment, context.zone, t)


def time_of_day_local(context: GroupContext, moment: datetime, t: Translator) -> Mrkdwn:
    """Only the time of `moment` in each reader's zone, for a text that already says which
    day ("meets tomorrow, 16:00"); the fallback still names the day and the term's zone."""
    fallback = zoned_fallback(moment, context.zone, t)
    return local_time(moment, fallback, LOCAL_TIME_OF_DAY)


def theme_shown(name: str, language: str) -> str:
    """A stored theme's name as `language` shows it (a default theme in its own words)."""
    return in_language(name, (), language).name


@dataclass(frozen=True)
class MeetingDraft:
    """A meeting ready to log, every rule checked: only `draft_meeting` makes one."""

    starts_at: datetime
    attendees: tuple[str, ...]
    theme: Theme | None
    note: str | None


@dataclass(frozen=True)
class LoggedMeeting:
    meeting: Meeting
    number: int
    """The how-manyth held meeting of the group it is."""
    theme: str | None


def draft_meeting(
    runtime: Runtime,
    context: GroupContext,
    *,
    when: datetime | str | None,
    attendees: Sequence[str] | None = None,
    theme_name: str | None = None,
    theme_value: str | None = None,
    note: str | None = None,
) -> MeetingDraft:
    """Check a meeting to log, typed (`/mentor log WHEN theme=NAME`: WHEN as words,
    everyone attending), picked in the log form (a moment, the people ticked, a theme's
    option value, a note) or confirmed ("yes, we met"). Every problem is raised at once,
    each on its field of the log form (FormErrors)."""
    problems: list[FieldError] = []
    starts_at = _unless_wrong(problems, lambda: _log_time(context, when, now=runtime.now()))
    present = _unless_wrong(
        problems,
        lambda: _members_only(context, context.member_ids if attendees is None else attendees),
    )
    theme = _unless_wrong(
        problems, lambda: _chosen_theme(runtime, context, name=theme_name, value=theme_value)
    )
    _unless_wrong(problems, lambda: _check_note(note))
    if problems or starts_at is None or present is None:
        raise FormErrors(problems)
    return MeetingDraft(starts_at=starts_at, attendees=present, theme=theme, note=note)


def _unless_wrong(problems: list[FieldError], check: Callable[[], T]) -> T | None:
    """`check()`, or None with its FieldError added to `problems`."""
    try:
        return check()
    except FieldError as problem:
        problems.append(problem)
        return None


def _log_time(context: GroupContext, when: datetime | str | None, *, now: datetime) -> datetime:
    """WHEN for a log: the past is fine, the future and dates outside the term are not."""
    if when is None:
        raise FieldError(WHEN, phrase("Pick the date and time you met."))
    moment = understand_log_time(context, when, now=now) if isinstance(when, str) else when
    try:
        check_log_time(context, moment, now=now)
    except UserError as error:
        raise FieldError(WHEN, error.phrase or error.message) from None
    return moment


def understand_log_time(context: GroupContext, text: str, *, now: datetime) -> datetime:
    term_start = datetime.combine(context.term.starts_on, time.min, tzinfo=context.zone)
    try:
        return understand_datetime(
            text,
            now=now,
            zone=context.zone,
            languages=context.languages,
            direction="past",
            not_before=term_start,
        )
    except DateNotUnderstood as error:
        raise FieldError(
            WHEN, phrase("“{typed}”: {problem}", typed=shorten(text), problem=error.phrase)
        ) from None


def check_log_time(context: GroupContext, moment: datetime, *, now: datetime) -> None:
    if moment > now:
        raise UserError(phrase("That is in the future; log a meeting once it has happened."))
    term_start = datetime.combine(context.term.starts_on, time.min, tzinfo=context.zone)
    term_end = datetime.combine(context.term.ends_on, time.max, tzinfo=context.zone)
    if not term_start <= moment <= term_end:
        raise UserError(
            phrase(
                "That is outside the term ({starts} – {ends}).",
                starts=day_said(context.term.starts_on),
                ends=day_said(context.term.ends_on),
            )
        )


def _members_only(context: GroupContext, ticked: Sequence[str]) -> tuple[str, ...]:
    """The ticked people who are members of the group; ticked values are client data, so
    a forged submission naming only outsiders is refused like one naming nobody."""
    members = tuple(user for user in ticked if user in context.member_ids)
    if not members:
        raise FieldError(ATTENDEES, NOBODY_TICKED)
    return members


def _chosen_theme(
    runtime: Runtime, context: GroupContext, *, name: str | None, value: str | None
) -> Theme | None:
    """The theme typed by `name` (exactly or its start) or picked by its option `value`;
    only themes offered to this group count. A typed name is the theme's in the term's
    language, or the name it is stored under (English for the default themes)."""
    if name is None and not value:
        return None
    with read_session(runtime.engine) as session:
        themes = [theme for theme, _ in themes_for_group(session, context.group_id)]
    if value:
        picked = next((theme for theme in themes if str(theme.id) == value), None)
        if picked is None:
            raise FieldError(THEME, phrase("That theme is no longer offered; pick another."))
        return picked
    shown = [theme_shown(theme.name, context.t.language) for theme in themes]
    found = find_theme(name or "", shown)
    if found is None:
        found = find_theme(name or "", [theme.name for theme in themes])
    if found is None:
        raise FieldError(THEME, unknown_theme(name or "", shown))
    return themes[found]


def _check_note(note: str | None) -> None:
    if note is not None and len(note) > MAX_MEETING_NOTE:
        raise FieldError(
            NOTE,
            phrase(
                "Keep the note under {limit} characters (it has {length}); "
                "shorten it, or keep longer notes elsewhere.",
                limit=number_said(MAX_MEETING_NOTE),
                length=number_said(len(note)),
            ),
        )


def log_meeting(
    runtime: Runtime, context: GroupContext, draft: MeetingDraft, *, user_id: str
) -> LoggedMeeting:
    """Store a drafted meeting as held; a meeting planned for that day becomes it, taking
    its length. The database only: callers log, acknowledge, then announce."""
    now = runtime.now()
    check_flood(runtime, user_id=user_id, action=StoringAction.LOG_MEETING)
    local = draft.starts_at.astimezone(context.zone)
    day_start = datetime.combine(local.date(), time.min, tzinfo=context.zone)
    with write_session(runtime.engine) as session:
        planned = planned_on_the_same_day(
            session,
            group_id=context.group_id,
            day_start=day_start,
            day_end=day_start + timedelta(days=1),
        )
        length = (
            planned.ends_at - planned.starts_at
            if planned is not None
            else timedelta(minutes=DEFAULT_LENGTH_MINUTES)
        )
        try:
            meeting = insert_meeting(
                session,
                group_id=context.group_id,
                starts_at=draft.starts_at,
                ends_at=draft.starts_at + length,
                planned=planned,
                theme_id=draft.theme.id if draft.theme else None,
                attendees=list(draft.attendees),
                note=draft.note,
                logged_by=user_id,
                now=now,
            )
        except DuplicateMeeting:
            raise FieldError(
                WHEN,
                phrase(
                    "A meeting on {when} is already logged; see `/mentor log list`.",
                    when=moment_said(draft.starts_at.astimezone(context.zone)),
                ),
            ) from None
        number = held_count(session, context.group_id)
    theme = draft.theme.name if draft.theme else None
    return LoggedMeeting(meeting=meeting, number=number, theme=theme)


def announce_meeting(client: WebClient, context: GroupContext, logged: LoggedMeeting) -> str | None:
    """Tell the channel a meeting was logged. Returns the text if the channel could not be
    told (the meeting is stored all the same), for the caller to show the mentor instead."""
    t = context.t
    text = logged_text(
        t,
        number=logged.number,
        minimum=context.term.min_meetings,
        when=when_local(context, logged.meeting.starts_at, t),
        theme=theme_shown(logged.theme, t.language) if logged.theme else None,
    )
    if context.group.channel_id is None:
        return text
    try:
        client.chat_postMessage(channel=context.group.channel_id, text=text)
    except (SlackApiError, OSError):
        logger.warning("could not announce meeting %s", logged.meeting.id, exc_info=True)
        return text
    return None


def announce_logged_meeting(
    runtime: Runtime, client: WebClient, *, meeting_id: int, number: int
) -> str | None:
    """`announce_meeting` for a meeting logged earlier (by the web process)."""
    with read_session(runtime.engine) as session:
        meeting = meeting_by_id(session, meeting_id)
        context = context_in(session, meeting.group_id) if meeting else None
        if meeting is None or context is None:
            return None
        names = theme_names(session, {meeting.theme_id} if meeting.theme_id else set())
    logged = LoggedMeeting(meeting, number, names.get(meeting.theme_id or 0))
    return announce_meeting(client, context, logged)


def default_log_time(runtime: Runtime, context: GroupContext) -> datetime:
    """The latest planned meeting that has started, or now."""
    now = runtime.now()
    with read_session(runtime.engine) as session:
        planned = latest_planned_before(session, group_id=context.group_id, before=now)
    return planned.starts_at if planned else now.replace(second=0, microsecond=0)


def member_choices(runtime: Runtime, context: GroupContext) -> list[MemberChoice]:
    with read_session(runtime.engine) as session:
        return [
            MemberChoice(m.slack_user_id, m.name) for m in members_of(session, context.group_id)
        ]


def theme_options(runtime: Runtime, context: GroupContext, t: Translator) -> list[ThemeOption]:
    """The themes offered to the group, named in `t`'s language."""
    with read_session(runtime.engine) as session:
        return [
            ThemeOption(stored_id(theme), theme_shown(theme.name, t.language))
            for theme, _ in themes_for_group(session, context.group_id)
        ]


def logged_lines(
    runtime: Runtime, context: GroupContext, *, viewer: str, t: Translator
) -> list[LoggedMeetingLine]:
    """The group's held meetings; a private note only for the mentor who wrote it."""
    with read_session(runtime.engine) as session:
        held = [m for m in meetings_of(session, context.group_id) if m.state == MeetingState.HELD]
        attendance = attendees_of(session, [m.id for m in held if m.id])
        names = theme_names(session, {m.theme_id for m in held if m.theme_id})
    return [
        LoggedMeetingLine(
            meeting_id=stored_id(m),
            when=when_local(context, m.starts_at, t),
            attendees=len(attendance.get(stored_id(m), [])),
            theme=theme_shown(names.get(m.theme_id, "?"), t.language) if m.theme_id else None,
            note=m.mentor_note if m.logged_by == viewer else None,
        )
        for m in held
    ]


def remove_meeting(runtime: Runtime, context: GroupContext, *, meeting_id: int) -> None:
    with write_session(runtime.engine) as session:
        if not delete_meeting(session, meeting_id=meeting_id, group_id=context.group_id):
            raise UserError(phrase("That meeting is not logged in this group (any more)."))


def status_of(runtime: Runtime, context: GroupContext, t: Translator) -> StatusView:
    """The group's status as `t`'s reader sees it."""
    now = runtime.now()
    with read_session(runtime.engine) as session:
        held = held_count(session, context.group_id)
        upcoming = next_planned_meeting(session, group_id=context.group_id, after=now)
        polls = open_polls_of_group(session, context.group_id)
        covered = [
            theme_shown(theme.name, t.language)
            for theme, times in themes_for_group(session, context.group_id)
            if times > 0
        ]
    return StatusView(
        group_name=context.group.name,
        held=held,
        minimum=context.term.min_meetings,
        next_meeting=when_local(context, upcoming.starts_at, t) if upcoming else None,
        open_polls=len(polls),
        themes_covered=tuple(covered),
        next_place=upcoming.location if upcoming else None,
    )


def ask_did_you_meet(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> int:
    """DM the mentor once about each planned meeting that ended two hours ago, unlogged.
    Each meeting on its own: one that fails is recorded in `run` and asked again next run."""
    run = run or JobRun(runtime, MEETINGS_JOB)
    now = runtime.now()
    with read_session(runtime.engine) as session:
        passed = [
            (meeting, load_context(session, group))
            for meeting, group in planned_meetings_ended_before(session, cutoff=now - ASK_AFTER_END)
        ]
    sent = 0
    for meeting, context in passed:
        # A snoozed mentor is asked once the snooze ends: the meeting stays planned, so due.
        if not awake_among(runtime, context.mentor_ids[:1]):
            continue
        sent += bool(
            run.attempt(
                f"meeting:{meeting.id}",
                partial(_ask_did_you_meet, runtime, client, meeting, context),
            )
        )
    return sent


def _ask_did_you_meet(
    runtime: Runtime, client: WebClient, meeting: Meeting, context: GroupContext
) -> bool:
    # The mentor's own language, which is the channel's unless they chose another.
    t = reader(runtime, context.mentor_id)
    blocks = did_you_meet_blocks(
        t,
        meeting_id=stored_id(meeting),
        group_name=context.group.name,
        when=when_local(context, meeting.starts_at, t),
    )
    text = did_you_meet_text(
        t, group_name=context.group.name, when=when_text(context, meeting.starts_at, t)
    )
    return send_once(
        runtime,
        kind="did_you_meet",
        key=str(meeting.id),
        send=lambda: client.chat_postMessage(channel=context.mentor_id, text=text, blocks=blocks),
        raise_errors=True,
    )


def meeting_for_mentor(
    runtime: Runtime, *, meeting_id: int, user_id: str
) -> tuple[Meeting, GroupContext]:
    with read_session(runtime.engine) as session:
        meeting = meeting_by_id(session, meeting_id)
        context = context_in(session, meeting.group_id) if meeting else None
    if meeting is None or context is None:
        raise UserError(phrase("That meeting no longer exists."))
    if user_id not in context.mentor_ids:
        raise UserError(phrase("Only the group's mentor can answer this."))
    return meeting, context


def confirm_met(
    runtime: Runtime, client: WebClient, *, meeting_id: int, user_id: str, t: Translator
) -> Mrkdwn:
    """ "Yes, we met": log the planned meeting with everyone attending; the answer is in
    `t`'s language (the mentor's), the channel is told in its own."""
    meeting, context = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=user_id)
    if meeting.state == MeetingState.HELD:
        return md(
            t.gettext("The meeting on {when} is already logged."),
            when=when_local(context, meeting.starts_at, t),
        )
    if meeting.state != MeetingState.PLANNED:
        return md(t.gettext("That meeting was called off."))
    draft = draft_meeting(runtime, context, when=meeting.starts_at)
    logged = log_meeting(runtime, context, draft, user_id=user_id)
    announce_meeting(client, context, logged)
    return md(
        t.gettext(
            "Logged meeting {number} ({when}) with everyone attending. Not everyone came? "
            "Change it below."
        ),
        number=logged.number,
        when=when_local(context, meeting.starts_at, t),
    )


def confirm_not_met(runtime: Runtime, *, meeting_id: int, user_id: str) -> int:
    """ "No": the planned meeting did not happen; returns the group's ID for a new poll."""
    _, context = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=user_id)
    with write_session(runtime.engine) as session:
        # Logged or called off in the meantime: that answer stands.
        cancel_planned_meeting(session, meeting_id=meeting_id)
    return context.group_id


def set_attendance(
    runtime: Runtime, *, meeting_id: int, user_id: str, present: Sequence[str]
) -> tuple[int, int]:
    """Who came to a logged meeting; returns how many came and of how many members."""
    if not present:  # refused before any read: the form stays open at once
        raise FieldError(ATTENDEES, NOBODY_TICKED)
    _, context = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=user_id)
    members = _members_only(context, present)
    with write_session(runtime.engine) as session:
        replace_attendance(session, meeting_id=meeting_id, user_ids=list(members))
    return len(members), len(context.member_ids)


def set_meeting_theme(
    runtime: Runtime, *, meeting_id: int, theme: str, user_id: str, t: Translator
) -> Mrkdwn:
    """The theme picked after "Yes, we met": only the group's mentor, only a theme offered to
    the group, only while the meeting is logged."""
    meeting, context = meeting_for_mentor(runtime, meeting_id=meeting_id, user_id=user_id)
    picked = _chosen_theme(runtime, context, name=None, value=theme)
    if picked is None:
        raise UserError(phrase("Pick a theme."))
    with write_session(runtime.engine) as session:
        if not set_held_meeting_theme(session, meeting_id=meeting_id, theme_id=stored_id(picked)):
            raise UserError(phrase("That meeting is no longer logged."))
    return md(
        t.gettext(
            "Saved: the meeting on {when} was about {theme}. Not everyone came? Change it below."
        ),
        when=when_local(context, meeting.starts_at, t),
        theme=italic(theme_shown(picked.name, t.language)),
    )


def present_at(runtime: Runtime, meeting_id: int) -> list[str]:
    with read_session(runtime.engine) as session:
        return attendees_of(session, [meeting_id]).get(meeting_id, [])


def run_day_before_reminders(runtime: Runtime, client: WebClient, run: JobRun | None = None) -> int:
    """Remind each group in its channel during the 24 hours before a planned meeting, with
    three theme suggestions. Each meeting on its own: one that fails is recorded in `run`
    and reminded again next run."""
    run = run or JobRun(runtime, MEETINGS_JOB)
    now = runtime.now()
    with read_session(runtime.engine) as session:
        upcoming = [
            (meeting, load_context(session, group))
            for meeting, group in planned_meetings_starting_between(
                session, start=now, end=now + timedelta(hours=24)
            )
        ]
    sent = 0
    for meeting, context in upcoming:
        sent += bool(
            run.attempt(
                f"meeting:{meeting.id}",
                partial(_remind_day_before, runtime, client, meeting, context),
            )
        )
    return sent


def _remind_day_before(
    runtime: Runtime, client: WebClient, meeting: Meeting, context: GroupContext
) -> bool:
    t = context.t
    when = time_of_day_local(context, meeting.starts_at, t)
    suggestions = suggestions_for(runtime, context)
    blocks = day_before_blocks(
        t,
        meeting_id=stored_id(meeting),
        when=when,
        where=meeting.location,
        theme=suggestions[0] if suggestions else None,
    )
    return send_once(
        runtime,
        kind="meeting_day_before",
        key=day_before_key(meeting),
        send=lambda: client.chat_postMessage(
            channel=context.group.channel_id or "",
            text=day_before_text(
                t, group_name=context.group.name, when=when, where=meeting.location
            ),
            blocks=blocks,
        ),
        raise_errors=True,
    )


MORE_IDEAS_COUNT = 2


def more_ideas(
    runtime: Runtime, *, meeting_id: int, user_id: str, language: str
) -> list[SuggestedTheme]:
    """ "More ideas" on a day-before reminder: the next two suggestions after the one shown,
    for members of the group (and coordinators), in the clicker's `language`."""
    with read_session(runtime.engine) as session:
        meeting = meeting_by_id(session, meeting_id)
        context = context_in(session, meeting.group_id) if meeting else None
    if context is None:
        raise UserError(phrase("That meeting no longer exists."))
    if user_id not in context.member_ids and user_id not in runtime.settings.coordinators:
        raise UserError(phrase("Only members of this mentor group can do that."))
    return suggestions_for(runtime, context, language=language)[1 : 1 + MORE_IDEAS_COUNT]


def day_before_key(meeting: Meeting) -> str:
    """The outbox key of a meeting's day-before reminder: one reminder per start time. A
    meeting never changed keeps its plain ID (the key reminders were always sent under);
    once moved, re-placed or cancelled, the key names its start, so a meeting moved to a new
    time is reminded for it even when the old time was reminded already."""
    if meeting.calendar_sequence == 0:
        return str(meeting.id)
    return f"{meeting.id}@{int(meeting.starts_at.timestamp())}"
