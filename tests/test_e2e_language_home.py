"""Issue 16 for App Home, the digest, nudges and snoozing: a term's language is the language
of its channels and, unless someone picks another in App Home, of everything its people see
alone. Driven through Slack's protocol against the fake Slack, the jobs with the clock
passed in."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.blocks.ids import CHOOSE_LANGUAGE, CHOOSE_TERM_LANGUAGE
from bot.jobs import digest_job, nudges_job
from bot.runtime import Runtime
from bot.sandbox.fakeslack.model import Message
from storage.db import read_session, write_session
from storage.models import Meeting, MentorGroup, Pause, Person
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.language import language_scheme as _scheme
from tests.support.language import texts as _texts
from tests.support.scenario import Group, replies

CPH = ZoneInfo("Europe/Copenhagen")
TERM_NAME = "Efterår 2026"
COMMAND_WORDS = (
    "/mentor",
    "WHEN",
    "DAY",
    "DATE",
    "NAME",
    "PLACE",
    "TEXT",
    "PROMPT",
    "YYYY-MM-DD",
    "mentorbot report",
)
"""Words of the commands, which stay as they are in every language."""
LANGUAGE_NAMES = ("English", "Dansk", "Deutsch", "Português", "Polski")
"""The language menu names each language in its own words, English included."""


def _group_name(bot: BotUnderTest) -> str:
    with read_session(bot.runtime.engine) as session:
        return session.exec(select(MentorGroup)).one().name


def _home(bot: BotUnderTest, user_id: str) -> tuple[str, str]:
    """(view id, every text of the tab) after the person opens it."""
    bot.event(bot.slack.user_opens_home(user_id))
    return _published_home(bot, user_id)


def _published_home(bot: BotUnderTest, user_id: str) -> tuple[str, str]:
    view = bot.slack.home_view(user_id)
    assert view is not None
    return view.id, "\n".join(_texts(view.payload.get("blocks", [])))


def _menu_choice(bot: BotUnderTest, user_id: str) -> str:
    """The language the person's menu shows as chosen (its initial option's value)."""
    view = bot.slack.home_view(user_id)
    assert view is not None
    [menu] = [
        block["accessory"]
        for block in view.payload["blocks"]
        if block.get("accessory", {}).get("action_id") == CHOOSE_LANGUAGE
    ]
    return str(menu["initial_option"]["value"])


def _shown(message: Message) -> str:
    return "\n".join([message.text, *_texts(message.blocks)])


def _at(bot: BotUnderTest, year: int, month: int, day: int, hour: int, minute: int) -> Runtime:
    """The bot's runtime with its clock at that moment in Copenhagen (for the jobs)."""
    moment = datetime(year, month, day, hour, minute, tzinfo=CPH)
    return replace(bot.runtime, clock=lambda: moment)


def _plan(bot: BotUnderTest, group: Group, *, place: str) -> None:
    starts = datetime(2026, 11, 26, 16, 0, tzinfo=CPH)
    with write_session(bot.runtime.engine) as session:
        session.add(
            Meeting(
                group_id=group.group_id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                created_at=starts - timedelta(days=3),
                location=place,
            )
        )


def _nudges_to(bot: BotUnderTest, user_id: str) -> list[Message]:
    return [
        m for m in bot.slack.dm_messages_to(user_id) if "planned_offline" in json.dumps(m.blocks)
    ]


def _choose(bot: BotUnderTest, user_id: str, view_id: str, value: str) -> None:
    bot.click(user_id, view_id=view_id, action_id=CHOOSE_LANGUAGE, value=value)


def _own_language(bot: BotUnderTest, user_id: str) -> str | None:
    with read_session(bot.runtime.engine) as session:
        person = session.get(Person, user_id)
    return person.language if person is not None else None


