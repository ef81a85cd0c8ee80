"""People acting in the workspace and the events Slack sends for it
(bot/sandbox/fakeslack/people.py, workspace.py)."""

from __future__ import annotations

from bot.sandbox.fakeslack import FakeSlack, User


def test_people_actions_return_the_events_slack_sends(
    slack: FakeSlack, alice: User, bob: User
) -> None:
    with_bot = slack.add_channel("group", [slack.bot_user_id, alice])
    without_bot = slack.add_channel("elsewhere", [alice])

    joined = slack.user_adds(bob, with_bot, by=alice)
    left = slack.user_leaves_channel(alice, with_bot)

    assert joined is not None
    assert left is not None
    assert (joined["type"], joined["user"], joined["inviter"]) == (
        "member_joined_channel",
        bob.id,
        alice.id,
    )
    assert (left["type"], left["user"], left["channel_type"]) == (
        "member_left_channel",
        alice.id,
        "C",
    )
    assert slack.user_leaves_channel(alice, without_bot) is None, "the bot is not there"
    direct = slack.user_writes_to_bot(bob, "hi bot")
    assert (direct["type"], direct["channel_type"], direct["text"]) == ("message", "im", "hi bot")
    assert direct["channel"] == slack.dm_with(bob).id
    removed = slack.user_removes(slack.bot_user_id, with_bot, by=bob)
    assert removed is not None
    assert (removed["type"], removed["channel"], removed["actor_id"]) == (
        "channel_left",
        with_bot.id,
        bob.id,
    )
