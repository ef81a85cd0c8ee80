"""The sandbox's engine: the fake Slack, the bot's real HTTP endpoint and worker, the clock
and the jobs, and what a person can do in the workspace, as plain methods that `web.py`
serves to the page and the tests call directly.

Every action goes to the bot as Slack would send it: the driver signs it and posts it to
`/slack/events` on the bot's own waitress server; the bot answers through the fake's Web API
and response_urls, and the fake tells us when it was called (`FakeSlack.on_change`).

The worker is the real one, `Worker.serve` on a thread woken by a `Doorbell`, as
`mentorbot run` starts it (there in a child process): so the sandbox shows the bot's real
timing (acknowledge first, answer a moment later, tallies redrawn at most once a second)
rather than a drained, lock-step version of it. An action waits until the worker has
finished what it caused (`wait_until_idle`) before it returns, so the page and the tests see
its outcome at once, and server-sent events carry anything that comes later.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import create_app
from bot.config import Settings
from bot.doorbell import Doorbell
from bot.jobs import JOBS
from bot.runtime import Runtime
from bot.sandbox import fake
from bot.sandbox.clock import SandboxClock
from bot.sandbox.schedule import jobs_due, next_stop
from bot.server import EVENTS_PATH, HttpServer, make_wsgi_app
from bot.services.themes import seed_default_themes
from bot.slack_client import background_client, interactive_client
from bot.wiring import Listeners
from bot.worker import Worker
from storage.db import GroupCommit, make_engine, read_session
from storage.followups import ClaimedFollowUp
from storage.migrate import upgrade_if_needed
from storage.models import Term
from storage.schedule import pending_times
from storage.terms import current_term

logger = logging.getLogger(__name__)

COORDINATOR_ID = "U0COORD01"
"""The coordinator's Slack ID, given to the bot as MENTORBOT_COORDINATORS."""
DEFAULT_TIMEZONE = "Europe/Copenhagen"
IDLE_TIMEOUT_SECONDS = 8.0
QUIET_SECONDS = 0.15
"""The fake has had no call for this long: what the bot was doing has landed."""
ASK_AFTER_END = timedelta(hours=2)
DAY_BEFORE = timedelta(hours=24)

_MENTION = re.compile(r"(?<![<\w])@([a-z0-9][a-z0-9._-]*[a-z0-9])", re.IGNORECASE)
_CHANNEL = re.compile(r"(?<![<\w])#([a-z0-9][a-z0-9_-]*)", re.IGNORECASE)


class ActionRefused(Exception):
    """What the visitor asked for cannot be done (no such person, not in that channel); the
    message is shown on the page."""


@dataclass(frozen=True)
class SandboxOptions:
    empty: bool = False
    """Start with people in the workspace but nothing in the bot: no term, no groups."""
    database_url: str | None = None
    """Default: SQLite in a temporary directory, removed when the sandbox stops."""
    start: datetime | None = None
    """Default: 09:00 on the Tuesday of this week (or last week's on Monday)."""
    timezone: str = DEFAULT_TIMEZONE


@dataclass(frozen=True)
class Outcome:
    """What the page tells the visitor after an action (besides the workspace's changes)."""

    ok: bool = True
    notice: str | None = None
    details: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "notice": self.notice, "details": self.details}


def default_start(zone: ZoneInfo, today: date | None = None) -> datetime:
    """A Tuesday 09:00: a working morning, a week from the next digest (Monday 08:00), an
    hour before nudges may go out."""
    today = today or datetime.now(zone).date()
    tuesday = today - timedelta(days=(today.weekday() - 1) % 7)
    return datetime(tuesday.year, tuesday.month, tuesday.day, 9, 0, tzinfo=zone)


