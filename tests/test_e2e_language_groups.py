"""Issue 16 for groups, welcome, help, people, terms and commands: a term's language is the
language of its channels and the default for everyone in it; a person's own choice wins for
what only they see. Driven through Slack's protocol against the fake Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.blocks.ids import JOIN_GROUP
from bot.domain.commands import CATALOGUE
from bot.domain.flood import LIMITS, StoringAction, slow_down_message
from bot.i18n import translator
from bot.sandbox.fakeslack.driver import DriverResponse
from bot.sandbox.fakeslack.model import User
from bot.services.language import choose_language
from storage.db import read_session
from storage.models import MentorGroup
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.support.language import texts as _texts
from tests.support.scenario import Group

COMMAND_WORDS = (
    *sorted((spec.usage for spec in CATALOGUE), key=len, reverse=True),
    "/mentor",
    "WHEN",
    "DAY",
    "YYYY-MM-DD",
)
"""The commands as typed, which stay as they are in every language (the longest first, so
each is taken out whole)."""


def _shown(bot: BotUnderTest, response: DriverResponse) -> str:
    """Everything the person was shown in answer: texts and the blocks' words."""
    posts = bot.slack.responses_to(response.response_url_id) if response.response_url_id else []
    shown = list(bot.replies_to(response))
    for post in posts:
        shown += _texts(post.body.get("blocks") or [])
    return "\n".join(shown)


def _scheme(bot: BotUnderTest, language: str, *, prefix: str = "") -> tuple[Group, str, str]:
    """A term in `language`, a certified mentor and a group of three mentees; returns the
    group, the coordination channel and what the coordinator was told on forming it."""
    admin = bot.slack.add_channel(f"coordination{prefix}", [COORDINATOR]).id
    mentor = bot.slack.add_user(f"{prefix}anna", real_name="Anna Berg")
    mentees = tuple(bot.slack.add_user(f"{prefix}{name}") for name in ("bo", "cy", "di"))
    bot.command(
        COORDINATOR,
        admin,
        f'term new "Efterår 2026" 2026-09-01 2027-01-31 min=3 tz=Europe/Copenhagen lang={language}',
    )
    bot.command(COORDINATOR, admin, f"certify <@{mentor.id}>")
    mentions = " ".join(f"<@{user.id}>" for user in (mentor, *mentees))
    formed = _shown(bot, bot.command(COORDINATOR, admin, f"group create {mentions}"))
    with read_session(bot.runtime.engine) as session:
        group = session.exec(select(MentorGroup)).one()
    assert group.channel_id is not None
    assert group.id is not None
    return Group(mentor, mentees, group.channel_id, group.id), admin, formed


def _welcome(bot: BotUnderTest, group: Group) -> str:
    [welcome] = bot.slack.messages_in(group.channel_id)
    return "\n".join([welcome.text, *_texts(welcome.blocks)])


def test_a_danish_term_speaks_danish_in_its_channel_help_and_refusals(bot: BotUnderTest) -> None:
    group, admin, formed = _scheme(bot, "da")
    mentee = group.mentees[0]

    # The coordinator, who chose nothing, reads the term's language; the default group
    # name and its channel are Danish too.
    assert "“Annas gruppe” er oprettet med sin private kanal" in formed
    channel = bot.slack.channel(group.channel_id)
    assert channel.name == "mentor-efteraar-2026-annas-gruppe"
    assert channel.purpose.value == (
        "Mentorgruppe “Annas gruppe”, Efterår 2026. Frivilligt og fortroligt; "
        "vi mødes mindst 3 gange i dette semester."
    )

    # The welcome and ground rules, posted in the channel: Danish, with no English left.
    welcome = _welcome(bot, group)
    assert "Velkommen til Annas gruppe" in welcome
    assert "*Grundregler*" in welcome
    assert "mindst *3 gange*" in welcome
    assert "31. januar 2027" in welcome
    assert_no_english(welcome, allowed=("Annas gruppe", *COMMAND_WORDS), language="da")

    # /mentor help, in the mentee's language (the term's), commands as they are.
    shown = _shown(bot, bot.command(mentee.id, group.channel_id, "help"))
    assert "Mentorgrupper: det kan du" in shown
    assert "`/mentor help`  Vis de kommandoer, du kan bruge." in shown
    assert "Du bruger botten som *mentee*. Kun du kan se denne besked." in shown
    assert_no_english(shown, allowed=COMMAND_WORDS, language="da")

    # The coordinator's help has its section on what mentors and mentees use.
    coordinator_help = _shown(bot, bot.command(COORDINATOR, admin, "help"))
    assert "*Det bruger mentorer og mentees*" in coordinator_help
    assert "Du bruger botten som *koordinator*." in coordinator_help
    assert_no_english(coordinator_help, allowed=COMMAND_WORDS, language="da")

    # Refusals: the router's own, and a UserError raised deep in a service.
    refused = _shown(bot, bot.command(mentee.id, group.channel_id, "group list"))
    assert refused == (
        "Beklager, `/mentor group list` er kun for koordinatorer. "
        "Skriv `/mentor help` for at se, hvad du kan."
    )
    unknown = _shown(bot, bot.command(COORDINATOR, admin, f'group add <@{mentee.id}> group="Blå"'))
    assert (
        unknown
        == "Der er ingen gruppe, der hedder “Blå”, i dette semester; se `/mentor group list`."
    )
    too_long = _shown(bot, bot.command(mentee.id, group.channel_id, "themes " + "x" * 4000))
    assert "Det er for langt til en kommando (4007 tegn; højst 4000)." in too_long

    # Plurals and dates: the group list and the term line.
    listing = _shown(bot, bot.command(COORDINATOR, admin, "group list"))
    assert "1 gruppe i Efterår 2026" in listing
    assert "3 mentees" in listing
    assert "1 gruppe." in listing
    term = _shown(bot, bot.command(COORDINATOR, admin, "term"))
    assert term == (
        "Nuværende semester: *Efterår 2026*: 1. sep. 2026 – 31. jan. 2027, mindst 3 møder "
        "pr. gruppe, tider i Europe/Copenhagen, Dansk."
    )


