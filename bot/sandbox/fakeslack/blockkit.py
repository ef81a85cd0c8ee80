"""Block Kit limits, checked the way Slack checks them, with Slack's error wording.

Slack answers a bad `blocks` argument with `invalid_blocks` and one line per problem, each
ending in a JSON pointer. These wordings were seen in real responses (quoted in public issues):

    no more than 50 items allowed [json-pointer:/blocks]
    must be less than 3001 characters [json-pointer:/blocks/0/text/text]
    unsupported type: sections [json-pointer:/blocks/0/type]
    must define either `text` or `fields` [json-pointer:/blocks/0/type]
    must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/2/input]

The other wordings here follow the same pattern but are the fake's own.

The limits come from FACTS.md §3 (docs.slack.dev block and element pages). After the fake's
own checks each block also goes through slack_sdk's `Block.parse(...).validate_json()`, which
knows many element-level rules the tables below leave out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MESSAGE_BLOCKS_LIMIT = 50
VIEW_BLOCKS_LIMIT = 100
TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
SECTION_FIELDS_LIMIT = 10
SECTION_FIELD_TEXT_LIMIT = 2000
MARKDOWN_BLOCK_LIMIT = 12_000
CONTEXT_ELEMENTS_LIMIT = 10
ACTIONS_ELEMENTS_LIMIT = 25
ID_LIMIT = 255
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
URL_LIMIT = 3000
PLACEHOLDER_LIMIT = 150
SELECT_OPTIONS_LIMIT = 100
CHOICE_OPTIONS_LIMIT = 10
OVERFLOW_OPTIONS_LIMIT = 5
OPTION_TEXT_LIMIT = 75
OPTION_VALUE_LIMIT = 150
LABEL_LIMIT = 2000
MODAL_TEXT_LIMIT = 24
PRIVATE_METADATA_LIMIT = 3000
VIEW_SIZE_LIMIT = 250_000
# The sum of text in one message's blocks past which chat.postMessage answers
# msg_blocks_too_long. Slack does not document it; reports put it near 12,000-13,300
# characters (slackapi/bolt-js#2509, #2867), so the fake uses the low end.
MESSAGE_BLOCKS_TEXT_LIMIT = 12_000

KNOWN_BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "context_actions",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)

# Element type -> (state field in view_submission / block_actions state, the initial_* key).
STATEFUL_ELEMENTS: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "url_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
    "rich_text_input": ("rich_text_value", "initial_value"),
    "file_input": ("files", "initial_files"),
}

KNOWN_ELEMENT_TYPES = frozenset(STATEFUL_ELEMENTS) | {
    "button",
    "feedback_buttons",
    "icon_button",
    "image",
    "overflow",
    "workflow_button",
}

_OPTION_LIMITS: dict[str, tuple[int, int]] = {
    "static_select": (0, SELECT_OPTIONS_LIMIT),
    "multi_static_select": (0, SELECT_OPTIONS_LIMIT),
    "checkboxes": (1, CHOICE_OPTIONS_LIMIT),
    "radio_buttons": (1, CHOICE_OPTIONS_LIMIT),
    "overflow": (1, OVERFLOW_OPTIONS_LIMIT),
}


@dataclass(frozen=True)
class Problem:
    """One complaint about a block, as Slack words it, and where it is."""

    message: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.message} [json-pointer:{self.pointer}]"


def message_block_problems(blocks: object) -> list[Problem]:
    """What Slack would refuse in a message's `blocks` (chat.*, response_url)."""
    return _Checker().blocks(blocks, "/blocks", MESSAGE_BLOCKS_LIMIT)


def view_problems(view: object) -> list[Problem]:
    """What Slack would refuse in a `view` (views.open/update/push/publish)."""
    return _Checker().view(view)


def view_is_too_large(view: object) -> bool:
    return len(json.dumps(view)) > VIEW_SIZE_LIMIT


def block_text_length(blocks: Iterable[Any]) -> int:
    """All text a message's blocks carry, summed; what msg_blocks_too_long is about."""
    total = 0
    for value in _walk(list(blocks)):
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            total += len(value["text"])
    return total


def _walk(value: Any) -> Iterable[Any]:
    yield value
    if isinstance(value, dict):
        for child in value.values():
            yield from _walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child)


