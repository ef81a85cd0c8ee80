"""One Web API request from bytes to answer, in Slack's order, recorded as a `Call`:

decode the arguments -> injected fault that strikes first? -> unknown method, token, scope ->
tier limit -> run the method -> injected fault that strikes after? -> record.

A call refused before it runs changes nothing in the workspace; see faults.py for the kinds
that strike after.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.sandbox.fakeslack.errors import ApiError
from bot.sandbox.fakeslack.faults import Fault, FaultKind, FaultPlan, TierLimiter
from bot.sandbox.fakeslack.httpd import HttpAnswer
from bot.sandbox.fakeslack.recording import DROPPED, Call, Journal
from bot.sandbox.fakeslack.webapi import Args, WebApi
from bot.sandbox.fakeslack.wire import bearer_token, decode_arguments

_INTERNAL_ERROR = {"ok": False, "error": "internal_error"}


class ApiGateway:
    def __init__(self, web_api: WebApi, clock: Callable[[], float]) -> None:
        self.web_api = web_api
        self.faults = FaultPlan()
        self.tiers = TierLimiter()
        self.calls: Journal[Call] = Journal()
        self._clock = clock

    def answer(self, method: str, headers: dict[str, str], body: bytes, query: str) -> HttpAnswer:
        try:
            arguments = decode_arguments(headers.get("content-type", ""), body, query)
        except ApiError as unreadable:
            return self._record(method, {}, HttpAnswer.json(200, unreadable.body()))
        token = bearer_token(headers.get("authorization")) or arguments.get("token")
        arguments.pop("token", None)
        fault = self.faults.next_for(method)
        if fault is not None and not fault.applies_effect:
            return self._record(method, arguments, _before_effect(fault))
        answer = self._run(method, arguments, token)
        if fault is not None:
            answer = _after_effect(answer, fault)
        return self._record(method, arguments, answer)

    def _run(self, method: str, arguments: dict[str, Any], token: str | None) -> HttpAnswer:
        try:
            kind = self.web_api.admit(method, token)
        except ApiError as refusal:
            return HttpAnswer.json(200, refusal.body())
        headers = self.web_api.response_headers(method, kind)
        channel = arguments.get("channel")
        retry_after = self.tiers.admit(
            method, channel if isinstance(channel, str) else None, self._clock()
        )
        if retry_after is not None:
            return _rate_limited(retry_after, headers)
        body = self.web_api.execute(method, Args(arguments), kind)
        return HttpAnswer.json(200, body, headers)

    def _record(self, method: str, arguments: dict[str, Any], answer: HttpAnswer) -> HttpAnswer:
        response = json.loads(answer.body) if answer.body and not answer.drop else {}
        status = DROPPED if answer.drop else answer.status
        retry_after = answer.headers.get("Retry-After") if status == 429 else None
        self.calls.append(
            Call(
                method,
                arguments,
                response,
                status,
                self._clock(),
                retry_after=int(retry_after) if retry_after is not None else None,
            )
        )
        return answer


def _before_effect(fault: Fault) -> HttpAnswer:
    if fault.kind is FaultKind.RATE_LIMITED:
        return _rate_limited(fault.retry_after, {})
    if fault.drops:
        return HttpAnswer.dropped()
    return HttpAnswer.json(500, _INTERNAL_ERROR)


def _after_effect(answer: HttpAnswer, fault: Fault) -> HttpAnswer:
    if fault.answers_500:
        return HttpAnswer.json(500, _INTERNAL_ERROR)
    if fault.drops:
        return HttpAnswer.dropped()
    answer.delay = fault.delay
    return answer


def _rate_limited(retry_after: int, headers: dict[str, str]) -> HttpAnswer:
    # Slack's own test server answers exactly this (python-slack-sdk mock_web_api_handler).
    body = {"ok": False, "error": "ratelimited"}
    return HttpAnswer.json(429, body, {**headers, "Retry-After": str(retry_after)})
