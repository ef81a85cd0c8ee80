"""Decoding what arrives over HTTP the way Slack's API front end does.

Slack takes arguments as a query string, an application/x-www-form-urlencoded body, a
multipart/form-data body (slack_sdk uses it whenever `data=` or files are passed) or, for
methods that support it, a JSON body; the token may come as `Authorization: Bearer` or as a
`token` argument.
"""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox.fakeslack.errors import ApiError


def decode_arguments(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Query-string arguments overlaid by body arguments; raises ApiError for bodies Slack
    could not read (invalid_json, json_not_object, invalid_form_data)."""
    arguments: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return arguments
    if media_type == "application/json":
        arguments.update(_json_object(body))
    elif media_type == "multipart/form-data":
        arguments.update(form_parts(content_type, body))
    else:
        arguments.update(_form_fields(body))
    return arguments


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        decoded = json.loads(body)
    except ValueError:
        raise ApiError("invalid_json") from None
    if not isinstance(decoded, dict):
        raise ApiError("json_not_object")
    return decoded


def _form_fields(body: bytes) -> dict[str, str]:
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
    except (UnicodeDecodeError, ValueError):
        raise ApiError("invalid_form_data") from None


def form_parts(content_type: str, body: bytes) -> dict[str, Any]:
    """Fields of a multipart/form-data body: text fields as str, file fields as bytes."""
    envelope = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    message = BytesParser(policy=HTTP).parsebytes(envelope)
    if not message.is_multipart():
        raise ApiError("invalid_form_data")
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        fields[name] = content if part.get_filename() else content.decode("utf-8")
    return fields


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[len("bearer ") :].strip() or None
    return None
