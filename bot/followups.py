"""Follow-ups: the part of a Slack request done after it was acknowledged, in the worker.

A listener stores what the request needs with `defer(runtime, KIND, payload)` and
acknowledges at once; the worker process runs the function its table of follow-ups holds
under KIND (handlers' `LISTENERS.follow_ups`, handed to it at start) with that payload and
the means to answer: the request's `response_url` and the Web API.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import SORRY, UserError
from bot.i18n import ENGLISH, Translator, phrase, translator
from bot.runtime import Runtime
from bot.services.language import reader
from storage.db import DatabaseError
from storage.followups import add_follow_up

logger = logging.getLogger(__name__)

INTERRUPTED = phrase(
    "Sorry, the bot was restarted while it was doing what you asked, so it may be unfinished. "
    "Please check, and try again if it is not done."
)


def defer(runtime: Runtime, kind: str, payload: Mapping[str, Any]) -> None:
    """Store `payload` for the follow-up `kind` and wake the worker. Called before the
    acknowledgement, so a request Slack saw acknowledged is never forgotten."""
    text = json.dumps(payload, separators=(",", ":"))
    now = runtime.now()
    runtime.write(lambda session: add_follow_up(session, kind=kind, payload=text, now=now))
    runtime.wake_worker()


@dataclass(frozen=True)
class DeferredRequest:
    payload: dict[str, Any]
    """The Slack payload as received, or what the listener stored for the follow-up."""
    runtime: Runtime
    client: WebClient
    """For calls someone is waiting for (a modal to open): never sleeps out a rate limit."""
    slow_client: WebClient
    """For bulk work (creating channels): waits out `Retry-After` and retries."""

    @property
    def response_url(self) -> str | None:
        """The request's `response_url` if it points at Slack (see `slack_url`)."""
        return slack_url(self.payload.get("response_url"), self.runtime.settings.slack_api_url)

    @property
    def respond(self) -> Respond:
        """Answers the person through the request's `response_url` (ephemeral by default);
        without one that points at Slack there is nobody to answer, and nothing is sent."""
        if self.response_url is None:
            return _NobodyToAnswer()
        return Respond(response_url=self.response_url)

    @property
    def user_id(self) -> str:
        user = self.payload.get("user")
        if isinstance(user, dict):
            return str(user.get("id", ""))
        return str(self.payload.get("user_id", ""))


class _NobodyToAnswer(Respond):
    def __init__(self) -> None:
        super().__init__(response_url=None)

    def __call__(self, *_args: Any, **_kwargs: Any) -> Any:
        logger.info("an answer was not sent: the request had no response_url from Slack")
        return None


FollowUpHandler = Callable[[DeferredRequest], None]
FollowUps = Mapping[str, FollowUpHandler]
"""Each kind of follow-up and the function the worker runs for it."""


def run_follow_up(
    kind: str,
    payload: str,
    *,
    follow_ups: FollowUps,
    runtime: Runtime,
    client: WebClient,
    slow_client: WebClient,
) -> None:
    """Run one stored follow-up with its function in `follow_ups`. A UserError is told to
    the person; anything else is logged with its traceback and answered with an apology,
    never passed on to the worker."""
    handler = follow_ups.get(kind)
    if handler is None:
        logger.error("no follow-up is registered as %r; dropped it", kind)
        return
    request = DeferredRequest(json.loads(payload), runtime, client, slow_client)
    try:
        handler(request)
    except UserError as error:
        _tell(request, error.say(reader_or_english(runtime, request.user_id)))
    except Exception:
        logger.exception("Failed to finish a %s follow-up for %r", kind, request.user_id or "?")
        _tell(request, SORRY.say(reader_or_english(runtime, request.user_id)))


def reader_or_english(runtime: Runtime, user_id: str) -> Translator:
    """The person's language for an apology or a refusal; English if even that cannot be
    looked up (the database may be what failed), so the answer is still given."""
    try:
        return reader(runtime, user_id)
    except DatabaseError:
        logger.warning("could not look up the language of %r; answering in English", user_id)
        return translator(ENGLISH)


def tell_interrupted(kind: str, payload: str, runtime: Runtime) -> None:
    """Tell the person a follow-up was cut short by a process that died doing it."""
    logger.warning("a %s follow-up was interrupted by a restart; telling its requester", kind)
    stored = json.loads(payload)
    response_url = slack_url(stored.get("response_url"), runtime.settings.slack_api_url)
    if response_url is None:
        return
    user = stored.get("user")
    user_id = str(user.get("id", "")) if isinstance(user, dict) else str(stored.get("user_id", ""))
    try:
        Respond(response_url=response_url)(
            text=INTERRUPTED.say(reader_or_english(runtime, user_id)),
            response_type="ephemeral",
            replace_original=False,
        )
    except (SlackApiError, OSError):
        logger.warning("could not tell the requester of an interrupted %s", kind)


def slack_url(url: object, api_url: str) -> str | None:
    """`url` if it is one of Slack's (https on slack.com, or the host the Web API is reached
    at: the tests' fake Slack), else None. A response_url is client data: answering one
    that points elsewhere would make the bot post wherever a forged payload says."""
    if not isinstance(url, str):
        return None
    target, api = urlsplit(url), urlsplit(api_url)
    host = target.hostname or ""
    if target.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return url
    if (target.scheme, target.netloc) == (api.scheme, api.netloc):
        return url
    return None


def _tell(request: DeferredRequest, text: str) -> None:
    if request.response_url is None:
        return
    try:
        request.respond(text=text, response_type="ephemeral", replace_original=False)
    except (SlackApiError, OSError):
        logger.warning("could not answer %s", request.user_id or "?", exc_info=True)
