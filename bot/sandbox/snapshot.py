"""What the page shows a person: their sidebar, one conversation with its messages (theirs
and the ephemerals only they see), the app's Home tab, their open modal, and the clock, as
one JSON document the page redraws from.

Messages carry the bot's Block Kit as it was sent; the page renders it. Times are given as
labels in the viewer's own time zone, as Slack's client shows them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox import fake
from bot.sandbox.app import ActionRefused, Sandbox

APP_NAME = "Mentorbot"


def snapshot(sandbox: Sandbox, user_id: str, conversation_id: str | None) -> dict[str, Any]:
    """What `user_id` sees (nobody given: the sandbox's first person) with the conversation
    open (none, or one they cannot see: where they would land)."""
    user_id = user_id or sandbox.first_person
    me = sandbox.person(user_id)
    zone = ZoneInfo(me.tz)
    slack = sandbox.slack
    app_dm = sandbox.app_dm(user_id)
    channels = fake.conversations_of(slack, user_id)
    visible = {c.id for c in channels} | {app_dm.id}
    if conversation_id not in visible:
        conversation_id = _first_look(sandbox, user_id, channels, app_dm)
    current = slack.channel(conversation_id) if conversation_id else app_dm
    home = slack.home_view(user_id)
    modals = slack.open_views(user_id)
    return {
        "version": sandbox.version,
        **_clock_and_term(sandbox),
        "me": user_id,
        "people": [
            {
                "id": person.id,
                "name": person.real_name,
                "handle": person.name,
                "role": sandbox.roles.get(person.id, ""),
            }
            for person in fake.people_of(slack)
        ],
        "names": fake.names_of(slack),
        "channel_names": fake.channel_names(slack),
        "sidebar": _sidebar(sandbox, user_id, channels, app_dm),
        "conversation": {
            "id": current.id,
            "kind": "app" if current.is_im else "channel",
            "name": APP_NAME if current.is_im else current.name,
            "private": current.is_private,
            "purpose": current.purpose.value,
            "members": len([m for m in current.members if m != slack.bot_user_id]),
            "messages": _messages(sandbox, user_id, current.id, zone),
        },
        "home": None if home is None else _view(home, zone),
        "modal": _view(modals[-1], zone) if modals else None,
    }


def _clock_and_term(sandbox: Sandbox) -> dict[str, Any]:
    """The sandbox's time, shown in the term's zone, and the term."""
    term = sandbox.term()
    now = sandbox.now()
    term_zone = sandbox.term_zone()
    return {
        "now": {
            "iso": now.isoformat(),
            "label": f"{now.astimezone(term_zone):%a %d %b %Y, %H:%M}",
            "zone": str(term_zone),
        },
        "term": None
        if term is None
        else {"name": term.name, "ends": f"{term.ends_on:%d %b %Y}", "min": term.min_meetings},
    }


def _sidebar(
    sandbox: Sandbox, user_id: str, channels: list[fake.Channel], app_dm: fake.Channel
) -> dict[str, Any]:
    """The person's channels and the app, each with how many messages they see in it."""
    slack = sandbox.slack
    counts = {
        c.id: len(slack.messages_in(c.id)) + len(_ephemerals(sandbox, user_id, c.id))
        for c in (*channels, app_dm)
    }
    return {
        "channels": [
            {"id": c.id, "name": c.name, "private": c.is_private, "count": counts[c.id]}
            for c in channels
        ],
        "apps": [{"id": app_dm.id, "name": APP_NAME, "count": counts[app_dm.id]}],
    }


def _first_look(
    sandbox: Sandbox, user_id: str, channels: list[fake.Channel], app_dm: fake.Channel
) -> str:
    """Where a person lands: their group's channel, else what the bot told them, else the
    first channel they are in."""
    private = [c for c in channels if c.is_private]
    if private:
        return private[0].id
    told = sandbox.slack.messages_in(app_dm.id) or _ephemerals(sandbox, user_id, app_dm.id)
    if told or not channels:
        return app_dm.id
    return channels[0].id


def _ephemerals(sandbox: Sandbox, user_id: str, channel_id: str) -> list[fake.Ephemeral]:
    return [e for e in sandbox.slack.ephemerals_for(user_id) if e.channel == channel_id]


def _messages(
    sandbox: Sandbox, user_id: str, channel_id: str, zone: ZoneInfo
) -> list[dict[str, Any]]:
    slack = sandbox.slack
    names = fake.names_of(slack)
    shown: list[dict[str, Any]] = []
    for message in slack.messages_in(channel_id):
        shown.append(
            {
                "ts": message.ts,
                "user": message.user,
                "author": names.get(message.user, message.user),
                "is_bot": message.by_bot,
                "text": message.text,
                "blocks": message.blocks,
                "files": [_file(f) for f in message.files],
                "edited": message.edited is not None,
                "ephemeral": False,
                **_when(message.ts, zone),
            }
        )
    for ephemeral in _ephemerals(sandbox, user_id, channel_id):
        shown.append(
            {
                "ts": ephemeral.message_ts,
                "user": slack.bot_user_id,
                "author": names.get(slack.bot_user_id, APP_NAME),
                "is_bot": True,
                "text": ephemeral.text,
                "blocks": ephemeral.blocks,
                "files": [],
                "edited": False,
                "ephemeral": True,
                **_when(ephemeral.message_ts, zone),
            }
        )
    shown.sort(key=lambda m: float(m["ts"]))
    return shown


def _when(ts: str, zone: ZoneInfo) -> dict[str, str]:
    moment = datetime.fromtimestamp(float(ts), UTC).astimezone(zone)
    return {"time": f"{moment:%H:%M}", "day": f"{moment:%A %d %B %Y}"}


def _file(upload: fake.SlackFile) -> dict[str, Any]:
    return {"id": upload.id, "name": upload.name, "title": upload.title, "size": upload.size}


def _view(view: fake.View, zone: ZoneInfo) -> dict[str, Any]:
    """A modal or Home tab: its Block Kit, its errors, and each date-time picker's initial
    value as local wall-clock text (`<input type=datetime-local>` has no time zone)."""
    local: dict[str, str] = {}
    for block in view.blocks:
        element = block.get("element")
        if isinstance(element, dict) and element.get("type") == "datetimepicker":
            initial = element.get("initial_date_time")
            if isinstance(initial, int | float):
                moment = datetime.fromtimestamp(initial, UTC).astimezone(zone)
                local[str(block.get("block_id"))] = f"{moment:%Y-%m-%dT%H:%M}"
    payload = view.payload
    return {
        "id": view.id,
        "type": view.type,
        "title": _text_of(payload.get("title")),
        "submit": _text_of(payload.get("submit")),
        "close": _text_of(payload.get("close")) or "Cancel",
        "blocks": view.blocks,
        "errors": dict(view.errors),
        "local_times": local,
    }


def _text_of(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def file_for(sandbox: Sandbox, user_id: str, file_id: str) -> fake.SlackFile:
    """A file the person can see: shared in a conversation they are in."""
    sandbox.person(user_id)
    upload = fake.shared_file(sandbox.slack, user_id, file_id)
    if upload is None:
        raise ActionRefused("there is no such file shared with you")
    return upload
