"""Text from people is shown as text: whatever a mentee, mentor or coordinator typed (theme
names and prompts, group and term names, poll options, notes, Slack names) can neither make
the bot post a mention, a broadcast or a disguised link, nor push a message past Slack's
limits. Every Block Kit builder is fed hostile text, and the bot is driven end to end with it.

The limits below are Slack's (Block Kit reference), written out here on purpose rather than
imported from the code under test, so the test is an independent check of them.
"""

from __future__ import annotations

import inspect
import json
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

import bot.blocks
from bot.blocks import (
    admin,
    closing,
    digest,
    groups,
    help,
    home,
    meetings,
    polls,
    privacy,
    pulse,
    review,
    signup,
    snooze,
    welcome,
)
from bot.blocks.form_errors import field_errors
from bot.blocks.text import md
from bot.domain import pulse as pulse_rules
from bot.domain.closing import Contribution, GroupRecord
from bot.domain.commands import CATALOGUE
from bot.domain.digest import GroupFigures, build_digest
from bot.domain.errors import FieldError, FormErrors
from bot.domain.matching import GroupReasons, GroupRules, LeftOutReason
from bot.domain.pace import Pace
from bot.domain.pulse import SCALE, STATEMENTS, PulseSummary, RoundKind, summarise
from bot.domain.retention import RetentionPeriods
from bot.domain.review import MOVED_OUT, Review, ReviewGroup
from bot.domain.signup import SLOTS, Signup
from bot.i18n import ENGLISH, LANGUAGES, Translator, translator
from storage.groups import GroupSummary
from storage.models import MentorGroup, Term

# Slack's limits (https://docs.slack.dev/reference/block-kit/…, modal-views).
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 3000
SECTION_TEXT = 3000
SECTION_FIELD = 2000
SECTION_FIELDS = 10
HEADER_TEXT = 150
CONTEXT_TEXT = 2000
BUTTON_TEXT = 75
OPTION_TEXT = 75
MODAL_TEXT = 24

# IDs the bot itself knows (from Slack, never typed): its own markup mentions these.
MENTOR = "UMENTOR01"
MENTEES = ("UMENTEE01", "UMENTEE02")
CHANNEL = "CGROUP001"
BOT_MARKUP = (*(f"<@{u}>" for u in (MENTOR, *MENTEES)), f"<#{CHANNEL}>")

CONTROL = re.compile(r"<\s*[!@#]|<\s*(?:https?|mailto):", re.IGNORECASE)
"""A Slack control sequence: a broadcast, mention, channel link, date or link."""
LONE_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")
"""An `&` that does not start one of the three escapes: a cut entity, or unescaped text."""

PIECES = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<#C123>",
    "<!subteam^S123>",
    "<!date^1392734382^{date_short}|x>",
    "<https://evil.example|click>",
    "<http://evil.example>",
    "<mailto:boss@evil.example|boss>",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "*",
    "_",
    "~",
    "`",
    "```",
    "\n",
    " ",
    "A & B",
    "Ærø ø",
    "名前",
    "😀",
]
short_hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=10
).map("".join)
long_hostile = st.tuples(short_hostile, st.integers(min_value=10_000, max_value=12_000)).map(
    lambda pair: ((pair[0] or "<!channel>") * pair[1])[: pair[1]]
)
hostile = st.one_of(short_hostile, short_hostile, long_hostile)
"""Mostly short, sometimes 10,000+ characters."""


def _term(data: st.DataObject) -> Term:
    return Term(
        id=1,
        name=data.draw(hostile),
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 30),
        min_meetings=3,
        timezone="Europe/Copenhagen",
        language="en",
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        created_by=MENTOR,
    )


def _summary(data: st.DataObject, number: int) -> GroupSummary:
    group = MentorGroup(
        id=number,
        term_id=1,
        name=data.draw(hostile),
        member_key=str(number),
        channel_id=CHANNEL if number % 2 else None,
        setup=data.draw(st.sampled_from(["welcomed", "new", "channel"])),
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        created_by=MENTOR,
    )
    return GroupSummary(group=group, mentor_ids=(MENTOR,), mentee_count=3, left_count=number % 2)


def _figures(data: st.DataObject, number: int) -> GroupFigures:
    return GroupFigures(
        group_id=number,
        name=data.draw(hostile),
        channel_id=CHANNEL if number % 2 else None,
        mentor_ids=(MENTOR,),
        held=number % 4,
        held_last_week=0,
        planned_next_week=0,
        open_polls=0,
        pace=data.draw(st.sampled_from(list(Pace))),
        members_left_recently=number % 2,
        mentor_silent_on_poll=bool(number % 3),
    )


def _pulse(data: st.DataObject) -> PulseSummary:
    """Belonging check-in results: any rounds held, any counts (some below the threshold)."""
    held = data.draw(st.lists(st.sampled_from(list(RoundKind)), unique=True))
    counts = {
        (kind.value, role, statement, score): data.draw(st.integers(0, 4000))
        for kind in held
        for role in ("mentor", "mentee")
        for statement in STATEMENTS
        for score in SCALE
    }
    return summarise(counts, held=held)


def _digest(data: st.DataObject) -> Any:
    count = data.draw(st.integers(min_value=0, max_value=45))
    return build_digest(
        term_name=data.draw(hostile),
        week_of=date(2027, 3, 1),
        minimum=3,
        groups=[_figures(data, n) for n in range(count)],
        pulse=data.draw(st.none()) if data.draw(st.booleans()) else _pulse(data),
    )


