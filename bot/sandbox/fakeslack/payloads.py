"""The payloads Slack sends an app, built from what the fake workspace really holds.

A click is built from the stored message or view (its blocks with Slack-assigned block_ids,
its ts or view ID, hash and private_metadata), so a test cannot click a button the bot never
posted: asking for an action_id that is not there raises LookupError. Shapes follow
extracted-from-tests/ (Bolt's own test payloads) and shapes/app-backend/.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.sandbox.fakeslack.blockkit import STATEFUL_ELEMENTS
from bot.sandbox.fakeslack.ids import random_hex
from bot.sandbox.fakeslack.model import Channel, JsonDict, User, View

if TYPE_CHECKING:
    from bot.sandbox.fakeslack.server import FakeSlack

_OPTION_PICKERS = frozenset({"static_select", "external_select", "radio_buttons", "overflow"})
_MULTI_OPTION_PICKERS = frozenset({"multi_static_select", "multi_external_select", "checkboxes"})


@dataclass
class BuiltPayload:
    """A payload plus the handles Slack issued with it."""

    payload: JsonDict
    trigger_id: str | None = None
    response_url_id: str | None = None
    event_id: str | None = None
    # For view submissions: the view the person submitted.
    view_id: str | None = None
    # For slash commands: the form fields in Slack's order.
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ElementAt:
    """An interactive element found in a surface's blocks."""

    block_id: str
    element: JsonDict

    @property
    def action_id(self) -> str:
        return str(self.element.get("action_id", ""))


