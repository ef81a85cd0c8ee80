"""Which themes a group is offered next."""

from __future__ import annotations

from bot.domain.themes import DEFAULT_CATALOGUE, ThemeChoice, pick_suggestions


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
