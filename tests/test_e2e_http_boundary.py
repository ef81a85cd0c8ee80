"""The HTTP boundary refuses what Slack would never send before it costs anything: bodies over
the size limit (413, whatever their length or transfer encoding, without the bot's memory
growing), bad signatures before the body is read as text (401), bodies nested too deep
(400, never 500), and a signed request sent again (a replay) does nothing a second time."""

from __future__ import annotations

import gc
import io
import json
import logging
import re
import select
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import event as sql_event
from sqlalchemy import func
from sqlalchemy import select as sql_select

import bot.server as server
from bot.jobs import housekeeping_job
from bot.sandbox.fakeslack.driver import FORM
from bot.server import EVENTS_PATH, MAX_BODY_BYTES, MAX_NESTING, make_wsgi_app
from storage.db import read_session, write_session
from storage.models import Meeting, Poll, SeenRequest, Vote
from storage.replays import remember_request
from tests.support.harness import BotUnderTest
from tests.support.scenario import form_group, poll_message, stored, vote

HUGE = 300 * 1024 * 1024
"""The size of the unsigned body streamed at the bot: far beyond anything it should hold."""
RSS_GROWTH_LIMIT = 8 * 1024 * 1024
STREAM_PIECE = b"x" * (64 * 1024)
JSON = "application/json"
DELIVERIES = 6


def _reset_peak_rss() -> None:
    """Start the process's resident-memory high-water mark again from what it holds now."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def _peak_rss() -> int:
    """The most memory the process held at once since the last reset (VmHWM), in bytes: a
    body held for a moment and freed shows here, though not in the RSS afterwards."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _stream(port: int, total: int, *, chunked: bool, deadline: float = 60.0) -> tuple[int, float]:
    """POST `total` bytes of an unsigned body to the bot over a raw loopback socket, in 64 KB
    pieces, stopping as soon as the bot answers or closes; returns (status or 0 if it closed
    without an answer, seconds taken). Never holds more than one piece in memory."""
    started = time.monotonic()
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    head = (
        f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: {FORM}\r\n{length}\r\n\r\n"
    ).encode()
    piece = (b"%x\r\n" % len(STREAM_PIECE) + STREAM_PIECE + b"\r\n") if chunked else STREAM_PIECE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head)
        sent = 0
        while sent < total and time.monotonic() - started < deadline:
            answered, _, _ = select.select([connection], [], [], 0)
            if answered:
                break
            try:
                connection.sendall(piece)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break
            sent += len(STREAM_PIECE)
        answer = b""
        try:
            while b"\r\n" not in answer and time.monotonic() - started < deadline:
                received = connection.recv(4096)
                if not received:
                    break
                answer += received
        except (ConnectionResetError, TimeoutError):
            pass
    found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return (int(found.group(1)) if found else 0), time.monotonic() - started


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_300_mb_unsigned_body_is_refused_without_the_memory_growing(
    bot: BotUnderTest, chunked: bool
) -> None:
    port = bot.server.port
    # Warm up: the first requests of each kind load code and start threads.
    for _ in range(2):
        _stream(port, 4 * 1024 * 1024, chunked=chunked)
    gc.collect()
    _reset_peak_rss()
    before = _peak_rss()
    status, seconds = _stream(port, HUGE, chunked=chunked)
    growth = _peak_rss() - before
    print(
        f"300 MB {'chunked' if chunked else 'with a length'}: {status or 'closed'} in "
        f"{seconds:.2f} s, peak RSS grew by {growth / 1024 / 1024:.1f} MB"
    )
    assert status in (413, 0), status
    assert seconds < 10, seconds
    assert growth < RSS_GROWTH_LIMIT, f"RSS grew by {growth / 1024 / 1024:.1f} MB"
    # The bot still answers what Slack sends.
    member = bot.slack.add_user("mia")
    channel = bot.slack.add_channel("general", [member.id])
    assert bot.command(member.id, channel.id, "help").status == 200


class _Endless(io.RawIOBase):
    """A request body that never ends, counting what was read of it."""

    def __init__(self) -> None:
        self.read_so_far = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else size
        self.read_so_far += size
        return b"x" * size


