"""The composition root: the one package that joins the listeners (`handlers/`) to the app
and the worker that run them (`bot/`). `mentorbot …` and `python -m mentorbot …`
start here.

It imports both sides, so no import has to run from `bot/` back up into `handlers/` (the
layers import-linter checks, in pyproject.toml).
"""

from __future__ import annotations

import sys

from bot.cli import cli
from bot.cli.common import Wiring
from handlers import LISTENERS

WIRING = Wiring(listeners=LISTENERS, command=(sys.executable, "-m", "mentorbot"))
"""What every command gets: the listeners, and how the worker child process is started."""


def main() -> None:
    cli(prog_name="mentorbot", obj=WIRING)
