"""Whatever people type or a forged payload carries, the bot answers with a clear message and
never fails with an unhandled error (property-based: hypothesis writes the input)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.commands import CATALOGUE
from bot.runtime import Runtime
from tests.conftest import COORDINATOR
from tests.support.harness import BotUnderTest, running_bot
from tests.support.scenario import Group, form_group, poll_message

SORRY = "Sorry, something went wrong"
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

words = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "<@U0000BOGUS>",
            "<@UNOBODY|x>",
            "@bob",
            '"',
            "“Spring",
            "name=",
            "group=x",
            "min=-1",
            "tz=Mars/Base",
            "lang=xx",
            "2027-02-30",
            "until",
            "theme=",
            "deadline=",
            ";",
            "*bold*",
            "<!channel>",
            "<script>",
            "x" * 5000,
            "\u0000",
            "🙂",
            "thu 16:00",
            "2/12 16:30",
        ]
    ),
)
command_texts = st.builds(
    lambda name, rest: " ".join([name, *rest]),
    st.sampled_from([spec.name for spec in CATALOGUE] + ["", "nonsense"]),
    st.lists(words, max_size=5),
)


@pytest.fixture
def scene(runtime: Runtime) -> Iterator[tuple[BotUnderTest, Group]]:
    with running_bot(runtime) as bot:
        yield bot, form_group(bot)


def _admin_channel(bot: BotUnderTest) -> str:
    existing = [c for c in bot.slack.workspace.channels.values() if c.name == "bad-input-admin"]
    if existing:
        return existing[0].id
    return bot.slack.add_channel("bad-input-admin", [COORDINATOR]).id


def _answers(bot: BotUnderTest, response: object) -> list[str]:
    return bot.replies_to(response)  # type: ignore[arg-type]


@PROPERTY
@given(text=command_texts, who=st.sampled_from(["mentor", "mentee", "coordinator"]))
def test_any_command_text_gets_a_clear_answer(
    scene: tuple[BotUnderTest, Group], text: str, who: str
) -> None:
    bot, group = scene
    user = {"mentor": group.mentor.id, "mentee": group.mentees[0].id, "coordinator": COORDINATOR}[
        who
    ]
    channel = group.channel_id if who != "coordinator" else _admin_channel(bot)
    response = bot.command(user, channel, text[:3000])
    assert response.status == 200
    answers = _answers(bot, response)
    posted = bot.slack.calls_to("chat.postMessage")
    assert answers or posted or bot.slack.open_views(user), f"no answer to {text!r}"
    assert not any(SORRY in answer for answer in answers), (
        f"unhandled error for {text!r}: {answers}"
    )


@PROPERTY
@given(
    value=st.one_of(
        st.text(max_size=40),
        st.integers().map(str),
        st.just("1:999999"),
        st.just("999:1"),
        st.just(""),
        st.just("1:1:1"),
        st.just("-1"),
    ),
    action_id=st.sampled_from(
        [
            "poll_vote_yes",
            "poll_vote_if_need_be",
            "poll_vote_no",
            "poll_none_works",
            "poll_close",
            "poll_cancel",
            "start_poll",
        ]
    ),
)
def test_forged_button_values_are_refused_cleanly(
    scene: tuple[BotUnderTest, Group], value: str, action_id: str
) -> None:
    """Button values are client data: a tampered one is refused with a message, nothing stored
    for another group, and no unhandled error."""
    bot, group = scene
    if not any(
        str(b.get("block_id", "")).startswith("poll")
        for m in bot.slack.messages_in(group.channel_id)
        for b in m.blocks
    ):
        bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
    clicker, source_ts, blocks = group.mentees[0].id, "", []
    if action_id == "start_poll":
        first = bot.slack.messages_in(group.channel_id)[0]
        source_ts, blocks = first.ts, first.blocks
    elif action_id in ("poll_close", "poll_cancel"):
        # The mentor's buttons are in a message only the mentor sees.
        controls = next(
            e
            for e in reversed(bot.slack.ephemerals_for(group.mentor.id))
            if action_id in json.dumps(e.blocks)
        )
        clicker, source_ts, blocks = group.mentor.id, controls.message_ts, controls.blocks
    else:
        message = poll_message(bot, group)
        source_ts, blocks = message.ts, message.blocks
    block_id = next(
        b["block_id"]
        for b in blocks
        if any(e.get("action_id") == action_id for e in b.get("elements", []))
    )
    before = len(bot.slack.responses)
    response = bot.driver.click(
        clicker,
        message=(group.channel_id, source_ts),
        block_id=block_id,
        action_id=action_id,
        value=value,
    )
    bot.settle()
    assert response.status == 200
    later = [post.body.get("text", "") for post in bot.slack.responses[before:]]
    assert not any(SORRY in text for text in later), later


@PROPERTY
@given(
    options_text=st.one_of(st.text(max_size=300), st.just("thu 16:00\nfri 14:00")),
    deadline=st.one_of(st.text(max_size=40), st.just("")),
    length=st.one_of(
        st.sampled_from(["45", "90", "0", "-5", "²", "", "99999999999"]), st.text(max_size=5)
    ),
)
def test_any_poll_form_values_get_a_clear_answer(
    scene: tuple[BotUnderTest, Group], options_text: str, deadline: str, length: str
) -> None:
    bot, group = scene
    if not bot.slack.open_views(group.mentor.id):
        bot.command(group.mentor.id, group.channel_id, "poll")
    [modal] = bot.slack.open_views(group.mentor.id)
    before = len(bot.slack.calls)
    response = bot.submit_view(
        group.mentor.id,
        modal.id,
        {
            "options_text": {"value": {"type": "plain_text_input", "value": options_text}},
            "deadline": {"value": {"type": "plain_text_input", "value": deadline}},
            "length": {
                "value": {
                    "type": "static_select",
                    "selected_option": {
                        "value": length,
                        "text": {"type": "plain_text", "text": "x"},
                    },
                }
            },
        },
    )
    assert response.status == 200
    body = response.json or {}
    posted = [c for c in bot.slack.calls[before:] if c.method == "chat.postMessage"]
    assert body.get("response_action") == "errors" or posted or response.body == "", body


broken_values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.just("x" * 5000),
    st.just("<!channel> *bold* <script>"),
    st.text(max_size=20),
    st.just("DELETE"),
)


def _mangled(payload: Any, path: list[str | int], value: Any) -> Any:
    """`payload` with the field at `path` replaced by `value` (or deleted for "DELETE")."""
    copy = json.loads(json.dumps(payload))
    holder = copy
    for step in path[:-1]:
        try:
            holder = holder[step]
        except (KeyError, IndexError, TypeError):
            return copy
    last = path[-1]
    if isinstance(holder, dict | list):
        try:
            if value == "DELETE":
                del holder[last]  # type: ignore[arg-type]
            else:
                holder[last] = value  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return copy
    return copy


CLICK_PATHS: list[list[str | int]] = [
    ["type"],
    ["user"],
    ["user", "id"],
    ["actions"],
    ["actions", 0],
    ["actions", 0, "action_id"],
    ["actions", 0, "value"],
    ["actions", 0, "block_id"],
    ["response_url"],
    ["trigger_id"],
    ["message"],
    ["container"],
    ["channel"],
    ["team"],
]
SUBMIT_PATHS: list[list[str | int]] = [
    ["type"],
    ["user"],
    ["user", "id"],
    ["view"],
    ["view", "private_metadata"],
    ["view", "callback_id"],
    ["view", "state"],
    ["view", "state", "values"],
    ["view", "state", "values", "when"],
    ["view", "state", "values", "when", "value"],
    ["view", "state", "values", "when", "value", "selected_date_time"],
    ["view", "state", "values", "attendees", "value", "selected_options"],
    ["view", "state", "values", "theme", "value", "selected_option"],
    ["view", "state", "values", "note", "value", "value"],
]


@PROPERTY
@given(
    kind=st.sampled_from(["vote", "close", "log form"]),
    mutations=st.lists(
        st.tuples(st.sampled_from(range(len(SUBMIT_PATHS))), broken_values),
        min_size=1,
        max_size=3,
    ),
)
def test_broken_payloads_never_fail_the_bot(
    scene: tuple[BotUnderTest, Group],
    caplog: pytest.LogCaptureFixture,
    kind: str,
    mutations: list[tuple[int, Any]],
) -> None:
    """Payloads Slack would never send (fields missing, of the wrong type, huge, or carrying
    markup), signed all the same: the bot answers 2xx or, for a payload no listener takes,
    404, and logs no error, before or after the acknowledgement."""
    bot, group = scene
    if kind == "log form":
        if not bot.slack.open_views(group.mentor.id):
            bot.command(group.mentor.id, group.channel_id, "log")
        [form] = bot.slack.open_views(group.mentor.id)
        payload = bot.driver.payloads.view_submission(group.mentor.id, form.id, {}).payload
        paths = SUBMIT_PATHS
    else:
        if not any("poll_vote" in str(m.blocks) for m in bot.slack.messages_in(group.channel_id)):
            bot.command(group.mentor.id, group.channel_id, "poll thu 16:00; fri 14:00")
        message = poll_message(bot, group)
        action_id = "poll_vote_yes" if kind == "vote" else "poll_none_works"
        block = next(
            b
            for b in message.blocks
            if any(e.get("action_id") == action_id for e in b.get("elements", []))
        )
        payload = bot.driver.payloads.block_actions(
            group.mentees[0].id,
            message=(group.channel_id, message.ts),
            view_id=None,
            action_id=action_id,
            value=None,
            block_id=block["block_id"],
            state_values=None,
            extra={},
        ).payload
        paths = CLICK_PATHS
    for index, value in mutations:
        payload = _mangled(payload, paths[index % len(paths)], value)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        response = bot.driver.deliver_payload(payload)
        bot.settle()
    assert response.status in (200, 400, 404), (response.status, response.body[:300])
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
