"""What a coordinator sees when a command cannot do its work: one line on stderr saying what
went wrong and what to do, and a non-zero exit; never a traceback.

Every `mentorbot` command runs inside `FriendlyErrors.invoke`, so a failure anywhere in it
(Slack unreachable, a refused token, a database that cannot be opened) is told the same way.
`MENTORBOT_TRACEBACK=1` shows the traceback instead, for whoever debugs the bot itself.
"""

from __future__ import annotations

import http.client
import os
import sys
import urllib.error
from typing import Any, NoReturn

import click
from slack_sdk.errors import SlackApiError, SlackClientError

from storage.db import DatabaseError

SLACK_API_URL_KEY = "mentorbot.slack_api_url"
DATABASE_URL_KEY = "mentorbot.database_url"
"""Where the settings in use are noted on the click context, for the messages below."""

REFUSED_TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "team_access_not_granted",
    }
)
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    urllib.error.URLError,
    ConnectionError,
    TimeoutError,
    http.client.HTTPException,
)


def fail(message: str, *, code: int = 2) -> NoReturn:
    """One line on stderr and exit `code` (2: settings or usage; 1: the work failed)."""
    click.echo(f"mentorbot: {' '.join(message.split())}", err=True)
    sys.exit(code)


def note_setting(key: str, value: str) -> None:
    """Remember a setting on the current command's context for the failure messages."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.find_root().meta[key] = value


def _noted(key: str, default: str) -> str:
    context = click.get_current_context(silent=True)
    return str(context.find_root().meta.get(key, default)) if context else default


def describe_slack_refusal(error: SlackApiError) -> str:
    response: Any = error.response
    code = str(response.get("error") or "an error") if response is not None else "an error"
    if code in REFUSED_TOKEN_ERRORS:
        return (
            f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token (xoxb-…) "
            "of the app made from manifest.yml (OAuth & Permissions) into .env"
        )
    if code == "missing_scope":
        needed = response.get("needed") if response is not None else None
        scope = f" {needed}" if needed else ""
        return (
            f"the Slack app lacks the scope{scope}: create it from manifest.yml, or add the "
            "scope and reinstall the app to the workspace"
        )
    if code == "ratelimited":
        return "Slack kept asking to slow down (rate limited): run the command again in a minute"
    return f"Slack answered {code}: see https://docs.slack.dev/reference/methods for its meaning"


def describe_unreachable_slack(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    detail = getattr(reason, "strerror", None) or str(reason) or reason.__class__.__name__
    api_url = _noted(SLACK_API_URL_KEY, "SLACK_API_URL")
    return (
        f"cannot reach Slack at {api_url} ({detail}): check the network connection "
        "(and SLACK_API_URL, which should be unset to use Slack itself)"
    )


def describe_database_failure(error: DatabaseError) -> str:
    first_line = (str(error).splitlines() or [""])[0]
    # SQLAlchemy prefixes the driver's class: "(sqlite3.OperationalError) unable to open …".
    detail = first_line.split(") ", 1)[-1] if first_line.startswith("(") else first_line
    url = _noted(DATABASE_URL_KEY, "MENTORBOT_DATABASE_URL")
    return f"the database {url} failed ({error.__class__.__name__}: {detail})"


def describe(error: Exception) -> tuple[str, int]:
    """A failure as one line fit for a coordinator, and the exit code."""
    if isinstance(error, SlackApiError):
        return describe_slack_refusal(error), 1
    if isinstance(error, CONNECTION_ERRORS):
        return describe_unreachable_slack(error), 1
    if isinstance(error, SlackClientError):
        return f"talking to Slack failed: {error.__class__.__name__}: {error}", 1
    if isinstance(error, DatabaseError):
        return describe_database_failure(error), 1
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror or error.__class__.__name__}{where}", 1
    return (
        f"unexpected {error.__class__.__name__}, a fault in mentorbot: run it again with "
        "MENTORBOT_TRACEBACK=1 to see where, and report it",
        70,
    )


class FriendlyErrors(click.Group):
    """A command group whose commands fail with one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if os.environ.get("MENTORBOT_TRACEBACK"):
                raise
            message, code = describe(error)
            fail(message, code=code)
