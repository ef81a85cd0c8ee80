"""Which themes a group is offered next."""

from __future__ import annotations

from bot.domain.themes import (
    DEFAULT_CATALOGUE,
    ThemeChoice,
    closest_theme,
    find_theme,
    pick_suggestions,
    theme_key,
    unknown_theme,
)

NAMES = ["Motivation", "Balance between study and private life", "Études à l'étranger"]


def _theme(theme_id: int, *, covered: int = 0, own: bool = False) -> ThemeChoice:
    return ThemeChoice(
        theme_id, f"Theme {theme_id}", ("?",), suggested_by_group=own, times_covered=covered
    )


def test_catalogue_covers_the_schemes_themes_with_prompts() -> None:
    names = [seed.name for seed in DEFAULT_CATALOGUE]
    assert names[0] == "Motivation"
    assert "Prioritisation and time management" in names
    assert len(names) == 6
    assert all(2 <= len(seed.prompts) <= 3 for seed in DEFAULT_CATALOGUE)


def test_own_suggestions_first_then_uncovered_then_least_covered() -> None:
    themes = [_theme(1, covered=1), _theme(2), _theme(3, covered=2), _theme(4, own=True), _theme(5)]
    assert [t.theme_id for t in pick_suggestions(themes)] == [4, 2, 5]
    assert [t.theme_id for t in pick_suggestions(themes, count=5)] == [4, 2, 5, 1, 3]


def test_a_covered_own_suggestion_no_longer_jumps_the_queue() -> None:
    themes = [_theme(1), _theme(2, own=True, covered=1), _theme(3)]
    assert [t.theme_id for t in pick_suggestions(themes)] == [1, 3, 2]


def test_theme_names_match_without_case_accents_or_extra_spaces() -> None:
    assert theme_key("  Études   À l'ÉTRANGER ") == "etudes a l'etranger"
    assert find_theme("motivation", NAMES) == 0
    assert find_theme("MOTIVATION", NAMES) == 0
    assert find_theme("etudes a l'etranger", NAMES) == 2


def test_the_start_of_a_name_is_enough() -> None:
    assert find_theme("balance", NAMES) == 1
    assert find_theme("Motiv", NAMES) == 0
    assert find_theme("etud", NAMES) == 2


def test_nothing_typed_or_unknown_finds_nothing() -> None:
    assert find_theme("", NAMES) is None
    assert find_theme("   ", NAMES) is None
    assert find_theme("friendship", NAMES) is None


def test_a_close_name_is_suggested_never_picked() -> None:
    assert find_theme("motivaton", NAMES) is None
    assert closest_theme("motivaton", NAMES) == "Motivation"
    assert closest_theme("Motivatoin", NAMES) == "Motivation"
    assert closest_theme("friendship", NAMES) is None
    assert closest_theme("", NAMES) is None


def test_an_unknown_theme_is_answered_with_the_close_one_or_the_list() -> None:
    assert unknown_theme("motivaton", NAMES) == "No theme “motivaton” — did you mean Motivation?"
    assert unknown_theme("friendship", NAMES).startswith(
        "I don't know the theme “friendship”. Themes: Motiv"
    )
