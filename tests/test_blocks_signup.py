"""The sign-up builders stay inside Slack's limits in every language, with the longest
content people and coordinators can give (a long theme catalogue, every field at its
limit), as Slack's own checks (the fake's) read them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.blocks.signup import (
    join_button,
    notice_modal,
    role_modal,
    signed_up_modal,
    signed_up_text,
    signup_modal,
    signup_summary_blocks,
    summary_modal,
)
from bot.domain.limits import MAX_PROGRAMME, MAX_SIGNUP_NOTE, MAX_THEME_NAME, MAX_YEAR
from bot.domain.signup import SLOTS, Signup
from bot.i18n import LANGUAGES, translator
from bot.sandbox.fakeslack.blockkit import message_block_problems, view_problems

THEMES = [(str(n), f"{n:03d} " + "Belonging and finding your people " * 4) for n in range(150)]
LONGEST = Signup(
    programme="P" * MAX_PROGRAMME,
    year="Y" * MAX_YEAR,
    languages=("da", "en", "de", "pt", "pl", "uk", "ar"),
    themes=tuple(name[:MAX_THEME_NAME] for _, name in THEMES[:15]),
    slots=SLOTS,
    preferred_mentor="U0123456789",
    friend="U0987654321",
    note="<!channel> & *bold* " * (MAX_SIGNUP_NOTE // 20),
    capacity=3,
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_the_forms_fit_slacks_limits(language: str, role: str) -> None:
    t = translator(language)
    themes = [(value, name[:MAX_THEME_NAME]) for value, name in THEMES]
    for current in (None, LONGEST):
        for late in (False, True):
            view = signup_modal(
                t, role=role, metadata="1:" + role, themes=themes, current=current, late=late
            )
            assert view_problems(view.to_dict()) == []
    assert view_problems(role_modal(t, late=True).to_dict()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_up_and_the_answers_fit(language: str) -> None:
    t = translator(language)
    for role in ("mentor", "mentee"):
        for can_change in (True, False):
            blocks = signup_summary_blocks(
                t,
                role=role,
                signup=LONGEST,
                signed_up_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
                can_change=can_change,
                certified=False,
            )
            assert message_block_problems([b.to_dict() for b in blocks]) == []
            assert view_problems(summary_modal(t, blocks).to_dict()) == []
        text = signed_up_text(t, role=role, late=True, changed=False, uncertified_mentor=True)
        assert view_problems(signed_up_modal(t, text).to_dict()) == []
    assert view_problems(notice_modal(t, "x" * 5000).to_dict()) == []
    assert message_block_problems([join_button(t).to_dict()]) == []