class _Checker:
    """Collects problems while walking one `blocks` array or view."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def complain(self, message: str, pointer: str) -> None:
        self.problems.append(Problem(message, pointer))

    # -- containers -----------------------------------------------------------------------

    def view(self, view: object) -> list[Problem]:
        if not isinstance(view, dict):
            self.complain("must provide an object", "/view")
            return self.problems
        view_type = view.get("type")
        if view_type is None:
            self.complain("missing required field: type", "/view")
            return self.problems
        if view_type not in ("modal", "home"):
            self.complain(f"unsupported type: {view_type}", "/view/type")
            return self.problems
        if view_type == "modal":
            self._modal_texts(view)
        self.max_length(
            view.get("private_metadata"), PRIVATE_METADATA_LIMIT, "/view/private_metadata"
        )
        self.max_length(view.get("callback_id"), ID_LIMIT, "/view/callback_id")
        self.max_length(view.get("external_id"), ID_LIMIT, "/view/external_id")
        if "blocks" not in view:
            self.complain("missing required field: blocks", "/view")
        else:
            self.blocks(view["blocks"], "/view/blocks", VIEW_BLOCKS_LIMIT)
        return self.problems

    def _modal_texts(self, view: dict[str, Any]) -> None:
        if "title" not in view:
            self.complain("missing required field: title", "/view")
        else:
            self.text_object(view["title"], "/view/title", MODAL_TEXT_LIMIT, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                self.text_object(view[key], f"/view/{key}", MODAL_TEXT_LIMIT, plain_only=True)
        if view.get("submit") is None and isinstance(view.get("blocks"), list):
            for index, block in enumerate(view["blocks"]):
                if isinstance(block, dict) and block.get("type") == "input":
                    self.complain(
                        "must define `submit` to use an `input` block in modals",
                        f"/view/blocks/{index}/input",
                    )
                    break

    def blocks(self, blocks: object, pointer: str, limit: int) -> list[Problem]:
        if not isinstance(blocks, list):
            self.complain("must provide an array", pointer)
            return self.problems
        if len(blocks) > limit:
            self.complain(f"no more than {limit} items allowed", pointer)
            return self.problems
        seen_block_ids: set[str] = set()
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}", seen_block_ids)
        return self.problems

    def block(self, block: object, pointer: str, seen_block_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.complain("must provide an object", pointer)
            return
        block_type = block.get("type")
        if block_type is None:
            self.complain("missing required field: type", pointer)
            return
        if block_type not in KNOWN_BLOCK_TYPES:
            self.complain(f"unsupported type: {block_type}", f"{pointer}/type")
            return
        self.block_id(block.get("block_id"), f"{pointer}/block_id", seen_block_ids)
        problems_before = len(self.problems)
        _BLOCK_CHECKS.get(block_type, _no_check)(self, block, pointer)
        if len(self.problems) == problems_before:
            self.slack_sdk_opinion(block, pointer)

    def block_id(self, block_id: object, pointer: str, seen: set[str]) -> None:
        if block_id is None:
            return
        if not isinstance(block_id, str):
            self.complain("must be a string", pointer)
            return
        self.max_length(block_id, ID_LIMIT, pointer)
        if block_id in seen:
            self.complain(f"duplicate block_id: {block_id}", pointer)
        seen.add(block_id)

    def slack_sdk_opinion(self, block: dict[str, Any], pointer: str) -> None:
        try:
            parsed = Block.parse(block)
            if parsed is not None:
                parsed.validate_json()
        except (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError) as e:
            self.complain(str(e), pointer)

    # -- leaves ---------------------------------------------------------------------------

    def max_length(self, value: object, limit: int, pointer: str) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.complain(f"must be less than {limit + 1} characters", pointer)

    def text_object(
        self, obj: object, pointer: str, limit: int = TEXT_LIMIT, *, plain_only: bool = False
    ) -> None:
        if not isinstance(obj, dict):
            self.complain("must provide an object", pointer)
            return
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in allowed:
            self.complain(f"must be one of: {', '.join(allowed)}", f"{pointer}/type")
        text = obj.get("text")
        if not isinstance(text, str):
            self.complain("missing required field: text", pointer)
        elif not text:
            self.complain("must be more than 0 characters", f"{pointer}/text")
        else:
            self.max_length(text, limit, f"{pointer}/text")

    def count(self, items: object, pointer: str, low: int, high: int) -> list[Any]:
        if not isinstance(items, list):
            self.complain("must provide an array", pointer)
            return []
        if len(items) < low:
            self.complain(f"must provide at least {low} items", pointer)
        if len(items) > high:
            self.complain(f"no more than {high} items allowed", pointer)
        return items

    def element(self, element: object, pointer: str, *, interactive_only: bool = False) -> None:
        if not isinstance(element, dict):
            self.complain("must provide an object", pointer)
            return
        element_type = element.get("type")
        if element_type not in KNOWN_ELEMENT_TYPES or (
            interactive_only and element_type == "image"
        ):
            self.complain(f"unsupported type: {element_type}", f"{pointer}/type")
            return
        self.max_length(element.get("action_id"), ID_LIMIT, f"{pointer}/action_id")
        if element_type == "button":
            self.button(element, pointer)
        if "placeholder" in element:
            self.text_object(element["placeholder"], f"{pointer}/placeholder", PLACEHOLDER_LIMIT)
        if element_type in _OPTION_LIMITS:
            low, high = _OPTION_LIMITS[element_type]
            options = self.count(element.get("options", []), f"{pointer}/options", low, high)
            for index, option in enumerate(options):
                self.option(option, f"{pointer}/options/{index}")
        if "confirm" in element:
            self.confirm(element["confirm"], f"{pointer}/confirm")

    def button(self, button: dict[str, Any], pointer: str) -> None:
        self.text_object(button.get("text"), f"{pointer}/text", BUTTON_TEXT_LIMIT, plain_only=True)
        self.max_length(button.get("value"), BUTTON_VALUE_LIMIT, f"{pointer}/value")
        self.max_length(button.get("url"), URL_LIMIT, f"{pointer}/url")
        if button.get("style") not in (None, "primary", "danger"):
            self.complain("must be one of: primary, danger", f"{pointer}/style")

    def option(self, option: object, pointer: str) -> None:
        if not isinstance(option, dict):
            self.complain("must provide an object", pointer)
            return
        self.text_object(option.get("text"), f"{pointer}/text", OPTION_TEXT_LIMIT)
        self.max_length(option.get("value"), OPTION_VALUE_LIMIT, f"{pointer}/value")
        if "description" in option:
            self.text_object(option["description"], f"{pointer}/description", OPTION_TEXT_LIMIT)

    def confirm(self, confirm: object, pointer: str) -> None:
        if not isinstance(confirm, dict):
            self.complain("must provide an object", pointer)
            return
        for key, limit in (("title", 100), ("text", 300), ("confirm", 30), ("deny", 30)):
            if key in confirm:
                self.text_object(confirm[key], f"{pointer}/{key}", limit)


# -- per block type -----------------------------------------------------------------------


def _no_check(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    """Block types the fake accepts as they come (divider, rich_text, file, ...)."""


def _section(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    if "text" not in block and "fields" not in block:
        checker.complain("must define either `text` or `fields`", f"{pointer}/type")
    if "text" in block:
        checker.text_object(block["text"], f"{pointer}/text")
    if "fields" in block:
        fields = checker.count(block["fields"], f"{pointer}/fields", 1, SECTION_FIELDS_LIMIT)
        for index, item in enumerate(fields):
            checker.text_object(item, f"{pointer}/fields/{index}", SECTION_FIELD_TEXT_LIMIT)
    if "accessory" in block:
        checker.element(block["accessory"], f"{pointer}/accessory")


def _header(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    checker.text_object(block.get("text"), f"{pointer}/text", HEADER_TEXT_LIMIT, plain_only=True)


def _context(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    elements = checker.count(
        block.get("elements"), f"{pointer}/elements", 1, CONTEXT_ELEMENTS_LIMIT
    )
    for index, element in enumerate(elements):
        element_pointer = f"{pointer}/elements/{index}"
        if isinstance(element, dict) and element.get("type") == "image":
            checker.max_length(element.get("alt_text"), LABEL_LIMIT, f"{element_pointer}/alt_text")
        else:
            checker.text_object(element, element_pointer)


def _actions(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    elements = checker.count(
        block.get("elements"), f"{pointer}/elements", 1, ACTIONS_ELEMENTS_LIMIT
    )
    action_ids: set[str] = set()
    for index, element in enumerate(elements):
        element_pointer = f"{pointer}/elements/{index}"
        checker.element(element, element_pointer, interactive_only=True)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str):
            if action_id in action_ids:
                checker.complain(
                    f"duplicate action_id: {action_id}", f"{element_pointer}/action_id"
                )
            action_ids.add(action_id)


def _input(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    checker.text_object(block.get("label"), f"{pointer}/label", LABEL_LIMIT, plain_only=True)
    if "hint" in block:
        checker.text_object(block["hint"], f"{pointer}/hint", LABEL_LIMIT, plain_only=True)
    if "element" not in block:
        checker.complain("missing required field: element", pointer)
    else:
        checker.element(block["element"], f"{pointer}/element", interactive_only=True)


def _image(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    if "alt_text" not in block:
        checker.complain("missing required field: alt_text", pointer)
    checker.max_length(block.get("alt_text"), LABEL_LIMIT, f"{pointer}/alt_text")
    checker.max_length(block.get("image_url"), URL_LIMIT, f"{pointer}/image_url")
    if "title" in block:
        checker.text_object(block["title"], f"{pointer}/title", LABEL_LIMIT, plain_only=True)


def _markdown(checker: _Checker, block: dict[str, Any], pointer: str) -> None:
    text = block.get("text")
    if not isinstance(text, str):
        checker.complain("missing required field: text", pointer)
    else:
        checker.max_length(text, MARKDOWN_BLOCK_LIMIT, f"{pointer}/text")


_BLOCK_CHECKS = {
    "actions": _actions,
    "context": _context,
    "header": _header,
    "image": _image,
    "input": _input,
    "markdown": _markdown,
    "section": _section,
}
