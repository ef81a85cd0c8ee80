"""The table of what `handlers/` offers, and how a listener finds the runtime.

`handlers/` describes every listener and follow-up it has as one `Listeners` value
(`handlers.LISTENERS`), built from plain module-level functions; importing a module
registers nothing. The composition root (`mentorbot`) hands that value to whoever starts
the app (`bot.app.create_app` registers the listeners on Bolt) or the worker (which runs the
follow-ups). Listeners get the `Runtime` through Bolt's `context`, put there by one
middleware that `create_app` installs first: `runtime_of(context)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from slack_bolt import Ack, BoltContext, BoltResponse

from bot.followups import FollowUps, defer
from bot.runtime import Runtime

K = TypeVar("K")
V = TypeVar("V")

Listener = Callable[..., Any]
"""A Bolt listener, middleware or error handler: Bolt passes the arguments it names."""
ActionMatcher = str | re.Pattern[str]

RUNTIME = "runtime"
"""The key of the `Runtime` in Bolt's context."""


@dataclass(frozen=True)
class Listeners:
    """Everything `handlers/` offers. `create_app` registers the listeners in the order of
    these fields and, within each, of the table: Bolt tries them in that order for every
    request, so the busiest come first (`/mentor`, votes, the forms), the rare ones after."""

    middleware: tuple[Listener, ...]
    """Run before every listener, in this order (after the one that sets the runtime)."""
    error_handler: Listener
    """The one place an error that escaped a listener is logged and answered."""
    commands: Mapping[str, Listener]
    """Slash command → listener."""
    actions: Mapping[ActionMatcher, Listener]
    """action_id (or a pattern of them) → listener, for clicks done before the ack."""
    views: Mapping[str, Listener]
    """Modal callback_id → listener for its submission."""
    deferred_clicks: Mapping[str, str]
    """action_id → follow-up kind, for buttons whose whole work is a follow-up: stored and
    acknowledged by one listener (`store_deferred_click`)."""
    events: Mapping[str, Listener]
    """Events API type → listener."""
    follow_ups: FollowUps
    """Follow-up kind → the function the worker runs for it."""


def table(*parts: Mapping[K, V]) -> Mapping[K, V]:
    """One read-only table from several (in their order); a key in two is a mistake."""
    merged: dict[K, V] = {}
    for part in parts:
        for key, value in part.items():
            if key in merged:
                raise ValueError(f"{key!r} is offered twice")
            merged[key] = value
    return MappingProxyType(merged)


def runtime_of(context: BoltContext) -> Runtime:
    """The runtime `create_app` put into the request's context."""
    runtime = context.get(RUNTIME)
    if not isinstance(runtime, Runtime):
        raise RuntimeError("the app was built without a runtime (use bot.app.create_app)")
    return runtime


def with_runtime(runtime: Runtime) -> Listener:
    """The middleware that gives every listener the runtime through Bolt's context."""

    def put_runtime(context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        context[RUNTIME] = runtime
        next()
        return None

    return put_runtime


def deferred_click_pattern(kinds: Mapping[str, str]) -> re.Pattern[str]:
    """One pattern for every button in `kinds`: one listener for them all, as Bolt tries
    its listeners one by one for every request."""
    return re.compile("^(?:" + "|".join(re.escape(action_id) for action_id in kinds) + ")$")


def store_deferred_click(kinds: Mapping[str, str]) -> Listener:
    """The listener for buttons whose whole work is a follow-up: `kinds` maps each button's
    action_id to the follow-up's kind. The click is stored, then acknowledged."""

    def store_and_acknowledge(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        defer(runtime_of(context), kinds[action["action_id"]], body)
        ack()

    return store_and_acknowledge
