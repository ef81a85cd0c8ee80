"""The welcome message counts meetings in English: "at least once", "2 times", "3 times"."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.blocks.welcome import welcome_blocks
from bot.i18n import translator


@pytest.mark.parametrize(("minimum", "says"), [(1, "once"), (2, "2 times"), (3, "3 times")])
def test_the_ground_rules_count_meetings_in_english(minimum: int, says: str) -> None:
    blocks = welcome_blocks(
        translator("en"),
        group_id=1,
        group_name="Maple",
        mentor_id="U1",
        mentee_ids=["U2"],
        term_name="Spring",
        term_ends_on=date(2027, 6, 30),
        min_meetings=minimum,
    )
    text = json.dumps([b.to_dict() for b in blocks])
    assert f"at least *{says}* this term" in text
