"""What the browser tests share: Debian's Chromium driven by Playwright, axe-core, signing in.

A test module imports what it uses from here, fixtures by name (a fixture is found only in
the modules that import it, so the autouse `_taxonomy` runs only where it is imported):

    from tests.browser.support import MARKS, assert_no_axe_violation, browser, page

    pytestmark = MARKS

Importing this module skips the importing test module when /usr/bin/chromium is absent,
unless RECIPROCITE_REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure. Never
runs `playwright install`: Debian's Chromium.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# the context every test page gets unless a test asks for another (a locale, no JavaScript…)
LOCALE = "fr-FR"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000

if not CHROMIUM.exists():
    if os.environ.get("RECIPROCITE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and RECIPROCITE_REQUIRE_BROWSER=1", pytrace=False)
    # raised while the test module imports this one: pytest skips that test module
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.factories import World  # noqa: E402

MARKS = [
    pytest.mark.browser,
    # transactional: the live server thread must see the data; serialized_rollback brings
    # back the themes and publics seeded by the migrations after each flush
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the
    # tests' fixtures in the same thread, would otherwise refuse to run.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _taxonomy(transactional_db):
    """The themes and publics the migrations seed, back after a previous test's flush."""
    from reciprocite.registry.models import TargetPublic, Theme
    from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES

    for code, (_label, dac_code) in THEMES.items():
        Theme.objects.get_or_create(code=code, defaults={"dac_code": dac_code})
    for code in TARGET_PUBLICS:
        TargetPublic.objects.get_or_create(code=code)


def new_context(browser):
    """A French desktop context with the tests' timeout."""
    context = browser.new_context(locale=LOCALE, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(browser, live_server):
    """A page in its own context; `page.base` is the live server's address."""
    context = new_context(browser)
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def sign_in(page, username: str) -> None:
    page.goto(page.base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", World.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base + "/")


def assert_no_axe_violation(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
