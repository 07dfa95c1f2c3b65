# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The accounts pages in Chromium: no CSP violation, and the QR code image does render."""

from __future__ import annotations

import pytest

from tests.browser.support import MARKS, _taxonomy, browser, new_context  # noqa: F401 - fixtures
from tests.factories import World
from tests.test_security_csp_browser import assert_no_violation, visit, watched  # noqa: F401

pytestmark = MARKS


def _sign_in(page, username: str) -> None:
    page.goto(page.base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", World.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_account_pages_break_no_policy_and_the_qr_code_shows(watched, world):
    for path in ("/accounts/password/reset/", "/accounts/password/reset/sent/"):
        visit(watched, path)
    _sign_in(watched, "analyst")
    for path in ("/accounts/me/", "/accounts/password/change/", "/accounts/me/second-factor/"):
        visit(watched, path)
    qr = watched.locator("main img[src^='data:image/svg+xml']")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_no_violation(watched, "second factor page")
