"""`mentorbot sandbox` without a browser: the page's JSON API against a running sandbox (the
bot's real endpoint and worker, the fake Slack, the demo term), the clock and its jobs, the
fake's change hook the page's events rest on, and the command line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.app import COORDINATOR_ID, Sandbox, SandboxOptions, default_start
from bot.sandbox.fakeslack.server import FakeSlack
from bot.sandbox.schedule import ceil_to, clock_marks, jobs_due, next_stop
from bot.sandbox.web import SandboxWebServer
from handlers import LISTENERS

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN)  # a Tuesday


class Api:
    """The page's side of the sandbox: JSON over HTTP, as sandbox.js calls it."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def request(
        self,
        path: str,
        body: Any = None,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as refused:
            return refused.code, dict(refused.headers), refused.read()

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, _, raw = self.request(path, body)
        answer = json.loads(raw)
        assert status == 200, answer
        return answer

    def state(self, user_id: str, conversation_id: str | None = None) -> dict[str, Any]:
        query = f"?as={user_id}" + (f"&c={conversation_id}" if conversation_id else "")
        status, _, raw = self.request("/api/state" + query)
        assert status == 200, raw
        return json.loads(raw)


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[Sandbox, Api]]:
    with Sandbox(LISTENERS, SandboxOptions(start=START)) as sandbox:
        web = SandboxWebServer(sandbox, port=0).start()
        try:
            yield sandbox, Api(web.url)
        finally:
            web.stop()


def person(state: dict[str, Any], handle: str) -> str:
    return next(p["id"] for p in state["people"] if p["handle"] == handle)


def channel_named(state: dict[str, Any], part: str) -> str:
    return next(c["id"] for c in state["sidebar"]["channels"] if part in c["name"])


def texts(conversation: dict[str, Any]) -> list[str]:
    """Each message's text and the text of its blocks, as one string per message."""
    found = []
    for message in conversation["messages"]:
        parts = [message["text"]]
        for block in message["blocks"]:
            for key in ("text",):
                if isinstance(block.get(key), dict):
                    parts.append(block[key].get("text", ""))
            parts += [f.get("text", "") for f in block.get("fields") or []]
            parts += [e.get("text", "") for e in block.get("elements") or [] if "text" in e]
        found.append("\n".join(str(p) for p in parts))
    return found


# -- the fake's change hook --------------------------------------------------------------------


