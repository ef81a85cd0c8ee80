"""The sandbox's web server, for the page only (the bot keeps its own `/slack/events`
server): the page and its two static files, a JSON API of what a person sees and does, the
shared files (the `.ics`), and server-sent events telling the page to redraw.

    GET  /                      the page
    GET  /static/NAME           sandbox.js, sandbox.css
    GET  /api/state?as=U&c=C    what U sees with conversation C open (snapshot.py)
    GET  /api/events            `change` events as the workspace changes (text/event-stream)
    GET  /api/files/F?as=U      a file shared with U, to download
    POST /api/send              {as, channel, text}: a message or a /mentor command
    POST /api/click             {as, action_id, block_id, value, channel, ts | view_id}
    POST /api/submit            {as, view_id, values}
    POST /api/close             {as, view_id}
    POST /api/home              {as}: open the app's Home tab
    POST /api/clock             {step: hour | day | monday | end}

It listens on 127.0.0.1 only. Since any web page the visitor opens could still send requests
to a local port, POSTs must be JSON (a cross-site form cannot send that without asking) and
every request must name this server in its Host header (no DNS rebinding).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.sandbox.app import ActionRefused, Outcome, Sandbox
from bot.sandbox.snapshot import file_for, snapshot

logger = logging.getLogger(__name__)

STATIC_FILES = {
    "index.html": "text/html; charset=utf-8",
    "sandbox.js": "text/javascript; charset=utf-8",
    "sandbox.css": "text/css; charset=utf-8",
}
MAX_BODY_BYTES = 256 * 1024
KEEPALIVE_SECONDS = 15.0
COALESCE_SECONDS = 0.05
"""A burst of changes (a poll posted, redrawn, a reply) becomes one event."""
SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
]


def _static(name: str) -> bytes:
    return resources.files("bot.sandbox").joinpath("static", name).read_bytes()


class SandboxWebServer:
    """Serves `sandbox` on 127.0.0.1:`port` (0: any free port) from a thread."""

    def __init__(self, sandbox: Sandbox, *, port: int = 8080) -> None:
        self.sandbox = sandbox
        handler = type("Handler", (_Handler,), {"sandbox": sandbox})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> SandboxWebServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sandbox-web", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    sandbox: Sandbox
    server_version = "mentorbot-sandbox"

    # -- routing --------------------------------------------------------------------------

    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path = url.path
        if path in ("/", "/index.html"):
            self._send_static("index.html")
        elif path.startswith("/static/") and path[len("/static/") :] in STATIC_FILES:
            self._send_static(path[len("/static/") :])
        elif path == "/api/state":
            self._answer(lambda: _state(self.sandbox, query.get("as", ""), query.get("c")))
        elif path == "/api/events":
            self._stream_events()
        elif path.startswith("/api/files/"):
            self._send_file(path[len("/api/files/") :], query.get("as", ""))
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"ok": False, "notice": "not found"})

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        body = self._json_body()
        if body is None:
            return
        actions: dict[str, Callable[[dict[str, Any]], Outcome]] = {
            "/api/send": self._send_action,
            "/api/click": self._click_action,
            "/api/submit": self._submit_action,
            "/api/close": lambda b: self.sandbox.close_view(_text(b, "as"), _text(b, "view_id")),
            "/api/home": lambda b: self.sandbox.open_home(_text(b, "as")),
            "/api/clock": lambda b: self.sandbox.advance(_text(b, "step")),
        }
        action = actions.get(urlsplit(self.path).path)
        if action is None:
            self._send_json(HTTPStatus.NOT_FOUND, {"ok": False, "notice": "not found"})
            return
        self._answer(lambda: action(body).to_json())

    # -- actions --------------------------------------------------------------------------

    def _send_action(self, body: dict[str, Any]) -> Outcome:
        return self.sandbox.send(_text(body, "as"), _text(body, "channel"), _text(body, "text"))

    def _click_action(self, body: dict[str, Any]) -> Outcome:
        return self.sandbox.click(
            _text(body, "as"),
            action_id=_text(body, "action_id"),
            block_id=body.get("block_id") or None,
            value=body.get("value"),
            channel_id=body.get("channel") or None,
            message_ts=body.get("ts") or None,
            view_id=body.get("view_id") or None,
        )

    def _submit_action(self, body: dict[str, Any]) -> Outcome:
        values = body.get("values")
        if not isinstance(values, dict):
            raise ActionRefused("a form submission needs its values")
        return self.sandbox.submit_view(_text(body, "as"), _text(body, "view_id"), values)

    # -- answers --------------------------------------------------------------------------

    def _answer(self, work: Any) -> None:
        try:
            result = work()
        except ActionRefused as refused:
            self._send_json(HTTPStatus.BAD_REQUEST, {"ok": False, "notice": str(refused)})
            return
        except Exception:
            logger.exception("the sandbox failed to answer %s %s", self.command, self.path)
            self._send_json(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                {"ok": False, "notice": "The sandbox failed; see its log in the terminal."},
            )
            return
        self._send_json(HTTPStatus.OK, result)

    def _send_json(self, status: HTTPStatus, body: Any) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def _send_static(self, name: str) -> None:
        self._send(HTTPStatus.OK, _static(name), STATIC_FILES[name])

    def _send_file(self, file_id: str, user_id: str) -> None:
        try:
            upload = file_for(self.sandbox, user_id, file_id)
        except ActionRefused as refused:
            self._send_json(HTTPStatus.NOT_FOUND, {"ok": False, "notice": str(refused)})
            return
        content_type = (
            "text/calendar; charset=utf-8"
            if upload.name.endswith(".ics")
            else "application/octet-stream"
        )
        safe_name = "".join(c for c in upload.name if c.isalnum() or c in "._-") or "file"
        self._send(
            HTTPStatus.OK,
            upload.content or b"",
            content_type,
            [("Content-Disposition", f'attachment; filename="{safe_name}"')],
        )

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in [*SECURITY_HEADERS, *(extra or [])]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        sandbox = self.sandbox
        seen = sandbox.version
        try:
            self.wfile.write(f"retry: 1000\nevent: change\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not sandbox.stopped:
                version = sandbox.wait_for_change(seen, KEEPALIVE_SECONDS)
                if version == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    # Let the rest of a burst land, then say it once.
                    sandbox.wait_for_change(version, COALESCE_SECONDS)
                    seen = sandbox.version
                    self.wfile.write(f"event: change\ndata: {seen}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded

    # -- checks ---------------------------------------------------------------------------

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host in ("127.0.0.1", "localhost", "[::1]"):
            return True
        self._send_json(HTTPStatus.FORBIDDEN, {"ok": False, "notice": "use 127.0.0.1"})
        return False

    def _json_body(self) -> dict[str, Any] | None:
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        length = self.headers.get("Content-Length") or "0"
        if content_type != "application/json" or not length.isdigit():
            self._send_json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"ok": False, "notice": "JSON only"})
            return None
        if int(length) > MAX_BODY_BYTES:
            self._send_json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"ok": False, "notice": "too big"})
            return None
        try:
            body = json.loads(self.rfile.read(int(length)) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._send_json(HTTPStatus.BAD_REQUEST, {"ok": False, "notice": "a JSON object"})
            return None
        return body

    def log_message(self, format: str, *args: Any) -> None:
        # The base class writes every request to stderr; the terminal shows the link only.
        logger.debug("%s %s", self.address_string(), format % args)


def _state(sandbox: Sandbox, user_id: str, conversation_id: str | None) -> dict[str, Any]:
    """The snapshot, with the viewer's time zone: the page shows Slack's date tokens in it,
    as a client shows them in the zone of the person's profile."""
    state = snapshot(sandbox, user_id, conversation_id)
    return {**state, "reader_zone": sandbox.person(str(state["me"])).tz}


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    return value if isinstance(value, str) else ""
