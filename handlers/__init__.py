"""Slack listeners: thin adapters from Slack payloads to services and back.

Every listener and follow-up is a plain module-level function; each module lists what it
offers (`COMMANDS`, `ACTIONS`, `VIEWS`, `EVENTS`, `DEFERRED_CLICKS`, `FOLLOW_UPS`), and
`LISTENERS` below is the one table of them all. Importing any of it registers nothing: the
composition root (`mentorbot`) hands `LISTENERS` to `bot.app.create_app` and to the
worker.
"""

from __future__ import annotations

from bot.wiring import Listeners, table
from handlers import actions, commands, errors, events, middleware, views

LISTENERS = Listeners(
    middleware=middleware.MIDDLEWARE,
    error_handler=errors.on_error,
    # Bolt tries the listeners in this order for every request (see `Listeners`): the
    # busiest first (`/mentor`, votes, the forms), the rare ones after.
    commands=table(commands.COMMANDS),
    actions=actions.ACTIONS,
    views=views.VIEWS,
    deferred_clicks=actions.DEFERRED_CLICKS,
    events=events.EVENTS,
    follow_ups=table(commands.FOLLOW_UPS, actions.FOLLOW_UPS, views.FOLLOW_UPS, events.FOLLOW_UPS),
)
