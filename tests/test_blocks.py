"""Block Kit builders stay inside Slack's limits whatever the data (slack_sdk validates each
block; the counts are Slack's message and view limits)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.digest import attention_line, digest_blocks, nudge_text
from bot.blocks.meetings import LoggedMeetingLine, day_before_text, log_list_blocks
from bot.blocks.polls import OptionView, PollView, poll_message_blocks, poll_modal
from bot.blocks.text import zoned_time
from bot.domain.digest import Attention, Concern, GroupFigures, build_digest
from bot.domain.pace import Pace
from bot.i18n import translator

MESSAGE_BLOCKS = 50
EN = translator("en")


def _valid(blocks: list[Block]) -> None:
    assert len(blocks) <= MESSAGE_BLOCKS
    for block in blocks:
        block.validate_json()


def _group(number: int, pace: Pace) -> GroupFigures:
    return GroupFigures(
        group_id=number,
        name=f"Group with a rather long name number {number}",
        channel_id=f"C{number:08d}",
        mentor_ids=(f"U{number:08d}",),
        held=number % 4,
        held_last_week=0,
        planned_next_week=0,
        open_polls=0,
        pace=pace,
        members_left_recently=number % 2,
        mentor_silent_on_poll=number % 3 == 0,
    )


@pytest.mark.parametrize("groups", [0, 1, 39, 40, 41, 500, 5000])
def test_digest_fits_a_message_for_any_number_of_groups(groups: int) -> None:
    digest = build_digest(
        term_name="Spring 2027",
        week_of=date(2027, 3, 1),
        minimum=3,
        groups=[_group(n, Pace.BEHIND) for n in range(groups)],
    )
    blocks = digest_blocks(EN, digest)
    _valid(blocks)
    text = str([b.to_dict() for b in blocks])
    if groups > 40:
        assert "more group" in text  # "1 more group", "460 more groups"
        assert "mentorbot report" in text


def test_poll_with_ten_long_options_fits() -> None:
    many = tuple(f"U{n:09d}" for n in range(6))
    view = PollView(
        poll_id=1,
        mentor_id="UM",
        state="open",
        deadline="Wed 2 Dec, 12:00",
        length_minutes=90,
        options=tuple(OptionView(n, f"Thu {n} Dec, 16:00", many, many, many) for n in range(10)),
        waiting_for=many,
    )
    _valid(poll_message_blocks(EN, view))
    poll_modal(EN, group_id=1, group_name="x" * 200).validate_json()


def test_closed_poll_has_no_buttons() -> None:
    view = PollView(
        poll_id=1,
        mentor_id="UM",
        state="closed",
        deadline="",
        length_minutes=90,
        options=(OptionView(1, "Thu 3 Dec, 16:00", ("UA",), (), (), is_winner=True),),
        waiting_for=(),
        result="📅 The group meets *Thu 3 Dec, 16:00*.",
    )
    blocks = poll_message_blocks(EN, view)
    _valid(blocks)
    assert all(block.type != "actions" for block in blocks)


def test_digest_concerns_and_totals() -> None:
    quiet = _group(1, Pace.NOT_STARTED)
    silent = GroupFigures(
        group_id=2,
        name="b",
        channel_id="C2",
        mentor_ids=("U2",),
        held=1,
        held_last_week=1,
        planned_next_week=1,
        open_polls=1,
        pace=Pace.ON_TRACK,
        members_left_recently=0,
        mentor_silent_on_poll=True,
    )
    fine = GroupFigures(
        group_id=3,
        name="c",
        channel_id="C3",
        mentor_ids=("U3",),
        held=3,
        held_last_week=0,
        planned_next_week=0,
        open_polls=0,
        pace=Pace.DONE,
        members_left_recently=0,
        mentor_silent_on_poll=False,
    )
    digest = build_digest(
        term_name="T", week_of=date(2027, 3, 1), minimum=3, groups=[quiet, silent, fine]
    )
    assert (digest.held_total, digest.target_total, digest.held_last_week) == (5, 9, 1)
    concerns = {a.group.group_id: [c.value for c in a.concerns] for a in digest.attention}
    assert concerns == {
        1: ["no meeting yet", "a member left"],
        2: ["mentor not answering the poll"],
    }
    assert digest.by_pace[Pace.DONE] == 1


def test_nudge_wording_grows_firmer_as_the_term_runs_out() -> None:
    early = nudge_text(EN, held=0, minimum=3, weeks_left=12)
    middle = nudge_text(EN, held=1, minimum=3, weeks_left=5)
    late = nudge_text(EN, held=1, minimum=3, weeks_left=1)
    assert early.startswith("👋")
    assert "Time to plan" in middle
    assert "Only 1 week of the term left" in late


@pytest.mark.parametrize(
    ("held", "minimum", "weeks_left", "says"),
    [
        (0, 1, 12, "The group has not met yet (the aim is at least once)"),
        (1, 2, 5, "The group has met once (the aim is at least twice), with 5 weeks left"),
        (2, 3, 1, "Only 1 week of the term left, and the group has met twice"),
        (3, 4, 2, "Only 2 weeks of the term left, and the group has met 3 times"),
    ],
)
def test_nudge_counts_read_as_english(held: int, minimum: int, weeks_left: int, says: str) -> None:
    text = nudge_text(EN, held=held, minimum=minimum, weeks_left=weeks_left)
    assert says in text
    assert "1 times" not in text
    assert "1 weeks" not in text


def test_the_day_before_notification_names_the_group_and_the_date() -> None:
    assert (
        day_before_text(EN, group_name="Maple", when="Thu 26 Nov, 16:00")
        == "Mentor group Maple meets tomorrow, Thu 26 Nov, 16:00"
    )
    assert day_before_text(
        EN, group_name="Mentor group 3", when="Fri 27 Nov, 14:00", where="Hall"
    ) == ("Mentor group 3 meets tomorrow, Fri 27 Nov, 14:00 · Hall")


def test_attention_line_gives_the_next_meeting_in_each_readers_zone() -> None:
    moment = datetime(2026, 11, 26, 16, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    group = replace(_group(1, Pace.BEHIND), next_meeting_at=moment)
    line = attention_line(EN, Attention(group, (Concern.BEHIND,)))
    assert (
        "next meeting <!date^1795705200^{date_short_pretty} {time}"
        "|Thu 26 Nov, 16:00 (Europe/Copenhagen)>"
    ) in line


def test_log_list_keeps_date_tokens_whole_and_counts_in_english() -> None:
    token = zoned_time(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), ZoneInfo("Europe/Copenhagen"), EN)
    line = LoggedMeetingLine(meeting_id=1, when=token, attendees=3, theme=None, note=None)
    blocks = log_list_blocks(EN, group_name="Maple", lines=[line], minimum=1, can_delete=False)
    text = json.dumps([b.to_dict() for b in blocks])
    assert "*1. <!date^1795424400^{date_short_pretty} {time}|Mon 23 Nov, 10:00" in text
    assert "1 held; the group meets at least once." in text
