"""Issue 16 for polls: a term's language is the language of its poll in the channel (dates,
answers, tally, deadline, result and the calendar file), while the poll form, the mentor's
controls, the reminder and refusals are in each reader's own language. Driven through
Slack's protocol against the fake Slack."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.domain.dates import understand_datetime
from bot.i18n import LANGUAGES, translator
from bot.jobs import polls_job
from bot.sandbox.fakeslack.model import Ephemeral, Message, User
from bot.services.language import choose_language
from storage.db import read_session
from storage.models import MentorGroup
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.language import language_scheme as _scheme
from tests.support.language import texts as _texts
from tests.support.scenario import Group, poll_message, vote

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# The fake clock starts on Monday 23 November 2026, 10:00 in Copenhagen.
THURSDAY_16 = datetime(2026, 11, 26, 16, 0, tzinfo=COPENHAGEN)
FRIDAY_14 = datetime(2026, 11, 27, 14, 0, tzinfo=COPENHAGEN)
WEDNESDAY_12 = datetime(2026, 11, 25, 12, 0, tzinfo=COPENHAGEN)
HALFWAY = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

POLL_COMMANDS = {
    "da": 'poll tor kl. 16; fre kl. 14; frist=ons kl. 12; hvor="Lokale 2.14"',
    "de": "poll Do 16 Uhr; Fr 14:00; deadline=Mi 12:00",
    "pt": "poll qui 16h; sex 14h; deadline=qua 12h",
    "pl": "poll czw 16:00; pt 14:00; deadline=śr 12:00",
}
"""The same poll (Thursday 16:00 and Friday 14:00, answers by Wednesday noon) as people of
each language type it."""


def _read(message: Message | Ephemeral) -> str:
    """What a person reads in a message: its text and every text of its blocks."""
    return "\n".join([message.text or "", *_texts(message.blocks)])


def _controls(bot: BotUnderTest, user: User) -> Ephemeral:
    [controls] = [
        e for e in bot.slack.ephemerals_for(user.id) if "poll_close" in json.dumps(e.blocks)
    ]
    return controls


def _group_name(bot: BotUnderTest, group: Group) -> str:
    with read_session(bot.runtime.engine) as session:
        stored = session.get(MentorGroup, group.group_id)
    assert stored is not None
    return stored.name


def _refusal_from_reminder(bot: BotUnderTest, user: User) -> str:
    """What `user` is told when they answer from their reminder once the poll has closed
    (the reminder still shows its buttons): a refusal in their language."""
    [reminder] = bot.slack.dm_messages_to(user.id)
    actions = next(b for b in reminder.blocks if b.get("type") == "actions")
    yes = next(e for e in actions["elements"] if e["action_id"] == "poll_vote_yes")
    before = len(bot.slack.responses)
    bot.click(
        user.id,
        message=(bot.slack.workspace.open_dm(user.id)[0].id, reminder.ts),
        action_id=yes["action_id"],
        value=yes["value"],
        block_id=actions["block_id"],
    )
    return "\n".join(post.body.get("text", "") for post in bot.slack.responses[before:])


def test_a_danish_poll_is_danish_from_question_to_calendar_file(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    danish, english = translator("da"), translator("en")
    bo, cy, di = group.mentees
    choose_language(bot.runtime, di.id, "en")
    name = _group_name(bot, group)
    allowed = (name, "Lokale 2.14")

    bot.command(group.mentor.id, group.channel_id, POLL_COMMANDS["da"])
    poll = poll_message(bot, group)
    shown = _read(poll)
    assert "Hvornår skal vi mødes?" in shown
    assert danish.moment(THURSDAY_16) in shown
    assert danish.moment(FRIDAY_14) in shown
    assert "tors. 26. nov." in shown, "Babel's Danish day, not an English one"
    assert f"Svarfristen er *{danish.moment(WEDNESDAY_12)}*" in shown
    assert "(90 min.)" in shown
    assert "📍 Hvor: Lokale 2.14" in shown
    for button in ("✅ Ja", "🤔 Hvis nødvendigt", "❌ Nej", "Ingen af dem passer mig"):
        assert button in shown
    assert "✅ Ja 1: <@" in shown, "the mentor can come to every date they suggest"
    assert "🤔 Hvis nødvendigt 0 · ❌ Nej 0" in shown
    assert "Venter på svar fra" in shown
    assert poll.text.startswith("Datoafstemning: 2 datoer at svare på inden")
    assert_no_english(shown, allowed=allowed, language="da")

    # The mentor's own controls, where only the mentor sees them: Danish too.
    controls = _read(_controls(bot, group.mentor))
    for words in ("Din afstemning er oppe", "Tilføj en dato", "Flyt svarfristen", "Luk nu"):
        assert words in controls
    assert_no_english(controls, allowed=("WHEN",), language="da")

    # Halfway to the deadline, each mentee yet to answer is reminded in their own language.
    vote(bot, group, bo, 0, "yes")
    assert "sent 3 poll reminders" in polls_job(
        replace(bot.runtime, clock=lambda: HALFWAY), bot.client
    )
    [to_bo] = bot.slack.dm_messages_to(bo.id)
    reminded = _read(to_bo)
    assert to_bo.text.startswith("Påmindelse: din mentorgruppe")
    assert danish.moment(FRIDAY_14) in reminded
    assert danish.moment(THURSDAY_16) not in reminded, "Bo answered Thursday already"
    assert "Mind mig om det senere" in reminded
    assert_no_english(reminded, allowed=allowed, language="da")
    [to_di] = bot.slack.dm_messages_to(di.id)
    assert to_di.text.startswith("Reminder: your mentor group")
    assert english.moment(THURSDAY_16) in _read(to_di)
    assert "Remind me later" in _read(to_di)
    assert "Open the poll in the channel" in _read(to_di)

    # Everyone answers: the poll becomes its Danish result, with a Danish calendar file.
    for mentee in group.mentees:
        vote(bot, group, mentee, 0, "no")
        vote(bot, group, mentee, 1, "yes")
    result = _read(poll_message(bot, group))
    assert "🏆 Så har vi en dato" in result
    end = danish.clock(FRIDAY_14.replace(hour=15, minute=30))
    assert f"📅 Gruppen mødes *{danish.moment(FRIDAY_14)}* (til {end})." in result
    assert "✅ Ja 4:" in result
    assert "Kalenderfilen (.ics) ligger i tråden" in result
    assert_no_english(result, allowed=allowed, language="da")

    [shared] = [m for m in bot.slack.messages_in(group.channel_id) if m.files]
    assert shared.text.startswith(f"📅 Kalenderfil til *{danish.moment(FRIDAY_14)}*")
    assert_no_english(shared.text, allowed=allowed, language="da")
    [ics] = bot.slack.files_in(group.channel_id)
    assert ics.name == "mentorgruppe-møde.ics"
    event = next(iter(Calendar.from_ical(ics.content or b"").walk("VEVENT")))
    assert str(event["SUMMARY"]) == f"Mentorgruppe: {name}"
    assert (
        str(event["DESCRIPTION"]) == "Din mentorgruppes møde, valgt med datoafstemningen i Slack."
    )

    # A click on a reminder of the closed poll is refused in each person's own language.
    refused = _refusal_from_reminder(bot, cy)
    assert "Afstemningen er lukket; dit svar blev ikke gemt." in refused
    refused = _refusal_from_reminder(bot, di)
    assert "This poll is closed; your answer was not recorded." in refused


def test_the_danish_poll_form_and_its_refusals_are_in_the_mentors_language(
    bot: BotUnderTest,
) -> None:
    group = _scheme(bot, "da")
    bot.command(group.mentor.id, group.channel_id, "poll")
    [modal] = bot.slack.open_views(group.mentor.id)
    form = "\n".join(_texts(modal.payload))
    for words in (
        "Ny datoafstemning",
        "Slå afstemningen op",
        "Datoer, én pr. linje",
        "90 minutter",
    ):
        assert words in form
    assert "Foreslå 2–10 datoer til" in form
    assert "tor kl. 16\nfre kl. 14" in form, "the examples as Danes type them"
    refused = bot.submit_view(
        group.mentor.id, modal.id, {"options_text": {"value": "tor kl. 16\nfre kl. 14\ntor kl. 16"}}
    )
    assert "options_text" in json.dumps(refused.json)
    said = json.dumps(refused.json, ensure_ascii=False)
    assert "To af mulighederne er samme dato og tid" in said

    # The same mentor, having chosen English, gets the English form.
    choose_language(bot.runtime, group.mentor.id, "en")
    bot.command(group.mentor.id, group.channel_id, "poll")
    english_form = "\n".join(_texts(bot.slack.open_views(group.mentor.id)[-1].payload))
    assert "New date poll" in english_form
    assert "90 minutes" in english_form


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_forms_examples_are_dates_the_bot_reads_in_that_language(language: str) -> None:
    """The examples in the poll form and its hints are what people copy: each must be read
    as a date by the bot in the language it is shown in."""
    t = translator(language)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=COPENHAGEN)
    examples = t.gettext("thu 16:00\nfri 14:00\n7 Dec 10:00").splitlines()
    for placeholder in (t.gettext("e.g. fri 14:00"), t.gettext("e.g. wed 12:00")):
        examples.append(re.sub(r"^(e\.g\.|fx|z\. B\.|p\. ex\.|np\.) ", "", placeholder))
    for hint in (
        t.gettext("A day and a time, like “fri 14:00” or “2/12 16:30”; after the deadline."),
        t.gettext("A day and a time, like “wed 12:00”; not after the first date."),
        t.gettext("Write a day and a time, like “thu 16:00” or “2/12 16:30”."),
    ):
        quoted = re.findall(r"[“„«]([^”“»]+)[”“»]", hint)
        assert quoted, hint
        examples += quoted
    languages = (language,) if language == "en" else (language, "en")
    for example in examples:
        read = understand_datetime(example, now=now, zone=COPENHAGEN, languages=languages)
        assert read > now, example


@pytest.mark.parametrize(
    ("language", "header", "yes", "two_dates", "five_dates", "reminder"),
    [
        ("de", "Wann treffen wir uns?", "✅ Ja", "2 Termine", "5 Termine", "Erinnerung:"),
        ("pt", "Quando nos encontramos?", "✅ Sim", "2 datas", "5 datas", "Lembrete:"),
        ("pl", "Kiedy się spotykamy?", "✅ Tak", "2 terminy", "5 terminów", "Przypomnienie:"),
    ],
)
def test_a_poll_in_german_portuguese_and_polish(
    bot: BotUnderTest,
    language: str,
    header: str,
    yes: str,
    two_dates: str,
    five_dates: str,
    reminder: str,
) -> None:
    group = _scheme(bot, language)
    t = translator(language)
    bot.command(group.mentor.id, group.channel_id, POLL_COMMANDS[language])
    poll = poll_message(bot, group)
    shown = _read(poll)
    assert header in shown
    assert yes in shown
    assert t.moment(THURSDAY_16) in shown
    assert two_dates in poll.text
    assert_no_english(shown, allowed=(_group_name(bot, group),), language=language)

    # Three dates more: the count takes the language's plural (Polish "terminów" from 5).
    for day in (28, 29, 30):
        added = t.moment(datetime(2026, 11, day, 12, 0, tzinfo=COPENHAGEN))
        bot.command(group.mentor.id, group.channel_id, f"poll add 2026-11-{day} 12:00")
        assert added in _read(poll_message(bot, group))
    assert five_dates in poll_message(bot, group).text

    polls_job(replace(bot.runtime, clock=lambda: HALFWAY), bot.client)
    [reminded] = bot.slack.dm_messages_to(group.mentees[0].id)
    assert reminded.text.startswith(reminder)
    assert_no_english(_read(reminded), allowed=(_group_name(bot, group),), language=language)


def _mentor_clicks(bot: BotUnderTest, group: Group, action_id: str) -> None:
    """The mentor clicks `action_id` in the poll's controls only the mentor sees."""
    controls = _controls(bot, group.mentor)
    [(block_id, button)] = [
        (block["block_id"], element)
        for block in controls.blocks
        if block.get("type") == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    ]
    bot.click(
        group.mentor.id,
        message=(group.channel_id, controls.message_ts),
        action_id=action_id,
        value=button["value"],
        block_id=block_id,
    )


