"""The fake's HTTP plumbing: a threaded server on 127.0.0.1 routing three kinds of URL.

/api/<method>           the Web API (POST or GET)
/upload/v1/<file_id>    the upload URLs files.getUploadURLExternal hands out
/response_url/<id>      the response_urls the drivers put into payloads
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any, Protocol
from urllib.parse import urlsplit

from bot.sandbox.fakeslack.ids import random_hex
from bot.sandbox.fakeslack.model import JsonDict

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


@dataclass
class HttpAnswer:
    """What the HTTP layer writes back, or that it closes the connection unanswered."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False

    @classmethod
    def json(cls, status: int, body: JsonDict, headers: dict[str, str] | None = None) -> HttpAnswer:
        # Every Web API answer carries a request ID (recorded-http/*.yml).
        all_headers = {"Content-Type": JSON_CONTENT_TYPE, "x-slack-req-id": random_hex(32)}
        return cls(status, json.dumps(body).encode(), {**all_headers, **(headers or {})})

    @classmethod
    def text(cls, status: int, body: str, content_type: str = TEXT_CONTENT_TYPE) -> HttpAnswer:
        return cls(status, body.encode(), {"Content-Type": content_type})

    @classmethod
    def dropped(cls) -> HttpAnswer:
        return cls(0, drop=True)


class Routes(Protocol):
    def answer_api(
        self, method: str, headers: dict[str, str], body: bytes, query: str
    ) -> HttpAnswer: ...

    def answer_upload(self, file_id: str, content_type: str, body: bytes) -> HttpAnswer: ...

    def answer_response_url(
        self, response_url_id: str, content_type: str, body: bytes
    ) -> HttpAnswer: ...


class LoopbackHttpServer:
    def __init__(self, routes: Routes) -> None:
        self._server = _Server(routes)
        self._thread = Thread(
            target=self._server.serve_forever,
            # A short poll keeps stop() quick; each test starts and stops its own fake.
            kwargs={"poll_interval": 0.02},
            name="fakeslack-http",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        super().__init__(("127.0.0.1", 0), _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake records calls itself; stderr noise would bury test output."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer = self._route(url.path, url.query, headers, body)
        if answer.delay:
            time.sleep(answer.delay)
        if answer.drop:
            # Closing without a status line is what a lost reply looks like to the client.
            self.close_connection = True
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def _route(self, path: str, query: str, headers: dict[str, str], body: bytes) -> HttpAnswer:
        routes = self.server.routes
        section, _, rest = path.lstrip("/").partition("/")
        content_type = headers.get("content-type", "")
        if section == "api" and rest:
            return routes.answer_api(rest, headers, body, query)
        if section == "upload" and rest.startswith("v1/") and self.command == "POST":
            return routes.answer_upload(rest.removeprefix("v1/"), content_type, body)
        if section == "response_url" and rest and self.command == "POST":
            return routes.answer_response_url(rest, content_type, body)
        return HttpAnswer.text(404, "not_found")