def test_a_danish_term_shows_danish_homes_digest_and_nudges(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    name = _group_name(bot)
    allowed = (name, TERM_NAME, "Anna Berg", *COMMAND_WORDS, *LANGUAGE_NAMES)

    # The coordinator's Home before anything is planned: the term at a glance, the group
    # needing attention with its reason and its buttons, all Danish.
    _, coordinator_home = _home(bot, COORDINATOR)
    assert f"*{TERM_NAME} i overblik*" in coordinator_home
    assert "*Ikke i gang*\n1" in coordinator_home
    assert "*Planlagt i denne uge*\n0 møder" in coordinator_home
    assert "*Kræver opmærksomhed*" in coordinator_home
    assert "intet møde endnu" in coordinator_home
    assert "intet møde, siden gruppen blev oprettet man. 23. nov." in coordinator_home
    assert "intet planlagt" in coordinator_home
    assert "Skriv til mentoren" in coordinator_home
    assert "Pause i en uge" in coordinator_home
    assert "Samme som mentorordningen (Dansk)" in coordinator_home
    assert "Du bruger botten som *koordinator*." in coordinator_home
    assert_no_english(coordinator_home, allowed=allowed, language="da")
    view_id, _ = _home(bot, COORDINATOR)
    bot.click(COORDINATOR, view_id=view_id, action_id="pause_week")
    _, paused = _published_home(bot, COORDINATOR)
    assert paused.startswith(
        f"Mentorgrupper\n“{name}” er sat på pause til og med søndag den 29. november: "
        "ingen puf indtil da."
    )
    # The pause is lifted again, so that the nudge below goes out.
    with write_session(bot.runtime.engine) as session:
        for pause in session.exec(select(Pause)).all():
            session.delete(pause)

    # Monday's digest, in the coordinator's language: counts, dates and plurals.
    assert digest_job(_at(bot, 2026, 11, 23, 8, 30), bot.client) == "sent 1 digest"
    [digest] = bot.slack.dm_messages_to(COORDINATOR)
    assert digest.text == (
        f"Ugens oversigt for {TERM_NAME}: 0 af 3 møder holdt. 1 gruppe kræver opmærksomhed."
    )
    shown = _shown(digest)
    assert f"Ugens oversigt: {TERM_NAME}" in shown
    assert "Ugen fra 23. november 2026 · kun tal og datoer" in shown
    assert "*Møder i alt*\n0 af 3 (1 gruppe × 3)" in shown
    assert "*Alle grupper*" in shown
    assert "ikke i gang" in shown
    assert_no_english(shown, allowed=allowed, language="da")

    # The nudge: the mentor's DM and the channel's gentle line, both Danish.
    assert nudges_job(_at(bot, 2026, 11, 23, 10, 30), bot.client) == "nudged 1 group"
    [nudge] = _nudges_to(bot, group.mentor.id)
    assert (
        "👋 Skal I ikke planlægge det næste møde? Gruppen har ikke mødtes endnu (målet er "
        "mindst 3 gange), og der er 10 uger tilbage af semestret."
    ) in nudge.text
    nudge_shown = _shown(nudge)
    for button in ("Start en datoafstemning", "Vi har aftalt det uden for Slack", "Mind mig"):
        assert button in nudge_shown
    assert_no_english(nudge_shown, allowed=allowed, language="da")
    [line] = [m for m in bot.slack.messages_in(group.channel_id) if "👋" in m.text]
    assert line.text == (
        "👋 Skal vi ikke finde tid til næste møde? Anna Berg kommer med forslag til datoer."
    )
    # The nudge's buttons answer the mentor in Danish too.
    later = bot.answer(
        bot.click(group.mentor.id, message=(nudge.channel, nudge.ts), action_id="remind_later")
    )
    assert later["text"] == (
        "Helt i orden: ingen påmindelser eller beskeder fra mig før tirs. 24. nov. kl. 10.00. "
        "`/mentor snooze off` slår det fra før."
    )
    offline = bot.answer(
        bot.click(group.mentor.id, message=(nudge.channel, nudge.ts), action_id="planned_offline")
    )
    assert offline["text"] == (
        f"Godt at høre, at I har planlagt næste møde i “{name}”: ingen puf før søndag den "
        "29. november. Registrer det bagefter med `/mentor log`."
    )

    # Two weeks before the end the nudge is firm, and the mentor's alone.
    assert nudges_job(_at(bot, 2027, 1, 18, 10, 30), bot.client) == "nudged 1 group"
    firm = _nudges_to(bot, group.mentor.id)[-1]
    assert firm.text.endswith(
        "⏳ Der er kun 2 uger tilbage af semestret, og gruppen har ikke mødtes endnu "
        "(målet er mindst 3 gange). Find en dato i denne uge!"
    )
    assert len([m for m in bot.slack.messages_in(group.channel_id) if "👋" in m.text]) == 1

    # A mentee's and the mentor's Homes once a meeting is planned: Danish, Danish dates.
    _plan(bot, group, place="Lokale 2.14")
    bot.command(group.mentor.id, group.channel_id, "poll fre 14:00; man 10:00")
    _, mentee_home = _home(bot, group.mentees[0].id)
    assert "Mentorgrupper" in mentee_home
    assert "*Dine grupper*" in mentee_home
    assert f"Du er mentee. Møder indtil nu: *0 af mindst 3* i {TERM_NAME}." in mentee_home
    assert "*tors. 26. nov. kl. 16.00*, Lokale 2.14." in mentee_home
    assert "Sæt påmindelser på pause i en uge" in mentee_home
    assert "*1 afstemning* venter på dit svar: <" in mentee_home
    assert f"|åbn afstemningen> (i <#{group.channel_id}>)." in mentee_home
    assert_no_english(mentee_home, allowed=(*allowed, "Lokale 2.14"), language="da")
    _, mentor_home = _home(bot, group.mentor.id)
    assert "Du er mentor." in mentor_home
    assert "Åbne afstemninger: 1." in mentor_home
    assert "Registrer et møde" in mentor_home
    assert "Du bruger botten som *mentor*." in mentor_home
    assert_no_english(mentor_home, allowed=(*allowed, "Lokale 2.14"), language="da")

    # Snoozing, answered in Danish with a Danish date.
    snoozed = replies(bot, bot.command(group.mentees[0].id, group.channel_id, "snooze until 27/11"))
    assert snoozed.startswith("Pause til og med fredag den 27. november:")
    assert_no_english(snoozed, allowed=COMMAND_WORDS, language="da")


def test_picking_english_in_app_home_and_back(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    mentor = group.mentor
    view_id, home = _home(bot, mentor.id)
    assert "Mentorgrupper" in home

    # English, chosen in the tab: the tab is drawn again in English at once, saying so.
    _choose(bot, mentor.id, view_id, "en")
    assert _own_language(bot, mentor.id) == "en"
    view_id, home = _published_home(bot, mentor.id)
    assert home.startswith(
        "Mentor groups\n✓ English: from now on this tab, direct messages and answers to you "
        "are in this language."
    )
    assert "You are the mentor." in home
    assert "Same as the programme (Dansk)" in home
    assert _menu_choice(bot, mentor.id) == "en"
    assert "Mentorgrupper" not in home

    # Ephemerals and DMs follow the choice; the channel keeps the term's language.
    answer = replies(bot, bot.command(mentor.id, group.channel_id, "snooze until 27/11"))
    assert answer.startswith("Snoozed through Friday 27 November:")
    replies(bot, bot.command(mentor.id, group.channel_id, "snooze off"))
    assert nudges_job(_at(bot, 2026, 11, 23, 10, 30), bot.client) == "nudged 1 group"
    [nudge] = _nudges_to(bot, mentor.id)
    assert "👋 How about planning the next meeting? The group has not met yet" in nudge.text
    assert "We planned it offline" in _shown(nudge)
    [line] = [m for m in bot.slack.messages_in(group.channel_id) if "👋" in m.text]
    assert line.text.startswith("👋 Skal vi ikke finde tid til næste møde?")
    # Someone who chose nothing still reads the term's language.
    other = replies(bot, bot.command(group.mentees[0].id, group.channel_id, "snooze off"))
    assert other == "Pausen er slået fra: du får påmindelser og beskeder fra mig igen."

    # "Same as the programme" goes back to Danish.
    _choose(bot, mentor.id, view_id, CHOOSE_TERM_LANGUAGE)
    assert _own_language(bot, mentor.id) is None
    _, home = _published_home(bot, mentor.id)
    assert home.startswith("Mentorgrupper\n✓ Dansk, mentorordningens sprog:")
    assert _menu_choice(bot, mentor.id) == CHOOSE_TERM_LANGUAGE
    assert "Du er mentor." in home


def test_a_forged_language_is_refused_and_nothing_changes(bot: BotUnderTest) -> None:
    group = _scheme(bot, "da")
    mentee = group.mentees[0]
    view_id, _ = _home(bot, mentee.id)
    for forged in ("xx", "EN", "", None):
        bot.click(
            mentee.id,
            view_id=view_id,
            action_id=CHOOSE_LANGUAGE,
            selected_option={"text": {"type": "plain_text", "text": "x"}, "value": forged},
        )
        _, home = _published_home(bot, mentee.id)
        assert home.startswith(
            "Mentorgrupper\nDet sprog kan jeg ikke tilbyde; vælg et fra menuen."
        ), forged
        assert _own_language(bot, mentee.id) is None
    # Someone in no group and no term language of their own sees the menu too.
    outsider = bot.slack.add_user("outsider")
    outsider_view, home = _home(bot, outsider.id)
    assert "Du er ikke i en mentorgruppe i dette semester. Tilmeld dig" in home
    _choose(bot, outsider.id, outsider_view, "pl")
    _, home = _published_home(bot, outsider.id)
    assert "W tym semestrze nie jesteś w żadnej grupie mentorskiej. Zapisz się" in home


@pytest.mark.parametrize(
    ("language", "home_says", "nudge_says", "channel_says", "digest_says"),
    [
        (
            "de",
            "Du bist Mentee. Treffen bisher: *0 von mindestens 3* in Efterår 2026.",
            "Die Gruppe hat sich noch nicht getroffen (Ziel: mindestens 3-mal), und das "
            "Semester dauert noch 10 Wochen.",
            "👋 Wie wäre es mit dem nächsten Treffen? Anna Berg schlägt Termine vor.",
            "Wochenübersicht für Efterår 2026: 0 von 3 Treffen gehalten. "
            "1 Gruppe braucht Aufmerksamkeit.",
        ),
        (
            "pt",
            "És mentorando(a). Encontros até agora: *0 de pelo menos 3* em Efterår 2026.",
            "O grupo ainda não se encontrou (o objetivo é pelo menos 3 vezes) e o semestre "
            "acaba daqui a 10 semanas.",
            "👋 Que tal marcarmos o próximo encontro? Anna Berg vai sugerir datas.",
            "Resumo semanal de Efterår 2026: 0 de 3 encontros feitos. 1 grupo precisa de atenção.",
        ),
        (
            "pl",
            "Jesteś mentee. Spotkania do tej pory (Efterår 2026): *0 z co najmniej 3*.",
            "Grupa jeszcze się nie spotkała (cel to co najmniej 3 razy), a do końca semestru "
            "zostało: 10 tygodni.",
            "👋 Może zaplanujemy następne spotkanie? Anna Berg zaproponuje terminy.",
            "Podsumowanie tygodnia (Efterår 2026): odbyło się 0 z 3 spotkań. 1 grupa wymaga uwagi.",
        ),
    ],
)
def test_a_sample_in_german_portuguese_and_polish(
    bot: BotUnderTest,
    language: str,
    home_says: str,
    nudge_says: str,
    channel_says: str,
    digest_says: str,
) -> None:
    group = _scheme(bot, language)
    allowed = (_group_name(bot), TERM_NAME, "Anna Berg", *COMMAND_WORDS, *LANGUAGE_NAMES)
    _, home = _home(bot, group.mentees[0].id)
    assert home_says in home
    assert_no_english(home, allowed=allowed, language=language)
    assert digest_job(_at(bot, 2026, 11, 23, 8, 30), bot.client) == "sent 1 digest"
    [digest] = bot.slack.dm_messages_to(COORDINATOR)
    assert digest.text == digest_says
    assert_no_english(_shown(digest), allowed=allowed, language=language)
    assert nudges_job(_at(bot, 2026, 11, 23, 10, 30), bot.client) == "nudged 1 group"
    [nudge] = _nudges_to(bot, group.mentor.id)
    assert nudge_says in nudge.text
    assert_no_english(_shown(nudge), allowed=allowed, language=language)
    [line] = [m for m in bot.slack.messages_in(group.channel_id) if "👋" in m.text]
    assert line.text == channel_says