def _poll_view(data: st.DataObject) -> polls.PollView:
    options = tuple(
        polls.OptionView(
            option_id=n,
            when=data.draw(hostile),
            yes=MENTEES,
            if_need_be=(MENTOR,),
            no=(),
            is_winner=n == 0,
        )
        for n in range(data.draw(st.integers(min_value=1, max_value=10)))
    )
    return polls.PollView(
        poll_id=1,
        mentor_id=MENTOR,
        state=data.draw(st.sampled_from(["open", "closed", "cancelled"])),
        deadline=data.draw(hostile),
        length_minutes=60,
        options=options,
        waiting_for=MENTEES,
        result=data.draw(st.none() | hostile),
        where=data.draw(st.none() | hostile),
    )


def _members(data: st.DataObject) -> list[meetings.MemberChoice]:
    return [meetings.MemberChoice(user_id=u, name=data.draw(hostile)) for u in (MENTOR, *MENTEES)]


def _themes(data: st.DataObject) -> list[meetings.ThemeOption]:
    return [meetings.ThemeOption(theme_id=n, name=data.draw(hostile)) for n in range(3)]


def _home_group(data: st.DataObject) -> home.HomeGroup:
    return home.HomeGroup(
        name=data.draw(hostile),
        role="mentee",
        channel_id=data.draw(st.sampled_from([CHANNEL, None])),
        min_meetings=3,
        term_name=data.draw(hostile),
        meetings_held=1,
        next_meeting=data.draw(st.none() | hostile),
        group_id=1,
        next_place=data.draw(st.none() | hostile),
        open_polls=1,
        polls_waiting=data.draw(st.integers(0, 2)),
    )


Case = Callable[[st.DataObject], Any]
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


_LANGUAGE: list[str] = []
"""The language the running builder test renders in (set per test case below); empty:
any of the bot's languages, drawn."""


def _t(d: st.DataObject) -> Translator:
    """A reader in the language under test: every language must fit Slack's limits."""
    if _LANGUAGE:
        return translator(_LANGUAGE[0])
    return translator(d.draw(st.sampled_from(LANGUAGES)))


def _signup(d: st.DataObject) -> Signup:
    """A sign-up whose every typed part is hostile (names of people are Slack IDs)."""
    return Signup(
        programme=d.draw(hostile),
        year=d.draw(hostile),
        languages=("da", *d.draw(st.lists(short_hostile, max_size=3))),
        themes=tuple(d.draw(st.lists(hostile, max_size=5))),
        slots=tuple(d.draw(st.lists(st.sampled_from(SLOTS), max_size=21, unique=True))),
        preferred_mentor=d.draw(st.none() | st.just(MENTOR)),
        friend=d.draw(st.none() | st.just(MENTEES[0])),
        note=d.draw(st.none() | hostile),
        capacity=d.draw(st.integers(1, 3)),
    )


def _candidate(d: st.DataObject) -> polls.CandidateView:
    return polls.CandidateView(
        poll_id=1, option_id=2, when=d.draw(hostile), yes=3, if_need_be=1, no=0, unanswered=1
    )


def _record(d: st.DataObject, number: int) -> GroupRecord:
    held = d.draw(st.integers(0, 40))
    return GroupRecord(
        group_id=number,
        name=d.draw(hostile),
        channel_id=CHANNEL,
        mentor_ids=(MENTOR,),
        held=held,
        theme_names=tuple(d.draw(st.lists(hostile, max_size=6))),
        first_met_on=date(2026, 9, 3) if held else None,
        last_met_on=date(2027, 1, 28) if held else None,
    )


def _records(d: st.DataObject) -> list[GroupRecord]:
    return [_record(d, n) for n in range(d.draw(st.integers(0, 60)))]


def _pulse_results(d: st.DataObject) -> pulse_rules.PulseSummary:
    held = d.draw(st.lists(st.sampled_from(list(pulse_rules.RoundKind)), unique=True))
    counts = {
        (kind.value, role, statement, score): d.draw(st.integers(0, 9))
        for kind in held
        for role in pulse_rules.ROLES
        for statement in pulse_rules.STATEMENTS
        for score in pulse_rules.SCALE
    }
    return pulse_rules.summarise(counts, held=held)


def _reasons(d: st.DataObject) -> GroupReasons:
    return GroupReasons(
        common_slots=tuple(d.draw(st.lists(st.sampled_from(SLOTS), max_size=5, unique=True))),
        languages=("da", "en"),
        preferred_mentor_of=(MENTOR,),
        friends_together=((MENTEES[0], MENTEES[1]),),
        programmes=tuple(d.draw(st.lists(hostile, max_size=3))),
        years=tuple(d.draw(st.lists(short_hostile, max_size=3))),
        mix_programmes=d.draw(st.booleans()),
    )


