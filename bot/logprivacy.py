"""Logs never hold what people said: no request body, form value, private note, response_url
or token, at any level, from our code or the libraries under it.

Where the words come from, and what is done about each (checked against the installed
slack_bolt 1.30, slack_sdk 3.48 and SQLAlchemy 2.1):

* slack_bolt writes whole bodies: a refused signature at INFO (`Invalid request signature
  detected (… body: …)`), an unhandled request at WARNING (`Unhandled request ({…})` with
  typed values for some payload types), our answers at DEBUG (`Responding with status: …
  body: …`), Socket Mode results at INFO; slack_sdk's WebClient and WebhookClient write the
  parameters, bodies and URLs (a response_url is a URL) of every call at DEBUG, and a
  response_url at INFO when a call is retried; SQLAlchemy writes statement parameters and
  result rows (a private note) at INFO and DEBUG whenever its logger is enabled, which a
  root logger at DEBUG does. These libraries put the values straight into their messages
  (f-strings), so a record of theirs keeps only its opening description, up to the first
  `(`, `:`, ` - ` or bracket, and says the rest was withheld; a record made from a template
  keeps the template and withholds its arguments.
* An exception's message can quote what was sent (`invalid literal for int(): '…'`, a
  database error with its parameters): tracebacks keep their frames and exception types and
  withhold the messages, except Slack's error code of a `SlackApiError`.
* Every message has its control characters escaped, so nothing a request carries can start
  a forged log line.

It is a log record factory rather than a `logging.Filter`: a filter on a logger sees only the
records made on that very logger, and Bolt and slack_sdk make a logger per class (and Bolt one
per listener function); every record of every logger is made by the factory.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from types import TracebackType
from typing import Any

WITHHELD = "(details withheld: they may quote what people sent)"

# Loggers of libraries that put request bodies, parameters, URLs or rows in their messages.
# "mentorbot.bolt" is the logger the bot gives Bolt, and the prefix of the ones Bolt derives.
_LIBRARIES = ("slack_bolt", "slack_sdk", "slack", "mentorbot.bolt", "sqlalchemy", "urllib3")

# Bolt messages whose details are names from the code (middleware and listener functions).
_SAFE_LIBRARY_MESSAGES = re.compile(
    r"(Applying|Checking listener:|Running listener:|Running lazy listener:) [\w.<>]+( \.\.\.)?\Z"
)
_DESCRIPTION_END = re.compile(r"\(|:|\s-\s|\[|\{|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")

_installed = threading.Lock()
_ours: list[Any] = []


def install() -> None:
    """Make every log record of this process private; calling it again changes nothing."""
    with _installed:
        current = logging.getLogRecordFactory()
        if _ours and current is _ours[0]:
            return
        previous = current

        def private_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _make_private(record)
            return record

        _ours[:] = [private_record]
        logging.setLogRecordFactory(private_record)


def _make_private(record: logging.LogRecord) -> None:
    try:
        if record.name.startswith(_LIBRARIES):
            message = _library_message(record)
        else:
            message = record.getMessage()
    except Exception:  # noqa: BLE001 - a message that cannot be formatted is logging's to report
        return
    record.msg = _CONTROL.sub(_escape, message)
    record.args = None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = private_traceback(record.exc_info[1])
        record.exc_info = None


def _library_message(record: logging.LogRecord) -> str:
    if record.args:
        # A template: its words are the library's, its arguments may be anyone's.
        arguments = record.args if isinstance(record.args, tuple) else (record.args,)
        try:
            return str(record.msg) % tuple("…" for _ in arguments)
        except (TypeError, ValueError, KeyError):
            return f"{_description(str(record.msg))} {WITHHELD}"
    message = str(record.msg)
    if _SAFE_LIBRARY_MESSAGES.match(message):
        return message
    description = _description(message)
    return message if description == message else f"{description} {WITHHELD}"


def _description(message: str) -> str:
    found = _DESCRIPTION_END.search(message)
    return message if found is None else message[: found.start()].rstrip()


def _escape(found: re.Match[str]) -> str:
    return repr(found.group())[1:-1]


def private_traceback(error: BaseException) -> str:
    """The traceback of `error` and the errors it was raised from or during, with each
    exception's type but not its message."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for index, exception in enumerate(reversed(chain)):
        if index:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append(_frames(exception.__traceback__))
        parts.append(f"{_exception_line(exception)}\n")
    return "".join(parts).rstrip("\n")


def _frames(tb: TracebackType | None) -> str:
    if tb is None:
        return ""
    stack = traceback.StackSummary.extract(traceback.walk_tb(tb), capture_locals=False)
    return "Traceback (most recent call last):\n" + "".join(stack.format())


def _exception_line(exception: BaseException) -> str:
    kind = type(exception)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    error_code = _slack_error_code(exception)
    if error_code is not None:
        return f"{name}: Slack answered {error_code!r}"
    original = getattr(exception, "orig", None)
    if isinstance(original, BaseException):
        # SQLAlchemy's wrapper: the driver's error type says what went wrong.
        inner = type(original)
        return f"{name} ({inner.__module__}.{inner.__qualname__}): message withheld"
    return f"{name}: message withheld"


def _slack_error_code(exception: BaseException) -> str | None:
    response = getattr(exception, "response", None)
    getter = getattr(response, "get", None)
    if getter is None or type(exception).__name__ != "SlackApiError":
        return None
    try:
        code = getter("error")
    except Exception:  # noqa: BLE001 - a response that cannot say is no worse than none
        return None
    return code if isinstance(code, str) and re.fullmatch(r"[\w.-]{1,64}", code) else None
