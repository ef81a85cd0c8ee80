"""Slack's way of saying no: HTTP 200 with `{"ok": false, "error": "<code>"}`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A method's refusal; becomes HTTP 200 `{"ok": false, "error": error, **details}`."""

    def __init__(self, error: str, **details: Any) -> None:
        super().__init__(error)
        self.error = error
        self.details = details

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.details}


def invalid_arguments(*problems: str) -> ApiError:
    """Slack's catch-all refusal, with its `[ERROR] ...` lines in response_metadata."""
    return ApiError(
        "invalid_arguments", response_metadata={"messages": [f"[ERROR] {p}" for p in problems]}
    )
