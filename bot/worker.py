"""The worker: everything done after Slack was answered, in its own process.

The web process only checks a request, stores what it must (a vote, a follow-up) and
acknowledges, so acknowledgements never wait behind this work for the interpreter. The worker
runs the follow-ups listeners left (answering commands, posting polls, opening modals) with
the functions of the table it is given (handlers' `LISTENERS.follow_ups`), and redraws poll
messages that are behind the votes stored. `mentorbot run` starts it as a child process;
`mentorbot worker` runs it on its own. Several workers may share a database: each
follow-up and each redraw is taken with a conditional update, so only one does it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial

from slack_sdk import WebClient

from bot.doorbell import Doorbell
from bot.followups import FollowUps, run_follow_up, tell_interrupted
from bot.runtime import Runtime
from bot.services.polls.closing import close_if_everyone_answered
from bot.services.polls.redraw import REDRAW_LEASE, redraw_poll
from storage.db import read_session, write_session
from storage.followups import (
    ClaimedFollowUp,
    abandoned_follow_ups,
    claim_follow_ups,
    finish_follow_up,
    oldest_waiting_follow_up,
)
from storage.polls import answered_by_everyone, polls_behind

logger = logging.getLogger(__name__)

WORKER_THREADS = 8
POLL_SECONDS = 0.5
"""How often the worker looks for work when nobody rings (work from other processes)."""
ABANDONED_AFTER = timedelta(minutes=15)
"""A follow-up taken this long ago and not finished was being done by a process that died."""
REAP_EVERY_SECONDS = 60.0
REDRAW_SPACING_SECONDS = 1.0
"""At most one redraw of a poll's message per second: clicks on one poll in the meantime are
shown together by the next. Slack allows chat.update about 50 times a minute per workspace
(Tier 3), and a tally redrawn for every click of a busy minute would only queue behind it."""
REDRAWS_PER_MINUTE = 50
REDRAW_BURST = 20
"""chat.update is Tier 3 at Slack, "50+ per minute" per workspace, "sporadic bursts welcome":
in a burst of clicks on many polls the tallies catch up at that pace, each showing every
click made meanwhile, instead of running into Slack's 429s."""
BUSY_WINDOW_SECONDS = 0.2
BUSY_RINGS = 20
"""The bot process is in a burst when it rang this often within the window (100 requests a
second): the worker then lets follow-ups wait, up to `YIELD_AT_MOST`, so that it does not
compete with the acknowledgements for the processors (`bench.bench_ack`)."""
YIELD_AT_MOST = timedelta(seconds=0.5)
BUSY_POLL_SECONDS = 0.05
PASS_SPACING_SECONDS = 0.02
"""While the bell keeps ringing (a burst of clicks), look for work at most this often."""


class Worker:
    def __init__(
        self,
        runtime: Runtime,
        *,
        client: WebClient,
        slow_client: WebClient,
        follow_ups: FollowUps,
        name: str | None = None,
    ) -> None:
        self.runtime = runtime
        self.client = client
        self.slow_client = slow_client
        self.follow_ups = follow_ups
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"

    # -- one unit of work each ------------------------------------------------------------

    def take_follow_ups(self, limit: int) -> list[ClaimedFollowUp]:
        now = self.runtime.now()
        with write_session(self.runtime.engine) as session:
            return claim_follow_ups(session, worker=self.name, now=now, limit=limit)

    def oldest_waiting(self) -> timedelta | None:
        """How long the longest-waiting follow-up has waited; None if none waits."""
        with read_session(self.runtime.engine, snapshot=False) as session:
            stored = oldest_waiting_follow_up(session)
        return None if stored is None else self.runtime.now() - stored

    def do_follow_up(self, follow_up: ClaimedFollowUp) -> None:
        try:
            run_follow_up(
                follow_up.kind,
                follow_up.payload,
                follow_ups=self.follow_ups,
                runtime=self.runtime,
                client=self.client,
                slow_client=self.slow_client,
            )
        finally:
            with write_session(self.runtime.engine) as session:
                finish_follow_up(session, follow_up.id)

    def polls_to_redraw(self) -> dict[int, int]:
        with read_session(self.runtime.engine) as session:
            return polls_behind(session, claimable_before=self.runtime.now() - REDRAW_LEASE)

    def redraw(self, poll_id: int) -> None:
        redraw_poll(self.runtime, self.slow_client, poll_id, lease=REDRAW_LEASE)

    def answered_by_everyone(self, poll_ids: list[int]) -> list[int]:
        with read_session(self.runtime.engine) as session:
            return answered_by_everyone(session, poll_ids)

    def close_if_complete(self, poll_id: int) -> None:
        close_if_everyone_answered(self.runtime, self.slow_client, poll_id)

    # -- in the calling thread, until nothing is left (tests) -------------------------------

    def drain(self) -> int:
        """Do every follow-up and redraw due now, in this thread, including work that doing
        them creates; returns how many were done."""
        done = 0
        while True:
            follow_ups = self.take_follow_ups(limit=100)
            for follow_up in follow_ups:
                self.do_follow_up(follow_up)
            polls = self.polls_to_redraw()
            for poll_id in polls:
                self.redraw(poll_id)
            if not follow_ups and not polls:
                return done
            done += len(follow_ups) + len(polls)

    # -- as a service ---------------------------------------------------------------------

    def serve(self, stop: threading.Event, doorbell: Doorbell) -> None:
        """Work until `stop` is set or the process that started us is gone."""
        service = _Service(self, doorbell)
        last_reap = float("-inf")
        with ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="worker") as pool:
            while not stop.is_set() and not doorbell.parent_gone:
                began = time.monotonic()
                wait = POLL_SECONDS
                try:
                    wait = service.run_pass(pool, began)
                    if began - last_reap > REAP_EVERY_SECONDS:
                        last_reap = began
                        reap_abandoned(self.runtime)
                except Exception:
                    logger.exception("Failed to look for work; trying again shortly")
                doorbell.wait(wait)
                time.sleep(max(0.0, began + PASS_SPACING_SECONDS - time.monotonic()))
        if doorbell.parent_gone:
            logger.warning("the bot process that started this worker is gone; stopping")


