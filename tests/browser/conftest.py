"""Playwright for Python driving Debian's Chromium against the portal behind the gateway."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

from tests.browser.world import World

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / ".run" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run deploy/local/fetch-chromium.sh (make test does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def world(gateway_url) -> World:
    """Institutions and a published course shared by the browser tests."""
    made = World(gateway_url)
    yield made
    made.http.close()


@pytest.fixture
def new_page(browser, gateway_url):
    """`new_page()` → a page in a fresh browser context (its own cookies) on the gateway."""
    contexts = []

    def build(locale: str = "en-GB", javascript: bool = True) -> Page:
        context = browser.new_context(base_url=gateway_url, locale=locale,
                                      viewport=VIEWPORTS["desktop"],
                                      java_script_enabled=javascript)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield build
    for context in contexts:
        context.close()


def sign_in(page: Page, who: dict, next_path: str = "/") -> None:
    """Sign in through the dev sign-in form, as a person would, and land on `next_path`."""
    page.goto(f"/dev/sign-in?next={quote(next_path)}")
    form = page.locator("form.stack")
    for name in ("sub", "roles", "institution_id", "timezone", "locale", "name", "email"):
        if who.get(name):
            form.locator(f"[name={name}]").fill(who[name])
    form.locator("button[type=submit]").click()
    # A glob would match the sign-in URL itself, whose `next` holds the same path.
    wanted = urlsplit(next_path).path
    page.wait_for_url(lambda url: urlsplit(url).path == wanted)


def tab_to(page: Page, target) -> None:
    """Press Tab until `target` (a locator) has the focus, as a keyboard user would."""
    for _ in range(80):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with Tab")


def accessible(page: Page, name: str) -> None:
    """axe-core finds no violation on the page; screenshots at desktop and phone sizes."""
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size in VIEWPORTS.values():
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{size['width']}x{size['height']}.png"),
                        full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])


def scripted_twin(page: Page, new_page) -> Page:
    """The same signed-in page in a context with JavaScript on (axe-core needs it), for
    checking pages a test drives with JavaScript off."""
    twin = new_page()
    twin.context.add_cookies(page.context.cookies())
    twin.goto(page.url)
    return twin
