"""The sandbox in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright) opens the page and does what a visitor does: acts as a mentor and types a
command, acts as a mentee and votes, fills a form wrongly and reads the error on its field,
reads what to try, finds a mentee who signed up waiting for a group, and moves the clock to
Monday to see the coordinator's digest arrive.

Skipped, with the reason, only where /usr/bin/chromium is not installed (.ci/run installs it).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect, sync_playwright

from bot.sandbox.app import Sandbox, SandboxOptions
from bot.sandbox.web import SandboxWebServer
from handlers import LISTENERS
from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS

START = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))  # a Tuesday
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Chromium at /usr/bin/chromium: "
    "apt-get install -y chromium chromium-driver",
)


class SandboxPage:
    """The sandbox page as a visitor sees it: who they act as, where they are, what they do."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url

    def open(self) -> SandboxPage:
        self.page.goto(self.url)
        expect(self.page.locator("#clock-now")).not_to_have_text("…", timeout=TIMEOUT_MS)
        return self

    def act_as(self, handle: str) -> None:
        option = self.page.locator("#act-as option", has_text=f"(@{handle})")
        user_id = option.get_attribute("value")
        assert user_id, f"nobody called @{handle} in the act-as list"
        self.page.select_option("#act-as", user_id)
        expect(self.page).to_have_url(re.compile(f"as={user_id}"), timeout=TIMEOUT_MS)

    def open_conversation(self, name: str) -> None:
        self.page.locator(".sidebar button", has_text=name).click()
        expect(self.page.locator("#conv-title")).to_contain_text(name, timeout=TIMEOUT_MS)

    def type(self, text: str) -> None:
        box = self.page.locator("#composer-text")
        box.fill(text)
        box.press("Enter")

    def message(self, text: str) -> Locator:
        return self.page.locator(".message", has_text=text).last

    def advance(self, button: str) -> None:
        self.page.locator(f"#clock-{button}").click()

    @property
    def modal(self) -> Locator:
        return self.page.locator("#modal")

    def field(self, block_id: str) -> Locator:
        return self.modal.locator(f'.bk-input[data-block-id="{block_id}"]')


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    with Sandbox(LISTENERS, SandboxOptions(start=START)) as sandbox:
        web = SandboxWebServer(sandbox, port=0).start()
        try:
            yield web.url
        finally:
            web.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with tempfile.TemporaryDirectory(prefix="sandbox-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 860},
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: BrowserContext, sandbox_url: str) -> Iterator[SandboxPage]:
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield SandboxPage(tab, sandbox_url).open()
        assert errors == [], f"the page raised: {errors}"
    finally:
        tab.close()


def test_a_mentor_polls_and_a_mentee_votes(page: SandboxPage) -> None:
    page.act_as("amara.okafor")
    expect(page.page.locator("#conv-title")).to_contain_text("birch")
    page.type("/mentor poll thu 16:00; fri 14:00")
    poll = page.message("When shall we meet?")
    expect(poll).to_contain_text("Thu 26 Nov, 16:00")
    expect(poll).to_contain_text("Fri 27 Nov, 14:00")

    page.act_as("noah.pedersen")
    poll = page.message("When shall we meet?")
    first_date = poll.locator('[data-block-id*="_option"]', has_text="Thu 26 Nov")
    # The mentor's own dates are their yes from the start.
    expect(first_date).to_contain_text("✅ Yes 1: @Amara Okafor")
    poll.locator(".bk-actions").first.get_by_role("button", name="✅ Yes").click()
    expect(first_date).to_contain_text("✅ Yes 2:")
    expect(first_date).to_contain_text("@Noah Pedersen")


def test_a_form_shows_the_bots_error_on_its_field(page: SandboxPage) -> None:
    page.act_as("lukas.brandt")
    page.type("/mentor log")
    expect(page.modal).to_be_visible()
    expect(page.modal.locator("#modal-title")).to_have_text("Log a meeting")
    page.field("when").locator("input").fill("2026-12-01T16:00")
    page.modal.get_by_role("button", name="Log it").click()
    error = page.field("when").locator(".bk-error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page.modal).to_be_visible()
    page.modal.get_by_role("button", name="Cancel").click()
    expect(page.modal).to_be_hidden()


def test_times_are_shown_in_the_readers_zone_with_the_fallback_on_hover(
    page: SandboxPage,
) -> None:
    page.act_as("lukas.brandt")
    page.type("/mentor log yesterday 10:00")
    logged = page.message("logged")
    # Slack's date token, read by someone in Copenhagen on Tuesday 24 Nov.
    expect(logged).to_contain_text("(Yesterday 10:00)")
    date = logged.locator(".date").first
    expect(date).to_have_attribute("title", "Mon 23 Nov, 10:00 (Europe/Copenhagen)")
    expect(logged).not_to_contain_text("<!date")


def test_a_button_with_a_confirm_asks_first(page: SandboxPage) -> None:
    page.act_as("sofie.lund")
    # The mentor's buttons are in the message only the mentor sees, not on the poll.
    expect(
        page.message("When shall we meet?").get_by_role("button", name="Cancel poll")
    ).to_have_count(0)
    controls = page.message("Your poll is up")
    controls.get_by_role("button", name="Cancel poll").click()
    dialog = page.page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Cancel this poll?")
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_be_hidden()
    expect(page.message("When shall we meet?")).to_contain_text("Waiting for answers")


def test_what_people_write_is_shown_as_text(page: SandboxPage) -> None:
    page.act_as("peter.madsen")
    page.open_conversation("general")
    page.type('<img src=x onerror="window.hacked=1"> *hello* @sofie.lund')
    message = page.message("hello")
    expect(message).to_contain_text('<img src=x onerror="window.hacked=1">')
    expect(message.locator("strong")).to_have_text("hello")
    expect(message.locator(".mention")).to_have_text("@Sofie Lund")
    assert message.locator("img").count() == 0
    assert page.page.evaluate("window.hacked") is None


def test_the_home_tab_shows_the_apps_home(page: SandboxPage) -> None:
    page.act_as("emil.larsen")
    page.open_conversation("Mentorbot")
    page.page.get_by_role("tab", name="Home").click()
    home = page.page.locator("#home")
    expect(home.locator(".bk-block").first).to_be_visible()


def test_the_page_says_what_to_try_and_a_waiting_mentee_is_signed_up(page: SandboxPage) -> None:
    tour = page.page.locator("#tour")
    expect(tour).to_be_visible()
    for step in ("/mentor join", "/mentor match", "Home", "Monday 08:00", "End of term"):
        expect(tour).to_contain_text(step)
    page.act_as("nora.ali")
    page.type("/mentor join")
    expect(page.message("You are signed up as a mentee this term.")).to_be_visible()


def test_monday_morning_brings_the_coordinator_her_digest(page: SandboxPage) -> None:
    """Last in this module: it moves the shared sandbox's clock."""
    page.act_as("maria.jensen")
    page.open_conversation("Mentorbot")
    page.advance("monday")
    # Six days of jobs: on a busy machine that takes longer than expect's 5 s default.
    expect(page.page.locator("#clock-now")).to_have_text(
        "Mon 30 Nov 2026, 08:00", timeout=TIMEOUT_MS
    )
    digest = page.page.locator(".message:not(.ephemeral)", has_text=re.compile("digest", re.I))
    expect(digest.last).to_be_visible()