def _review(d: st.DataObject) -> Review:
    """Up to 120 groups (four pages) and 80 people left out, a few hostile names shared
    round (drawing one per person makes more data than Hypothesis allows)."""
    groups = d.draw(st.integers(0, 120))
    left_out = d.draw(st.integers(0, 80))
    people = [f"U{n:08d}" for n in range(groups * 5 + left_out)]
    names = d.draw(st.lists(hostile, min_size=1, max_size=4))
    reasons = _reasons(d)
    why = d.draw(st.sampled_from([*LeftOutReason, MOVED_OUT]))
    return Review(
        proposal_id=1,
        draft=d.draw(st.booleans()),
        groups=tuple(
            ReviewGroup(
                position=g,
                mentor=people[g * 5],
                mentees=tuple(people[g * 5 + 1 : g * 5 + 5]),
                locked=g % 2 == 0,
                reasons=reasons if g % 3 else None,
            )
            for g in range(groups)
        ),
        left_out=tuple((people[groups * 5 + n], why) for n in range(left_out)),
        names={p: names[i % len(names)] for i, p in enumerate(people)},
        rules=GroupRules(),
    )


REVIEW_CASES = {
    "review.review_modal": lambda d: review.review_modal(
        _t(d), _review(d), page=d.draw(st.integers(0, 4))
    ),
    "review.move_modal": lambda d: review.move_modal(
        _t(d), _review(d), page=0, review_view_id="V1"
    ),
    "review.review_notice_modal": lambda d: review.review_notice_modal(_t(d), d.draw(hostile)),
    "review.working_text": lambda d: review.working_text(_t(d)),
    "review.progress_text": lambda d: review.progress_text(
        _t(d), done=d.draw(st.integers(0, 600)), total=d.draw(st.integers(0, 600))
    ),
    "review.approved_text": lambda d: review.approved_text(
        _t(d),
        created=d.draw(st.integers(0, 150)),
        total=d.draw(st.integers(0, 150)),
        failed=[(n, md("{why}", why=d.draw(hostile))) for n in range(d.draw(st.integers(0, 5)))],
        told=d.draw(st.integers(0, 750)),
    ),
    "review.your_group_text": lambda d: review.your_group_text(
        _t(d),
        name=d.draw(hostile),
        channel_id=d.draw(st.none() | st.just(CHANNEL)),
        mentor_id=MENTOR,
        leads=d.draw(st.booleans()),
    ),
    "review.left_out_dm_text": lambda d: review.left_out_dm_text(
        _t(d), reason=d.draw(st.sampled_from([*LeftOutReason, MOVED_OUT]))
    ),
    "review.late_proposal_text": lambda d: review.late_proposal_text(
        _t(d), name=d.draw(hostile), group=d.draw(hostile)
    ),
    "review.late_proposal_blocks": lambda d: review.late_proposal_blocks(
        _t(d),
        proposal_id=1,
        name=d.draw(hostile),
        group=d.draw(hostile),
        reasons=_reasons(d),
        names={MENTOR: d.draw(hostile), MENTEES[0]: d.draw(hostile)},
    ),
    "review.late_no_room_text": lambda d: review.late_no_room_text(_t(d), name=d.draw(hostile)),
}


