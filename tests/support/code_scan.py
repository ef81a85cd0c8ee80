"""Reading the project's own source for the Slack surface it uses: Web API methods called,
events listened to, slash commands handled. The manifest test compares these with the
manifest so neither can drift from the code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from slack_sdk import WebClient

from tests.support.reference import REPO

SOURCE_PACKAGES = ("bot", "handlers", "storage")

# slack_sdk helpers that wrap several Web API methods.
_COMPOSITE = {
    "files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal"),
}
_NOT_API = {"api_call", "headers", "token", "base_url", "timeout", "logger", "retry_handlers"}


def _source_trees(packages: tuple[str, ...] = SOURCE_PACKAGES) -> Iterator[ast.AST]:
    for package in packages:
        for path in sorted((REPO / package).rglob("*.py")):
            yield ast.parse(path.read_text(), filename=str(path))


def _web_client_methods() -> set[str]:
    return {
        name
        for name in dir(WebClient)
        if not name.startswith("_") and callable(getattr(WebClient, name)) and name not in _NOT_API
    }


def api_methods_called() -> set[str]:
    """Web API methods the code calls through slack_sdk's WebClient, e.g. "chat.postMessage"."""
    client_methods = _web_client_methods()
    methods: set[str] = set()
    for tree in _source_trees():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in client_methods
                and "_" in node.func.attr
            ):
                methods.update(_COMPOSITE.get(node.func.attr, (node.func.attr.replace("_", "."),)))
    return methods


def _decorator_arguments(decorator_name: str) -> set[str]:
    """String arguments of Bolt listener decorators (`@app.event("…")`) in `handlers/`."""
    found: set[str] = set()
    for tree in _source_trees(("handlers",)):
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == decorator_name
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def events_listened_to() -> set[str]:
    return _decorator_arguments("event")


def slash_commands_handled() -> set[str]:
    return _decorator_arguments("command")