class TokenBucket:
    """At most `burst` at once and `per_second` on average: Slack's rate tiers."""

    def __init__(self, *, per_second: float, burst: int) -> None:
        self._per_second = per_second
        self._burst = float(burst)
        self._tokens = float(burst)
        self._at = float("-inf")

    def take(self, now: float) -> bool:
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._per_second)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def wait(self) -> float:
        """Seconds until the next token."""
        return max(0.0, (1 - self._tokens) / self._per_second)


class _Service:
    """What `Worker.serve` keeps between its passes: the work in progress, when each poll
    was last redrawn, and the pace of redraws."""

    def __init__(self, worker: Worker, doorbell: Doorbell) -> None:
        self._worker = worker
        self._doorbell = doorbell
        self._lock = threading.Lock()
        self._busy: set[str] = set()
        self._last_drawn: dict[int, float] = {}
        self._checked: dict[int, int] = {}
        self._redraws = TokenBucket(per_second=REDRAWS_PER_MINUTE / 60, burst=REDRAW_BURST)

    def run_pass(self, pool: ThreadPoolExecutor, now: float) -> float:
        """Take what is due and hand it to `pool`; returns how long to wait before the next
        pass if nobody rings."""
        worker = self._worker
        with self._lock:
            room = 2 * WORKER_THREADS - len(self._busy)
        # A read first: taking follow-ups is a write, and passes come often in a burst.
        waited = worker.oldest_waiting() if room > 0 else None
        if waited is not None and self._bot_busy() and waited < YIELD_AT_MOST:
            # The bot process is acknowledging a burst: answers can wait a moment, and
            # would only slow its acknowledgements down now.
            return BUSY_POLL_SECONDS
        if waited is not None:
            for follow_up in worker.take_follow_ups(limit=room):
                self._submit(
                    pool, f"follow-up {follow_up.id}", partial(worker.do_follow_up, follow_up)
                )
        wait = POLL_SECONDS
        behind = worker.polls_to_redraw()
        changed = [p for p, version in behind.items() if self._checked.get(p) != version]
        self._checked.update((p, behind[p]) for p in changed)
        for poll_id in worker.answered_by_everyone(changed):
            # Closing a poll everyone has answered does not wait for its redraw's turn.
            self._submit(pool, f"close {poll_id}", partial(worker.close_if_complete, poll_id))
        for poll_id in behind:
            since = now - self._last_drawn.get(poll_id, float("-inf"))
            if since < REDRAW_SPACING_SECONDS:
                wait = min(wait, REDRAW_SPACING_SECONDS - since)
            elif self._is_busy(f"poll {poll_id}"):
                continue
            elif not self._redraws.take(now):
                wait = min(wait, self._redraws.wait())
                break
            elif self._submit(pool, f"poll {poll_id}", partial(worker.redraw, poll_id)):
                self._last_drawn[poll_id] = now
        self._forget(now, behind)
        return wait

    def _forget(self, now: float, behind: dict[int, int]) -> None:
        for poll_id, drawn in list(self._last_drawn.items()):
            if now - drawn >= REDRAW_SPACING_SECONDS:
                del self._last_drawn[poll_id]
        for poll_id in [p for p in self._checked if p not in behind]:
            del self._checked[poll_id]

    def _bot_busy(self) -> bool:
        return self._doorbell.rings_within(BUSY_WINDOW_SECONDS) >= BUSY_RINGS

    def _is_busy(self, key: str) -> bool:
        with self._lock:
            return key in self._busy

    def _submit(self, pool: ThreadPoolExecutor, key: str, work: Callable[[], None]) -> bool:
        with self._lock:
            if key in self._busy:
                return False
            self._busy.add(key)
        pool.submit(self._run, key, work)
        return True

    def _run(self, key: str, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:
            logger.exception("Failed to finish %s in the worker", key)
        finally:
            with self._lock:
                self._busy.discard(key)
            self._doorbell.ring()


def reap_abandoned(runtime: Runtime) -> int:
    """Tell the people whose follow-ups a dead process left half-done, and drop them: doing
    them again could do twice what was half done (post a poll twice). Returns how many."""
    cutoff = runtime.now() - ABANDONED_AFTER
    with read_session(runtime.engine) as session:
        abandoned = abandoned_follow_ups(session, claimed_before=cutoff)
    for follow_up in abandoned:
        tell_interrupted(follow_up.kind, follow_up.payload, runtime)
        with write_session(runtime.engine) as session:
            finish_follow_up(session, follow_up.id)
    return len(abandoned)
