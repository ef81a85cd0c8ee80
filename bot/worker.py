"""The worker: everything done after Slack was answered, in its own process.

The web process only checks a request, stores what it must (a vote, a follow-up) and
acknowledges, so acknowledgements never wait behind this work for the interpreter. The worker
runs the follow-ups listeners left (answering commands, posting polls, opening modals) and
redraws poll messages that are behind the votes stored. `mentorbot run` starts it as a child
process; `mentorbot worker` runs it on its own. Several workers may share a database: each
follow-up and each redraw is taken with a conditional update, so only one does it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from slack_sdk import WebClient

from bot.doorbell import Doorbell
from bot.runtime import Runtime
from bot.services.polls import redraw_poll
from handlers.followups import run_follow_up, tell_interrupted
from storage.db import read_session, write_session
from storage.followups import (
    ClaimedFollowUp,
    abandoned_follow_ups,
    claim_follow_ups,
    finish_follow_up,
)
from storage.polls import polls_behind

logger = logging.getLogger(__name__)

WORKER_THREADS = 8
POLL_SECONDS = 0.5
"""How often the worker looks for work when nobody rings (work from other processes)."""
ABANDONED_AFTER = timedelta(minutes=15)
"""A follow-up taken this long ago and not finished was being done by a process that died."""
REDRAW_LEASE = timedelta(minutes=2)
"""A redraw taken this long ago and not finished may be taken over by another worker."""
REAP_EVERY_SECONDS = 60.0
REDRAW_SPACING_SECONDS = 1.0
"""At most one redraw of a poll's message per second: clicks on one poll in the meantime are
shown together by the next. Slack allows chat.update about 50 times a minute per workspace
(Tier 3), and a tally redrawn for every click of a busy minute would only queue behind it."""
PASS_SPACING_SECONDS = 0.02
"""While the bell keeps ringing (a burst of clicks), look for work at most this often."""


class Worker:
    def __init__(
        self,
        runtime: Runtime,
        *,
        client: WebClient,
        slow_client: WebClient,
        name: str | None = None,
    ) -> None:
        self.runtime = runtime
        self.client = client
        self.slow_client = slow_client
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"

    # -- one unit of work each ------------------------------------------------------------

    def take_follow_ups(self, limit: int) -> list[ClaimedFollowUp]:
        now = self.runtime.now()
        with write_session(self.runtime.engine) as session:
            return claim_follow_ups(session, worker=self.name, now=now, limit=limit)

    def do_follow_up(self, follow_up: ClaimedFollowUp) -> None:
        try:
            run_follow_up(
                follow_up.kind,
                follow_up.payload,
                runtime=self.runtime,
                client=self.client,
                slow_client=self.slow_client,
            )
        finally:
            with write_session(self.runtime.engine) as session:
                finish_follow_up(session, follow_up.id)

    def polls_to_redraw(self) -> list[int]:
        with read_session(self.runtime.engine) as session:
            return polls_behind(session, claimable_before=self.runtime.now() - REDRAW_LEASE)

    def redraw(self, poll_id: int) -> None:
        redraw_poll(self.runtime, self.slow_client, poll_id, lease=REDRAW_LEASE)

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
        busy: set[str] = set()
        lock = threading.Lock()
        last_reap = float("-inf")
        last_drawn: dict[int, float] = {}

        def finished(key: str) -> Callable[[Future[None]], None]:
            def forget(_: Future[None]) -> None:
                with lock:
                    busy.discard(key)
                doorbell.ring()

            return forget

        def submit(pool: ThreadPoolExecutor, key: str, work: Callable[[], None]) -> bool:
            with lock:
                if key in busy:
                    return False
                busy.add(key)
            pool.submit(self._logged, work).add_done_callback(finished(key))
            return True

        with ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="worker") as pool:
            while not stop.is_set() and not doorbell.parent_gone:
                began = time.monotonic()
                wait = POLL_SECONDS
                try:
                    with lock:
                        room = 2 * WORKER_THREADS - len(busy)
                    if room > 0:
                        for follow_up in self.take_follow_ups(limit=room):
                            submit(
                                pool,
                                f"follow-up {follow_up.id}",
                                lambda f=follow_up: self.do_follow_up(f),
                            )
                    for poll_id in self.polls_to_redraw():
                        since = began - last_drawn.get(poll_id, float("-inf"))
                        if since < REDRAW_SPACING_SECONDS:
                            wait = min(wait, REDRAW_SPACING_SECONDS - since)
                        elif submit(pool, f"poll {poll_id}", lambda p=poll_id: self.redraw(p)):
                            last_drawn[poll_id] = began
                    for poll_id, drawn in list(last_drawn.items()):
                        if began - drawn >= REDRAW_SPACING_SECONDS:
                            del last_drawn[poll_id]
                    if began - last_reap > REAP_EVERY_SECONDS:
                        last_reap = began
                        reap_abandoned(self.runtime)
                except Exception:
                    logger.exception("Failed to look for work; trying again shortly")
                doorbell.wait(wait)
                time.sleep(max(0.0, began + PASS_SPACING_SECONDS - time.monotonic()))
        if doorbell.parent_gone:
            logger.warning("the bot process that started this worker is gone; stopping")

    @staticmethod
    def _logged(work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:
            logger.exception("Failed to finish work in the worker")


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