CASES: dict[str, Case] = {
    "admin.term_line": lambda d: admin.term_line(_t(d), _term(d)),
    "admin.current_term_text": lambda d: admin.current_term_text(_t(d), _term(d)),
    "admin.term_started_text": lambda d: admin.term_started_text(
        _t(d), _term(d), _term(d) if d.draw(st.booleans()) else None
    ),
    "admin.group_list_text": lambda d: admin.group_list_text(
        _t(d), _term(d), d.draw(st.integers(0, 60))
    ),
    "admin.group_list_blocks": lambda d: admin.group_list_blocks(
        _t(d), _term(d), [_summary(d, n) for n in range(d.draw(st.integers(0, 50)))]
    ),
    "admin.group_line": lambda d: admin.group_line(_t(d), _summary(d, d.draw(st.integers(0, 3)))),
    "closing.group_thanks_text": lambda d: closing.group_thanks_text(
        _t(d), term_name=d.draw(hostile), record=_record(d, 1), archive_on=date(2027, 2, 15)
    ),
    "closing.mentor_summary_text": lambda d: closing.mentor_summary_text(
        _t(d),
        term_name=d.draw(hostile),
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 1, 31),
        contribution=Contribution(MENTOR, tuple(_records(d))),
    ),
    "closing.final_report_text": lambda d: closing.final_report_text(
        _t(d),
        term_name=d.draw(hostile),
        groups=_records(d),
        pulse=closing.pulse_report_text(_t(d), _pulse_results(d)),
    ),
    "closing.pulse_report_text": lambda d: (
        closing.pulse_report_text(_t(d), _pulse_results(d)) or ""
    ),
    "closing.report_file_name": lambda d: closing.report_file_name(_t(d)),
    "closing.archive_notice_text": lambda d: closing.archive_notice_text(
        _t(d), term_name=d.draw(hostile)
    ),
    "closing.invitation_text": lambda d: closing.invitation_text(
        _t(d),
        term_name=d.draw(hostile),
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 6, 30),
        certified=d.draw(st.booleans()),
    ),
    "closing.invitation_blocks": lambda d: closing.invitation_blocks(
        _t(d),
        closing.invitation_text(
            _t(d),
            term_name=d.draw(hostile),
            starts_on=date(2027, 2, 1),
            ends_on=date(2027, 6, 30),
            certified=d.draw(st.booleans()),
        ),
    ),
    "closing.close_question_text": lambda d: closing.close_question_text(
        _t(d), term_name=d.draw(hostile), archive_after_days=d.draw(st.integers(0, 400))
    ),
    "closing.close_question_blocks": lambda d: closing.close_question_blocks(
        _t(d),
        text=closing.close_question_text(_t(d), term_name=d.draw(hostile), archive_after_days=14),
        term_id=d.draw(st.integers(1, 2**31 - 1)),
    ),
    "closing.closed_answer_text": lambda d: closing.closed_answer_text(
        _t(d), term_name=d.draw(hostile), groups=d.draw(st.integers(0, 500))
    ),
    "closing.already_closed_text": lambda d: closing.already_closed_text(
        _t(d), term_name=d.draw(hostile), closed_on=date(2027, 2, 1)
    ),
    "closing.close_cancelled_text": lambda d: closing.close_cancelled_text(_t(d)),
    "digest.digest_blocks": lambda d: digest.digest_blocks(_t(d), _digest(d)),
    "digest.digest_text": lambda d: digest.digest_text(_t(d), _digest(d)),
    "digest.attention_blocks": lambda d: digest.attention_blocks(_t(d), _digest(d).attention),
    "digest.attention_line": lambda d: "\n".join(
        digest.attention_line(_t(d), a) for a in _digest(d).attention[:3]
    ),
    "digest.attention_buttons": lambda d: [digest.attention_buttons(_t(d), _figures(d, 1))],
    "digest.nudge_text": lambda d: digest.nudge_text(
        _t(d), held=1, minimum=3, weeks_left=d.draw(st.integers(0, 20))
    ),
    "digest.mentor_nudge_blocks": lambda d: digest.mentor_nudge_blocks(
        _t(d), group_id=1, text=d.draw(hostile)
    ),
    "digest.channel_nudge_text": lambda d: digest.channel_nudge_text(
        _t(d), mentor_name=d.draw(st.none() | hostile)
    ),
    "snooze.reminder_with_snooze_blocks": lambda d: snooze.reminder_with_snooze_blocks(
        _t(d), d.draw(hostile)
    ),
    "digest.mentor_nudge_text": lambda d: digest.mentor_nudge_text(
        _t(d),
        group_name=d.draw(hostile),
        channel_id=d.draw(st.sampled_from([CHANNEL, None])),
        text=d.draw(hostile),
    ),
    "groups.group_formed_text": lambda d: groups.group_formed_text(
        _t(d),
        name=d.draw(hostile),
        channel_id=d.draw(st.sampled_from([CHANNEL, None])),
        created=d.draw(st.booleans()),
        warnings=d.draw(st.lists(hostile, max_size=3)),
        setup_problem=d.draw(st.none() | hostile),
    ),
    "groups.join_offer_blocks": lambda d: groups.join_offer_blocks(
        _t(d), group_id=1, group_name=d.draw(hostile)
    ),
    "groups.join_offer_text": lambda d: groups.join_offer_text(_t(d), group_name=d.draw(hostile)),
    "groups.join_request_text": lambda d: groups.join_request_text(
        _t(d), requester_id=MENTEES[0], group_name=d.draw(hostile)
    ),
    "groups.join_request_blocks": lambda d: groups.join_request_blocks(
        _t(d), request_id=1, requester_id=MENTEES[0], group_name=d.draw(hostile)
    ),
    "help.help_blocks": lambda d: help.help_blocks(
        _t(d),
        CATALOGUE,
        role=d.draw(hostile),
        note=d.draw(st.none() | hostile),
        others_use=CATALOGUE[: d.draw(st.integers(0, 12))],
    ),
    "help.help_text": lambda d: help.help_text(_t(d), CATALOGUE),
    "help.command_lines": lambda d: help.command_lines(CATALOGUE, t=_t(d)),
    "home.home_view": lambda d: home.home_view(
        _t(d),
        groups=[_home_group(d) for _ in range(d.draw(st.integers(0, 25)))],
        commands=CATALOGUE,
        role=d.draw(hostile),
        notice=d.draw(st.none() | hostile),
        glance=_digest(d) if d.draw(st.booleans()) else None,
    ),
    "home.term_glance_blocks": lambda d: home.term_glance_blocks(_t(d), _digest(d)),
    "home.language_picker": lambda d: [
        home.language_picker(
            _t(d),
            home.LanguageChoice(
                own=d.draw(st.none() | st.sampled_from(LANGUAGES)),
                programme=d.draw(st.sampled_from(LANGUAGES)),
            ),
        )
    ],
    "digest.pace_fields": lambda d: "\n".join(digest.pace_fields(_t(d), _digest(d).by_pace)),
    "digest.needs_attention_blocks": lambda d: digest.needs_attention_blocks(
        _t(d), _digest(d).attention
    ),
    "digest.paused_group_text": lambda d: digest.paused_group_text(
        _t(d), name=d.draw(hostile), until=NOW.date()
    ),
    "digest.paused_text": lambda d: digest.paused_text(
        _t(d), group_name=d.draw(st.none() | hostile), term_name=d.draw(hostile), until=NOW.date()
    ),
    "digest.planned_offline_text": lambda d: digest.planned_offline_text(
        _t(d), name=d.draw(hostile), until=NOW.date()
    ),
    "meetings.log_modal": lambda d: meetings.log_modal(
        _t(d),
        group_id=1,
        group_name=d.draw(hostile),
        starts_at=NOW,
        members=_members(d),
        themes=_themes(d),
    ),
    "meetings.attendance_modal": lambda d: meetings.attendance_modal(
        _t(d), meeting_id=1, when=d.draw(hostile), members=_members(d), present=[MENTOR]
    ),
    "meetings.logged_text": lambda d: meetings.logged_text(
        _t(d), number=1, minimum=3, when=d.draw(hostile), theme=d.draw(st.none() | hostile)
    ),
    "meetings.log_list_blocks": lambda d: meetings.log_list_blocks(
        _t(d),
        group_name=d.draw(hostile),
        lines=[
            meetings.LoggedMeetingLine(
                meeting_id=n,
                when=d.draw(hostile),
                attendees=3,
                theme=d.draw(st.none() | hostile),
                note=d.draw(st.none() | hostile),
            )
            for n in range(d.draw(st.integers(0, 45)))
        ],
        minimum=3,
        can_delete=d.draw(st.booleans()),
    ),
    "meetings.did_you_meet_blocks": lambda d: meetings.did_you_meet_blocks(
        _t(d), meeting_id=1, group_name=d.draw(hostile), when=d.draw(hostile)
    ),
    "meetings.did_you_meet_text": lambda d: meetings.did_you_meet_text(
        _t(d), group_name=d.draw(hostile), when=d.draw(hostile)
    ),
    "meetings.status_text": lambda d: meetings.status_text(
        _t(d),
        meetings.StatusView(
            group_name=d.draw(hostile),
            held=d.draw(st.integers(0, 30)),
            minimum=d.draw(st.integers(0, 30)),
            next_meeting=None,
            open_polls=0,
            themes_covered=(),
        ),
    ),
    "meetings.met_answer_blocks": lambda d: meetings.met_answer_blocks(
        _t(d),
        text=d.draw(hostile),
        meeting_id=1,
        themes=_themes(d),
        theme_id=d.draw(st.integers(0, 3)),
    ),
    "meetings.day_before_text": lambda d: meetings.day_before_text(
        _t(d), group_name=d.draw(hostile), when=d.draw(hostile), where=d.draw(st.none() | hostile)
    ),
    "meetings.day_before_blocks": lambda d: meetings.day_before_blocks(
        _t(d),
        meeting_id=1,
        when=d.draw(hostile),
        where=d.draw(st.none() | hostile),
        theme=None
        if d.draw(st.booleans())
        else meetings.SuggestedTheme(
            name=d.draw(hostile), prompts=tuple(d.draw(st.lists(hostile, max_size=4))), own=False
        ),
    ),
    "meetings.attendance_saved_view": lambda d: meetings.attendance_saved_view(
        _t(d), came=d.draw(st.integers(0, 10)), members=d.draw(st.integers(0, 10))
    ),
    "meetings.not_met_blocks": lambda d: meetings.not_met_blocks(_t(d), group_id=1),
    "meetings.status_blocks": lambda d: meetings.status_blocks(
        _t(d),
        meetings.StatusView(
            group_name=d.draw(hostile),
            held=1,
            minimum=3,
            next_meeting=d.draw(st.none() | hostile),
            open_polls=0,
            themes_covered=tuple(d.draw(st.lists(hostile, max_size=5))),
            next_place=d.draw(st.none() | hostile),
        ),
    ),
    "meetings.theme_suggestion_blocks": lambda d: meetings.theme_suggestion_blocks(
        _t(d),
        [
            meetings.SuggestedTheme(
                name=d.draw(hostile),
                prompts=tuple(d.draw(st.lists(hostile, max_size=4))),
                own=d.draw(st.booleans()),
            )
            for _ in range(d.draw(st.integers(0, 60)))
        ],
        intro=d.draw(hostile),
    ),
    "polls.poll_message_blocks": lambda d: polls.poll_message_blocks(_t(d), _poll_view(d)),
    "polls.poll_message_text": lambda d: polls.poll_message_text(_t(d), _poll_view(d)),
    "polls.poll_modal": lambda d: polls.poll_modal(_t(d), group_id=1, group_name=d.draw(hostile)),
    "polls.start_poll_button": lambda d: [polls.start_poll_button(1, t=_t(d))],
    "polls.mentor_poll_controls": lambda d: polls.mentor_poll_controls(
        1, just_posted=d.draw(st.booleans()), t=_t(d)
    ),
    "polls.mentor_controls_text": lambda d: polls.mentor_controls_text(_t(d)),
    "polls.no_date_choice_blocks": lambda d: polls.no_date_choice_blocks(
        _t(d),
        group_id=1,
        group_name=d.draw(hostile),
        candidates=[_candidate(d) for _ in range(d.draw(st.integers(0, 3)))],
    ),
    "polls.no_date_channel_text": lambda d: polls.no_date_channel_text(_t(d), MENTOR),
    "polls.picked_date_text": lambda d: polls.picked_date_text(
        _t(d), group_name=d.draw(hostile), when=d.draw(hostile)
    ),
    "polls.picked_date_blocks": lambda d: polls.picked_date_blocks(
        _t(d), group_name=d.draw(hostile), when=d.draw(hostile)
    ),
    "polls.candidate_tally": lambda d: polls.candidate_tally(_t(d), _candidate(d)),
    "polls.reminder_text": lambda d: polls.reminder_text(
        _t(d), group_name=d.draw(hostile), deadline=d.draw(hostile), permalink_hint=d.draw(hostile)
    ),
    "polls.poll_link": lambda d: polls.poll_link(_t(d), d.draw(st.none() | hostile)),
    "polls.poll_reminder_blocks": lambda d: polls.poll_reminder_blocks(
        _t(d),
        text=d.draw(hostile),
        poll_id=1,
        unanswered=[
            polls.UnansweredDate(option_id=n, when=d.draw(hostile))
            for n in range(d.draw(st.integers(0, 10)))
        ],
        permalink=d.draw(st.none() | hostile),
    ),
    "polls.poll_change_modal": lambda d: polls.poll_change_modal(
        _t(d), poll_id=1, adding=d.draw(st.booleans())
    ),
    "polls.poll_change_done_modal": lambda d: polls.poll_change_done_modal(_t(d), d.draw(hostile)),
    "polls.place_line": lambda d: polls.place_line(d.draw(st.none() | hostile), t=_t(d)),
    "signup.join_button": lambda d: [signup.join_button(_t(d))],
    "signup.role_modal": lambda d: signup.role_modal(_t(d), late=d.draw(st.booleans())),
    "signup.weekday_names": lambda d: "\n".join(signup.weekday_names(_t(d))),
    "signup.signup_modal": lambda d: signup.signup_modal(
        _t(d),
        role=d.draw(st.sampled_from(["mentor", "mentee"])),
        metadata="1:mentee",
        themes=[(str(n), d.draw(hostile)) for n in range(d.draw(st.integers(0, 120)))],
        current=d.draw(st.none() | st.just(_signup(d))),
        late=d.draw(st.booleans()),
    ),
    "signup.signup_summary_blocks": lambda d: signup.signup_summary_blocks(
        _t(d),
        role=d.draw(st.sampled_from(["mentor", "mentee"])),
        signup=_signup(d),
        signed_up_at=NOW,
        can_change=d.draw(st.booleans()),
        certified=d.draw(st.booleans()),
    ),
    "signup.signup_summary_text": lambda d: signup.signup_summary_text(
        _t(d), role=d.draw(st.sampled_from(["mentor", "mentee"]))
    ),
    "signup.summary_modal": lambda d: signup.summary_modal(
        _t(d),
        signup.signup_summary_blocks(
            _t(d),
            role="mentee",
            signup=_signup(d),
            signed_up_at=None,
            can_change=True,
            certified=True,
        ),
    ),
    "signup.notice_modal": lambda d: signup.notice_modal(_t(d), d.draw(hostile)),
    "signup.signed_up_text": lambda d: signup.signed_up_text(
        _t(d),
        role=d.draw(st.sampled_from(["mentor", "mentee"])),
        late=d.draw(st.booleans()),
        changed=d.draw(st.booleans()),
        uncertified_mentor=d.draw(st.booleans()),
    ),
    "signup.signed_up_modal": lambda d: signup.signed_up_modal(_t(d), d.draw(hostile)),
    # The check-in has no text anyone typed: the cases hold it to Slack's limits in every
    # language, with every statement answered or not.
    "pulse.pulse_text": lambda d: pulse.pulse_text(_t(d), kind=d.draw(st.sampled_from(RoundKind))),
    "pulse.pulse_blocks": lambda d: pulse.pulse_blocks(
        _t(d),
        round_id=d.draw(st.integers(1, 2**31 - 1)),
        kind=d.draw(st.sampled_from(RoundKind)),
        answered=frozenset(d.draw(st.sets(st.sampled_from(list(STATEMENTS))))),
        until=date(2027, 3, 26),
    ),
    "pulse.skipped_text": lambda d: pulse.skipped_text(_t(d)),
    "pulse.stopped_text": lambda d: pulse.stopped_text(_t(d)),
    "pulse.round_result_text": lambda d: "\n".join(
        pulse.round_result_text(_t(d), r) for r in _pulse(d).rounds
    ),
    "pulse.change_text": lambda d: "\n".join(
        pulse.change_text(_t(d), c) for c in _pulse(d).changes
    ),
    "pulse.pulse_lines": lambda d: "\n".join(pulse.pulse_lines(_t(d), _pulse(d))),
    "pulse.pulse_digest_blocks": lambda d: pulse.pulse_digest_blocks(_t(d), _pulse(d)),
    "welcome.welcome_blocks": lambda d: welcome.welcome_blocks(
        _t(d),
        group_id=1,
        group_name=d.draw(hostile),
        mentor_id=MENTOR,
        mentee_ids=MENTEES,
        min_meetings=3,
        term_name=d.draw(hostile),
        term_ends_on=date(2027, 6, 30),
        periods=_periods(d),
    ),
    "welcome.welcome_text": lambda d: welcome.welcome_text(_t(d), d.draw(hostile)),
}
CASES.update(REVIEW_CASES)


