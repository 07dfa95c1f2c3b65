# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The Content-Security-Policy in a real Chromium: no page breaks it.

Each page is loaded with a listener for `securitypolicyviolation` installed before any of its
scripts run, and Chromium's console is watched for "Refused to …" errors: both must stay
empty, on public pages, signed-in pages, the admin, the API docs (Swagger UI) and a survey's
web form reached through its personal link, and after an htmx update of a list.

Skipped when /usr/bin/chromium is absent, unless RECIPROCITE_REQUIRE_BROWSER=1
(tests/browser/support.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import MARKS, _taxonomy, browser, new_context  # noqa: F401 - fixtures
from tests.factories import World

pytestmark = MARKS

LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(browser, live_server):
    """A page that records CSP violations and console errors about the policy."""
    context = new_context(browser)
    context.add_init_script(LISTENER)
    page = context.new_page()
    page.base = live_server.url
    page.refused = []
    page.on(
        "console",
        lambda message: (
            page.refused.append(message.text)
            if message.type == "error"
            and ("Content Security Policy" in message.text or "Refused to" in message.text)
            else None
        ),
    )
    yield page
    context.close()


def visit(page, path: str, status: int = 200) -> None:
    response = page.goto(page.base + path)
    assert response.status == status, path
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert_no_violation(page, path)


def assert_no_violation(page, where: str) -> None:
    violations = page.evaluate("window.__cspViolations")
    assert not violations, f"{where}: {violations}"
    assert not page.refused, f"{where}: {page.refused}"


def test_public_pages_break_no_policy(watched, world):
    ht = world.herouville_tikhvine.pk
    for path in (
        "/",
        "/partnerships/",
        f"/partnerships/{ht}/",
        "/projects/",
        f"/projects/{world.employment_office.pk}/",
        "/territories/",
        "/panorama/",
        "/knowledge/",
        "/knowledge/?q=emploi",
        "/accounts/login/",
        "/admin/login/",
        "/no-such-page/",
    ):
        visit(watched, path, 404 if path == "/no-such-page/" else 200)


def test_the_api_docs_run_swagger_ui_within_the_policy(watched, world):
    visit(watched, "/api/v1/docs")
    # Swagger UI did render the operations from our openapi.json
    expect(watched.locator(".opblock").first).to_be_visible()
    watched.locator(".opblock-summary").first.click()
    expect(watched.locator(".opblock-body").first).to_be_visible()
    assert_no_violation(watched, "/api/v1/docs after opening an operation")


def test_an_htmx_update_breaks_no_policy(watched, world):
    visit(watched, "/projects/")
    watched.select_option("#filter-theme", "sante")
    expect(watched.locator(".results-summary")).to_have_text("1 projet trouvé")
    watched.wait_for_load_state("networkidle")
    assert_no_violation(watched, "/projects/ after an htmx update")


def test_signed_in_pages_and_the_admin_break_no_policy(watched, world):
    watched.goto(watched.base + "/admin/login/")
    watched.fill("#id_username", "admin")
    watched.fill("#id_password", World.PASSWORD)
    watched.click("input[type=submit]")
    watched.wait_for_url(watched.base + "/admin/")
    assert_no_violation(watched, "admin sign-in")
    ht = world.herouville_tikhvine.pk
    for path in (
        "/admin/",
        "/admin/registry/partnership/",
        f"/admin/registry/partnership/{ht}/change/",
        "/admin/core/auditevent/",
        "/accounts/me/",
        f"/partnerships/{ht}/edit/",
        "/jobs/",
    ):
        visit(watched, path)


def test_a_survey_web_form_breaks_no_policy(watched, live_server):
    from tests.surveys import collect_support as cs

    _invitation, path = cs.invite(cs.cooperations(), language="fr")
    visit(watched, path)
    watched.click("main .collect-actions button[value=next]")  # errors shown by the page
    expect(watched.locator("#form-errors")).to_be_visible()
    watched.wait_for_load_state("networkidle")
    assert_no_violation(watched, "survey form with errors")
