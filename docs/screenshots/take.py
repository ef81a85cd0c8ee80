"""Take the README's screenshots of `mentorbot sandbox` with headless Chromium:

    .venv/bin/python docs/screenshots/take.py

Starts its own sandbox (the demo term, on a fixed Tuesday so the pictures do not change
with the day they are taken) on a free port, and writes the PNGs next to this file.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.sandbox.app import Sandbox, SandboxOptions
from bot.sandbox.web import SandboxWebServer
from handlers import LISTENERS
from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS

HERE = Path(__file__).resolve().parent
START = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def act_as(page: Page, handle: str) -> None:
    user_id = page.locator("#act-as option", has_text=f"(@{handle})").get_attribute("value")
    page.select_option("#act-as", user_id)
    expect(page.locator("#act-as")).to_have_value(user_id or "")
    page.wait_for_timeout(800)


def open_conversation(page: Page, name: str) -> None:
    page.locator(".sidebar button", has_text=name).click()
    page.wait_for_timeout(600)


def send(page: Page, text: str) -> None:
    page.locator("#composer-text").fill(text)
    page.locator("#composer-text").press("Enter")
    page.wait_for_timeout(1200)


def shot(page: Page, name: str) -> None:
    page.wait_for_timeout(400)
    for toast in page.locator(".toast").all():
        toast.evaluate("node => node.remove()")
    page.screenshot(path=str(HERE / name))
    print("wrote", HERE / name)  # noqa: T201 - a script that says what it wrote


def main() -> None:
    with Sandbox(LISTENERS, SandboxOptions(start=START)) as sandbox:
        web = SandboxWebServer(sandbox, port=0).start()
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1280, "height": 820},
            )
            page = context.new_page()
            page.goto(web.url)
            expect(page.locator(".message").first).to_be_visible()
            # 1. A mentee in her group's channel, answering the open date poll.
            act_as(page, "oliver.berg")
            page.locator(".message", has_text="When shall we meet?").locator(
                ".bk-actions"
            ).first.get_by_role("button", name="✅ Yes").click()
            page.wait_for_timeout(1500)
            shot(page, "sandbox-poll.png")
            # 2. A mentor's form, refused on its field.
            act_as(page, "lukas.brandt")
            send(page, "/mentor log")
            page.locator('.bk-input[data-block-id="when"] input').fill("2026-12-01T16:00")
            page.get_by_role("button", name="Log it").click()
            expect(page.locator(".bk-error").first).to_be_visible()
            shot(page, "sandbox-form-error.png")
            page.locator("#modal-close").click()
            expect(page.locator("#modal")).to_be_hidden()
            # 3. The coordinator's Monday digest, after moving the clock.
            act_as(page, "maria.jensen")
            open_conversation(page, "Mentorbot")
            page.locator("#clock-monday").click()
            expect(page.locator("#clock-now")).to_have_text(
                "Mon 30 Nov 2026, 08:00", timeout=60_000
            )
            page.wait_for_timeout(800)
            shot(page, "sandbox-digest.png")
            # 4. The poll's result with its calendar file, and the mentee's Home tab.
            act_as(page, "sofie.lund")
            page.locator("#messages").evaluate("node => node.scrollTop = node.scrollHeight")
            shot(page, "sandbox-result.png")
            act_as(page, "emil.larsen")
            open_conversation(page, "Mentorbot")
            page.get_by_role("tab", name="Home").click()
            page.wait_for_timeout(1500)
            shot(page, "sandbox-home.png")
            context.close()
        web.stop()


if __name__ == "__main__":
    main()