class _SandboxWorker(Worker):
    """The real worker, counting what it has taken and not yet finished, so that an action
    can wait until everything it caused is done."""

    def __init__(self, *args: Any, on_done: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_done = on_done
        self._lock = threading.Lock()
        self.in_hand = 0

    def _took(self, count: int) -> None:
        with self._lock:
            self.in_hand += count

    def _finished(self) -> None:
        with self._lock:
            self.in_hand -= 1
        self._on_done()

    def take_follow_ups(self, limit: int) -> list[ClaimedFollowUp]:
        taken = super().take_follow_ups(limit)
        self._took(len(taken))
        return taken

    def do_follow_up(self, follow_up: ClaimedFollowUp) -> None:
        try:
            super().do_follow_up(follow_up)
        finally:
            self._finished()

    def redraw(self, poll_id: int) -> None:
        self._took(1)
        try:
            super().redraw(poll_id)
        finally:
            self._finished()

    def close_if_complete(self, poll_id: int) -> None:
        self._took(1)
        try:
            super().close_if_complete(poll_id)
        finally:
            self._finished()

    def has_work(self) -> bool:
        with self._lock:
            if self.in_hand:
                return True
        return self.oldest_waiting() is not None or bool(self.polls_to_redraw())


class Sandbox:
    """The whole product in one process. `start()` it, act through its methods, `stop()` it
    (or use it as a context manager)."""

    def __init__(self, listeners: Listeners, options: SandboxOptions | None = None) -> None:
        self.listeners = listeners
        """The bot's listeners and follow-ups (`handlers.LISTENERS`)."""
        self.options = options or SandboxOptions()
        self.zone = ZoneInfo(self.options.timezone)
        self.clock = SandboxClock(self.options.start or default_start(self.zone))
        self.roles: dict[str, str] = {}
        """A label per person for the "act as" switch (coordinator, mentor of Maple...)."""
        self.first_person = COORDINATOR_ID
        """Who the page acts as until the visitor picks someone."""
        self._act = threading.RLock()
        self._changes = threading.Condition()
        self._version = 0
        self._last_change = time.monotonic()
        self._stop = threading.Event()
        self._temp_dir: Path | None = None
        self._started = False

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Sandbox:
        self.slack = fake.FakeSlack(clock=self.clock.timestamp).start()
        self.slack.on_change(self.changed)
        database_url = self.options.database_url
        if database_url is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="mentorbot-sandbox-"))
            database_url = f"sqlite:///{self._temp_dir / 'sandbox.db'}"
        self.settings = Settings(
            SLACK_BOT_TOKEN=self.slack.bot_token,
            # Made up here and shared only with the driver: requests are signed for real.
            SLACK_SIGNING_SECRET=secrets.token_urlsafe(24),
            SLACK_APP_TOKEN="",
            SLACK_API_URL=self.slack.api_url,
            MENTORBOT_DATABASE_URL=database_url,
            MENTORBOT_COORDINATORS=COORDINATOR_ID,
            MENTORBOT_TIMEZONE=self.options.timezone,
            _env_file=None,
        )
        engine = make_engine(database_url)
        upgrade_if_needed(engine)
        runtime = Runtime(settings=self.settings, engine=engine, clock=self.clock)
        seed_default_themes(runtime)
        self._doorbell = Doorbell()
        self._group_commit = GroupCommit(engine)
        self.runtime = replace(runtime, wake_worker=self._doorbell.ring)
        web_runtime = replace(self.runtime, group_commit=self._group_commit)
        app = create_app(web_runtime, self.listeners)
        self._bot_server = HttpServer(make_wsgi_app(app, engine), host="127.0.0.1", port=0)
        self._bot_server.start_in_thread()
        self.driver = fake.SlackDriver(
            self.slack, self._bot_server.url + EVENTS_PATH, self.settings.slack_signing_secret
        )
        self.worker = _SandboxWorker(
            self.runtime,
            client=interactive_client(self.settings),
            slow_client=background_client(self.settings, paced=False),
            follow_ups=self.listeners.follow_ups,
            name="sandbox-worker",
            on_done=self.changed,
        )
        self._jobs_client = background_client(self.settings, paced=False)
        self._worker_thread = threading.Thread(
            target=self.worker.serve,
            args=(self._stop, self._doorbell),
            name="sandbox-worker",
            daemon=True,
        )
        self._worker_thread.start()
        self._started = True
        # Imported here: the demo drives this object, and this object offers the demo.
        from bot.sandbox.demo import seed_demo, seed_people

        with self._act:
            seed_people(self)
            if not self.options.empty:
                seed_demo(self)
            # `mentorbot run` runs every job once at start, for work that fell due meanwhile.
            self._run_jobs(list(JOBS))
            self.wait_until_idle()
        return self

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self._stop.set()
        self._doorbell.ring()
        self._worker_thread.join(timeout=10)
        self._bot_server.stop()
        self._group_commit.close()
        self.runtime.engine.dispose()
        self.slack.stop()
        self._doorbell.close()
        with self._changes:
            self._version += 1
            self._changes.notify_all()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    # -- changes, for the page's server-sent events ---------------------------------------

    def changed(self) -> None:
        with self._changes:
            self._version += 1
            self._last_change = time.monotonic()
            self._changes.notify_all()

    @property
    def version(self) -> int:
        with self._changes:
            return self._version

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version passes `seen` (or `timeout`); returns the version."""
        with self._changes:
            self._changes.wait_for(lambda: self._version != seen or self.stopped, timeout)
            return self._version

    def wait_until_idle(self, timeout: float = IDLE_TIMEOUT_SECONDS) -> bool:
        """Wait until the worker has nothing waiting or in hand and the fake Slack has been
        quiet a moment; False if that did not happen within `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._changes:
                quiet_for = time.monotonic() - self._last_change
            if quiet_for >= QUIET_SECONDS and not self.worker.has_work():
                return True
            time.sleep(0.03)
        logger.warning("the bot was still busy after %.0f s", timeout)
        return False

    # -- people and conversations ---------------------------------------------------------

    def person(self, user_id: str) -> fake.User:
        try:
            user = self.slack.user(user_id)
        except KeyError:
            raise ActionRefused(f"there is nobody with the ID {user_id!r}") from None
        if user.is_bot:
            raise ActionRefused("the sandbox cannot act as a bot")
        return user

    def conversation_for(self, user_id: str, channel_id: str) -> fake.Channel:
        """A conversation the person can see: a channel they are in, or their DM with us."""
        try:
            channel = self.slack.channel(channel_id)
        except KeyError:
            raise ActionRefused(f"there is no conversation {channel_id!r}") from None
        if user_id not in channel.members:
            raise ActionRefused(f"you are not in #{channel.name or channel.id}")
        return channel

    def app_dm(self, user_id: str) -> fake.Channel:
        """The person's DM with the bot: the app's Messages tab."""
        return self.slack.dm_with(user_id)

    def linked(self, text: str) -> str:
        """Typed `@handle` and `#channel` as Slack's client sends a picked mention."""
        users = {u.name.lower(): u for u in fake.people_of(self.slack)}

        def person(match: re.Match[str]) -> str:
            user = users.get(match.group(1).lower())
            return f"<@{user.id}|{user.name}>" if user else match.group(0)

        def channel(match: re.Match[str]) -> str:
            found = self.slack.workspace.channel_named(match.group(1).lower())
            return f"<#{found.id}|{found.name}>" if found else match.group(0)

        return _CHANNEL.sub(channel, _MENTION.sub(person, text))

    # -- what a person does ---------------------------------------------------------------

    def send(self, user_id: str, channel_id: str, text: str) -> Outcome:
        """The message box: `/mentor …` runs the command, anything else is posted."""
        text = text.strip()
        if not text:
            return Outcome(ok=False, notice="Type a message or a /mentor command.")
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            if command != "/mentor":
                return Outcome(
                    ok=False, notice=f"{command} is not a command here; try /mentor help."
                )
            return self.command(user_id, channel_id, rest)
        return self.post(user_id, channel_id, text)

    def command(self, user_id: str, channel_id: str, text: str) -> Outcome:
        with self._act:
            self.person(user_id)
            self.conversation_for(user_id, channel_id)
            response = self.driver.command(user_id, channel_id, self.linked(text))
            return self._settled(response)

    def post(self, user_id: str, channel_id: str, text: str) -> Outcome:
        with self._act:
            self.person(user_id)
            self.conversation_for(user_id, channel_id)
            # Slack stores a message's text with &, < and > escaped; only what the client
            # made into links (the mentions) is left in angle brackets.
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            event = self.slack.user_posts(user_id, channel_id, self.linked(escaped))
            self.changed()
            if event is None:
                return Outcome()
            return self._settled(self.driver.event(event))

    def click(
        self,
        user_id: str,
        *,
        action_id: str,
        block_id: str | None = None,
        value: Any = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
    ) -> Outcome:
        """A button (or another element) in a message, an ephemeral message or a view."""
        with self._act:
            self.person(user_id)
            if view_id is not None:
                view = self._view_of(user_id, view_id)
                response = self.driver.click(
                    user_id, view_id=view.id, action_id=action_id, block_id=block_id, value=value
                )
            else:
                if channel_id is None or message_ts is None:
                    raise ActionRefused("a click needs the message or the view it was in")
                self.conversation_for(user_id, channel_id)
                try:
                    response = self.driver.click(
                        user_id,
                        message=(channel_id, message_ts),
                        action_id=action_id,
                        block_id=block_id,
                        value=value,
                    )
                except (KeyError, LookupError, ValueError) as error:
                    raise ActionRefused(f"that button is gone ({error})") from None
            return self._settled(response)

    def submit_view(self, user_id: str, view_id: str, values: dict[str, Any]) -> Outcome:
        """The person presses the modal's submit button with the inputs as filled in: values
        as `{block_id: {action_id: value}}`, where a datetimepicker's value is the local
        `YYYY-MM-DDTHH:MM` the person typed, read in their own time zone as Slack does."""
        with self._act:
            user = self.person(user_id)
            view = self._view_of(user_id, view_id)
            converted = _submitted_values(view, values, ZoneInfo(user.tz))
            response = self.driver.submit_view(user_id, view.id, converted)
            outcome = self._settled(response)
            if response.ack_problems:
                return Outcome(ok=False, notice="; ".join(response.ack_problems))
            return outcome

    def close_view(self, user_id: str, view_id: str) -> Outcome:
        with self._act:
            self._view_of(user_id, view_id)
            fake.close_top_modal(self.slack, user_id)
            self.changed()
            return Outcome()

    def open_home(self, user_id: str) -> Outcome:
        """The person opens the app's Home tab: Slack sends app_home_opened."""
        with self._act:
            self.person(user_id)
            return self._settled(self.driver.event(self.slack.user_opens_home(user_id)))

    def _view_of(self, user_id: str, view_id: str) -> fake.View:
        for view in self.slack.open_views(user_id):
            if view.id == view_id:
                return view
        home = self.slack.home_view(user_id)
        if home is not None and home.id == view_id:
            return home
        raise ActionRefused("that form is closed")

    def _settled(self, response: fake.DriverResponse) -> Outcome:
        self.changed()
        self.wait_until_idle()
        if not response.ok:
            return Outcome(
                ok=False,
                notice=f"The bot answered HTTP {response.status}; Slack would show an error.",
            )
        if not response.acked_in_time:
            return Outcome(
                notice=f"The bot took {response.elapsed:.1f} s to answer: over Slack's 3 s."
            )
        return Outcome()

    # -- the clock ------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def term(self) -> Term | None:
        with read_session(self.runtime.engine) as session:
            return current_term(session)

    def term_zone(self) -> ZoneInfo:
        term = self.term()
        return ZoneInfo(term.timezone) if term else self.zone

    def target(self, step: str) -> datetime:
        """Where a clock button moves to: `hour`, `day`, `monday` (next Monday 08:00 in the
        term's time zone) or `end` (midnight after the term's last day, in its time zone:
        the first moment the closing job closes it, so the visitor sees the goodbye)."""
        now = self.now()
        zone = self.term_zone()
        if step == "hour":
            return now + timedelta(hours=1)
        if step == "day":
            return now + timedelta(days=1)
        if step == "monday":
            local = now.astimezone(zone)
            days = (7 - local.weekday()) % 7 or 7
            monday = local.date() + timedelta(days=days)
            return datetime(monday.year, monday.month, monday.day, 8, 0, tzinfo=zone)
        if step == "end":
            term = self.term()
            if term is None:
                raise ActionRefused("there is no current term yet: start one with /mentor term new")
            after = term.ends_on + timedelta(days=1)
            moment = datetime(after.year, after.month, after.day, tzinfo=zone)
            if moment <= now:
                raise ActionRefused("the term has already ended")
            return moment
        raise ActionRefused(f"unknown clock step {step!r}")

    def advance(self, step: str) -> Outcome:
        return self.advance_to(self.target(step))

    def advance_to(self, target: datetime) -> Outcome:
        """Move the clock to `target`, running the scheduled jobs at each moment on the way
        where they can have something to do (schedule.py)."""
        with self._act:
            self.wait_until_idle()
            start = self.now()
            if target <= start:
                return Outcome(ok=False, notice="The clock only moves forwards.")
            zone = self.term_zone()
            reports: list[str] = []
            current = start
            while current < target:
                stop = next_stop(
                    current, jump_start=start, target=target, zone=zone, due=self._due_moments()
                )
                names = jobs_due(current, stop)
                self.clock.set(stop)
                self.changed()
                reports += self._run_jobs(names)
                current = stop
            self.wait_until_idle()
            self.changed()
            local = target.astimezone(zone)
            return Outcome(notice=f"It is now {local:%A %d %B, %H:%M}.", details=reports)

    def _due_moments(self) -> list[datetime]:
        """When stored polls and meetings next need a job: deadlines, reminders, the day
        before a meeting, and two hours after one ends."""
        with read_session(self.runtime.engine) as session:
            pending = pending_times(session)
        moments = [m for pair in pending.poll_times for m in pair]
        for starts_at, ends_at in pending.meeting_times:
            moments += [starts_at - DAY_BEFORE, ends_at + ASK_AFTER_END]
        return [_aware(m) for m in moments]

    def _run_jobs(self, names: list[str]) -> list[str]:
        reports = []
        for name in names:
            try:
                report = JOBS[name](self.runtime, self._jobs_client)
            except Exception:
                logger.exception("the %s job failed in the sandbox", name)
                report = "failed (see the log)"
            if not _nothing_done(report):
                local = self.now().astimezone(self.term_zone())
                reports.append(f"{local:%a %d %b %H:%M} {name}: {report}")
        return reports


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _nothing_done(report: str) -> bool:
    """Whether a job's report says it did nothing: every number in it is 0."""
    numbers = re.findall(r"\d+", report)
    return bool(numbers) and all(n == "0" for n in numbers)


def _submitted_values(
    view: fake.View, values: dict[str, Any], zone: ZoneInfo
) -> dict[str, dict[str, Any]]:
    """The page's form values as the driver takes them: only blocks and actions the view
    has, date-times from local wall-clock text to Unix seconds."""
    kinds: dict[tuple[str, str], str] = {}
    for block in view.blocks:
        element = block.get("element") if block.get("type") == "input" else None
        if isinstance(element, dict):
            kinds[(str(block.get("block_id")), str(element.get("action_id")))] = str(
                element.get("type")
            )
    converted: dict[str, dict[str, Any]] = {}
    for block_id, actions in values.items():
        if not isinstance(actions, dict):
            continue
        for action_id, value in actions.items():
            kind = kinds.get((str(block_id), str(action_id)))
            if kind is None:
                continue
            if kind == "datetimepicker":
                value = _local_to_unix(value, zone)
            if value is None or (value == "" and kind != "plain_text_input"):
                continue  # left empty: Slack sends the input's initial value, if any
            converted.setdefault(str(block_id), {})[str(action_id)] = value
    return converted


def _local_to_unix(value: Any, zone: ZoneInfo) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return int(value)
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ActionRefused(f"{value!r} is not a date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return int(moment.timestamp())
