"""How headless Chromium is started here, for the sandbox's browser tests and the README's
screenshots: this machine's network is closed, so everything Chromium would fetch on its
own (updates, sync, background lookups) is switched off."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