class PayloadFactory:
    def __init__(self, slack: FakeSlack) -> None:
        self.slack = slack

    # -- slash commands -------------------------------------------------------------------

    def slash_command(self, user_id: str, channel_id: str, text: str, command: str) -> BuiltPayload:
        with self.slack.workspace.lock:
            user = self.slack.user(user_id)
            channel = self.slack.channel(channel_id)
            if user.id not in channel.members:
                raise ValueError(
                    f"{user.name} is not in {channel.id}, so cannot run commands there"
                )
            trigger_id = self.slack.issue_trigger(user.id)
            response_url = self.slack.issue_response_url(user.id, channel.id)
        fields = {
            "token": self.slack.verification_token,
            "team_id": self.slack.team_id,
            "team_domain": self.slack.workspace.team.domain,
            "channel_id": channel.id,
            "channel_name": _channel_name(channel),
            "user_id": user.id,
            "user_name": user.name,
            "command": command,
            "text": text,
            "api_app_id": self.slack.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self.slack.response_url(response_url.id),
            "trigger_id": trigger_id,
        }
        return BuiltPayload(dict(fields), trigger_id, response_url.id, fields=fields)

    # -- block_actions --------------------------------------------------------------------

    def block_actions(
        self,
        user_id: str,
        *,
        message: tuple[str, str] | None,
        view_id: str | None,
        action_id: str,
        value: Any,
        block_id: str | None,
        state_values: JsonDict | None,
        extra: JsonDict,
    ) -> BuiltPayload:
        if (message is None) == (view_id is None):
            raise ValueError("click needs exactly one of message=(channel_id, ts) or view_id=")
        with self.slack.workspace.lock:
            user = self.slack.user(user_id)
            if message is not None:
                return self._click_in_message(
                    user, message, action_id, value, block_id, state_values, extra
                )
            assert view_id is not None
            return self._click_in_view(
                user, view_id, action_id, value, block_id, state_values, extra
            )

    def _click_in_message(
        self,
        user: User,
        message_ref: tuple[str, str],
        action_id: str,
        value: Any,
        block_id: str | None,
        state_values: JsonDict | None,
        extra: JsonDict,
    ) -> BuiltPayload:
        channel_id, ts = message_ref
        channel = self.slack.channel(channel_id)
        if user.id not in channel.members:
            raise ValueError(f"{user.name} is not in {channel_id} and cannot see its messages")
        stored = self.slack.workspace.find_message(channel_id, ts)
        ephemeral = self.slack.workspace.find_ephemeral(ts)
        if ephemeral is not None and ephemeral.user != user.id:
            raise ValueError(f"only {ephemeral.user} sees ephemeral message {ts}")
        if stored is not None:
            blocks = stored.blocks
        elif ephemeral is not None:
            blocks = ephemeral.blocks
        else:
            raise LookupError(f"no message {ts} in {channel_id}")
        target = find_element(blocks, action_id, block_id)
        action = action_payload(target, value, extra, self.slack.workspace.next_ts())
        response_url = self.slack.issue_response_url(
            user.id, channel_id, source_ts=ts, source_is_ephemeral=stored is None
        )
        trigger_id = self.slack.issue_trigger(user.id)
        payload: JsonDict = {
            **self._interaction_header("block_actions", user, trigger_id),
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel_id,
                "is_ephemeral": stored is None,
            },
            "channel": {"id": channel.id, "name": _channel_name(channel)},
            "state": {"values": _state_after(blocks, target, action, state_values)},
            "response_url": self.slack.response_url(response_url.id),
            "actions": [action],
        }
        if stored is not None:
            payload["message"] = stored.to_api(self.slack.workspace.team)
        return BuiltPayload(payload, trigger_id, response_url.id)

    def _click_in_view(
        self,
        user: User,
        view_id: str,
        action_id: str,
        value: Any,
        block_id: str | None,
        state_values: JsonDict | None,
        extra: JsonDict,
    ) -> BuiltPayload:
        view = self._open_view_of(user, view_id)
        target = find_element(view.blocks, action_id, block_id)
        action = action_payload(target, value, extra, self.slack.workspace.next_ts())
        trigger_id = self.slack.issue_trigger(user.id, view_id=view.id)
        state = _state_after(view.blocks, target, action, state_values)
        payload: JsonDict = {
            **self._interaction_header("block_actions", user, trigger_id),
            "container": {"type": "view", "view_id": view.id},
            "view": view.to_api(self.slack.workspace.team, state),
            "actions": [action],
        }
        return BuiltPayload(payload, trigger_id, view_id=view.id)

    # -- view_submission ------------------------------------------------------------------

    def view_submission(self, user_id: str, view_id: str, values: JsonDict | None) -> BuiltPayload:
        with self.slack.workspace.lock:
            user = self.slack.user(user_id)
            view = self._open_view_of(user, view_id)
            if view.type != "modal":
                raise ValueError(f"{view_id} is a {view.type} view; only modals are submitted")
            if self.slack.open_views(user.id)[-1].id != view.id:
                raise ValueError(f"{view_id} is under another modal; only the top one is shown")
            state = submitted_state(view.blocks, values or {})
            trigger_id = self.slack.issue_trigger(user.id, view_id=view.id)
            payload: JsonDict = {
                **self._interaction_header("view_submission", user, trigger_id),
                "view": view.to_api(self.slack.workspace.team, state),
                "response_urls": self._response_urls_for(user, view, state),
            }
        return BuiltPayload(payload, trigger_id, view_id=view.id)

    def _response_urls_for(self, user: User, view: View, state: JsonDict) -> list[JsonDict]:
        """Inputs with `response_url_enabled` get a response_url for the chosen conversation."""
        urls = []
        for found in _elements(view.blocks):
            if not found.element.get("response_url_enabled"):
                continue
            chosen = state.get(found.block_id, {}).get(found.action_id, {})
            channel_id = chosen.get("selected_conversation") or chosen.get("selected_channel")
            if channel_id:
                issued = self.slack.issue_response_url(user.id, channel_id)
                urls.append(
                    {
                        "block_id": found.block_id,
                        "action_id": found.action_id,
                        "channel_id": channel_id,
                        "response_url": self.slack.response_url(issued.id),
                    }
                )
        return urls

    # -- events ---------------------------------------------------------------------------

    def event_callback(self, inner_event: JsonDict, event_id: str | None) -> BuiltPayload:
        event = copy.deepcopy(inner_event)
        event.setdefault("event_ts", self.slack.workspace.next_ts())
        chosen_id = event_id or self.slack.workspace.ids.next("Ev")
        payload: JsonDict = {
            "token": self.slack.verification_token,
            "team_id": self.slack.team_id,
            "api_app_id": self.slack.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": chosen_id,
            "event_time": int(float(event["event_ts"])),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.slack.team_id,
                    "user_id": self.slack.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{random_hex(40)}",
        }
        return BuiltPayload(payload, event_id=chosen_id)

    # -- shared pieces --------------------------------------------------------------------

    def _interaction_header(self, kind: str, user: User, trigger_id: str) -> JsonDict:
        team = self.slack.workspace.team
        return {
            "type": kind,
            "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": team.id},
            "api_app_id": team.app_id,
            "token": self.slack.verification_token,
            "trigger_id": trigger_id,
            "team": {"id": team.id, "domain": team.domain},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _open_view_of(self, user: User, view_id: str) -> View:
        view = self.slack.view(view_id)
        if view.user_id != user.id:
            raise ValueError(f"view {view_id} belongs to {view.user_id}, not {user.id}")
        if not view.is_open:
            raise ValueError(f"view {view_id} is closed; Slack would not show it any more")
        return view


def _channel_name(channel: Channel) -> str:
    return "directmessage" if channel.is_im else channel.name


def _elements(blocks: list[JsonDict]) -> Iterator[ElementAt]:
    """Every element a person can act on, wherever Block Kit allows one."""
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        candidates = list(block.get("elements") or []) if block.get("type") == "actions" else []
        candidates += [block[key] for key in ("accessory", "element") if key in block]
        for element in candidates:
            if isinstance(element, dict) and "action_id" in element:
                yield ElementAt(block_id, element)


