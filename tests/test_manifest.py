"""manifest.yml creates the app as the code needs it: valid for Slack, every scope the code
needs requested, and none it does not."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
import yaml

from tests.support.code_scan import api_methods_called, events_listened_to, slash_commands_handled
from tests.support.reference import REPO, event_spec, manifest_schema, method_spec


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((REPO / "manifest.yml").read_text())


def _granted(manifest: dict[str, Any]) -> set[str]:
    return set(manifest["oauth_config"]["scopes"]["bot"])


def _needs(manifest: dict[str, Any]) -> dict[str, set[str]]:
    """Each thing the app does → the scopes that would each allow it (any one suffices)."""
    needs: dict[str, set[str]] = {}
    for method in api_methods_called():
        accepted = set(method_spec(method).get("scope", {}).get("bot", []))
        if accepted:
            needs[f"Web API {method}"] = accepted
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        accepted = set(event_spec(event).get("scopes", []))
        if accepted:
            needs[f"event {event}"] = accepted
    if manifest["features"].get("slash_commands"):
        needs["slash commands"] = {"commands"}
    return needs


def test_manifest_is_valid_for_slack(manifest: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(manifest_schema()).validate(manifest)


def test_schema_check_can_fail(manifest: dict[str, Any]) -> None:
    broken = {**manifest, "features": {**manifest["features"], "unknown_feature": True}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(manifest_schema()).validate(broken)


def test_slash_command_escapes_mentions(manifest: dict[str, Any]) -> None:
    commands = {entry["command"]: entry for entry in manifest["features"]["slash_commands"]}
    assert set(commands) == slash_commands_handled() == {"/mentor"}
    assert commands["/mentor"]["should_escape"] is True


def test_surfaces_the_bot_uses_are_enabled(manifest: dict[str, Any]) -> None:
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_subscribed_events_are_exactly_the_ones_handled(manifest: dict[str, Any]) -> None:
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == events_listened_to()


def test_every_needed_scope_is_requested(manifest: dict[str, Any]) -> None:
    granted = _granted(manifest)
    missing = {
        what: accepted for what, accepted in _needs(manifest).items() if not accepted & granted
    }
    assert not missing, f"the manifest lacks a scope for: {missing}"


def test_no_scope_is_requested_that_nothing_needs(manifest: dict[str, Any]) -> None:
    granted = _granted(manifest)
    needs = _needs(manifest)
    unneeded = {
        scope
        for scope in granted
        if all(accepted & (granted - {scope}) for accepted in needs.values())
    }
    assert not unneeded, f"scopes nothing in the code needs: {sorted(unneeded)}"


def test_code_scan_sees_web_api_calls() -> None:
    # The views.publish call in the App Home listener must be found, or the scope check is blind.
    assert "views.publish" in api_methods_called()