def test_the_fake_tells_listeners_after_each_web_api_call() -> None:
    calls: list[int] = []
    with FakeSlack() as slack:
        slack.on_change(lambda: calls.append(1))
        general = slack.add_channel("general", [slack.bot_user_id])
        request = urllib.request.Request(
            slack.api_url + "chat.postMessage",
            data=json.dumps({"channel": general.id, "text": "hello"}).encode(),
            headers={
                "Authorization": f"Bearer {slack.bot_token}",
                "Content-Type": "application/json; charset=utf-8",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.loads(answer.read())["ok"] is True
        assert calls, "the listener was not called"
        assert slack.messages_in(general.id)[-1].text == "hello"


# -- the schedule ------------------------------------------------------------------------------


def test_jobs_run_when_one_of_their_ticks_fell_since_the_last_stop() -> None:
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert jobs_due(at, at + timedelta(minutes=1)) == ["polls"]
    assert jobs_due(at, at + timedelta(minutes=15)) == ["polls", "meetings"]
    assert jobs_due(at, at + timedelta(hours=1)) == [
        "polls",
        "meetings",
        "nudges",
        "digest",
        "pulse",
        "housekeeping",
        "closing",
    ]
    assert jobs_due(at, at) == []


def test_the_clock_stops_at_due_moments_and_the_term_zones_marks() -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Copenhagen
    far = start + timedelta(days=30)
    # In the first day of a jump: every quarter of an hour.
    assert next_stop(start, jump_start=start, target=far, zone=COPENHAGEN, due=[]) == (
        start + timedelta(minutes=15)
    )
    # Later: the next mark (weekday 10:00-17:00 hourly, daily 08:00) or a due moment.
    later = start + timedelta(days=2, hours=10)  # Thursday 19:00 in Copenhagen
    friday_eight = datetime(2026, 11, 27, 8, 0, tzinfo=COPENHAGEN)
    assert next_stop(later, jump_start=start, target=far, zone=COPENHAGEN, due=[]) == friday_eight
    deadline = later + timedelta(minutes=90, seconds=20)
    assert next_stop(later, jump_start=start, target=far, zone=COPENHAGEN, due=[deadline]) == (
        ceil_to(deadline, timedelta(minutes=1))
    )
    assert next_stop(
        later, jump_start=start, target=later + timedelta(hours=1), zone=COPENHAGEN, due=[]
    ) == (later + timedelta(hours=1))
    saturday = datetime(2026, 11, 28, 0, 0, tzinfo=COPENHAGEN)
    sunday = saturday + timedelta(days=1)
    marks = clock_marks(saturday, sunday, COPENHAGEN)
    assert marks == [datetime(2026, 11, 28, 8, 0, tzinfo=COPENHAGEN)]


def test_the_default_start_is_a_tuesday_morning() -> None:
    for day in range(16, 23):
        start = default_start(COPENHAGEN, date(2026, 11, day))
        assert start.weekday() == 1
        assert (start.hour, start.minute) == (9, 0)
        assert timedelta(0) <= datetime(2026, 11, day, 9, tzinfo=COPENHAGEN) - start < timedelta(7)


# -- the API against the demo term ------------------------------------------------------------


def test_the_page_and_its_files_are_served_with_a_strict_policy(
    running: tuple[Sandbox, Api],
) -> None:
    _, api = running
    status, headers, body = api.request("/")
    assert status == 200
    assert b'<script src="/static/sandbox.js"' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    for name in ("sandbox.js", "sandbox.css"):
        assert api.request(f"/static/{name}")[0] == 200
    assert api.request("/static/../app.py")[0] == 404


def test_the_api_refuses_forms_and_other_hosts(running: tuple[Sandbox, Api]) -> None:
    sandbox, api = running
    status, _, _ = api.request(
        "/api/clock", {"step": "hour"}, content_type="application/x-www-form-urlencoded"
    )
    assert status == 415
    status, _, _ = api.request("/api/state?as=" + COORDINATOR_ID, headers={"Host": "evil.test"})
    assert status == 403
    status, _, raw = api.request("/api/state?as=UNOBODY")
    assert status == 400
    assert "nobody" in json.loads(raw)["notice"]
    assert sandbox.now() == START


def test_the_demo_term_has_groups_at_different_stages(running: tuple[Sandbox, Api]) -> None:
    _, api = running
    coordinator = api.state(COORDINATOR_ID)
    assert coordinator["term"]["name"] == "Autumn 2026"
    roles = {p["handle"]: p["role"] for p in coordinator["people"]}
    assert roles["maria.jensen"] == "coordinator"
    assert roles["sofie.lund"] == "mentor · Maple"
    assert roles["peter.madsen"] == "not in the scheme"
    assert roles["karen.moller"] == "mentor · signed up, no group yet"
    assert roles["viktor.sorensen"] == "mentee · signed up, no group yet"
    # The coordinator lands in the app's DM, with what the commands answered only to her.
    assert coordinator["conversation"]["kind"] == "app"
    ephemeral = [m for m in coordinator["conversation"]["messages"] if m["ephemeral"]]
    assert any("Formed “Birch”" in m["text"] for m in ephemeral)
    sofie = api.state(person(coordinator, "sofie.lund"))
    maple = "\n".join(texts(sofie["conversation"]))
    assert "When shall we meet?" in maple
    assert "Waiting for answers from" in maple
    amara = api.state(person(coordinator, "amara.okafor"))
    assert sum("logged" in t for t in texts(amara["conversation"])) == 2
    outsider = api.state(person(coordinator, "peter.madsen"))
    assert [c["name"] for c in outsider["sidebar"]["channels"]] == ["general"]


def test_a_command_typed_in_the_box_posts_a_poll(running: tuple[Sandbox, Api]) -> None:
    _, api = running
    everyone = api.state(COORDINATOR_ID)
    amara = person(everyone, "amara.okafor")
    birch = channel_named(api.state(amara), "birch")
    outcome = api.post(
        "/api/send", {"as": amara, "channel": birch, "text": "/mentor poll thu 16:00; fri 14:00"}
    )
    assert outcome["ok"] is True
    shown = texts(api.state(amara, birch)["conversation"])
    assert any("When shall we meet?" in t and "Thu 26 Nov, 16:00" in t for t in shown)


def test_a_vote_changes_the_tally(running: tuple[Sandbox, Api]) -> None:
    sandbox, api = running
    everyone = api.state(COORDINATOR_ID)
    oliver = person(everyone, "oliver.berg")
    state = api.state(oliver)
    poll = next(
        m
        for m in state["conversation"]["messages"]
        if any(str(b.get("block_id", "")).startswith("poll") for b in m["blocks"])
    )
    first = next(b for b in poll["blocks"] if b["type"] == "actions")
    yes = next(e for e in first["elements"] if e["action_id"] == "poll_vote_yes")
    tally_before = next(
        b for b in poll["blocks"] if b["block_id"].endswith("option" + yes["value"].split(":")[1])
    )
    assert tally_before["text"]["text"].count("<@") == 3
    api.post(
        "/api/click",
        {
            "as": oliver,
            "channel": state["conversation"]["id"],
            "ts": poll["ts"],
            "action_id": yes["action_id"],
            "block_id": first["block_id"],
            "value": yes["value"],
        },
    )
    after = api.state(oliver, state["conversation"]["id"])
    redrawn = next(m for m in after["conversation"]["messages"] if m["ts"] == poll["ts"])
    tally = next(b for b in redrawn["blocks"] if b["block_id"] == tally_before["block_id"])
    assert "✅ Yes 4:" in tally["text"]["text"]
    assert f"<@{oliver}>" in tally["text"]["text"]
    assert sandbox.now() == START


def test_a_form_with_a_future_date_shows_the_error_on_its_field(
    running: tuple[Sandbox, Api],
) -> None:
    _, api = running
    everyone = api.state(COORDINATOR_ID)
    lukas = person(everyone, "lukas.brandt")
    willow = channel_named(api.state(lukas), "willow")
    api.post("/api/send", {"as": lukas, "channel": willow, "text": "/mentor log"})
    modal = api.state(lukas, willow)["modal"]
    assert modal is not None
    assert modal["title"] == "Log a meeting"
    assert modal["local_times"]["when"].startswith("2026-11-24T")
    api.post(
        "/api/submit",
        {"as": lukas, "view_id": modal["id"], "values": {"when": {"value": "2026-12-01T16:00"}}},
    )
    still_open = api.state(lukas, willow)["modal"]
    assert still_open is not None
    assert still_open["id"] == modal["id"]
    assert "when" in still_open["errors"]
    api.post("/api/close", {"as": lukas, "view_id": modal["id"]})
    assert api.state(lukas, willow)["modal"] is None


def test_the_home_tab_opens(running: tuple[Sandbox, Api]) -> None:
    _, api = running
    everyone = api.state(COORDINATOR_ID)
    emil = person(everyone, "emil.larsen")
    api.post("/api/home", {"as": emil})
    home = api.state(emil)["home"]
    assert home is not None
    assert home["type"] == "home"
    assert home["blocks"]


def test_people_who_signed_up_wait_and_match_proposes_their_group(
    running: tuple[Sandbox, Api],
) -> None:
    _, api = running
    everyone = api.state(COORDINATOR_ID)
    ids = {p["handle"]: p["id"] for p in everyone["people"]}
    # Each of them went through the form: /mentor join now shows their sign-up, in no group.
    for handle, role in (("karen.moller", "mentor"), ("viktor.sorensen", "mentee")):
        me = api.state(ids[handle])
        assert [c["name"] for c in me["sidebar"]["channels"]] == ["general"]
        office = me["sidebar"]["apps"][0]["id"]
        assert me["modal"] is None, "the thank-you was closed after signing up"
        api.post("/api/send", {"as": ids[handle], "channel": office, "text": "/mentor join"})
        shown = texts(api.state(ids[handle], office)["conversation"])
        assert any(f"You are signed up as a {role} this term." in t for t in shown), shown

    office = everyone["sidebar"]["apps"][0]["id"]
    api.post("/api/send", {"as": COORDINATOR_ID, "channel": office, "text": "/mentor match"})
    review = api.state(COORDINATOR_ID, office)["modal"]
    assert review is not None
    shown = json.dumps(review["blocks"], ensure_ascii=False)
    assert "*1 group* proposed · 3 mentees placed · 1 person left out" in shown
    assert "Mentor *Karen Møller* with Viktor Sørensen, Nora Ali and Jakob Winther" in shown
    assert "Viktor Sørensen asked for this mentor" in shown
    assert "Nora Ali and Jakob Winther are together" in shown
    assert "Lucas Ferreira: no certified mentor speaks their language" in shown
    approve = next(
        e
        for b in review["blocks"]
        for e in b.get("elements") or []
        if e.get("action_id") == "review_approve"
    )
    api.post(
        "/api/click",
        {
            "as": COORDINATOR_ID,
            "view_id": review["id"],
            "action_id": approve["action_id"],
            "value": approve["value"],
        },
    )
    done = json.dumps(api.state(COORDINATOR_ID, office)["modal"], ensure_ascii=False)
    assert "1 of 1 group created" in done
    karen = api.state(ids["karen.moller"])
    assert len(karen["sidebar"]["channels"]) == 2, "general and the new group's channel"
    viktor = api.state(ids["viktor.sorensen"])
    dm = viktor["sidebar"]["apps"][0]["id"]
    assert any(
        "You are in the mentor group" in t
        for t in texts(api.state(viktor["me"], dm)["conversation"])
    )


def test_moving_to_monday_sends_the_digest_and_the_calendar_file(
    running: tuple[Sandbox, Api],
) -> None:
    """Near the end of this module: it moves the shared sandbox's clock."""
    sandbox, api = running
    outcome = api.post("/api/clock", {"step": "monday"})
    assert outcome["notice"] == "It is now Monday 30 November, 08:00."
    assert any("digest: sent 1 digest" in line for line in outcome["details"])
    assert sandbox.now() == datetime(2026, 11, 30, 8, 0, tzinfo=COPENHAGEN)
    coordinator = api.state(COORDINATOR_ID)
    digest = [
        t
        for m, t in zip(
            coordinator["conversation"]["messages"], texts(coordinator["conversation"]), strict=True
        )
        if not m["ephemeral"]
    ]
    assert digest, "no DM from the bot to the coordinator"
    assert "digest" in digest[-1].lower()
    # The Maple poll closed at its deadline: its channel has the date's calendar file.
    sofie = person(coordinator, "sofie.lund")
    maple = api.state(sofie)
    files = [f for m in maple["conversation"]["messages"] for f in m["files"]]
    assert files, "no calendar file in the Maple channel"
    status, headers, body = api.request(f"/api/files/{files[0]['id']}?as={sofie}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in body
    assert api.request(f"/api/files/{files[0]['id']}?as={COORDINATOR_ID}")[0] == 404
    refused = api.request("/api/clock", {"step": "sideways"})
    assert refused[0] == 400
    # The term's first check-in went out on Friday to every member of the five groups.
    pulse = [line for line in outcome["details"] if "pulse:" in line]
    assert pulse == ["Fri 27 Nov 10:00 pulse: sent 21 check-ins"], outcome["details"]
    emil = api.state(person(coordinator, "emil.larsen"))
    emil_dm = api.state(emil["me"], emil["sidebar"]["apps"][0]["id"])
    assert any("A quick check-in as the term begins" in t for t in texts(emil_dm["conversation"]))


def test_the_end_of_term_closes_it_with_a_goodbye(running: tuple[Sandbox, Api]) -> None:
    """After the Monday test: it moves the shared sandbox's clock to the term's end."""
    sandbox, api = running
    outcome = api.post("/api/clock", {"step": "end"})
    assert outcome["notice"] == "It is now Saturday 23 January, 00:00."
    assert any("closing:" in line for line in outcome["details"]), outcome["details"]
    coordinator = api.state(COORDINATOR_ID)
    amara = api.state(person(coordinator, "amara.okafor"))
    birch = "\n".join(texts(api.state(amara["me"], channel_named(amara, "birch"))["conversation"]))
    assert "has ended. Thank you, *Birch*, for this term together!" in birch
    assert "You met 2 times." in birch
    amara_dm = api.state(amara["me"], amara["sidebar"]["apps"][0]["id"])
    assert any("Your contribution as a mentor" in t for t in texts(amara_dm["conversation"]))
    report = api.state(COORDINATOR_ID, coordinator["sidebar"]["apps"][0]["id"])["conversation"]
    assert any("is closed. The final report" in t for t in texts(report))
    assert any(f["name"].endswith(".csv") for m in report["messages"] for f in m["files"])
    # The group the coordinator matched today is thanked too, though it never met.
    karen = api.state(person(coordinator, "karen.moller"))
    group = next(c for c in karen["sidebar"]["channels"] if c["name"] != "general")
    thanked = "\n".join(texts(api.state(karen["me"], group["id"])["conversation"]))
    assert "You did not get to meet this time" in thanked
    status, _, raw = api.request("/api/clock", {"step": "end"})
    assert status == 400
    assert "already ended" in json.loads(raw)["notice"]
    assert sandbox.now() == datetime(2027, 1, 23, 0, 0, tzinfo=COPENHAGEN)


# -- an empty sandbox and the command line ------------------------------------------------------


def test_an_empty_sandbox_has_people_and_no_term() -> None:
    with Sandbox(LISTENERS, SandboxOptions(empty=True, start=START)) as sandbox:
        web = SandboxWebServer(sandbox, port=0).start()
        try:
            api = Api(web.url)
            state = api.state(COORDINATOR_ID)
            assert state["term"] is None
            assert len(state["people"]) == 24
            assert all(p["role"] == "" for p in state["people"] if p["id"] != COORDINATOR_ID)
            status, _, raw = api.request("/api/clock", {"step": "end"})
            assert status == 400
            assert "no current term" in json.loads(raw)["notice"]
            office = state["sidebar"]["apps"][0]["id"]
            api.post(
                "/api/send",
                {
                    "as": COORDINATOR_ID,
                    "channel": office,
                    "text": '/mentor term new "Trial" 2026-11-01 2027-01-31',
                },
            )
            assert api.state(COORDINATOR_ID)["term"]["name"] == "Trial"
        finally:
            web.stop()


@pytest.mark.slow
def test_the_command_prints_one_link_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mentorbot", "sandbox", "--port", "0", "--empty"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _read_line(process, timeout=60)
        assert line.startswith("mentorbot sandbox: open http://127.0.0.1:")
        url = line.split()[3]
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    if not found:
        process.kill()
        raise AssertionError(f"no link within {timeout} s: {process.stderr.read()}")  # type: ignore[union-attr]
    return found[0].strip()


def test_time_moves_only_forwards(running: tuple[Sandbox, Api]) -> None:
    sandbox, _ = running
    before = sandbox.now()
    outcome = sandbox.advance_to(before - timedelta(hours=1))
    assert outcome.ok is False
    assert sandbox.now() == before