def test_someone_who_chose_english_reads_english_in_a_danish_term(bot: BotUnderTest) -> None:
    group, _, _ = _scheme(bot, "da")
    mentee = group.mentees[0]
    choose_language(bot.runtime, mentee.id, "en")

    shown = _shown(bot, bot.command(mentee.id, group.channel_id, "help"))
    assert "Mentor groups: what you can do" in shown
    assert "`/mentor help`  Show the commands you can use." in shown
    assert "Mentorgrupper" not in shown
    refused = _shown(bot, bot.command(mentee.id, group.channel_id, "certify"))
    assert refused == (
        "Sorry, `/mentor certify` is for coordinators only. "
        "Type `/mentor help` to see what you can do."
    )
    # The channel stays the term's: someone else in it still reads Danish.
    other = _shown(bot, bot.command(group.mentees[1].id, group.channel_id, "help"))
    assert "Mentorgrupper: det kan du" in other


def test_the_join_offer_and_the_mentors_question_in_their_readers_languages(
    bot: BotUnderTest,
) -> None:
    group, _, _ = _scheme(bot, "da")
    choose_language(bot.runtime, group.mentor.id, "de")
    newcomer: User = bot.slack.add_user("eve")
    bot.event(bot.slack.user_adds(newcomer.id, group.channel_id, by=group.mentees[0].id))
    [offer] = [
        e for e in bot.slack.ephemerals_for(newcomer.id) if JOIN_GROUP in json.dumps(e.blocks)
    ]
    offered = "\n".join([offer.text, *_texts(offer.blocks)])
    assert "Vil du være med i gruppen som mentee?" in offered
    assert "Spørg om at være med" in offered
    assert_no_english(offered, allowed=("Annas gruppe",), language="da")

    asked = _shown(
        bot,
        bot.click(newcomer.id, message=(group.channel_id, offer.message_ts), action_id=JOIN_GROUP),
    )
    assert asked == "Jeg har spurgt mentoren for Annas gruppe, om du må være med; du får svar her."
    [question] = bot.slack.dm_messages_to(group.mentor.id)
    words = "\n".join([question.text, *_texts(question.blocks)])
    assert "möchte deiner Mentoringgruppe Annas gruppe als Mentee beitreten" in words
    assert "Aufnehmen" in words


SAMPLES = {
    "de": (
        "„Gruppe von Anna“ ist gebildet, mit eigenem privaten Channel",
        "Mentoringgruppen: was du tun kannst",
        "Sorry, `/mentor group list` ist nur für die Koordination.",
        "3 Mentees",
        "Willkommen bei „Gruppe von Anna“",
    ),
    "pt": (
        "Criado o grupo «Grupo de Anna» com o canal privado",
        "Grupos de mentoria: o que podes fazer",
        "Desculpa, `/mentor group list` é só para a coordenação.",
        "3 mentorandos",
        "Bem-vindos a «Grupo de Anna»",
    ),
    "pl": (
        "Utworzono grupę „Grupa Anna” z prywatnym kanałem",
        "Grupy mentorskie: co możesz zrobić",
        "Przepraszam, `/mentor group list` jest tylko dla koordynatorów.",
        "3 osoby mentorowane",
        "Witajcie w grupie „Grupa Anna”",
    ),
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_a_sample_of_surfaces_in_german_portuguese_and_polish(
    bot: BotUnderTest, language: str
) -> None:
    formed_words, help_header, refusal, mentees, welcome_words = SAMPLES[language]
    group, admin, formed = _scheme(bot, language)
    assert formed_words in formed
    shown = _shown(bot, bot.command(group.mentees[0].id, group.channel_id, "help"))
    assert help_header in shown
    assert_no_english(shown, allowed=COMMAND_WORDS, language=language)
    assert refusal in _shown(bot, bot.command(group.mentees[0].id, group.channel_id, "group list"))
    assert mentees in _shown(bot, bot.command(COORDINATOR, admin, "group list"))
    welcome = _welcome(bot, group)
    assert welcome_words in welcome
    assert_no_english(welcome, allowed=(group_name(language), *COMMAND_WORDS), language=language)


def group_name(language: str) -> str:
    return {"de": "Gruppe von Anna", "pt": "Grupo de Anna", "pl": "Grupa Anna"}[language]


def test_the_slow_down_answer_counts_minutes_as_each_language_does() -> None:
    """The flood refusal is raised deep in a service and said by the router in the reader's
    language; Polish takes three forms of "minute"."""
    window = LIMITS[StoringAction.START_POLL].per
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    said = {
        minutes: slow_down_message(
            StoringAction.START_POLL, now=start + window - timedelta(minutes=minutes)
        ).say(translator("pl"))
        for minutes in (1, 3, 5, 22)
    }
    assert said[1].endswith("Spróbuj ponownie za 1 minutę.")
    assert said[3].endswith("Spróbuj ponownie za 3 minuty.")
    assert said[5].endswith("Spróbuj ponownie za 5 minut.")
    assert said[22].endswith("Spróbuj ponownie za 22 minuty.")
    danish = slow_down_message(StoringAction.LOG_MEETING, now=start).say(translator("da"))
    assert danish.startswith("Skru lidt ned for tempoet: du har registreret møder 20 gange")
