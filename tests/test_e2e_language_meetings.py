"""Issue 16 for meetings and themes: in a term's language, the logged line, the day-before
reminder, "did you meet?", the status, the list and the themes, with dates and plurals as
the language writes them; a person who chose English reads English in the same term.
Driven through Slack's protocol against the fake Slack."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.jobs import meetings_job
from bot.sandbox.fakeslack.driver import DriverResponse
from bot.sandbox.fakeslack.formatting import as_notified
from bot.services.language import choose_language
from storage.db import read_session, write_session
from storage.models import Meeting, MentorGroup, Theme
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.language import language_scheme as _scheme
from tests.support.language import texts as _texts
from tests.support.scenario import Group, stored

COMMAND_WORDS = ("/mentor", "WHEN", "Europe/Copenhagen")
"""Words that stay as they are in every language: commands, and the zone's name."""

THURSDAY_4PM = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
"""A planned meeting: Thursday 26 November, 16:00 in Copenhagen."""


def _shown(bot: BotUnderTest, response: DriverResponse) -> str:
    """Everything the person was shown in answer: texts and the blocks' words."""
    shown = list(bot.replies_to(response))
    if response.response_url_id:
        for post in bot.slack.responses_to(response.response_url_id):
            shown += _texts(post.body.get("blocks") or [])
    return "\n".join(shown)


def _plan(bot: BotUnderTest, group: Group, starts_at: datetime = THURSDAY_4PM) -> None:
    """A planned meeting, as a date poll leaves one."""
    with write_session(bot.runtime.engine) as session:
        session.add(
            Meeting(
                group_id=group.group_id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=90),
                created_at=bot.runtime.now(),
            )
        )


def _last_post(bot: BotUnderTest, group: Group) -> str:
    message = bot.slack.messages_in(group.channel_id)[-1]
    return "\n".join([as_notified(message.text), *_texts(message.blocks)])


def _group_name(bot: BotUnderTest) -> str:
    with read_session(bot.runtime.engine) as session:
        return session.exec(select(MentorGroup)).one().name


