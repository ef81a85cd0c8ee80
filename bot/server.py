"""HTTP mode: Bolt at `POST /slack/events` and a health check at `GET /healthz`, served by
waitress (a multi-threaded production WSGI server; Bolt's own server is for development).

The boundary in front of Bolt refuses what Slack would never send before it costs anything:
a body over `MAX_BODY_BYTES` is never read (413), the Slack signature is checked on the raw
bytes before they are decoded or parsed (401), and a body nested deeper than `MAX_NESTING` is
refused before a JSON parser recurses into it (400). Only then does Bolt parse the body. A
signed request seen before (a replay) keeps nothing it wrote and is answered with an empty
200: its replay record is stored in the transaction of its first write. Refusals are logged
as one line naming the kind of request, team, user and size, never the body
(ENGINEERING-NOTES §6 and §7).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote_plus

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from bot.runtime import ReplayRecord, RequestReplayed, storing_with_first_write
from storage.db import DatabaseError, Engine, Session, database_reachable, write_session
from storage.replays import remember_request

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HTTP_THREADS = 16

MAX_BODY_BYTES = 1024 * 1024
"""1 MiB. Slack's largest real payloads are view submissions of big modals: a few hundred KB
at most (100 blocks of up to 3,000 characters each). Anything larger did not come from Slack,
so it is refused before it is read, let alone verified or parsed."""

MAX_NESTING = 64
"""Brackets deep. Slack's deepest payloads (rich text inside a message inside an interaction)
are about 15 levels; Python's JSON parser recurses once per level and fails near 1,000."""

SUMMARY_SCAN_BYTES = 4096
"""How much of a body is looked at to name a refused request's kind, team and user: the
fields Slack puts first, read without parsing a body nobody vouched for."""

T = TypeVar("T")
StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Writer = Callable[[Callable[[Session], T]], T]

_TEXT = [("Content-Type", "text/plain; charset=utf-8")]
_BOLT_PARSE_ERRORS = (TypeError, AttributeError, LookupError, ValueError, RecursionError)


