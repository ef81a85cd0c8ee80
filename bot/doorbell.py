"""Waking the worker process the moment there is work for it, instead of it polling often.

The web process and the worker share a pipe: the web process writes a byte after storing
work (`ring`), the worker sleeps in `select` until a byte comes or its polling interval ends.
The worker also rings itself when its own threads leave new work. When the web process dies,
its end of the pipe closes and the worker sees it at once (`parent_gone`).
"""

from __future__ import annotations

import contextlib
import os
import select
import time
from collections import deque


def ring(fd: int) -> None:
    """Write one wake-up byte to `fd`, never blocking: a full pipe already means "wake up"."""
    with contextlib.suppress(BlockingIOError, BrokenPipeError):
        os.write(fd, b"\0")


def wake_up_pipe() -> tuple[int, int]:
    """A pipe (read end, write end) whose write end never blocks."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    return read_end, write_end


class Doorbell:
    """The worker's side: `wait` until rung or `timeout` seconds pass."""

    def __init__(self, outside: int | None = None) -> None:
        self._outside = outside
        self._own_read, self._own_write = wake_up_pipe()
        os.set_blocking(self._own_read, False)
        self.parent_gone = False
        self._rings: deque[tuple[float, int]] = deque()

    def ring(self) -> None:
        ring(self._own_write)

    def wait(self, timeout: float) -> None:
        watched = [self._own_read] + ([self._outside] if self._outside is not None else [])
        ready, _, _ = select.select(watched, [], [], timeout)
        for fd in ready:
            rung = os.read(fd, 4096)
            if fd != self._outside:
                continue
            if not rung:
                # The write end closed: the process that started us is gone.
                self.parent_gone = True
                self._outside = None
            else:
                self._rings.append((time.monotonic(), len(rung)))

    def rings_within(self, seconds: float) -> int:
        """How often the bot process rang in the last `seconds`: how busy it is."""
        since = time.monotonic() - seconds
        while self._rings and self._rings[0][0] < since:
            self._rings.popleft()
        return sum(count for _, count in self._rings)

    def close(self) -> None:
        os.close(self._own_read)
        os.close(self._own_write)
