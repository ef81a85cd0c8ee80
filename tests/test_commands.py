"""Splitting `/mentor` text, and the catalogue that help and permissions share."""

from __future__ import annotations

import pytest

from bot.domain.commands import (
    CATALOGUE,
    CommandTextError,
    commands_for,
    commands_others_use,
    split_command_text,
)
from bot.domain.roles import Role, role_label


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ()),
        ("   help  ", ("help",)),
        ('term new "Spring 2027" 2027-02-01', ("term", "new", "Spring 2027", "2027-02-01")),
        ("term new “Spring 2027” min=3", ("term", "new", "Spring 2027", "min=3")),
        ("themes suggest don't panic", ("themes", "suggest", "don't", "panic")),
        ("group create <@U1> <@U2|bob>", ("group", "create", "<@U1>", "<@U2|bob>")),
        ("poll\u00a0thu 16:00", ("poll", "thu", "16:00")),
    ],
)
def test_split(text: str, words: tuple[str, ...]) -> None:
    assert split_command_text(text).words == words


def test_unclosed_quote_says_what_to_do() -> None:
    with pytest.raises(CommandTextError, match="quote is not closed"):
        split_command_text('term new "Spring 2027')


def test_name_is_case_insensitive() -> None:
    assert split_command_text("HELP me").name == "help"


def test_everyone_sees_help() -> None:
    assert "help" in [spec.name for spec in commands_for([Role.MEMBER])]


def test_coordinator_only_commands_are_hidden_from_others() -> None:
    coordinator_only = {s.name for s in CATALOGUE if s.roles == frozenset({Role.COORDINATOR})}
    member_view = {s.name for s in commands_for([Role.MEMBER, Role.MENTEE])}
    assert not coordinator_only & member_view
    assert coordinator_only <= {s.name for s in commands_for([Role.COORDINATOR])}


def test_a_coordinator_is_told_what_mentors_and_mentees_use() -> None:
    others = {s.name for s in commands_others_use([Role.COORDINATOR])}
    assert {"poll", "log", "status", "themes"} <= others
    assert not others & {s.name for s in commands_for([Role.COORDINATOR])}
    # A coordinator who also mentors has those commands in their own list already.
    assert "poll" not in {s.name for s in commands_others_use([Role.COORDINATOR, Role.MENTOR])}
    assert commands_others_use([Role.MENTOR]) == []
    assert commands_others_use([Role.MENTEE, Role.MEMBER]) == []


def test_role_label_prefers_the_strongest_role() -> None:
    assert role_label(frozenset({Role.MEMBER, Role.MENTOR, Role.COORDINATOR})) == "coordinator"
    assert role_label(frozenset({Role.MEMBER})) == "member"


def test_echoes_of_user_text_are_short_and_safe() -> None:
    from bot.domain.text import shorten

    assert shorten("x" * 5000) == "x" * 59 + "…"
    assert shorten("a `b`\n c") == "a 'b' c"


def test_control_characters_are_removed_before_anything_is_stored() -> None:
    from bot.domain.text import clean

    assert (
        clean("themes suggest \x00Friend\x07ship\tand\nmore")
        == "themes suggest Friendship\tand\nmore"
    )
    assert split_command_text("themes suggest \x00x").words == ("themes", "suggest", "x")


def test_text_slack_escaped_is_read_as_typed_and_picked_markup_is_kept() -> None:
    # Slack sends typed `&`, `<`, `>` as entities (should_escape) and picked mentions as markup.
    text = split_command_text("themes suggest Study &amp; life &lt;!channel&gt; <@U123|ada>")
    assert text.words == ("themes", "suggest", "Study", "&", "life", "<!channel>", "<@U123|ada>")
    assert split_command_text("&amp;lt;").words == ("&lt;",)