def _periods(d: st.DataObject) -> RetentionPeriods:
    return RetentionPeriods(d.draw(st.integers(0, 3650)), d.draw(st.integers(1, 120)))


# What is stored and for how long: numbers only, but every language's words must fit.
CASES.update(
    {
        "privacy.stored_line": lambda d: privacy.stored_line(_t(d), _periods(d)),
        "privacy.stored_line_block": lambda d: [privacy.stored_line_block(_t(d), _periods(d))],
        "privacy.privacy_help": lambda d: privacy.privacy_help(_t(d), _periods(d)),
    }
)

NOT_BUILDERS = {"polls.vote_action_id", "polls.vote_value"}
"""Public functions of bot.blocks that make IDs and values, never text anyone reads."""
MECHANISM_MODULES = {"ids", "text", "form_errors"}
"""The IDs, the escaping and fitting every builder uses, and the undoing of it for a form's
errors (each tested on its own below)."""


def _public_builders() -> set[str]:
    names = set()
    for module_info in pkgutil.iter_modules(bot.blocks.__path__):
        if module_info.name in MECHANISM_MODULES:
            continue
        module = import_module(f"bot.blocks.{module_info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and not name.startswith("_")
                and value.__module__ == module.__name__
            ):
                names.add(f"{module_info.name}.{name}")
    return names