def _call(app: Any, environ: dict[str, Any]) -> str:
    statuses: list[str] = []
    body = b"".join(app(environ, lambda status, headers, *_: statuses.append(status)))
    assert body is not None
    return statuses[0]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_wsgi_layer_reads_at_most_one_byte_past_the_limit(bot: BotUnderTest) -> None:
    """Behind a server without waitress's own limit: a declared length over the limit is
    refused unread, and a body without a length is read one byte past it, no further."""
    app = make_wsgi_app(
        _never_called(),
        bot.runtime.engine,
        signing_secret=bot.runtime.settings.slack_signing_secret,
    )
    base = {"REQUEST_METHOD": "POST", "PATH_INFO": EVENTS_PATH, "CONTENT_TYPE": FORM}
    declared = _Endless()
    status = _call(app, {**base, "CONTENT_LENGTH": str(HUGE), "wsgi.input": declared})
    assert status.startswith("413")
    assert declared.read_so_far == 0
    endless = _Endless()
    status = _call(app, {**base, "wsgi.input": endless, "wsgi.input_terminated": True})
    assert status.startswith("413")
    assert endless.read_so_far <= MAX_BODY_BYTES + 1


def _never_called() -> Any:
    class NeverCalled:
        _signing_secret = "unused"

        def dispatch(self, _request: Any) -> Any:
            raise AssertionError("Bolt must not see a refused request")

    return NeverCalled()


def test_a_body_just_over_the_limit_is_refused_and_one_under_is_not(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    channel = bot.slack.add_channel("general", [member.id])
    small = _command_body(bot, member.id, channel.id, "help")
    padded = small + b"&padding=" + b"x" * (MAX_BODY_BYTES - len(small) - len(b"&padding="))
    assert len(padded) == MAX_BODY_BYTES
    assert bot.driver._post(padded, FORM, {}).status == 200
    # Over the limit: answered as soon as the length is declared, before any of the body.
    head = (
        f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {FORM}\r\n"
        f"Content-Length: {MAX_BODY_BYTES + 1}\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in bot.driver.signature_headers(padded + b"x").items())
        + "\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", bot.server.port), timeout=10) as connection:
        connection.sendall(head)
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]


def test_the_signature_is_checked_before_the_body_is_read_as_text(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    not_utf8 = b"token=x&team_id=T1&user_id=U1&command=%2Fmentor&text=\xff\xfe"
    with caplog.at_level(logging.INFO):
        assert bot.driver.forging(unsigned=True)._post(not_utf8, FORM, {}).status == 401
        assert (
            bot.driver.forging(signing_secret_override="wrong")._post(not_utf8, FORM, {}).status
            == 401
        )
        assert bot.driver._post(not_utf8, FORM, {}).status == 400
        for junk in ("soon", "\u00b2", "1" * 40):
            junk_time = {"X-Slack-Request-Timestamp": junk, "X-Slack-Signature": "v0=00"}
            assert bot.driver.forging(unsigned=True)._post(b"x=1", FORM, junk_time).status == 401
    refusals = [r for r in caplog.records if "signature" in r.getMessage()]
    assert len(refusals) == 5
    assert all(r.exc_info is None and not r.exc_text for r in caplog.records)


def _nested_json(depth: int) -> str:
    return '{"type":"block_actions","x":' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 5_000, 100_000])
def test_deep_nesting_is_refused_with_400(bot: BotUnderTest, depth: int) -> None:
    as_json = _nested_json(depth).encode()
    assert bot.driver._post(as_json, JSON, {}).status == 400
    as_form = urlencode({"payload": _nested_json(depth)}).encode()
    assert bot.driver._post(as_form, FORM, {}).status == 400
    unclosed = urlencode({"payload": '{"type":"block_actions","x":' + "[" * depth}).encode()
    assert bot.driver._post(unclosed, FORM, {}).status == 400