def test_the_danish_mentors_forms_and_choice_when_no_date_works(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    danish = translator("da")
    bot.command(group.mentor.id, group.channel_id, POLL_COMMANDS["da"])

    # "Add a date": the form, its refusal and what it says once done, all Danish.
    _mentor_clicks(bot, group, "poll_add_date")
    [form] = bot.slack.open_views(group.mentor.id)
    assert "Tilføj en dato" in _texts(form.payload)
    refused = bot.submit_view(
        group.mentor.id, form.id, {"poll_change_when": {"value": "fre kl. 14"}}
    )
    assert "Afstemningen har allerede den dato og det tidspunkt." in json.dumps(
        refused.json, ensure_ascii=False
    )
    bot.submit_view(group.mentor.id, form.id, {"poll_change_when": {"value": "lør kl. 10"}})
    saturday = danish.moment(datetime(2026, 11, 28, 10, 0, tzinfo=COPENHAGEN))
    done = "\n".join(_texts(bot.slack.open_views(group.mentor.id)[-1].payload))
    assert "Afstemningen er ændret" in done
    assert f"✅ {saturday} er tilføjet til afstemningen." in done
    assert saturday in _read(poll_message(bot, group))
    assert poll_message(bot, group).text.startswith("Datoafstemning: 3 datoer")

    # Nobody can come, the mentor included: the channel's one line and the mentor's choice.
    for option in range(3):
        vote(bot, group, group.mentor, option, "no")
    vote(bot, group, group.mentees[0], 1, "yes")
    _mentor_clicks(bot, group, "poll_close")
    closed = _read(poll_message(bot, group))
    assert "Ingen dato passede alle endnu;" in closed
    assert_no_english(closed, allowed=(_group_name(bot, group), "Lokale 2.14"), language="da")
    [choice] = bot.slack.dm_messages_to(group.mentor.id)
    offered = _read(choice)
    assert f"{danish.moment(FRIDAY_14)}*: 1 ja, 1 nej, 2 uden svar" in offered
    assert "Vælg den" in offered
    assert "Start en ny afstemning" in offered
    assert_no_english(offered, allowed=(_group_name(bot, group),), language="da")

    pick = next(b for b in choice.blocks if b.get("accessory", {}).get("action_id") == "poll_pick")
    before = len(bot.slack.responses)
    bot.click(
        group.mentor.id,
        message=(bot.slack.workspace.open_dm(group.mentor.id)[0].id, choice.ts),
        action_id="poll_pick",
        value=pick["accessory"]["value"],
        block_id=pick["block_id"],
    )
    told = "\n".join(post.body.get("text", "") for post in bot.slack.responses[before:])
    assert "Planlagt:" in told
    assert "Gruppen har fået besked med en kalenderfil." in told
    assert "🏆 Så har vi en dato" in _read(poll_message(bot, group))
