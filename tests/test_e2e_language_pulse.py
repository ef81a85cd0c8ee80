"""The belonging check-in in each term language: the DM's statements, scale and buttons in
German, Portuguese and Polish, with no English left; the coordinator's digest of a Danish
term words the results in Danish."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from bot.jobs import digest_job, pulse_job
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest
from tests.support.language import assert_no_english
from tests.test_e2e_pulse import CPH, START, _check_ins, _form_groups, at

WORDS = {
    "de": ("Stimme voll zu", "Diesmal überspringen", "Zugehörigkeit"),
    "pt": ("Concordo totalmente", "Saltar desta vez", "pertença"),
    "pl": ("Zdecydowanie się zgadzam", "Pomiń tym razem", "przynależności"),
    "da": ("Helt enig", "Spring over denne gang", "høre til"),
}


def _texts(blocks: list[dict]) -> list[str]:
    found = []
    for block in blocks:
        for part in [block.get("text"), *block.get("elements", [])]:
            if isinstance(part, dict):
                inner = part.get("text")
                found.append(inner.get("text", "") if isinstance(inner, dict) else inner or "")
    return found


@pytest.mark.parametrize("language", ["de", "pt", "pl", "da"])
def test_the_check_in_and_its_results_in_the_terms_language(
    bot: BotUnderTest, language: str
) -> None:
    [(mentor, mentees)] = _form_groups(
        bot,
        f'term new "T {language}" 2026-11-20 2027-03-19 tz=Europe/Copenhagen lang={language}',
        1,
    )
    assert pulse_job(at(bot, START), bot.client) == "sent 4 check-ins"
    agree, skip, heading = WORDS[language]
    for person in (mentor, *mentees):
        [dm] = _check_ins(bot, person.id)
        shown = json.dumps(dm.blocks, ensure_ascii=False)
        assert agree in shown
        assert skip in shown
        for text in [dm.text, *_texts(dm.blocks)]:
            assert_no_english(text, language=language)
    assert digest_job(at(bot, datetime(2026, 11, 30, 8, 30, tzinfo=CPH)), bot.client) == (
        "sent 1 digest"
    )
    digest = json.dumps(bot.slack.dm_messages_to(COORDINATOR)[-1].blocks, ensure_ascii=False)
    assert heading in digest
