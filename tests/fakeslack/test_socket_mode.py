"""Socket Mode (bot/sandbox/fakeslack/socket_mode.py), and one small Bolt app over both
transports."""

from __future__ import annotations

import threading
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin.client import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.sandbox.fakeslack import FakeSlack, User
from bot.sandbox.fakeslack.driver import SlackDriver, SocketModeDriver
from tests.fakeslack.helpers import (
    SIGNING_SECRET,
    SUBMIT,
    modal,
    text_input,
)

# -- Socket Mode ------------------------------------------------------------------------


def test_socket_mode_round_trip_with_the_sdk_client(slack: FakeSlack, alice: User) -> None:
    web = WebClient(base_url=slack.api_url, token=slack.bot_token)
    sdk_client = SocketModeClient(app_token=slack.app_token, web_client=web)
    received: list[SocketModeRequest] = []

    def on_request(socket_client: SocketModeClient, request: SocketModeRequest) -> None:
        received.append(request)
        answer = SocketModeResponse(request.envelope_id, payload={"text": "pong"})
        socket_client.send_socket_mode_response(answer)

    sdk_client.socket_mode_request_listeners.append(on_request)
    sdk_client.connect()
    try:
        slack.socket_mode.wait_for_connection(timeout=5)
        ack = slack.socket_mode.send("slash_commands", {"command": "/mentor", "text": "ping"})
    finally:
        sdk_client.close()

    assert ack["payload"] == {"text": "pong"}
    assert received[0].type == "slash_commands"
    assert received[0].payload["text"] == "ping"
    assert slack.calls_to("apps.connections.open")[0].ok


def test_socket_mode_clients_reconnect_when_told_to(slack: FakeSlack) -> None:
    web = WebClient(base_url=slack.api_url, token=slack.bot_token)
    sdk_client = SocketModeClient(app_token=slack.app_token, web_client=web)
    sdk_client.socket_mode_request_listeners.append(
        lambda socket_client, request: socket_client.send_socket_mode_response(
            SocketModeResponse(request.envelope_id)
        )
    )
    sdk_client.connect()
    try:
        slack.socket_mode.wait_for_connection(timeout=5)
        slack.socket_mode.disconnect_all(reason="refresh_requested")
        slack.wait_for_calls("apps.connections.open", 2, timeout=5)
        slack.socket_mode.wait_for_connection(timeout=5)
        ack = slack.socket_mode.send("events_api", {"type": "event_callback"})
    finally:
        sdk_client.close()

    assert set(ack) == {"envelope_id"}


# -- one small Bolt app over both transports --------------------------------------------


def goal_app(client: WebClient) -> App:
    app = App(client=client, signing_secret=SIGNING_SECRET)

    @app.command("/mentor")
    def open_goal_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = modal([text_input()], callback_id="set_goal", **SUBMIT)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view("set_goal")
    def save_goal(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        goal = view["state"]["values"]["goal_block"]["goal"]["value"]
        if len(goal) < 5:
            ack(response_action="errors", errors={"goal_block": "Say a bit more"})
            return
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=f"Goal saved: {goal}")

    return app


class _QuietWsgi(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize("transport", ["http", "socket_mode"])
def test_the_same_bot_works_over_http_and_socket_mode(
    slack: FakeSlack, client: WebClient, alice: User, transport: str
) -> None:
    app = goal_app(client)
    channel = slack.add_channel("chat", [alice])
    if transport == "http":
        server = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=_QuietWsgi)
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        drive: SlackDriver | SocketModeDriver = SlackDriver(
            slack, f"http://127.0.0.1:{server.server_port}/slack/events", SIGNING_SECRET
        )
        stop = server.shutdown
    else:
        handler = SocketModeHandler(app, slack.app_token)
        handler.connect()
        slack.socket_mode.wait_for_connection(timeout=5)
        drive, stop = SocketModeDriver(slack), handler.close
    try:
        assert drive.command(alice.id, channel.id, "goal").acked_in_time
        slack.wait_for_call("views.open")
        [goal_view] = slack.open_views(alice.id)

        refused = drive.submit_view(alice.id, goal_view.id, {"goal_block": {"goal": "SQL"}})
        saved = drive.submit_view(alice.id, goal_view.id, {"goal_block": {"goal": "Learn SQL"}})
        slack.wait_for_call("chat.postMessage")
    finally:
        stop()

    assert refused.json == {"response_action": "errors", "errors": {"goal_block": "Say a bit more"}}
    assert saved.ok
    assert slack.open_views(alice.id) == []
    assert [m.text for m in slack.dm_messages_to(alice.id)] == ["Goal saved: Learn SQL"]
