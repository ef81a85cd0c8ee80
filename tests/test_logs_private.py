"""Logs never hold what people said: with every logger at DEBUG, a day of requests carrying a
secret marker (a private note, form values, command text, refused, unhandled and malformed
requests) leaves the marker, the response_urls, the bot token and the signing secret in no
log record, from our code, Bolt, slack_sdk or SQLAlchemy alike."""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from bot import logprivacy
from bot.sandbox.fakeslack.driver import FORM, DriverResponse
from tests.support.harness import BotUnderTest
from tests.support.scenario import form_group, poll_message

MARKER = "Zq7-SECRET-MARKER"
LIBRARIES = ("slack_bolt", "slack_sdk", "sqlalchemy", "mentorbot.bolt", "waitress", "urllib3")


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in LIBRARIES:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _record_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), record.exc_text or "", str(record.stack_info or "")]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def _response_urls(responses: list[DriverResponse]) -> set[str]:
    urls = set()
    for response in responses:
        url = response.payload.get("response_url")
        if isinstance(url, str) and url:
            urls.add(url)
    return urls


def test_no_log_record_holds_what_people_sent(
    bot: BotUnderTest, everything_logged: pytest.LogCaptureFixture
) -> None:
    caplog = everything_logged
    group = form_group(bot)
    mentor, bo = group.mentor, group.mentees[0]
    sent: list[DriverResponse] = []

    # A private note and other form values, in the log modal.
    sent.append(bot.command(mentor.id, group.channel_id, "log"))
    [modal] = bot.slack.open_views(mentor.id)
    yesterday = int((bot.runtime.now() - timedelta(days=1)).timestamp())
    sent.append(
        bot.submit_view(
            mentor.id,
            modal.id,
            {
                "when": {"value": {"type": "datetimepicker", "selected_date_time": yesterday}},
                "note": {"value": f"Bo is worried about exams {MARKER}-note"},
            },
        )
    )
    # The note shown back to the mentor, and command text.
    sent.append(bot.command(mentor.id, group.channel_id, "log list"))
    sent.append(bot.command(mentor.id, group.channel_id, f"poll {MARKER}-text; fri 14:00"))
    sent.append(bot.command(bo.id, group.channel_id, f"themes suggest {MARKER}-theme"))
    sent.append(bot.command(mentor.id, group.channel_id, "poll thu 16:00; fri 14:00"))
    message = poll_message(bot, group)
    actions = next(b for b in message.blocks if b.get("type") == "actions")
    # A tampered button value, and a button no listener takes.
    sent.append(
        bot.click(
            bo.id,
            message=(group.channel_id, message.ts),
            action_id="poll_vote_yes",
            value=f"{MARKER}-value\n2026-11-25 ERROR forged line",
            block_id=actions["block_id"],
        )
    )
    unhandled = bot.driver.payloads.block_actions(
        bo.id,
        message=(group.channel_id, message.ts),
        view_id=None,
        action_id="poll_vote_yes",
        value=None,
        block_id=actions["block_id"],
        state_values=None,
        extra={},
    ).payload
    unhandled["actions"][0]["action_id"] = f"{MARKER}-action"
    unhandled["actions"][0]["value"] = f"{MARKER}-unhandled"
    sent.append(bot.driver.deliver_payload(unhandled))
    # Payloads Slack never sends: malformed, nested too deep, not UTF-8, too big.
    malformed = json.loads(json.dumps(unhandled))
    malformed["user"] = {"id": 5, "name": MARKER}
    sent.append(bot.driver.deliver_payload(malformed))
    broken = json.loads(json.dumps(unhandled))
    broken["actions"] = f"{MARKER}-not-a-list"
    sent.append(bot.driver.deliver_payload(broken))
    unreadable = json.loads(json.dumps(unhandled))
    unreadable["team"] = 5  # Bolt itself fails to read this one
    unreadable["actions"][0]["value"] = f"{MARKER}-unreadable"
    assert bot.driver.deliver_payload(unreadable).status == 400
    deep_body = f'{{"type": "block_actions", "secret": "{MARKER}", "y": {"[" * 200}{"]" * 200}}}'
    bot.driver._post(urlencode({"payload": deep_body}).encode(), FORM, {})
    bot.driver._post(f"text={MARKER}".encode() + b"\xff", FORM, {})
    # Refused by their signature: wrong secret, stale, unsigned.
    for forger in (
        bot.driver.forging(signing_secret_override="wrong"),
        bot.driver.forging(timestamp_override=time.time() - 600),
        bot.driver.forging(unsigned=True),
    ):
        sent.append(forger.command(mentor.id, group.channel_id, f"poll {MARKER}-forged"))
    # A replay.
    fields = bot.driver.payloads.slash_command(mentor.id, group.channel_id, MARKER, "/mentor")
    body = urlencode(fields.fields).encode()
    same_time = bot.driver.forging(timestamp_override=time.time())
    same_time._post(body, FORM, {})
    same_time._post(body, FORM, {})
    bot.settle()

    secrets = {
        MARKER,
        bot.slack.bot_token,
        bot.runtime.settings.slack_bot_token,
        bot.runtime.settings.slack_signing_secret,
        fields.fields["response_url"],
        *_response_urls(sent),
    }
    assert len(secrets) > 4
    leaks = [
        (record.name, record.levelname, _record_text(record)[:300])
        for record in caplog.records
        if any(secret in _record_text(record) for secret in secrets)
    ]
    assert not leaks, leaks
    # Every record is one line: nothing a request carried can start a forged one.
    assert not [r.getMessage() for r in caplog.records if "\n" in r.getMessage()]
    # The libraries did speak (the test is not passing for want of records).
    names = {record.name.split(".")[0].split(":")[0] for record in caplog.records}
    assert {"slack_sdk", "sqlalchemy", "mentorbot"} <= names, names
    assert any(r.name.startswith(("slack_bolt", "mentorbot.bolt")) for r in caplog.records)
    # Refusals are still logged, one line each, naming the kind of request and who sent it.
    refusals = [r.getMessage() for r in caplog.records if "bad or stale" in r.getMessage()]
    assert len(refusals) == 3
    assert all("'/mentor'" in line and repr(mentor.id) in line for line in refusals)
    assert any("Bolt cannot read" in r.getMessage() for r in caplog.records)


