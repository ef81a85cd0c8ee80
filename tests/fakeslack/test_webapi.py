"""The fake's Web API envelope (bot/sandbox/fakeslack/webapi.py, wire.py, catalog.py):
tokens, scopes, unknown methods, Slack's headers, and a catalogue that matches Slack's."""

from __future__ import annotations

import json
from urllib.request import Request, urlopen

import pytest
from slack_sdk import WebClient

from bot.sandbox.fakeslack import FakeSlack
from bot.sandbox.fakeslack.catalog import METHODS
from bot.sandbox.fakeslack.methods import METHOD_HANDLERS
from tests.fakeslack.helpers import (
    error_of,
    refusal,
)
from tests.support.code_scan import api_methods_called
from tests.support.reference import require_reference

# -- authentication and the HTTP envelope -----------------------------------------------


def test_auth_test_answers_with_slack_headers(slack: FakeSlack, client: WebClient) -> None:
    response = client.auth_test()

    assert response.data == {
        "ok": True,
        "url": "https://fake-workspace.slack.com/",
        "team": "Fake Workspace",
        "user": "mentorbot",
        "team_id": "T0FAKE",
        "user_id": "UBOT0001",
        "bot_id": "B0FAKE",
        "is_enterprise_install": False,
    }
    headers = {name.lower(): value for name, value in response.headers.items()}
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["x-slack-req-id"]
    assert "chat:write" in headers["x-oauth-scopes"].split(",")


@pytest.mark.parametrize(("token", "error"), [(None, "not_authed"), ("xoxb-nope", "invalid_auth")])
def test_bad_tokens_are_refused(slack: FakeSlack, token: str | None, error: str) -> None:
    anonymous = WebClient(base_url=slack.api_url, token=token)

    assert refusal(anonymous.auth_test) == {"ok": False, "error": error}


def test_token_can_come_as_a_form_field(slack: FakeSlack) -> None:
    body = f"token={slack.bot_token}".encode()
    with urlopen(Request(slack.api_url + "auth.test", data=body)) as answer:
        assert json.loads(answer.read())["ok"] is True


def test_unknown_method(client: WebClient) -> None:
    assert refusal(lambda: client.api_call("chat.teleport")) == {
        "ok": False,
        "error": "unknown_method",
    }


def test_app_token_is_only_for_socket_mode(slack: FakeSlack, client: WebClient) -> None:
    assert (
        error_of(lambda: client.apps_connections_open(app_token=slack.bot_token))
        == "not_allowed_token_type"
    )
    app_client = WebClient(base_url=slack.api_url, token=slack.app_token)
    assert error_of(app_client.auth_test) == "not_allowed_token_type"
    url = client.apps_connections_open(app_token=slack.app_token)["url"]
    assert url.startswith(f"ws://127.0.0.1:{slack.socket_mode.port}/link/?ticket=")


def test_missing_scope_names_what_is_needed(slack: FakeSlack, client: WebClient) -> None:
    slack.bot_scopes.discard("users:read.email")

    body = refusal(lambda: client.users_lookupByEmail(email="x@example.com"))

    assert body["error"] == "missing_scope"
    assert body["needed"] == "users:read.email"


# -- the methods catalogue --------------------------------------------------------------


def test_the_fake_serves_every_method_the_bot_calls() -> None:
    missing = api_methods_called() - set(METHOD_HANDLERS)

    assert not missing, f"add these to bot/sandbox/fakeslack/methods: {sorted(missing)}"


def test_catalog_matches_the_reference() -> None:
    summary = json.loads((require_reference() / "methods-summary.json").read_text())["methods"]

    for method, facts in METHODS.items():
        assert facts.tier == summary[method]["rate_limit_tier"], method
        assert set(facts.bot_scopes) == set(summary[method]["bot_scopes_any_of"]), method
