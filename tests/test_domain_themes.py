"""Which themes a group is offered next."""

from __future__ import annotations

from bot.domain.themes import (
    DEFAULT_CATALOGUE,
    ThemeChoice,
    closest_theme,
    default_themes,
    find_theme,
    in_language,
    pick_suggestions,
    theme_key,
    unknown_theme,
)
from bot.i18n import translator

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
    assert str(unknown_theme("motivaton", NAMES)) == (
        "No theme “motivaton” — did you mean Motivation?"
    )
    assert str(unknown_theme("friendship", NAMES)).startswith(
        "I don't know the theme “friendship”. Themes: Motiv"
    )
    danish = [seed.name for seed in default_themes("da")]
    assert (
        unknown_theme("venskab", danish)
        .say(translator("da"))
        .startswith("Jeg kender ikke temaet “venskab”. Temaer: Motivation, Balance mellem")
    )


def test_each_language_has_its_own_catalogue_slot_by_slot() -> None:
    danish = [seed.name for seed in default_themes("da")]
    assert danish[:3] == [
        "Motivation",
        "Balance mellem studieliv og privatliv",
        "Prioritering og tidsstyring",
    ]
    assert default_themes("pl")[0].name == "Motywacja"
    assert default_themes("pt")[0].name == "Motivação"
    assert default_themes("de")[1].name == "Balance zwischen Studium und Privatleben"
    for language in ("en", "da", "de", "pt", "pl"):
        catalogue = default_themes(language)
        assert len(catalogue) == len(DEFAULT_CATALOGUE)
        assert all(2 <= len(seed.prompts) <= 3 for seed in catalogue)
    # The prompts are each language's own, not the English ones.
    assert default_themes("da")[0].prompts[2] == "Hvad giver dig energi i en hård uge?"


def test_a_default_theme_is_shown_in_the_terms_language_any_other_as_typed() -> None:
    stored = DEFAULT_CATALOGUE[2]
    shown = in_language(stored.name, stored.prompts, "da")
    assert shown.name == "Prioritering og tidsstyring"
    assert shown.prompts[0].startswith("Hvordan planlægger du en uge")
    assert in_language(stored.name, stored.prompts, "en") == stored
    own = in_language("Venskab", ("Hvem læser du med?",), "da")
    assert (own.name, own.prompts) == ("Venskab", ("Hvem læser du med?",))


def test_danish_and_polish_letters_match_as_people_type_them() -> None:
    danish = [seed.name for seed in default_themes("da")]
    polish = [seed.name for seed in default_themes("pl")]
    assert find_theme("sadan studerer", danish) == 3
    assert find_theme("at hore til", danish) == 5
    assert find_theme("AT HØRE TIL", danish) == 5
    assert find_theme("balance mellem studieliv og privatliv", danish) == 1
    assert find_theme("rownowaga", polish) == 1
    assert find_theme("przynaleznosc", polish) == 5
    assert find_theme("Równowaga między", polish) == 1
    assert closest_theme("motywacia", polish) == "Motywacja"
    assert theme_key("Łódź Ærø") == "lodz aero"
