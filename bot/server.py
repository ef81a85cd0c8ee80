"""HTTP mode: Bolt at `POST /slack/events` and a health check at `GET /healthz`, served by
waitress (a multi-threaded production WSGI server; Bolt's own server is for development)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy.engine import Engine
from waitress.server import create_server

from storage.db import database_reachable

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HTTP_THREADS = 16

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def make_wsgi_app(app: App, engine: Engine) -> WsgiApp:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def route(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health(engine, start_response)
        if path == EVENTS_PATH:
            try:
                return slack(environ, _log_refusals(environ, start_response))
            except (TypeError, AttributeError, LookupError, ValueError):
                # Bolt reads a signed body before any listener sees it, and some shapes Slack
                # never sends (a user that is a number) break that reading.
                logger.warning("refused a request whose body Bolt cannot read", exc_info=True)
                start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
                return [b"Bad Request"]
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not Found"]

    return route


def _health(engine: Engine, start_response: StartResponse) -> Iterable[bytes]:
    healthy = database_reachable(engine)
    status = "200 OK" if healthy else "503 Service Unavailable"
    body = json.dumps({"ok": healthy, "database": "reachable" if healthy else "unreachable"})
    start_response(status, [("Content-Type", "application/json")])
    return [body.encode()]


def _log_refusals(environ: dict[str, Any], start_response: StartResponse) -> StartResponse:
    def wrapped(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        if status.startswith("401"):
            logger.warning(
                "refused a request to %s from %s: bad or stale Slack signature",
                EVENTS_PATH,
                environ.get("REMOTE_ADDR", "?"),
            )
        return start_response(status, headers, *args)

    return wrapped


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
