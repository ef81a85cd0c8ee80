"""The theme catalogue and suggestions for a group."""

from __future__ import annotations

from bot.blocks.meetings import SuggestedTheme
from bot.domain.errors import UserError
from bot.domain.flood import StoringAction
from bot.domain.limits import MAX_THEME_NAME, MAX_THEME_PROMPT, MAX_THEME_PROMPTS, too_long
from bot.domain.said import number_said
from bot.domain.themes import (
    DEFAULT_CATALOGUE,
    ThemeChoice,
    ThemeSeed,
    find_theme,
    in_language,
    pick_suggestions,
    unknown_theme,
)
from bot.i18n import Phrase, phrase
from bot.runtime import Runtime
from bot.services.flood import check_flood
from bot.services.group_context import GroupContext
from storage.db import read_session, write_session
from storage.ids import stored_id
from storage.meetings import (
    add_theme,
    catalogue_theme_named,
    catalogue_themes,
    ensure_catalogue,
    set_theme_active,
    themes_for_group,
)
from storage.models import Theme


def seed_default_themes(runtime: Runtime) -> None:
    with write_session(runtime.engine) as session:
        ensure_catalogue(
            session,
            [(seed.name, "\n".join(seed.prompts)) for seed in DEFAULT_CATALOGUE],
            now=runtime.now(),
        )


def _split_theme_text(text: str) -> tuple[str, str]:
    """ "Name | prompt one; prompt two" → name and prompts (one per line)."""
    name, _, prompts = text.partition("|")
    name = " ".join(name.split())
    if not name:
        raise UserError(
            phrase("Give the theme a name, e.g. `Friendship | Who do you study with?`.")
        )
    if too_long(name, MAX_THEME_NAME):
        raise UserError(
            phrase(
                "A theme's name can be at most {limit} characters (yours has {length}); "
                "give it a short name and put the rest in prompts after `|`.",
                limit=number_said(MAX_THEME_NAME),
                length=number_said(len(name)),
            )
        )
    lines = [" ".join(p.split()) for p in prompts.split(";") if p.strip()]
    for number, line in enumerate(lines, start=1):
        if too_long(line, MAX_THEME_PROMPT):
            raise UserError(
                phrase(
                    "Prompt {number} can be at most {limit} characters (yours has {length}); "
                    "split it into shorter questions separated by `;`.",
                    number=number,
                    limit=number_said(MAX_THEME_PROMPT),
                    length=number_said(len(line)),
                )
            )
    joined = "\n".join(lines)
    if too_long(joined, MAX_THEME_PROMPTS):
        raise UserError(
            phrase(
                "A theme's prompts together can be at most {limit} characters "
                "(yours have {length}); keep the few best questions.",
                limit=number_said(MAX_THEME_PROMPTS),
                length=number_said(len(joined)),
            )
        )
    return name, joined


def add_catalogue_theme(runtime: Runtime, *, text: str, user_id: str, language: str) -> Phrase:
    """A coordinator's theme for every group; the answer names it as `language` shows it."""
    name, prompts = _split_theme_text(text)
    with write_session(runtime.engine) as session:
        existing = catalogue_theme_named(session, name)
        if existing is not None:
            shown = _shown_name(existing, language)
            if existing.active:
                return phrase("“{name}” is already in the catalogue.", name=shown)
            set_theme_active(session, existing, active=True)
            return phrase("“{name}” is back in the catalogue.", name=shown)
        add_theme(
            session,
            name=name,
            prompts=prompts,
            group_id=None,
            suggested_by=user_id,
            now=runtime.now(),
        )
    return phrase("Added “{name}” to the theme catalogue.", name=name)


def retire_catalogue_theme(runtime: Runtime, *, name: str, language: str) -> Phrase:
    """Stop suggesting a catalogue theme, named as `language` shows it (or as stored)."""
    with write_session(runtime.engine) as session:
        themes = catalogue_themes(session)
        shown = [_shown_name(theme, language) for theme in themes]
        found = find_theme(name, shown)
        if found is None:
            found = find_theme(name, [theme.name for theme in themes])
        if found is None:
            raise UserError(unknown_theme(name, shown))
        theme = themes[found]
        if not theme.active:
            return phrase("“{name}” was already retired.", name=shown[found])
        set_theme_active(session, theme, active=False)
    return phrase(
        "Retired “{name}”: it is no longer suggested (meetings keep it).", name=shown[found]
    )


def suggest_group_theme(
    runtime: Runtime, context: GroupContext, *, text: str, user_id: str
) -> Phrase:
    name, prompts = _split_theme_text(text)
    check_flood(runtime, user_id=user_id, action=StoringAction.SUGGEST_THEME)
    with write_session(runtime.engine) as session:
        added = add_theme(
            session,
            name=name,
            prompts=prompts,
            group_id=context.group_id,
            suggested_by=user_id,
            now=runtime.now(),
        )
    if not added:
        return phrase("Your group already has the idea “{name}”.", name=name)
    return phrase("Thanks! “{name}” will be suggested to your group first.", name=name)


def _prompts(theme: Theme) -> tuple[str, ...]:
    return tuple(line for line in theme.prompts.splitlines() if line)


def _shown_name(theme: Theme, language: str) -> str:
    return in_language(theme.name, _prompts(theme), language).name


def shown_theme(theme: Theme, language: str) -> ThemeSeed:
    """A stored theme in `language`'s words: a default theme as that language writes it."""
    return in_language(theme.name, _prompts(theme), language)


def suggestions_for(
    runtime: Runtime, context: GroupContext, *, language: str | None = None
) -> list[SuggestedTheme]:
    """The next themes for the group, in `language` (the term's unless said)."""
    with read_session(runtime.engine) as session:
        themes: list[tuple[Theme, int]] = themes_for_group(session, context.group_id)
    language = language or context.t.language
    choices = [
        ThemeChoice(
            theme_id=stored_id(theme),
            name=shown.name,
            prompts=shown.prompts,
            suggested_by_group=theme.group_id is not None,
            times_covered=times,
        )
        for theme, times in themes
        for shown in (shown_theme(theme, language),)
    ]
    return [
        SuggestedTheme(name=c.name, prompts=c.prompts, own=c.suggested_by_group)
        for c in pick_suggestions(choices)
    ]
