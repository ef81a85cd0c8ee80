"""The Slack surface the project uses: Web API methods called (read from the source), events
listened to and slash commands handled (read from handlers' table of listeners). The
manifest test compares these with the manifest so neither can drift from the code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from slack_sdk import WebClient

from handlers import LISTENERS
from tests.support.reference import REPO

SOURCE_PACKAGES = ("mentorbot", "bot", "handlers", "storage")

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


def events_listened_to() -> set[str]:
    """The Events API types handlers' table of listeners has a listener for."""
    return set(LISTENERS.events)


def slash_commands_handled() -> set[str]:
    """The slash commands handlers' table of listeners has a listener for."""
    return set(LISTENERS.commands)