def test_nesting_a_parser_fails_on_is_400_even_past_the_depth_check(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the depth check ever bypassed, the parser's RecursionError is still a 400."""
    monkeypatch.setattr(server, "MAX_NESTING", 10**9, raising=False)
    body = urlencode({"payload": _nested_json(100_000)}).encode()
    assert bot.driver._post(body, FORM, {}).status == 400


def test_slack_shaped_nesting_passes(bot: BotUnderTest) -> None:
    group = form_group(bot)
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    # A rich-text message about as deep as Slack makes them, in a click on the poll.
    quote: Any = {"type": "text", "text": "hi"}
    for _ in range(8):
        quote = {"type": "rich_text_list", "elements": [quote]}
    response = bot.driver.click(
        group.mentees[0].id,
        message=(group.channel_id, poll_message(bot, group).ts),
        action_id="poll_vote_yes",
        value=None,
        block_id=next(
            b["block_id"]
            for b in poll_message(bot, group).blocks
            if any(e.get("action_id") == "poll_vote_yes" for e in b.get("elements", []))
        ),
        extra_field=quote,
    )
    assert response.status == 200


# -- replays ---------------------------------------------------------------------------------


def _replayed(bot: BotUnderTest, body: bytes, content_type: str = FORM) -> tuple[int, int, str]:
    """Send the very same signed bytes twice; the two statuses and the second answer."""
    same_time = bot.driver.forging(timestamp_override=time.time())
    first = same_time._post(body, content_type, {})
    bot.settle()
    second = same_time._post(body, content_type, {})
    bot.settle()
    return first.status, second.status, second.body


def _command_body(bot: BotUnderTest, user_id: str, channel_id: str, text: str) -> bytes:
    fields = bot.driver.payloads.slash_command(user_id, channel_id, text, "/mentor").fields
    return urlencode(fields).encode()


def _interaction_body(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_a_replayed_poll_command_posts_one_poll(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    group = form_group(bot)
    body = _command_body(bot, group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    with caplog.at_level(logging.INFO):
        first, second, answer = _replayed(bot, body)
    assert (first, second, answer) == (200, 200, "")
    assert len(stored(bot, Poll)) == 1
    polls = [
        m
        for m in bot.slack.messages_in(group.channel_id)
        if "poll_vote_yes" in json.dumps(m.blocks)
    ]
    assert len(polls) == 1
    [replay] = [r for r in caplog.records if "replayed" in r.getMessage()]
    assert "'/mentor'" in replay.getMessage()
    assert group.mentor.id in replay.getMessage()
    assert "thu" not in replay.getMessage()


def test_a_replayed_vote_does_not_undo_a_later_one(bot: BotUnderTest) -> None:
    group = form_group(bot)
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    message = poll_message(bot, group)
    actions = next(b for b in message.blocks if b.get("type") == "actions")
    yes = next(e for e in actions["elements"] if e["action_id"] == "poll_vote_yes")
    bo = group.mentees[0]
    payload = bot.driver.payloads.block_actions(
        bo.id,
        message=(group.channel_id, message.ts),
        view_id=None,
        action_id="poll_vote_yes",
        value=yes["value"],
        block_id=actions["block_id"],
        state_values=None,
        extra={},
    ).payload
    same_time = bot.driver.forging(timestamp_override=time.time())
    body = _interaction_body(payload)
    assert same_time._post(body, FORM, {}).status == 200
    bot.settle()
    vote(bot, group, bo, 0, "no")
    updates = len(bot.slack.calls_to("chat.update"))
    replay = same_time._post(body, FORM, {})
    bot.settle()
    assert (replay.status, replay.body) == (200, "")
    assert [(v.slack_user_id, v.answer) for v in stored(bot, Vote) if v.slack_user_id == bo.id] == [
        (bo.id, "no")
    ]
    assert len(bot.slack.calls_to("chat.update")) == updates


def test_a_replayed_form_submission_stores_once(bot: BotUnderTest) -> None:
    group = form_group(bot)
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    yesterday = int((bot.runtime.now() - timedelta(days=1)).timestamp())
    payload = bot.driver.payloads.view_submission(
        group.mentor.id,
        modal.id,
        {"when": {"value": {"type": "datetimepicker", "selected_date_time": yesterday}}},
    ).payload
    posted = len(bot.slack.calls_to("chat.postMessage"))
    first, second, answer = _replayed(bot, _interaction_body(payload))
    assert (first, second, answer) == (200, 200, "")
    assert len(stored(bot, Meeting)) == 1
    # The meeting is announced in the channel once.
    assert len(bot.slack.calls_to("chat.postMessage")) == posted + 1


def test_replays_racing_each_other_post_one_poll(bot: BotUnderTest) -> None:
    """The same signed command delivered by several threads at once: the replay record goes
    into the transaction of each delivery's first write, and the database's unique key lets
    exactly one of those commit."""
    group = form_group(bot)
    body = _command_body(bot, group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    same_time = bot.driver.forging(timestamp_override=time.time())
    with ThreadPoolExecutor(max_workers=DELIVERIES) as pool:
        replies = list(pool.map(lambda _: same_time._post(body, FORM, {}), range(DELIVERIES)))
    bot.settle()
    assert [reply.status for reply in replies] == [200] * DELIVERIES
    assert len(stored(bot, Poll)) == 1
    polls = [
        m
        for m in bot.slack.messages_in(group.channel_id)
        if "poll_vote_yes" in json.dumps(m.blocks)
    ]
    assert len(polls) == 1


def test_a_vote_and_its_replay_record_are_one_commit(bot: BotUnderTest) -> None:
    """The acknowledgement of a request that writes waits for one commit, not two (the
    record alone, then the vote: `bench.profile_ack`)."""
    group = form_group(bot)
    bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    message = poll_message(bot, group)
    actions = next(b for b in message.blocks if b.get("type") == "actions")
    yes = next(e for e in actions["elements"] if e["action_id"] == "poll_vote_yes")
    payload = bot.driver.payloads.block_actions(
        group.mentees[0].id,
        message=(group.channel_id, message.ts),
        view_id=None,
        action_id="poll_vote_yes",
        value=yes["value"],
        block_id=actions["block_id"],
        state_values=None,
        extra={},
    ).payload
    commits: list[object] = []

    def count_commit(connection: object) -> None:
        commits.append(connection)

    sql_event.listen(bot.runtime.engine, "commit", count_commit)
    try:
        assert bot.driver._post(_interaction_body(payload), FORM, {}).status == 200
    finally:
        sql_event.remove(bot.runtime.engine, "commit", count_commit)
    assert len(commits) == 1
    assert (group.mentees[0].id, "yes") in [(v.slack_user_id, v.answer) for v in stored(bot, Vote)]
    with read_session(bot.runtime.engine) as session:
        count = session.execute(sql_select(func.count()).select_from(SeenRequest)).scalar_one()
    assert count >= 1


def test_a_replayed_request_that_writes_nothing_is_answered_empty(bot: BotUnderTest) -> None:
    """A form refused on a field writes nothing: its record is stored alone before the
    answer, and its replay gets an empty 200 instead of the errors again."""
    group = form_group(bot)
    bot.command(group.mentor.id, group.channel_id, "log")
    [modal] = bot.slack.open_views(group.mentor.id)
    next_week = int((bot.runtime.now() + timedelta(days=7)).timestamp())
    payload = bot.driver.payloads.view_submission(
        group.mentor.id,
        modal.id,
        {"when": {"value": {"type": "datetimepicker", "selected_date_time": next_week}}},
    ).payload
    same_time = bot.driver.forging(timestamp_override=time.time())
    body = _interaction_body(payload)
    first = same_time._post(body, FORM, {})
    assert first.status == 200
    assert json.loads(first.body)["response_action"] == "errors"
    replay = same_time._post(body, FORM, {})
    assert (replay.status, replay.body) == (200, "")
    assert stored(bot, Meeting) == []


def test_an_event_retried_with_a_new_signature_is_still_handled_once(bot: BotUnderTest) -> None:
    """Slack signs each retry anew, so retries are not replays: the event id dedupes them."""
    member = bot.slack.add_user("mia")
    event = bot.slack.user_opens_home(member.id)
    first = bot.driver.forging(timestamp_override=time.time() - 2).event(event, event_id="Ev1")
    retry = bot.driver.event(event, event_id="Ev1", retry_num=1)
    bot.settle()
    assert first.ok
    assert retry.ok
    assert len(bot.slack.calls_to("views.publish")) == 1


def test_request_records_are_forgotten_after_ten_minutes(bot: BotUnderTest) -> None:
    now = bot.runtime.now()
    with write_session(bot.runtime.engine) as session:
        connection = session.connection()
        assert remember_request(connection, signature="v0=old", seen_at=now - timedelta(minutes=11))
        assert remember_request(connection, signature="v0=new", seen_at=now - timedelta(minutes=9))
        assert not remember_request(connection, signature="v0=new", seen_at=now)
    summary = housekeeping_job(bot.runtime, bot.client)
    assert "1 old request signature" in summary
    with read_session(bot.runtime.engine) as session:
        left = session.execute(sql_select(SeenRequest.signature)).scalars().all()
        count = session.execute(sql_select(func.count()).select_from(SeenRequest)).scalar_one()
    assert list(left) == ["v0=new"]
    assert count == 1


def test_the_stored_time_is_the_signed_one(bot: BotUnderTest) -> None:
    member = bot.slack.add_user("mia")
    channel = bot.slack.add_channel("general", [member.id])
    signed_at = int(time.time()) - 30
    forger = bot.driver.forging(timestamp_override=signed_at)
    assert forger._post(_command_body(bot, member.id, channel.id, "help"), FORM, {}).status == 200
    with read_session(bot.runtime.engine) as session:
        [seen_at] = session.execute(sql_select(SeenRequest.seen_at)).scalars().all()
    assert seen_at == datetime.fromtimestamp(signed_at, UTC)