def test_exception_messages_are_withheld_and_their_frames_kept(
    everything_logged: pytest.LogCaptureFixture,
) -> None:
    logprivacy.install()
    log = logging.getLogger("handlers.some_listener")
    try:
        try:
            int(f"{MARKER}-typed")
        except ValueError as error:
            raise RuntimeError(f"while reading {MARKER}") from error
    except RuntimeError:
        log.exception("Failed to handle a %r request", "block_actions")
    [record] = [r for r in everything_logged.records if r.name == "handlers.some_listener"]
    text = _record_text(record)
    assert MARKER not in text
    assert "ValueError: message withheld" in text
    assert "RuntimeError: message withheld" in text
    assert "test_exception_messages_are_withheld_and_their_frames_kept" in text
    assert record.getMessage() == "Failed to handle a 'block_actions' request"


def test_a_logged_value_cannot_start_a_line(everything_logged: pytest.LogCaptureFixture) -> None:
    logprivacy.install()
    logging.getLogger("bot.services.something").info(
        "%s left group %s", "U1\n2026-11-25 ERROR forged", 3
    )
    [record] = [r for r in everything_logged.records if r.name == "bot.services.something"]
    assert record.getMessage() == "U1\\n2026-11-25 ERROR forged left group 3"


def test_library_records_keep_their_description_only(
    everything_logged: pytest.LogCaptureFixture,
) -> None:
    logprivacy.install()
    cases: list[tuple[str, str, tuple[Any, ...], str]] = [
        (
            "slack_sdk.web.base_client",
            f"Sending a request - url: https://x/api/chat.postMessage, body_params: {MARKER}",
            (),
            "Sending a request",
        ),
        ("mentorbot.bolt", f"Unhandled request ({{'value': '{MARKER}'}})", (), "Unhandled request"),
        ("sqlalchemy.engine.Engine", "[%s] %r", ("cached", (MARKER,)), "[…] '…'"),
        (
            "mentorbot.bolt:on_vote",
            "Running listener: on_vote ...",
            (),
            "Running listener: on_vote",
        ),
    ]
    for name, message, args, kept in cases:
        logging.getLogger(name).warning(message, *args)
        record = everything_logged.records[-1]
        assert MARKER not in record.getMessage()
        assert record.getMessage().startswith(kept), record.getMessage()