def find_element(blocks: list[JsonDict], action_id: str, block_id: str | None) -> ElementAt:
    matches = [
        found
        for found in _elements(blocks)
        if found.action_id == action_id and block_id in (None, found.block_id)
    ]
    if not matches:
        available = sorted({f"{f.block_id}/{f.action_id}" for f in _elements(blocks)})
        raise LookupError(f"no element {action_id!r} here; block_id/action_id present: {available}")
    if len(matches) > 1:
        raise ValueError(f"{action_id!r} is in several blocks; pass block_id= to choose")
    return matches[0]


def selection(element: JsonDict, value: Any) -> Any:
    """What a person choosing `value` in `element` amounts to in Slack's payload: an option
    object for selects, a list of them for multi-selects, the value itself otherwise."""
    element_type = element.get("type")
    if element_type in _OPTION_PICKERS:
        return _option_with_value(element, value)
    if element_type in _MULTI_OPTION_PICKERS:
        values = value if isinstance(value, list | tuple) else [value]
        return [_option_with_value(element, v) for v in values]
    return value


def _option_with_value(element: JsonDict, value: Any) -> JsonDict:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    for option in options:
        if option.get("value") == value:
            return copy.deepcopy(option)
    if element.get("type") == "external_select":
        return {"text": {"type": "plain_text", "text": str(value)}, "value": value}
    offered = [o.get("value") for o in options]
    raise LookupError(f"{element.get('action_id')!r} offers no option {value!r}; it has {offered}")


def action_payload(target: ElementAt, value: Any, extra: JsonDict, action_ts: str) -> JsonDict:
    element = target.element
    element_type = str(element.get("type"))
    action: JsonDict = {
        "action_id": target.action_id,
        "block_id": target.block_id,
        "type": element_type,
        "action_ts": action_ts,
    }
    if element_type == "button":
        action["text"] = copy.deepcopy(element.get("text"))
        chosen = value if value is not None else element.get("value")
        if chosen is not None:
            action["value"] = chosen
        if "style" in element:
            action["style"] = element["style"]
    elif element_type == "overflow" and value is not None:
        action["selected_option"] = selection(element, value)
    elif element_type in STATEFUL_ELEMENTS and value is not None:
        state_field, _ = STATEFUL_ELEMENTS[element_type]
        action[state_field] = selection(element, value)
    action.update(extra)
    return action


def initial_state(blocks: list[JsonDict]) -> JsonDict:
    """state.values as Slack reports it before anyone types: every stateful element with its
    initial_* value, or null (an empty list for multi-selects)."""
    state: JsonDict = {}
    for found in _elements(blocks):
        element_type = str(found.element.get("type"))
        if element_type not in STATEFUL_ELEMENTS:
            continue
        state_field, initial_key = STATEFUL_ELEMENTS[element_type]
        empty: Any = [] if state_field.endswith("s") else None
        initial = copy.deepcopy(found.element.get(initial_key, empty))
        state.setdefault(found.block_id, {})[found.action_id] = {
            "type": element_type,
            state_field: initial,
        }
    return state


def _state_after(
    blocks: list[JsonDict], target: ElementAt, action: JsonDict, overrides: JsonDict | None
) -> JsonDict:
    state = initial_state(blocks)
    entry = state.get(target.block_id, {}).get(target.action_id)
    if entry is not None:
        for key, chosen in action.items():
            if key.startswith("selected_") or key == "value":
                entry[key] = chosen
    return _merge_state(state, overrides or {}, blocks)


def submitted_state(blocks: list[JsonDict], values: JsonDict) -> JsonDict:
    """state.values of a submission: initial values overlaid with what the test typed.

    `values` may give Slack's full entries (`{"type": ..., "value": ...}`) or just the chosen
    value (`{"goal": "Learn SQL"}`, `{"day": "2026-12-01"}`, an option's value for selects).
    """
    return _merge_state(initial_state(blocks), values, blocks)


def _merge_state(state: JsonDict, values: JsonDict, blocks: list[JsonDict]) -> JsonDict:
    elements = {(f.block_id, f.action_id): f.element for f in _elements(blocks)}
    for block_id, actions in values.items():
        for action_id, given in actions.items():
            element = elements.get((block_id, action_id))
            if element is None:
                raise LookupError(f"the view has no input {block_id}/{action_id}")
            state.setdefault(block_id, {})[action_id] = _state_entry(element, given)
    return state


def _state_entry(element: JsonDict, given: Any) -> JsonDict:
    element_type = str(element.get("type"))
    if isinstance(given, dict):
        return {"type": element_type, **given}
    state_field, _ = STATEFUL_ELEMENTS.get(element_type, ("value", ""))
    return {"type": element_type, state_field: selection(element, given)}
