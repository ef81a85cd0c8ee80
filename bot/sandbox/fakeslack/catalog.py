"""Facts about Slack's Web API methods that the fake enforces: rate-limit tiers and the bot
scopes each method accepts.

Copied as data from docs.slack.dev's machine-readable method specs (mirrored in
`shared/slack-reference/methods/*.json`, summarised in `methods-summary.json`). They live here
rather than being read at run time so the fake works without the reference checkout; a test
compares them with the reference whenever it is present.
"""

from __future__ import annotations

from dataclasses import dataclass

# "N+ per minute" in Slack's tier table; the fake treats the figure as the hard ceiling.
TIER_CALLS_PER_MINUTE: dict[str, int] = {"Tier 1": 1, "Tier 2": 20, "Tier 3": 50, "Tier 4": 100}

# Special-tier methods have their own figures: auth.test allows "hundreds" a minute
# (java-slack-sdk models 600), chat.postMessage is limited per channel instead (see below).
SPECIAL_CALLS_PER_MINUTE: dict[str, int] = {
    "auth.test": 600,
    "chat.getPermalink": 600,
    "chat.postMessage": 600,
}

# "Posting messages: 1 per second per channel" (docs.slack.dev/apis/web-api/rate-limits).
POST_MESSAGE_PER_CHANNEL_PER_SECOND = 1

# Methods Slack has but the fake's tables do not know get the most common tier.
DEFAULT_TIER = "Tier 3"

# The scopes a fresh mentorbot install holds (see FACTS.md §6); tests may narrow them.
DEFAULT_BOT_SCOPES: frozenset[str] = frozenset(
    {
        "channels:read",
        "channels:manage",
        "channels:join",
        "chat:write",
        "commands",
        "files:read",
        "files:write",
        "groups:history",
        "groups:read",
        "groups:write",
        "channels:history",
        "im:history",
        "im:read",
        "im:write",
        "mpim:write",
        "pins:read",
        "pins:write",
        "users:read",
        "users:read.email",
    }
)

APP_TOKEN_SCOPES: frozenset[str] = frozenset({"connections:write"})


@dataclass(frozen=True)
class MethodFacts:
    tier: str
    # The method accepts a token holding any one of these; empty means no scope is needed.
    bot_scopes: tuple[str, ...]

    @property
    def calls_per_minute(self) -> int | None:
        return TIER_CALLS_PER_MINUTE.get(self.tier)


_WRITE = ("groups:write", "im:write", "mpim:write", "channels:write", "channels:manage")
_READ = ("groups:read", "im:read", "mpim:read", "channels:read")
_TOPIC = (
    "channels:write.topic",
    "groups:write.topic",
    "mpim:write.topic",
    "im:write.topic",
    "channels:manage",
    "groups:write",
    "im:write",
    "mpim:write",
)

METHODS: dict[str, MethodFacts] = {
    "apps.connections.open": MethodFacts("Tier 3", ()),
    "auth.test": MethodFacts("Special", ()),
    "chat.delete": MethodFacts("Tier 3", ("chat:write",)),
    "chat.getPermalink": MethodFacts("Special", ()),
    "chat.postEphemeral": MethodFacts("Tier 4", ("chat:write",)),
    "chat.postMessage": MethodFacts("Special", ("chat:write",)),
    "chat.update": MethodFacts("Tier 3", ("chat:write",)),
    "conversations.archive": MethodFacts("Tier 2", _WRITE),
    "conversations.create": MethodFacts("Tier 2", _WRITE),
    "conversations.history": MethodFacts(
        "Tier 3", ("groups:history", "im:history", "mpim:history", "channels:history")
    ),
    "conversations.info": MethodFacts("Tier 3", _READ),
    "conversations.invite": MethodFacts(
        "Tier 3",
        (
            "channels:write.invites",
            "groups:write.invites",
            "channels:manage",
            "groups:write",
            "im:write",
            "mpim:write",
        ),
    ),
    "conversations.join": MethodFacts("Tier 3", ("channels:join",)),
    "conversations.kick": MethodFacts("Tier 3", ("groups:write", "channels:manage")),
    "conversations.leave": MethodFacts("Tier 3", _WRITE),
    "conversations.list": MethodFacts("Tier 2", _READ),
    "conversations.members": MethodFacts("Tier 4", _READ),
    "conversations.open": MethodFacts(
        "Tier 3", ("channels:manage", "groups:write", "im:write", "mpim:write")
    ),
    "conversations.setPurpose": MethodFacts("Tier 2", _TOPIC),
    "conversations.setTopic": MethodFacts("Tier 2", _TOPIC),
    "files.completeUploadExternal": MethodFacts("Tier 4", ("files:write",)),
    "files.getUploadURLExternal": MethodFacts("Tier 4", ("files:write",)),
    "pins.add": MethodFacts("Tier 2", ("pins:write",)),
    "pins.list": MethodFacts("Tier 2", ("pins:read",)),
    "pins.remove": MethodFacts("Tier 2", ("pins:write",)),
    "users.conversations": MethodFacts("Tier 3", _READ),
    "users.info": MethodFacts("Tier 4", ("users:read",)),
    "users.list": MethodFacts("Tier 2", ("users:read",)),
    "users.lookupByEmail": MethodFacts("Tier 3", ("users:read.email",)),
    "views.open": MethodFacts("Tier 4", ()),
    "views.publish": MethodFacts("Tier 4", ()),
    "views.push": MethodFacts("Tier 4", ()),
    "views.update": MethodFacts("Tier 4", ()),
}


def facts_for(method: str) -> MethodFacts:
    return METHODS.get(method, MethodFacts(DEFAULT_TIER, ()))


def calls_per_minute(method: str) -> int:
    facts = facts_for(method)
    return facts.calls_per_minute or SPECIAL_CALLS_PER_MINUTE.get(method, 50)
