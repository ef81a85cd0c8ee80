"""`mentorbot worker`: the work done after Slack was answered, on its own (see bot/worker.py)."""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import replace

import click

from bot.cli.common import configure_logging, migrated_runtime, settings_or_exit, wiring_or_exit
from bot.cli.run import LOG_LEVELS
from bot.doorbell import Doorbell
from bot.scheduler import build_scheduler
from bot.slack_client import background_client, interactive_client
from bot.worker import Worker

logger = logging.getLogger("mentorbot")

NICENESS = 10
"""The worker yields the CPU to the process answering Slack: when both want it, an
acknowledgement (due within 3 s) matters more than a redraw or a digest."""


@click.command()
@click.option("--doorbell-fd", type=int, hidden=True, help="Pipe the bot process wakes us on.")
@click.option("--log-level", default="INFO", show_default=True, type=LOG_LEVELS)
def worker(doorbell_fd: int | None, log_level: str) -> None:
    """Do the work after Slack was answered: scheduled jobs, follow-ups, poll redraws.

    `mentorbot run` starts one itself; run this beside `mentorbot run --web-only` processes."""
    wiring = wiring_or_exit()
    configure_logging(log_level.upper())
    os.nice(NICENESS)
    settings = settings_or_exit()
    doorbell = Doorbell(doorbell_fd)
    runtime = replace(migrated_runtime(settings), wake_worker=doorbell.ring)
    stop = threading.Event()

    def stop_on_signal(signum: int, _frame: object) -> None:
        logger.info("worker received %s, stopping", signal.Signals(signum).name)
        stop.set()
        doorbell.ring()

    signal.signal(signal.SIGTERM, stop_on_signal)
    # Started by `mentorbot run`, Ctrl-C reaches both processes; the bot stops us itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN if doorbell_fd is not None else stop_on_signal)
    slow_client = background_client(settings)
    scheduler = build_scheduler(runtime, slow_client)
    scheduler.start()
    logger.info("worker: running scheduled jobs and follow-ups")
    try:
        Worker(
            runtime,
            client=interactive_client(settings),
            slow_client=slow_client,
            follow_ups=wiring.listeners.follow_ups,
        ).serve(stop, doorbell)
    finally:
        scheduler.shutdown(wait=False)
        runtime.engine.dispose()
        logger.info("worker stopped")
