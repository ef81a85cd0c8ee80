"""The theme catalogue and suggestions for a group."""

from __future__ import annotations

from bot.blocks.meetings import SuggestedTheme
from bot.blocks.text import Mrkdwn, md
from bot.domain.errors import UserError
from bot.domain.flood import StoringAction
from bot.domain.limits import MAX_THEME_NAME, MAX_THEME_PROMPT, MAX_THEME_PROMPTS, check_length
from bot.domain.themes import (
    DEFAULT_CATALOGUE,
    ThemeChoice,
    find_theme,
    pick_suggestions,
    unknown_theme,
)
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
        raise UserError("Give the theme a name, e.g. `Friendship | Who do you study with?`.")
    check_length(
        name,
        MAX_THEME_NAME,
        what="A theme's name",
        instead="give it a short name and put the rest in prompts after `|`.",
    )
    lines = [" ".join(p.split()) for p in prompts.split(";") if p.strip()]
    for number, line in enumerate(lines, start=1):
        check_length(
            line,
            MAX_THEME_PROMPT,
            what=f"Prompt {number}",
            instead="split it into shorter questions separated by `;`.",
        )
    joined = "\n".join(lines)
    check_length(
        joined,
        MAX_THEME_PROMPTS,
        what="A theme's prompts together",
        instead="keep the few best questions.",
    )
    return name, joined


def add_catalogue_theme(runtime: Runtime, *, text: str, user_id: str) -> Mrkdwn:
    name, prompts = _split_theme_text(text)
    with write_session(runtime.engine) as session:
        existing = catalogue_theme_named(session, name)
        if existing is not None:
            if existing.active:
                return md("“{name}” is already in the catalogue.", name=existing.name)
            set_theme_active(session, existing, active=True)
            return md("“{name}” is back in the catalogue.", name=existing.name)
        add_theme(
            session,
            name=name,
            prompts=prompts,
            group_id=None,
            suggested_by=user_id,
            now=runtime.now(),
        )
    return md("Added “{name}” to the theme catalogue.", name=name)


def retire_catalogue_theme(runtime: Runtime, *, name: str) -> Mrkdwn:
    with write_session(runtime.engine) as session:
        themes = catalogue_themes(session)
        found = find_theme(name, [theme.name for theme in themes])
        if found is None:
            raise UserError(md("{answer}", answer=unknown_theme(name, [t.name for t in themes])))
        theme = themes[found]
        if not theme.active:
            return md("“{name}” was already retired.", name=theme.name)
        set_theme_active(session, theme, active=False)
    return md("Retired “{name}”: it is no longer suggested (meetings keep it).", name=theme.name)


def suggest_group_theme(
    runtime: Runtime, context: GroupContext, *, text: str, user_id: str
) -> Mrkdwn:
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
        return md("Your group already has the idea “{name}”.", name=name)
    return md("Thanks! “{name}” will be suggested to your group first.", name=name)


def suggestions_for(runtime: Runtime, context: GroupContext) -> list[SuggestedTheme]:
    with read_session(runtime.engine) as session:
        themes: list[tuple[Theme, int]] = themes_for_group(session, context.group_id)
    choices = [
        ThemeChoice(
            theme_id=stored_id(theme),
            name=theme.name,
            prompts=tuple(line for line in theme.prompts.splitlines() if line),
            suggested_by_group=theme.group_id is not None,
            times_covered=times,
        )
        for theme, times in themes
    ]
    return [
        SuggestedTheme(name=c.name, prompts=c.prompts, own=c.suggested_by_group)
        for c in pick_suggestions(choices)
    ]