def test_every_public_builder_is_fed_hostile_text() -> None:
    """A new builder must be added to CASES (or NOT_BUILDERS) to be covered."""
    assert _public_builders() == set(CASES) | NOT_BUILDERS


def _texts(node: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(path, type, text) of every text object in a block/view dict."""
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            yield path, node["type"], node["text"]
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}/{index}")


def _check_mrkdwn(text: str, where: str) -> None:
    rest = text
    for markup in BOT_MARKUP:
        rest = rest.replace(markup, "")
    rest = re.sub(r"<!date\^\d+\^[^|<>]*\|[^<>]*>", "", rest)
    assert not CONTROL.search(rest), f"control sequence in {where}: {text[:300]!r}"
    assert "<" not in rest, f"unescaped < in {where}: {text[:300]!r}"
    assert ">" not in rest, f"unescaped > in {where}: {text[:300]!r}"
    assert not LONE_AMPERSAND.search(text), f"unescaped or cut & in {where}: {text[:300]!r}"


def _limit_for(path: str) -> int:
    """The limit of the text object at `path` inside a list of blocks."""
    if "/fields/" in path:
        return SECTION_FIELD
    if "/options/" in path or "/initial_option" in path:
        return OPTION_TEXT
    if path.endswith(("/label", "/hint")):
        return 2000
    if path.endswith("/placeholder"):
        return 150
    if "/confirm/" in path:
        return 30 if path.endswith(("/confirm/confirm", "/confirm/deny")) else 100
    return SECTION_TEXT


def _check_blocks(blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            assert len(block["text"]["text"]) <= HEADER_TEXT
        if kind == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert 1 <= len(block["text"]["text"]) <= SECTION_TEXT
            assert len(block.get("fields", [])) <= SECTION_FIELDS
            for field in block.get("fields", []):
                assert 1 <= len(field["text"]) <= SECTION_FIELD
            accessory = block.get("accessory") or {}
            if accessory.get("type") == "button":
                assert len(accessory["text"]["text"]) <= BUTTON_TEXT
        if kind == "context":
            for element in block["elements"]:
                assert len(element.get("text", "")) <= CONTEXT_TEXT
        if kind == "actions":
            for element in block["elements"]:
                if element["type"] == "button":
                    assert len(element["text"]["text"]) <= BUTTON_TEXT
    for path, kind, text in _texts(blocks):
        assert len(text) <= _limit_for(path), f"{path} is {len(text)} characters"
        if kind == "mrkdwn":
            _check_mrkdwn(text, path)


def _check_output(output: Any) -> None:
    if isinstance(output, str):
        assert len(output) <= MESSAGE_TEXT
        _check_mrkdwn(output, "text")
    elif isinstance(output, View):
        payload = output.to_dict()  # validates, as slack_sdk does before sending
        assert len(payload["blocks"]) <= VIEW_BLOCKS
        for key in ("title", "submit", "close"):
            if key in payload:
                assert 1 <= len(payload[key]["text"]) <= MODAL_TEXT
        _check_blocks(payload["blocks"])
    else:
        assert isinstance(output, list)
        assert len(output) <= MESSAGE_BLOCKS
        assert all(isinstance(block, Block) for block in output)
        _check_blocks([block.to_dict() for block in output])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_builder_shows_hostile_text_as_text_and_stays_in_limits(
    name: str, language: str, data: st.DataObject
) -> None:
    """Every builder, in every language, with the longest and most hostile text people can
    type: Slack's limits hold (a translation that overflows a button or a modal title
    fails here) and typed markup stays text."""
    _LANGUAGE[:] = [language]
    try:
        _check_output(CASES[name](data))
    finally:
        _LANGUAGE.clear()


# -- End to end: hostile text typed into the running bot ------------------------------------

from tests.support.harness import BotUnderTest  # noqa: E402
from tests.support.scenario import form_group, replies  # noqa: E402

EVIL = "<!channel> hi <https://evil.example|click>"


def _seen(bot: BotUnderTest, channel_id: str) -> list[str]:
    return [
        json.dumps({"text": m.text, "blocks": m.blocks}, ensure_ascii=False)
        for m in bot.slack.messages_in(channel_id)
    ]


def _assert_harmless(texts: list[str]) -> None:
    for text in texts:
        assert "<!channel>" not in text, text[:500]
        assert "<http" not in text, text[:500]


def test_hostile_theme_option_and_log_reach_the_channel_as_text(bot: BotUnderTest) -> None:
    group = form_group(bot)
    mentee, mentor = group.mentees[0], group.mentor
    said = [replies(bot, bot.command(mentee.id, group.channel_id, f"themes suggest {EVIL}"))]
    said.append(replies(bot, bot.command(mentee.id, group.channel_id, "themes")))
    said.append(
        replies(bot, bot.command(mentor.id, group.channel_id, f"poll {EVIL} thu 16:00; fri 14:00"))
    )
    said.append(replies(bot, bot.command(mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")))
    log = 'log thu 16:00 theme="<!channel> hi"'
    said.append(replies(bot, bot.command(mentor.id, group.channel_id, log)))
    said.append(replies(bot, bot.command(mentor.id, group.channel_id, "status")))
    said.append(replies(bot, bot.command(mentor.id, group.channel_id, "log list")))
    seen = _seen(bot, group.channel_id)
    shown = "\n".join(seen)
    assert "&lt;!channel&gt; hi" in shown, "the theme was not shown at all"
    assert "Meeting 1 logged" in shown
    _assert_harmless(seen + said)
    ephemerals = [
        json.dumps({"text": e.text, "blocks": e.blocks}, ensure_ascii=False)
        for user in (mentee, mentor)
        for e in bot.slack.ephemerals_for(user.id)
    ]
    responses = [json.dumps(r.body, ensure_ascii=False) for r in bot.slack.responses]
    _assert_harmless(ephemerals + responses)


# -- The mechanism itself, and the calendar file ------------------------------------------

from bot.blocks.text import bold, code, fit, mention, shortened  # noqa: E402
from bot.domain.calendar import meeting_ics  # noqa: E402


def test_plain_text_is_not_escaped_and_mrkdwn_is_escaped_once() -> None:
    modal = meetings.log_modal(
        translator(ENGLISH),
        group_id=1,
        group_name="A & B",
        starts_at=NOW,
        members=[meetings.MemberChoice(MENTOR, "Bo <Boss> & Co")],
        themes=[meetings.ThemeOption(1, "A & B")],
    ).to_dict()
    shown = json.dumps(modal, ensure_ascii=False)
    assert '"text": "A & B"' in shown  # the theme option: plain_text, as typed
    assert '"text": "Bo <Boss> & Co"' in shown  # the attendee checkbox: plain_text
    assert "Log a meeting of *A &amp; B*." in shown  # mrkdwn: escaped once
    assert "&amp;amp;" not in shown


def test_bot_markup_stays_and_typed_markup_is_escaped() -> None:
    text = md("{who} suggests {theme}", who=mention(MENTOR), theme="<!channel> & <@U123>")
    assert text == f"<@{MENTOR}> suggests &lt;!channel&gt; &amp; &lt;@U123&gt;"
    assert mention("<!channel>") == "&lt;!channel&gt;"  # not an ID: shown as text


def test_a_name_cannot_close_a_code_span_or_leave_the_bold() -> None:
    assert code("a`b <!here>") == "`a'b &lt;!here&gt;`"
    assert bold("x\n*y") == "*x *y*"


@given(text=hostile, limit=st.integers(min_value=1, max_value=400))
@settings(max_examples=200, deadline=None)
def test_fit_never_cuts_an_escape_or_a_mention(text: str, limit: int) -> None:
    fitted = fit(md("{m} {t} {m}", m=mention(MENTOR), t=text), limit)
    assert len(fitted) <= max(limit, 1)
    assert not LONE_AMPERSAND.search(fitted)
    rest = fitted.replace(f"<@{MENTOR}>", "")
    assert "<" not in rest
    assert ">" not in rest


@given(text=hostile)
@settings(max_examples=200, deadline=None)
def test_a_form_error_shows_what_was_typed(text: str) -> None:
    """Errors under a form's fields are plain text: a message that echoes typed text (escaped,
    as every UserError message is) is shown there as typed, whatever it holds."""
    message = md("Option 1 “{typed}”: not a date", typed=text)
    shown = field_errors(
        FormErrors([FieldError("dates", message)]), default_block="other", t=translator(ENGLISH)
    )
    assert shown == {"dates": shortened(f"Option 1 “{text}”: not a date", 1900)}


@given(name=hostile)
@settings(max_examples=30, deadline=None)
def test_a_hostile_name_cannot_add_lines_to_the_calendar_file(name: str) -> None:
    name = name + "\r\nATTENDEE:mailto:evil@example.com\nEND:VEVENT"
    ics = meeting_ics(
        uid="mentorbot-poll-1@C1",
        title=f"Mentor group: {name}",
        starts_at=datetime(2027, 3, 1, 15, tzinfo=UTC),
        ends_at=datetime(2027, 3, 1, 16, tzinfo=UTC),
        location=name,
        description=name,
        zone=ZoneInfo("Europe/Copenhagen"),
        stamp=NOW,
        t=translator(ENGLISH),
    ).decode()
    # RFC 5545 folds long lines with CRLF + space; unfolded, every line is a known property.
    lines = ics.replace("\r\n ", "").split("\r\n")
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in lines if line}
    assert "ATTENDEE" not in names
    assert [line for line in lines if line == "END:VEVENT"] == ["END:VEVENT"]
    assert names <= {
        "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "UID", "DTSTAMP",
        "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "TZID", "TZNAME",
        "TZOFFSETFROM", "TZOFFSETTO", "RRULE", "RDATE", "X-LIC-LOCATION", "COMMENT",
        "SEQUENCE", "STATUS", "URL",
    }  # fmt: skip
