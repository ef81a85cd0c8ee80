"""views.* and App Home (bot/sandbox/fakeslack/methods/views.py): trigger ids, hashes,
stacked modals."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox.fakeslack import FakeSlack, User
from tests.fakeslack.helpers import (
    FakeClock,
    error_of,
    modal,
    refusal,
    section,
)


def test_trigger_ids_are_single_use_and_expire(
    slack: FakeSlack, client: WebClient, alice: User, clock: FakeClock
) -> None:
    view = modal([section("hello")])
    trigger_id = slack.issue_trigger(alice.id)

    opened = client.views_open(trigger_id=trigger_id, view=view)["view"]

    assert opened["id"].startswith("V")
    assert opened["root_view_id"] == opened["id"]
    assert [v.id for v in slack.open_views(alice.id)] == [opened["id"]]
    assert (
        error_of(lambda: client.views_open(trigger_id=trigger_id, view=view))
        == "exchanged_trigger_id"
    )
    assert (
        error_of(lambda: client.views_open(trigger_id="1.2.abc", view=view)) == "invalid_trigger_id"
    )
    late = slack.issue_trigger(alice.id)
    clock.now += 3.1
    assert error_of(lambda: client.views_open(trigger_id=late, view=view)) == "expired_trigger_id"


def test_views_update_checks_hash_and_finds_views_by_external_id(
    slack: FakeSlack, client: WebClient, alice: User
) -> None:
    opened = client.views_open(
        trigger_id=slack.issue_trigger(alice.id),
        view=modal([section("loading…")], external_id="goal-42"),
    )["view"]

    updated = client.views_update(
        external_id="goal-42", hash=opened["hash"], view=modal([section("ready")])
    )["view"]

    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    assert slack.open_views(alice.id)[0].blocks[0]["text"]["text"] == "ready"
    stale = refusal(
        lambda: client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal([]))
    )
    assert stale["error"] == "hash_conflict"
    assert error_of(lambda: client.views_update(view_id="V404", view=modal([]))) == "not_found"


def test_at_most_three_stacked_modals(slack: FakeSlack, client: WebClient, alice: User) -> None:
    root = client.views_open(trigger_id=slack.issue_trigger(alice.id), view=modal([section("1")]))
    for text in ("2", "3"):
        client.views_push(
            trigger_id=slack.issue_trigger(alice.id, view_id=root["view"]["id"]),
            view=modal([section(text)]),
        )

    assert len(slack.open_views(alice.id)) == 3
    assert slack.open_views(alice.id)[2].previous_view_id == slack.open_views(alice.id)[1].id
    fourth = refusal(
        lambda: client.views_push(
            trigger_id=slack.issue_trigger(alice.id), view=modal([section("4")])
        )
    )
    assert fourth["error"] == "push_limit_reached"


def test_home_tab(slack: FakeSlack, client: WebClient, alice: User) -> None:
    home = {"type": "home", "blocks": [section("Your groups")]}

    first = client.views_publish(user_id=alice.id, view=home)["view"]
    client.views_publish(user_id=alice.id, view=home, hash=first["hash"])

    assert slack.home_view(alice.id) is not None
    assert slack.user_opens_home(alice)["view"]["id"] == first["id"]
    stale = refusal(lambda: client.views_publish(user_id=alice.id, view=home, hash=first["hash"]))
    assert stale["error"] == "hash_conflict"
    assert (
        error_of(lambda: client.views_publish(user_id=alice.id, view=modal([section("x")])))
        == "invalid_arguments"
    )
