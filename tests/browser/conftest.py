"""Playwright in Debian's Chromium, headless, against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (REQUIRE_BROWSER is set) but was not found; install Debian's chromium.")
        pytest.skip("Chromium not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(live_server, browser):
    # live_server first: session fixtures are torn down in reverse, so Chromium closes its keep-alive
    # connections before the live server stops sharing the in-memory database with its request threads.
    context = browser.new_context(base_url=live_server.url, locale="en-US", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = []  # the Content-Security-Policy must never block anything the site does
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    yield page
    context.close()
    assert violations == [], violations


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: impacts that fail a page (axe also reports "moderate" and "minor" ones)
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Run axe-core (from node_modules, evaluated through the DevTools protocol, so the site's CSP stays as it is)
    on the current page and return its violations as {id, impact, help, targets}."""
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
        }))"""
    )


def duplicated_labels(page) -> list[str]:
    """Visible form controls and buttons of the main content that share one accessible name (axe-core computes
    it), or that have more than one label."""
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(
        """() => {
            axe.setup(document);
            const names = new Map(), problems = [];
            for (const control of document.querySelectorAll(
                "main :is(input:not([type=hidden]), select, textarea, button)")) {
                if (!control.checkVisibility()) continue;
                if (control.labels && control.labels.length > 1) {
                    problems.push(`${control.name}: ${control.labels.length} labels`);
                }
                const name = axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(control));
                names.set(name, (names.get(name) || 0) + 1);
            }
            axe.teardown();
            for (const [name, count] of names) if (count > 1) problems.push(`"${name}" names ${count} controls`);
            return problems;
        }"""
    )


def set_language(page, base_url: str, language: str) -> None:
    """The language cookie that Django's set-language view writes (LocaleMiddleware reads it)."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])


def horizontal_overflow(page) -> int:
    """How many pixels the document is wider than the window (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
