"""Socket Mode: Slack's WebSocket road to the app, used instead of HTTP request URLs.

apps.connections.open (app-level token) hands out `ws://127.0.0.1:<port>/link/?ticket=…`;
each ticket opens one connection. On connect the fake sends the `hello` message
(extracted-from-tests/socket_mode_hello.json). `send` wraps a payload in an envelope
`{envelope_id, type, payload, accepts_response_payload[, retry_attempt, retry_reason]}`, hands
it to one connected client (Slack picks any of up to 10) and waits for the client's ack
`{"envelope_id": …, "payload"?: …}`. Payloads are the same as over HTTP and carry no signature.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from bot.sandbox.fakeslack.recording import Journal

ENVELOPE_TYPES = ("events_api", "interactive", "slash_commands")
DEFAULT_ACK_TIMEOUT = 5.0
# Interactions whose ack may carry a body Slack acts on (response_action, a command reply).
_ANSWERABLE_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


@dataclass
class SocketModeExchange:
    """One envelope sent to the app and the ack that came back (None while waiting)."""

    envelope: dict[str, Any]
    ack: dict[str, Any] | None = None
    seconds_to_ack: float | None = None
    _arrived: threading.Event = field(default_factory=threading.Event, repr=False)


class SocketModeServer:
    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.exchanges: Journal[SocketModeExchange] = Journal()
        self._lock = threading.Condition()
        self._tickets: set[str] = set()
        self._connections: list[ServerConnection] = []
        # Connections told to reconnect elsewhere; no more envelopes go to them.
        self._retiring: set[ServerConnection] = set()
        self._waiting: dict[str, SocketModeExchange] = {}
        self._round_robin = itertools.count()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self._server = serve(
            self._serve_connection,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            compression=None,
            # Frequent pings keep clients' receive loops turning: slack_sdk's builtin client
            # holds a lock while waiting up to 3 s for data, which would stall its close().
            ping_interval=0.25,
            close_timeout=1,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fakeslack-socket-mode", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the Socket Mode server is not running; start FakeSlack first")
        return int(self._server.socket.getsockname()[1])

    # -- tickets and connections ----------------------------------------------------------

    def issue_url(self) -> str:
        ticket = secrets.token_hex(8)
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    @property
    def connection_count(self) -> int:
        """Connected clients that envelopes may go to."""
        return len(self._live_connections())

    def wait_for_connection(self, timeout: float = 5.0, count: int = 1) -> None:
        """Block until `count` clients are connected and greeted; TimeoutError otherwise."""
        with self._lock:
            if not self._lock.wait_for(lambda: self.connection_count >= count, timeout):
                raise TimeoutError(f"no Socket Mode client connected within {timeout} s")

    def disconnect_all(self, reason: str = "refresh_requested") -> None:
        """Send Slack's `disconnect` message, which tells clients to reconnect elsewhere;
        envelopes go only to the new connections from then on."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}}
        for connection in self._live_connections():
            with self._lock:
                self._retiring.add(connection)
            _send_quietly(connection, message)

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        ticket = parse_qs(url.query).get("ticket", [""])[0]
        with self._lock:
            if url.path.rstrip("/") == "/link" and ticket in self._tickets:
                self._tickets.discard(ticket)
                return None
        return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid ticket\n")

    def _serve_connection(self, connection: ServerConnection) -> None:
        try:
            connection.send(json.dumps(self._hello()))
            with self._lock:
                self._connections.append(connection)
                self._lock.notify_all()
            for message in connection:
                self._take_ack(message)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                if connection in self._connections:
                    self._connections.remove(connection)
                self._retiring.discard(connection)
                self._lock.notify_all()

    def _hello(self) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": self.connection_count + 1,
            "debug_info": {
                "host": "applink-fake",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _live_connections(self) -> list[ServerConnection]:
        with self._lock:
            return [c for c in self._connections if c not in self._retiring]

    # -- envelopes ------------------------------------------------------------------------

    def send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        retry_attempt: int | None = None,
        *,
        retry_reason: str = "timeout",
        timeout: float = DEFAULT_ACK_TIMEOUT,
    ) -> dict[str, Any]:
        """Deliver one envelope and return the app's ack; TimeoutError if none comes."""
        if envelope_type not in ENVELOPE_TYPES:
            raise ValueError(f"envelope type must be one of {ENVELOPE_TYPES}")
        exchange = SocketModeExchange(self._envelope(envelope_type, payload, retry_attempt))
        if retry_attempt is not None:
            exchange.envelope["retry_reason"] = retry_reason
        self.wait_for_connection(timeout)
        envelope_id = exchange.envelope["envelope_id"]
        with self._lock:
            self._waiting[envelope_id] = exchange
        self.exchanges.append(exchange)
        started = time.perf_counter()
        self._pick_connection().send(json.dumps(exchange.envelope))
        arrived = exchange._arrived.wait(timeout)
        with self._lock:
            self._waiting.pop(envelope_id, None)
        if not arrived or exchange.ack is None:
            raise TimeoutError(f"the app did not ack envelope {envelope_id} within {timeout} s")
        exchange.seconds_to_ack = time.perf_counter() - started
        return exchange.ack

    @staticmethod
    def _envelope(
        envelope_type: str, payload: dict[str, Any], retry_attempt: int | None
    ) -> dict[str, Any]:
        answerable = envelope_type == "slash_commands" or (
            envelope_type == "interactive" and payload.get("type") in _ANSWERABLE_INTERACTIONS
        )
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": answerable,
        }
        if retry_attempt is not None:
            envelope["retry_attempt"] = retry_attempt
        return envelope

    def _pick_connection(self) -> ServerConnection:
        live = self._live_connections()
        if not live:
            raise RuntimeError("no Socket Mode client is connected")
        return live[next(self._round_robin) % len(live)]

    def _take_ack(self, message: str | bytes) -> None:
        try:
            ack = json.loads(message)
        except ValueError:
            return
        if not isinstance(ack, dict):
            return
        with self._lock:
            exchange = self._waiting.get(str(ack.get("envelope_id")))
        if exchange is not None:
            exchange.ack = ack
            exchange._arrived.set()


def _send_quietly(connection: ServerConnection, message: dict[str, Any]) -> None:
    with contextlib.suppress(ConnectionClosed):
        connection.send(json.dumps(message))
