"""The worker's own rules: the pace of redraws and the doorbell that wakes it."""

from __future__ import annotations

import os
import time

from bot.doorbell import Doorbell, ring, wake_up_pipe
from bot.worker import TokenBucket


def test_redraws_keep_to_a_burst_then_to_the_pace() -> None:
    bucket = TokenBucket(per_second=1.0, burst=3)
    assert [bucket.take(10.0) for _ in range(4)] == [True, True, True, False]
    assert 0.9 < bucket.wait() <= 1.0
    assert not bucket.take(10.5)
    assert bucket.take(11.0)
    assert bucket.take(100.0), "an idle minute refills the burst"
    assert bucket.take(100.0)
    assert bucket.take(100.0)
    assert not bucket.take(100.0)


def test_the_doorbell_wakes_at_once_and_tells_when_the_bot_is_gone() -> None:
    read_end, write_end = wake_up_pipe()
    doorbell = Doorbell(read_end)
    ring(write_end)
    began = time.monotonic()
    doorbell.wait(5)
    assert time.monotonic() - began < 1
    assert not doorbell.parent_gone
    doorbell.ring()
    doorbell.wait(5)
    assert doorbell.rings_within(1.0) == 1, "its own rings do not count as the bot's"
    for _ in range(5):
        ring(write_end)
    doorbell.wait(5)
    assert doorbell.rings_within(1.0) == 6
    os.close(write_end)
    doorbell.wait(5)
    assert doorbell.parent_gone
    doorbell.close()
    os.close(read_end)
