"""Slack Web API clients, pointed at `SLACK_API_URL` (Slack itself, or the tests' fake).

Bulk work (forming a term's groups: a channel, an invitation, a purpose and a pinned welcome
each) runs into Slack's rate tiers: conversations.create is Tier 2, "20+ per minute" per
workspace per app (docs.slack.dev/apis/web-api/rate-limits). The background client keeps
each method under its tier by itself (`TierPacer`), so a bulk run goes at Slack's own pace
instead of bursting into 429s, and when Slack answers 429 all the same (another process of
the app used the budget, or Slack counts differently) it waits exactly the `Retry-After`
Slack names and tries again (`RetryAfterHandler`), long enough that a 429 storm delays a
group but does not fail it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.slack_response import SlackResponse

from bot.config import Settings

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], None]

# Calls per minute of the methods background work makes, from each method's reference page
# (shared/slack-reference FACTS.md §2; the fake Slack's catalog holds the same figures and a
# test compares them). Methods not listed (chat.postMessage: per channel, "Special") are not
# paced; a 429 from them is still waited out.
TIER_2 = 20
TIER_3 = 50
TIER_4 = 100
CALLS_PER_MINUTE: Mapping[str, int] = {
    "conversations.archive": TIER_2,
    "conversations.create": TIER_2,
    "conversations.setPurpose": TIER_2,
    "conversations.setTopic": TIER_2,
    "pins.add": TIER_2,
    "users.list": TIER_2,
    "chat.update": TIER_3,
    "conversations.invite": TIER_3,
    "conversations.kick": TIER_3,
    "conversations.open": TIER_3,
    "users.conversations": TIER_3,
    "users.lookupByEmail": TIER_3,
    "chat.postEphemeral": TIER_4,
    "conversations.members": TIER_4,
    "users.info": TIER_4,
}

# A minute as the pacer counts it: one second longer than Slack's, because Slack counts
# calls when they arrive, and a call that travels faster than the one sent a minute before
# it would otherwise land inside the same minute.
PACING_WINDOW_SECONDS = 61.0

# How long one call may spend waiting out 429s before it gives up and the caller's resume
# logic takes over (a group's setup stops at its last recorded step). Slack's Retry-After for
# a tier is at most the minute.
MAX_RATE_LIMIT_WAIT_SECONDS = 600.0
MAX_RATE_LIMIT_RETRIES = 30


class TierPacer:
    """At most a method's tier of calls in any `window` seconds, per method: a call that would
    exceed it waits (on the calling thread) until the oldest of the last `limit` calls is a
    window old. A 429's `Retry-After` holds the method for every thread sharing the pacer."""

    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        limits: Mapping[str, int] = CALLS_PER_MINUTE,
        window: float = PACING_WINDOW_SECONDS,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._limits = dict(limits)
        self._window = window
        self._lock = threading.Lock()
        self._slots: defaultdict[str, deque[float]] = defaultdict(deque)
        self._held_until: dict[str, float] = {}

    def wait_turn(self, method: str) -> float:
        """Take the method's next free slot, sleeping until it comes; returns the wait."""
        limit = self._limits.get(method)
        with self._lock:
            now = self._clock()
            start = max(now, self._held_until.get(method, now))
            if limit is not None:
                slots = self._slots[method]
                while slots and slots[0] <= now - self._window:
                    slots.popleft()
                if len(slots) >= limit:
                    start = max(start, slots[-limit] + self._window)
                slots.append(start)
        wait = start - now
        if wait > 0:
            self._sleep(wait)
        return max(0.0, wait)

    def hold(self, method: str, seconds: float) -> None:
        """Slack said to wait `seconds` before calling `method` again."""
        with self._lock:
            until = self._clock() + seconds
            self._held_until[method] = max(until, self._held_until.get(method, until))


class RetryAfterHandler(RetryHandler):
    """Retries a 429 after exactly the `Retry-After` Slack sent (slack_sdk's own handler adds
    up to a second at random and gives up after a few tries), for as long as the call has
    waited less than `max_wait` seconds in all."""

    def __init__(
        self,
        *,
        sleep: Sleep = time.sleep,
        pacer: TierPacer | None = None,
        max_retry_count: int = MAX_RATE_LIMIT_RETRIES,
        max_wait: float = MAX_RATE_LIMIT_WAIT_SECONDS,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep
        self._pacer = pacer
        self._max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,  # noqa: ARG002 - slack_sdk's interface
        response: HttpResponse | None = None,
        error: Exception | None = None,  # noqa: ARG002 - slack_sdk's interface
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        waited = float((state.custom_values or {}).get("rate_limit_waited", 0.0))
        return waited + retry_after_seconds(response) <= self._max_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,  # noqa: ARG002 - slack_sdk's interface
    ) -> None:
        assert response is not None  # _can_retry only lets 429 answers through
        seconds = retry_after_seconds(response)
        method = method_of(request.url)
        logger.info("Slack rate-limited %s; trying again in %s s", method, seconds)
        if self._pacer is not None:
            self._pacer.hold(method, seconds)
        self._sleep(seconds)
        values = state.custom_values if state.custom_values is not None else {}
        values["rate_limit_waited"] = float(values.get("rate_limit_waited", 0.0)) + seconds
        state.custom_values = values
        state.next_attempt_requested = True
        state.increment_current_attempt()


def retry_after_seconds(response: HttpResponse) -> float:
    """Slack's `Retry-After` (whole seconds); one second if it is missing or unreadable."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                break
    return 1.0


def method_of(url: str) -> str:
    """`conversations.create` from `https://slack.com/api/conversations.create?...`."""
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class PacedWebClient(WebClient):
    """A `WebClient` whose every call first takes its turn in a `TierPacer`."""

    def __init__(self, *, pacer: TierPacer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pacer = pacer

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        self.pacer.wait_turn(api_method)
        response = super().api_call(api_method, **kwargs)
        assert isinstance(response, SlackResponse)  # the synchronous client never returns a Future
        return response


def interactive_client(settings: Settings) -> WebClient:
    """For listeners: never sleeps out a rate limit on a thread that should answer at once."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )


def background_client(
    settings: Settings,
    *,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
    paced: bool = True,
) -> WebClient:
    """For jobs and bulk work: paced at each method's tier, waits out `Retry-After` and
    retries Slack's own hiccups. `clock` and `sleep` (monotonic seconds) are for tests and
    the benchmark, which run time faster. `paced=False` leaves the pace to Slack's 429s: for
    the tests' and the sandbox's fake Slack, which counts its tiers on its own clock (moved
    by hand, days at a time), so pacing on the real clock would only make them sleep."""
    sleep = sleep or time.sleep
    pacer = TierPacer(
        clock=clock or time.monotonic, sleep=sleep, limits=CALLS_PER_MINUTE if paced else {}
    )
    return PacedWebClient(
        pacer=pacer,
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=30,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RetryAfterHandler(sleep=sleep, pacer=pacer),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