def make_wsgi_app(
    app: App,
    engine: Engine,
    *,
    write: Writer[Any] | None = None,
    signing_secret: str | None = None,
    refuse_replays: bool = True,
) -> WsgiApp:
    """The bot's WSGI application.

    `write` runs a unit of database work and commits it (the web process passes its group
    commit, `Runtime.write`): it stores the replay record of a request that wrote nothing
    else; without it that record is committed alone. A request that writes stores its record
    with its first `Runtime.write`, whatever is passed here.
    `signing_secret` defaults to the one the Bolt app was given."""
    secret = signing_secret or getattr(app, "_signing_secret", "")
    if not secret:
        raise ValueError("the HTTP endpoint needs the Slack signing secret")
    boundary = SlackBoundary(
        app,
        RawBodyVerifier(secret),
        write=write or _committing_alone(engine),
        refuse_replays=refuse_replays,
    )

    def route(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health(engine, start_response)
        if path == EVENTS_PATH:
            return boundary(environ, start_response)
        start_response("404 Not Found", _TEXT)
        return [b"Not Found"]

    return route


def _committing_alone(engine: Engine) -> Writer[Any]:
    def write(work: Callable[[Session], T]) -> T:
        with write_session(engine) as session:
            return work(session)

    return write


def _health(engine: Engine, start_response: StartResponse) -> Iterable[bytes]:
    healthy = database_reachable(engine)
    status = "200 OK" if healthy else "503 Service Unavailable"
    body = json.dumps({"ok": healthy, "database": "reachable" if healthy else "unreachable"})
    start_response(status, [("Content-Type", "application/json")])
    return [body.encode()]


class RawBodyVerifier(SignatureVerifier):
    """slack_sdk's check (the five-minute window, a constant-time comparison) over the body's
    bytes as received: the SDK's own first decodes them as UTF-8, which fails on a body that
    is not, before anyone knows whether Slack signed it."""

    def generate_signature(self, *, timestamp: str | None, body: str | bytes) -> str | None:
        if timestamp is None:
            return None
        raw = body.encode("utf-8") if isinstance(body, str) else body or b""
        signed = b"v0:" + timestamp.encode("ascii") + b":" + raw
        digest = hmac.new(self.signing_secret.encode("utf-8"), signed, hashlib.sha256)
        return f"v0={digest.hexdigest()}"


class _Refused(Exception):
    """A request answered with a plain status before Bolt sees it."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class SlackBoundary:
    """`POST /slack/events`: size, signature, nesting and replay checks, then Bolt."""

    def __init__(
        self,
        app: App,
        verifier: RawBodyVerifier,
        *,
        write: Writer[Any],
        refuse_replays: bool,
    ) -> None:
        self._app = app
        self._verifier = verifier
        self._write = write
        self._refuse_replays = refuse_replays

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            raw = self._read_body(environ)
            status, headers, body = self._handle(environ, raw)
        except _Refused as refused:
            status, headers, body = refused.status, _TEXT, refused.status[4:].encode()
        start_response(status, headers)
        return [body]

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        if environ.get("REQUEST_METHOD") != "POST":
            raise _Refused("405 Method Not Allowed")
        declared = str(environ.get("CONTENT_LENGTH") or "").strip()
        if declared and not _is_number(declared):
            logger.warning("refused a request with Content-Length %r", declared[:20])
            raise _Refused("400 Bad Request")
        if declared and int(declared) > MAX_BODY_BYTES:
            logger.warning("refused a request of %s bytes: over the limit", declared)
            raise _Refused("413 Payload Too Large")
        stream = environ.get("wsgi.input")
        if stream is None:
            return b""
        if declared:
            raw = _read_at_most(stream, int(declared))
        elif environ.get("wsgi.input_terminated"):
            # No length (a chunked body the server passes through): read one byte past the
            # limit, which is enough to know it is over.
            raw = _read_at_most(stream, MAX_BODY_BYTES + 1)
        else:
            raw = b""  # PEP 3333: without a length there is no body to read
        if len(raw) > MAX_BODY_BYTES:
            logger.warning("refused a request of over %s bytes: over the limit", MAX_BODY_BYTES)
            raise _Refused("413 Payload Too Large")
        return raw

    def _handle(self, environ: dict[str, Any], raw: bytes) -> tuple[str, list[Any], bytes]:
        content_type = str(environ.get("CONTENT_TYPE") or "")
        if _is_ssl_check(raw):
            # Slack's certificate check on a slash command's URL; Bolt answers it unverified.
            return "200 OK", _TEXT, b""
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not self._signed(raw, timestamp, signature):
            logger.warning(
                "refused a request with a bad or stale Slack signature: %s",
                Summary.of(raw, content_type),
            )
            raise _Refused("401 Unauthorized")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            logger.warning("refused a request that is not UTF-8: %s", Summary.of(raw, content_type))
            raise _Refused("400 Bad Request") from None
        if too_deep(text, content_type):
            logger.warning(
                "refused a request nested over %s deep: %s",
                MAX_NESTING,
                Summary.of(raw, content_type),
            )
            raise _Refused("400 Bad Request")
        if self._refuse_replays:
            response = self._dispatch_once(environ, text, raw, content_type, signature, timestamp)
            if response is None:
                logger.warning(
                    "ignored a replayed request (its signature was seen before): %s",
                    Summary.of(raw, content_type),
                )
                return "200 OK", _TEXT, b""
        else:
            response = self._dispatch(environ, text, raw, content_type)
        if response.status == 404:
            logger.warning("no listener takes this request: %s", Summary.of(raw, content_type))
        answer = WsgiHttpResponse(
            status=response.status, headers=response.headers, body=response.body
        )
        return answer.status, answer.get_headers(), b"".join(answer.get_body())

    def _signed(self, raw: bytes, timestamp: str, signature: str) -> bool:
        if not _is_number(timestamp) or len(timestamp) > 12 or not signature.isascii():
            return False
        return self._verifier.is_valid(raw, timestamp, signature)

    def _dispatch_once(
        self,
        environ: dict[str, Any],
        text: str,
        raw: bytes,
        content_type: str,
        signature: str,
        timestamp: str,
    ) -> BoltResponse | None:
        """Bolt's answer, or None for a replay (a request whose signature was recorded
        before): nothing it wrote is kept and its answer is not sent.

        The record (the signature with the request's own signed time: housekeeping forgets
        it once that time is older than the five minutes Slack's signature is valid for,
        and some) is stored with the request's first write, in the same transaction
        (`bot.runtime.ReplayRecord`); a request that wrote nothing stores it alone before
        its answer goes out. Storing it alone before handling each request cost a second
        commit to wait for on every acknowledgement that writes (`bench.profile_ack`)."""
        seen_at = datetime.fromtimestamp(int(timestamp), UTC)

        def remember(session: Session) -> bool:
            return remember_request(session.connection(), signature=signature, seen_at=seen_at)

        with storing_with_first_write(ReplayRecord(remember)) as record:
            try:
                response = self._dispatch(environ, text, raw, content_type)
            except RequestReplayed:
                return None
        if record.stored:
            return response
        try:
            first_sight = bool(self._write(remember))
        except DatabaseError as error:
            logger.error("could not record a request (%s); refused it", type(error).__name__)
            raise _Refused("503 Service Unavailable") from None
        return response if first_sight else None

    def _dispatch(
        self, environ: dict[str, Any], text: str, raw: bytes, content_type: str
    ) -> BoltResponse:
        try:
            request = BoltRequest(
                body=text,
                query=environ.get("QUERY_STRING", ""),
                headers=WsgiHttpRequest(environ).get_headers(),
            )
            return self._app.dispatch(request)
        except _BOLT_PARSE_ERRORS as error:
            # Bolt reads a signed body before any listener sees it, and some shapes Slack
            # never sends (a user that is a number) break that reading. Expected: no traceback.
            logger.warning(
                "refused a request whose body Bolt cannot read (%s): %s",
                type(error).__name__,
                Summary.of(raw, content_type),
            )
            raise _Refused("400 Bad Request") from None


def _is_number(text: str) -> bool:
    # ASCII digits only: str.isdigit also takes "²", which int() refuses.
    return text.isascii() and text.isdigit()


def _read_at_most(stream: Any, limit: int) -> bytes:
    """Up to `limit` bytes (fewer at the end of the stream), read in pieces."""
    pieces: list[bytes] = []
    left = limit
    while left > 0:
        piece = stream.read(min(left, 64 * 1024))
        if not piece:
            break
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


def _is_ssl_check(raw: bytes) -> bool:
    return raw.startswith(b"ssl_check=1") or b"&ssl_check=1" in raw[:SUMMARY_SCAN_BYTES]


# -- nesting ---------------------------------------------------------------------------------

# A JSON string, or what is left of an unterminated one: consumed in one go, so the scan stays
# linear however many quotes and backslashes a body holds.
_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")
_BRACKET_SPELLINGS = ("{", "[", "%7B", "%7b", "%5B", "%5b")


def too_deep(text: str, content_type: str) -> bool:
    """Whether the JSON in a body (all of it, or a form's `payload` field, as Bolt reads it)
    nests deeper than `MAX_NESTING`, found without parsing it."""
    if sum(text.count(spelling) for spelling in _BRACKET_SPELLINGS) <= MAX_NESTING:
        # Too few brackets to nest that deep: the usual case for commands and small payloads.
        return False
    if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
        return _deeper_than(text, MAX_NESTING)
    if "payload" not in text:
        return False
    payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
    return payload is not None and _deeper_than(payload, MAX_NESTING)


def _deeper_than(text: str, limit: int) -> bool:
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = 0
    while brackets:
        # Each pass removes every innermost pair: one level of the deepest nesting.
        fewer = _INNERMOST.sub("", brackets)
        if fewer == brackets:
            # Brackets that never pair up: a parser would still descend into each opener.
            return depth + brackets.count("[") + brackets.count("{") > limit
        depth += 1
        if depth > limit:
            return True
        brackets = fewer
    return False


# -- what a refused request was --------------------------------------------------------------

_FORM_FIELDS = {
    name: re.compile(rb"(?:^|&)" + name.encode() + rb"=([^&]{1,200})")
    for name in ("command", "team_id", "user_id", "payload")
}
_SAFE = r"([\w./:-]{1,64})"


def _json_field(pattern: str) -> re.Pattern[str]:
    """A pattern for identifiers in JSON text: a space stands for optional white space and
    ID for a quoted identifier."""
    return re.compile(pattern.replace(" ", r"\s*").replace("ID", f'"{_SAFE}"'))


_JSON_PATTERNS = {
    "event": _json_field(r'"event" : \{[^{}]*?"type" : ID'),
    "type": _json_field(r'"type" : ID'),
    "team": _json_field(r'"team_id" : ID|"team" : \{[^{}]*?"id" : ID'),
    "user": _json_field(r'"user_id" : ID|"user" : (?:\{[^{}]*?"id" : )?ID'),
}


@dataclass(frozen=True)
class Summary:
    """What a log line may say about a request: its kind, team, user and size, read from the
    first few KB of the raw bytes with patterns that only match identifiers, never text."""

    kind: str | None
    team: str | None
    user: str | None
    size: int

    @classmethod
    def of(cls, raw: bytes, content_type: str) -> Summary:
        head = raw[:SUMMARY_SCAN_BYTES]
        if head.lstrip().startswith(b"{") or "json" in content_type:
            return cls._of_json(head.decode("utf-8", "replace"), len(raw))
        fields = {
            name: unquote_plus(found.group(1).decode("ascii", "replace"))
            for name, pattern in _FORM_FIELDS.items()
            if (found := pattern.search(head))
        }
        if "payload" in fields:
            return cls._of_json(fields["payload"], len(raw))
        return cls(
            kind=_identifier(fields.get("command")),
            team=_identifier(fields.get("team_id")),
            user=_identifier(fields.get("user_id")),
            size=len(raw),
        )

    @classmethod
    def _of_json(cls, text: str, size: int) -> Summary:
        found = {name: pattern.search(text) for name, pattern in _JSON_PATTERNS.items()}

        def first(name: str) -> str | None:
            match = found[name]
            return next((g for g in match.groups() if g), None) if match else None

        return cls(
            kind=first("event") or first("type"),
            team=first("team"),
            user=first("user"),
            size=size,
        )

    def __str__(self) -> str:
        return (
            f"{self.kind or 'unknown kind'!r} from team {self.team!r}, user {self.user!r}, "
            f"{self.size} bytes"
        )


def _identifier(value: str | None) -> str | None:
    if value is None:
        return None
    found = re.fullmatch(_SAFE, value)
    return found.group(1) if found else "(not an identifier)"


class HttpServer:
    """A waitress server that can run in the foreground (the CLI) or a thread (tests)."""

    def __init__(self, wsgi_app: WsgiApp, *, host: str = "0.0.0.0", port: int = 3000) -> None:
        self._server = create_server(
            wsgi_app,
            host=host,
            port=port,
            threads=HTTP_THREADS,
            ident="mentorbot",
            clear_untrusted_proxy_headers=True,
            # waitress refuses a declared length at or over this at once, without reading the
            # body, and stops a chunked one there (its default is 1 GiB, kept on disk).
            max_request_body_size=MAX_BODY_BYTES + 1,
        )
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve_forever(self) -> None:
        """Serve until SystemExit or KeyboardInterrupt; waitress then drains its workers."""
        self._server.run()

    def start_in_thread(self) -> None:
        self._thread = threading.Thread(target=self._serve_until_stopped, name="http", daemon=True)
        self._thread.start()

    def _serve_until_stopped(self) -> None:
        try:
            self._server.run()
        except OSError:
            # Closing the listening socket from `stop` can interrupt the poll in progress.
            if not self._stopping.is_set():
                raise

    def stop(self) -> None:
        self._stopping.set()
        self._server.close()
        self._server.task_dispatcher.shutdown(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=5)
