"""A fake Slack for end-to-end tests: the Web API, Socket Mode, response_urls and the
payloads Slack sends an app, on 127.0.0.1.

    with FakeSlack() as slack:
        alice = slack.add_user("alice")
        general = slack.add_channel("general", [alice, slack.bot_user_id])
        client = WebClient(base_url=slack.api_url, token=slack.bot_token)  # give it to the bot
        driver = SlackDriver(slack, "http://127.0.0.1:3000/slack/events", signing_secret)
        assert driver.command(alice.id, general.id, "help").acked_in_time  # a person acts
        slack.wait_for_call("chat.postMessage")  # Bolt answers after the ack, on its own thread
        assert slack.messages_in(general.id)[-1].text == "..."

Tests look at the workspace (`messages_in`, `dm_messages_to`, `ephemerals_for`,
`open_views`, `home_view`, `pins_in`, `files_in`), at the calls the bot made (`calls`,
`calls_to`) and at its response_url posts (`responses_to`); people act through
`user_posts`, `user_adds`, `user_leaves_channel`, `user_opens_home`..., which return the event
to deliver with `driver.event(...)`.

What it imitates, and from which evidence (shared/slack-reference/ README and FACTS.md):
* Web API answers: HTTP 200 `{"ok": false, "error": ...}` for refusals, Slack's error codes per
  method (methods/*.json), `content-type: application/json; charset=utf-8`, `x-slack-req-id`
  and `x-oauth-scopes` headers (recorded-http/), 429 + `Retry-After` when rate limited.
* The argument encodings slack_sdk uses: JSON bodies, form fields with "1"/"0" booleans and
  comma-joined lists, multipart forms, JSON inside form fields, the token as Bearer header or
  `token` field.
* Workspace rules: private channels are invisible to a bot that is not in them
  (channel_not_found); the bot must be a member to post, invite, pin or set a topic
  (not_in_channel); archived channels keep their names; posting to a user ID posts in the DM.
* Block Kit limits with Slack's `[ERROR] ... [json-pointer:...]` messages (blockkit.py).
* trigger_id expiry (3 s, by the fake's injectable clock) and single use; response_url's five
  uses; the modal stack of three; view hashes; files upload v2's three steps.
* Signed HTTP deliveries and Socket Mode envelopes/acks (driver.py, socket_mode.py), and
  what Slack does with acks (a command's reply shown, `response_action` applied).
* Rate-limit tiers per method per minute, chat.postMessage 1/s per channel (enforce_tiers),
  and faults on demand (faults.py says which kinds still carry the call out); a 429's
  `Retry-After` is kept on its `Call`. The tiers count by the fake's clock, which
  `timescale.ScaledTime` can run faster than the wall clock (with the bot's sleeps scaled
  the same) to measure a bulk run in seconds.

Deliberate gaps:
* One workspace, one app, one bot token and one app token; no OAuth, no user tokens, no
  Enterprise Grid, no Slack Connect; scopes are checked per method, not per conversation type.
* Message formatting is not interpreted when stored: no mention or link parsing, no
  rich_text generated from `text`, no unfurls. Slack's date tokens can be read as a person
  sees them: `seen_by(user_id, text)` (their profile's zone, "Today"/"Tomorrow") and
  `formatting.as_notified(text)` (the fallback, as notifications show it). `thread_ts` is
  stored but not checked, and replies are plain messages (no reply_count/thread bookkeeping).
* Only the methods in methods/__init__.py exist; others answer unknown_method.
* Events are produced only where documented as returned: people.* actions, and
  `take_events()` for membership/archive events caused by the bot's own calls; no `message`
  echo of the bot's own posts, no channel_join/channel_leave message subtypes.
* Block Kit checks cover the documented limits listed in blockkit.py plus whatever
  slack_sdk's models validate; Slack's full schema (e.g. which elements a block may hold,
  URL formats) is not enforced, and the msg_blocks_too_long threshold is an estimate.
* Error wordings other than those quoted in blockkit.py, the response_url refusal bodies and
  the `force` invite answer are the fake's own choices (documented where made).
"""

from bot.sandbox.fakeslack.driver import DriverResponse, SlackDriver, SocketModeDriver
from bot.sandbox.fakeslack.model import Channel, Ephemeral, Message, Pin, SlackFile, User, View
from bot.sandbox.fakeslack.recording import Call, ResponseUrlPost
from bot.sandbox.fakeslack.server import FakeSlack

__all__ = [
    "Call",
    "Channel",
    "DriverResponse",
    "Ephemeral",
    "FakeSlack",
    "Message",
    "Pin",
    "ResponseUrlPost",
    "SlackDriver",
    "SlackFile",
    "SocketModeDriver",
    "User",
    "View",
]