def test_a_danish_term_logs_reminds_and_asks_in_danish(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    name = _group_name(bot)
    assert name == "Annas gruppe"
    allowed = (name, *COMMAND_WORDS)

    # /mentor log with a Danish day and a Danish theme typed without its å: the channel's
    # line is Danish, the date in Danish words where Slack cannot show its own.
    bot.command(group.mentor.id, group.channel_id, 'log torsdag 16:00 theme="sadan studerer"')
    logged = as_notified(bot.slack.messages_in(group.channel_id)[-1].text)
    assert logged == (
        "📝 Møde 1 er registreret (tors. 19. nov. kl. 16.00, om "
        "_Sådan studerer jeg og forbereder mig til eksamen_) – mindst 3 i dette semester."
    )
    assert_no_english(logged, allowed=allowed, language="da")

    # A theme the group does not have is refused in Danish, with the Danish themes to try.
    unknown = _shown(
        bot, bot.command(group.mentor.id, group.channel_id, "log i går 16:00 theme=venskab")
    )
    assert unknown.startswith("Jeg kender ikke temaet “venskab”. Temaer: Motivation, Balance")
    assert_no_english(unknown, allowed=allowed, language="da")
    future = _shown(bot, bot.command(group.mentor.id, group.channel_id, "log i morgen 16:00"))
    assert "i morgen 16:00" in future
    assert len(stored(bot, Meeting)) == 1

    # The list and the status, in the asker's language (the term's: nobody chose).
    listing = _shown(bot, bot.command(group.mentor.id, group.channel_id, "log list"))
    assert "1 møde registreret" in listing
    assert "Møder i Annas gruppe" in listing
    assert "4 kom" in listing
    assert "Afholdt: 1; gruppen mødes mindst 3 gange." in listing
    assert "Slet dette møde?" in listing
    assert_no_english(listing, allowed=allowed, language="da")
    status = _shown(bot, bot.command(group.mentees[0].id, group.channel_id, "status"))
    assert "1 af mindst 3 møder afholdt" in status
    assert "*Afholdte møder*\n1 af mindst 3" in status
    assert "*Næste møde*\nintet planlagt" in status
    assert "*Temaer I har talt om*\nSådan studerer jeg og forbereder mig til eksamen" in status
    assert_no_english(status, allowed=allowed, language="da")

    # The day before a planned meeting: five Danish lines, a Danish theme and its prompts.
    _plan(bot, group)
    day_before = replace(bot.runtime, clock=lambda: THURSDAY_4PM - timedelta(hours=23))
    meetings_job(day_before, bot.client)
    reminder = bot.slack.messages_in(group.channel_id)[-1]
    assert as_notified(reminder.text) == (
        "Annas gruppe mødes i morgen, tors. 26. nov. kl. 16.00 (Europe/Copenhagen)"
    )
    lines = reminder.blocks[0]["text"]["text"].split("\n")
    assert as_notified(lines[0]) == (
        "⏰ Gruppen mødes i morgen, *tors. 26. nov. kl. 16.00 (Europe/Copenhagen)*."
    )
    assert lines[1] == "💬 Noget at tale om: *Motivation*"
    assert lines[2] == (
        "• Hvad fik dig til at vælge studiet, og er det stadig det, der driver dig?"
    )
    assert reminder.blocks[1]["elements"][0]["text"]["text"] == "Flere idéer"
    assert_no_english(_last_post(bot, group), allowed=allowed, language="da")

    # "More ideas" shows two more Danish themes to the clicker.
    mentee = group.mentees[0]
    more = _shown(
        bot, bot.click(mentee.id, message=(reminder.channel, reminder.ts), action_id="more_ideas")
    )
    assert "💡 *Flere ting at tale om*" in more
    assert "*Balance mellem studieliv og privatliv*" in more
    assert_no_english(more, allowed=allowed, language="da")

    # Two hours after it ended the mentor is asked, naming the group and the day.
    after = THURSDAY_4PM + timedelta(hours=3, minutes=31)
    meetings_job(replace(bot.runtime, clock=lambda: after), bot.client)
    [question] = bot.slack.dm_messages_to(group.mentor.id)
    assert question.text == "Mødtes Annas gruppe tors. 26. nov. kl. 16.00?"
    asked = "\n".join(_texts(question.blocks))
    assert "Mødet er ikke registreret endnu." in asked
    assert "Ja, vi mødtes" in asked
    assert_no_english(asked, allowed=allowed, language="da")

    # "Yes, we met": logged as meeting 2, the theme menu in Danish, the channel told.
    bot.runtime.clock.set(after)  # type: ignore[attr-defined]
    where = (question.channel, question.ts)
    answer = bot.answer(bot.click(group.mentor.id, message=where, action_id="did_meet"))
    assert answer["text"].startswith("Møde 2 (")
    assert "er registreret med alle til stede" in answer["text"]
    menu = json.dumps(answer["blocks"], ensure_ascii=False)
    assert "Prioritering og tidsstyring" in menu
    assert "Hvad talte I om?" in menu
    assert "Ret, hvem der kom" in menu
    assert_no_english("\n".join(_texts(answer["blocks"])), allowed=allowed, language="da")
    assert as_notified(bot.slack.messages_in(group.channel_id)[-1].text).startswith(
        "📝 Møde 2 er registreret (tors. 26. nov. kl. 16.00"
    )
    [prioritising] = [
        t for t in stored(bot, Theme) if t.name == "Prioritisation and time management"
    ]
    option = next(
        o["value"]
        for b in answer["blocks"]
        for e in b.get("elements", [])
        for o in e.get("options", [])
        if o["text"]["text"] == "Prioritering og tidsstyring"
    )
    assert option.endswith(f":{prioritising.id}")
    picked = bot.answer(
        bot.click(group.mentor.id, message=where, action_id="meeting_theme", value=option)
    )
    assert "handlede om _Prioritering og tidsstyring_" in picked["text"]

    # Who came: the form and its answer in Danish, the count in words.
    bot.click(group.mentor.id, message=where, action_id="fix_attendance")
    [form] = bot.slack.open_views(group.mentor.id)
    assert form.payload["title"]["text"] == "Hvem kom?"
    saved = bot.submit_view(
        group.mentor.id,
        form.id,
        {"attendees": _ticked(group.mentor.id, *(m.id for m in group.mentees[:2]))},
    )
    assert "Gemt: 3 af 4 kom." in json.dumps(saved.json, ensure_ascii=False)

    # Theme suggestions posted in the channel.
    bot.command(mentee.id, group.channel_id, "themes")
    themes = _last_post(bot, group)
    assert "Tre ting at tale om næste gang" in themes
    assert "*Udfordringer i studiet*" in themes
    assert "Prioritering" not in themes
    assert_no_english(themes, allowed=allowed, language="da")


def test_the_log_form_and_a_moved_meeting_speak_danish(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    form = "\n".join(_texts(modal.payload))
    assert modal.payload["title"]["text"] == "Registrer et møde"
    assert "Hvornår mødtes I?" in form
    assert "Kun du kan se denne note" in form
    assert "Balance mellem studieliv og privatliv" in form
    assert_no_english(form, allowed=(_group_name(bot), *COMMAND_WORDS), language="da")
    refused = bot.submit_view(
        group.mentor.id,
        modal.id,
        {"when": {"value": {"type": "datetimepicker", "selected_date_time": 1893456000}}},
    )
    assert "Det er ude i fremtiden" in json.dumps(refused.json, ensure_ascii=False)

    _plan(bot, group)
    bot.command(group.mentor.id, group.channel_id, 'meeting where "Lokale 2.14"')
    placed = as_notified(bot.slack.messages_in(group.channel_id)[-1].text)
    assert placed == (
        "📍 Mødet *tors. 26. nov. kl. 16.00* foregår nu her: *Lokale 2.14*. "
        "Den vedhæftede fil opdaterer din kalender."
    )
    [calendar_file] = bot.slack.files_in(group.channel_id)
    assert calendar_file.title == "Annas gruppe: tors. 26. nov. kl. 16.00"
    assert b"SUMMARY:Mentorgruppe: Annas gruppe" in (calendar_file.content or b"")
    bot.command(group.mentor.id, group.channel_id, "meeting cancel")
    cancelled = as_notified(bot.slack.messages_in(group.channel_id)[-1].text)
    assert cancelled.startswith("❌ Mødet *tors. 26. nov. kl. 16.00* er aflyst.")
    none_left = _shown(bot, bot.command(group.mentor.id, group.channel_id, "meeting cancel"))
    assert none_left.startswith("Gruppen har ikke noget møde planlagt")


def test_someone_who_chose_english_reads_english_in_a_danish_term(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    mentor, mentee = group.mentor, group.mentees[0]
    choose_language(bot.runtime, mentor.id, "en")
    choose_language(bot.runtime, mentee.id, "en")

    bot.command(mentor.id, group.channel_id, "log torsdag 16:00 theme=prioritering")
    # The channel stays the term's language.
    logged = as_notified(bot.slack.messages_in(group.channel_id)[-1].text)
    assert logged.startswith("📝 Møde 1 er registreret (tors. 19. nov. kl. 16.00")
    assert "_Prioritering og tidsstyring_" in logged

    status = _shown(bot, bot.command(mentee.id, group.channel_id, "status"))
    assert "1 of at least 3 meetings held" in status
    assert "*Themes covered*\nPrioritisation and time management" in status
    listing = _shown(bot, bot.command(mentor.id, group.channel_id, "log list"))
    assert "1 meeting logged" in listing
    assert "Meetings of Annas gruppe" in listing
    assert "Thu 19 Nov, 16:00 (Europe/Copenhagen)" in listing
    refused = _shown(bot, bot.command(mentor.id, group.channel_id, "log torsdag 16:00"))
    assert "is already logged; see `/mentor log list`." in refused
    assert "Thu 19 Nov, 16:00" in refused

    # Someone else in the channel still reads Danish.
    other = _shown(bot, bot.command(group.mentees[1].id, group.channel_id, "status"))
    assert "1 af mindst 3 møder afholdt" in other

    # "Did you meet?" goes to the mentor in the language they chose.
    _plan(bot, group)
    after = THURSDAY_4PM + timedelta(hours=3, minutes=31)
    meetings_job(replace(bot.runtime, clock=lambda: after), bot.client)
    [question] = bot.slack.dm_messages_to(mentor.id)
    assert question.text == "Did Annas gruppe meet on Thu 26 Nov, 16:00?"
    assert "Yes, we met" in "\n".join(_texts(question.blocks))


def test_coordinators_curate_the_catalogue_by_its_danish_names(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    admin = bot.slack.add_channel("admin2", [COORDINATOR]).id
    retired = _shown(bot, bot.command(COORDINATOR, admin, "themes retire prioritering"))
    assert retired == (
        "“Prioritering og tidsstyring” er taget ud: det bliver ikke længere foreslået "
        "(møderne beholder det)."
    )
    again = _shown(bot, bot.command(COORDINATOR, admin, "themes retire Prioritering og tids"))
    assert again == "“Prioritering og tidsstyring” var allerede taget ud."
    added = _shown(
        bot,
        bot.command(
            COORDINATOR, admin, "themes add Økonomi | Hvordan får du det til at løbe rundt?"
        ),
    )
    assert added == "“Økonomi” er føjet til temakataloget."
    idea = _shown(
        bot,
        bot.command(
            group.mentees[0].id, group.channel_id, "themes suggest Venskab | Hvem læser du med?"
        ),
    )
    assert idea == "Tak! “Venskab” bliver foreslået til din gruppe først."
    bot.command(group.mentees[0].id, group.channel_id, "themes")
    themes = _last_post(bot, group)
    assert "*Venskab* (din gruppes idé)\n• Hvem læser du med?" in themes
    assert "Prioritering" not in themes
    names = {t.name: t.active for t in stored(bot, Theme)}
    assert names["Prioritisation and time management"] is False
    assert names["Økonomi"] is True


SAMPLES = {
    "de": (
        "Donnerstag 16:00",
        "📝 Treffen 1 eingetragen (Do., 19. Nov., 16:00 Uhr)",
        "*Treffen bisher*\n1 von mindestens 3",
        "⏰ Die Gruppe trifft sich morgen",
    ),
    "pt": (
        "quinta 16:00",
        "📝 Encontro 1 registado (quinta, 19/11, às 16:00)",
        "*Encontros feitos*\n1 de pelo menos 3",
        "⏰ O grupo encontra-se amanhã",
    ),
    "pl": (
        "czwartek 16:00",
        "📝 Zapisano spotkanie nr 1 (czw., 19 lis, godz. 16:00)",
        "*Odbyte spotkania*\n1 z co najmniej 3",
        "⏰ Grupa spotyka się jutro",
    ),
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_a_sample_in_german_portuguese_and_polish(bot: BotUnderTest, language: str) -> None:
    typed, logged_line, status_line, reminder_line = SAMPLES[language]
    group = _scheme(bot, language)
    allowed = (_group_name(bot), *COMMAND_WORDS)
    bot.command(group.mentor.id, group.channel_id, f"log {typed}")
    logged = as_notified(bot.slack.messages_in(group.channel_id)[-1].text)
    assert logged.startswith(logged_line), logged
    assert_no_english(logged, allowed=allowed, language=language)
    status = _shown(bot, bot.command(group.mentees[0].id, group.channel_id, "status"))
    assert status_line in status
    assert_no_english(status, allowed=allowed, language=language)
    _plan(bot, group)
    meetings_job(replace(bot.runtime, clock=lambda: THURSDAY_4PM - timedelta(hours=23)), bot.client)
    reminder = _last_post(bot, group)
    assert reminder_line in reminder
    assert_no_english(reminder, allowed=allowed, language=language)


def test_polish_counts_take_their_three_forms(bot: BotUnderTest) -> None:
    group = _scheme(bot, "pl")
    for day in ("czwartek 16:00", "piątek 16:00"):
        bot.command(group.mentor.id, group.channel_id, f"log {day}")
    listing = _shown(bot, bot.command(group.mentor.id, group.channel_id, "log list"))
    assert "2 zapisane spotkania" in listing
    assert "były 4 osoby" in listing
    assert "Odbyte: 2; grupa spotyka się co najmniej 3 razy." in listing
    for day in ("środa 16:00", "wtorek 16:00", "poniedziałek 16:00"):
        bot.command(group.mentor.id, group.channel_id, f"log {day}")
    listing = _shown(bot, bot.command(group.mentor.id, group.channel_id, "log list"))
    assert "5 zapisanych spotkań" in listing
    assert_no_english(listing, allowed=(_group_name(bot), *COMMAND_WORDS), language="pl")


def _ticked(*user_ids: str) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": u}, "value": u} for u in user_ids]
    return {"value": {"type": "checkboxes", "selected_options": options}}
