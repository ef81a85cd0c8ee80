"""Issue 16's check, as one term: a Danish scheme run through Slack's protocol (help, welcome,
poll, vote, result, log, status, nudge, digest), read as its members and its coordinator read
it. Everything they see is Danish, dates and plurals included, with no English left; the one
mentee who picked English in App Home gets English in what only she sees, in the same term.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.i18n import translator
from bot.jobs import digest_job, nudges_job
from bot.runtime import Runtime
from bot.sandbox.fakeslack.model import Ephemeral, Message
from bot.services.language import choose_language
from storage.db import read_session
from storage.models import MentorGroup
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english, english_words_in
from tests.support.language import texts as _texts
from tests.support.scenario import Group, poll_message, replies, vote

CPH = ZoneInfo("Europe/Copenhagen")
COMMAND_WORDS = ("/mentor", "WHEN", "DAY", "DATE", "NAME", "PLACE", "TEXT", "PROMPT", "YYYY-MM-DD")
"""Words of the commands, which stay as they are in every language."""


def _read(message: Message | Ephemeral) -> str:
    return "\n".join([message.text or "", *_texts(message.blocks)])


def _at(bot: BotUnderTest, moment: datetime) -> Runtime:
    return replace(bot.runtime, clock=lambda: moment)


def _danish_scheme(bot: BotUnderTest) -> tuple[Group, str]:
    admin = bot.slack.add_channel("koordinering", [COORDINATOR]).id
    mentor = bot.slack.add_user("anna", real_name="Anna Berg")
    mentees = tuple(bot.slack.add_user(name) for name in ("bo", "cy", "di"))
    bot.command(
        COORDINATOR,
        admin,
        'term new "Efterår 2026" 2026-09-01 2027-01-31 min=3 tz=Europe/Copenhagen lang=da',
    )
    bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
    mentions = " ".join(f"<@{user.id}>" for user in (mentor, *mentees))
    bot.command(COORDINATOR, admin, f"group create {mentions}")
    with read_session(bot.runtime.engine) as session:
        group = session.exec(select(MentorGroup)).one()
    assert group.channel_id is not None
    assert group.id is not None
    return Group(mentor, mentees, group.channel_id, group.id), group.name


def test_a_danish_term_is_danish_for_everyone_who_did_not_pick_english(bot: BotUnderTest) -> None:
    group, name = _danish_scheme(bot)
    bo, cy, di = group.mentees
    choose_language(bot.runtime, di.id, "en")
    danish = translator("da")
    allowed = (name, "Anna Berg", "Efterår 2026", "Lokale 2.14", *COMMAND_WORDS)

    # The coordinator's digest and the mentor's nudge, on the Monday of a term with no
    # meeting yet.
    assert digest_job(_at(bot, datetime(2026, 11, 23, 8, 30, tzinfo=CPH)), bot.client)
    assert nudges_job(_at(bot, datetime(2026, 11, 23, 10, 30, tzinfo=CPH)), bot.client)

    # Help, in the channel, for a Danish mentee and the one who picked English.
    danish_help = replies(bot, bot.command(bo.id, group.channel_id, "help"))
    english_help = replies(bot, bot.command(di.id, group.channel_id, "help"))
    assert "/mentor" in danish_help
    assert_no_english(danish_help, allowed=allowed, language="da")
    assert english_help.startswith("Commands:"), "the mentee who picked English reads English"
    assert not danish_help.startswith("Commands:")

    # A poll typed in Danish, answered by everyone: it ends in a date, with the calendar file.
    bot.command(
        group.mentor.id, group.channel_id, 'poll tor kl. 16; fre kl. 14; hvor="Lokale 2.14"'
    )
    for mentee in group.mentees:
        vote(bot, group, mentee, 0, "yes")
        vote(bot, group, mentee, 1, "no")
    result = _read(poll_message(bot, group))
    thursday = danish.moment(datetime(2026, 11, 26, 16, 0, tzinfo=CPH))
    assert thursday in result
    assert "Lokale 2.14" in result
    assert "✅ Ja 4" in result
    assert "Venter på svar" not in result, "everyone answered: the poll became its result"

    # A meeting logged and the group's status.
    logged = replies(bot, bot.command(group.mentor.id, group.channel_id, "log i går kl. 16"))
    status = replies(bot, bot.command(group.mentor.id, group.channel_id, "status"))
    assert_no_english(logged, allowed=allowed, language="da")
    assert_no_english(status, allowed=allowed, language="da")
    refused = replies(bot, bot.command(bo.id, group.channel_id, "log i morgen"))
    assert refused, "a mentee's log is refused"
    assert_no_english(refused, allowed=allowed, language="da")

    # Everything a Danish member or the coordinator was shown: channel posts, DMs and
    # ephemerals. Dates and counts in Danish, and not one common English word.
    seen: list[str] = [_read(m) for m in bot.slack.messages_in(group.channel_id)]
    for person in (group.mentor, bo, cy):
        seen += [_read(m) for m in bot.slack.dm_messages_to(person.id)]
        seen += [_read(e) for e in bot.slack.ephemerals_for(person.id)]
    seen += [_read(m) for m in bot.slack.dm_messages_to(COORDINATOR)]
    assert len(seen) >= 8
    for text in seen:
        assert_no_english(text, allowed=allowed, language="da")
    everything = "\n".join(seen)
    assert "Velkommen" in everything or "velkommen" in everything
    assert "tors. 26. nov." in everything

    # What only the English reader sees is English; her group's channel stays Danish.
    hers = [_read(e) for e in bot.slack.ephemerals_for(di.id)]
    assert hers
    assert all(english_words_in(text) for text in hers)
