# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The pages in a real Chromium: no axe-core violation, htmx filtering, keyboard access.

Skipped when /usr/bin/chromium is absent, unless RECIPROCITE_REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure (tests/browser/support.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import MARKS, _taxonomy, assert_no_axe_violation, browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = MARKS


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/partnerships/",
        "/partnerships/{ht}/",
        "/projects/",
        "/projects/{office}/",
        "/territories/",
        "/accounts/login/",
    ],
)
def test_public_pages_have_no_axe_violation(page, world, path):
    url = path.format(ht=world.herouville_tikhvine.pk, office=world.employment_office.pk)
    response = page.goto(page.base + url)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_no_axe_violation(page)


def test_edit_forms_have_no_axe_violation(page, world):
    sign_in(page, "herouville_editor")
    for url in (
        f"/partnerships/{world.herouville_tikhvine.pk}/edit/",
        f"/projects/{world.employment_office.pk}/edit/",
        f"/projects/{world.employment_office.pk}/",
    ):
        assert page.goto(page.base + url).status == 200
        assert_no_axe_violation(page)
    # a form with errors too
    page.goto(page.base + f"/partnerships/{world.herouville_tikhvine.pk}/edit/")
    page.fill("#id_title", "")
    page.click("main form button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()
    assert_no_axe_violation(page)


def test_arabic_home_is_right_to_left_without_axe_violation(page, world):
    page.goto(page.base + "/")
    page.select_option("#language-select", "ar")
    page.click(".language-switcher button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert_no_axe_violation(page)


def test_changing_a_facet_updates_the_list_through_htmx(page, world):
    page.goto(page.base + "/projects/")
    expect(page.locator(".results-summary")).to_have_text("2 projets trouvés")
    page.evaluate("window.__notReloaded = true")
    page.select_option("#filter-theme", "sante")
    expect(page.locator(".results-summary")).to_have_text("1 projet trouvé")
    expect(page.locator(".result-list h3 a")).to_have_text([world.youth_centre.title])
    assert "theme=sante" in page.url  # the address follows (hx-push-url)
    assert page.evaluate("window.__notReloaded") is True  # updated in place, no reload
    expect(page.locator("#filter-theme")).to_have_value("sante")


def test_filters_work_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/projects/")
        page.select_option("#filter-status", "completed")
        page.click("#filters button[type=submit]")
        page.wait_for_url("**/projects/?*status=completed*")
        assert page.locator(".results-summary").inner_text() == "1 projet trouvé"
    finally:
        context.close()


def test_tab_reaches_the_skip_link_first(page, world):
    page.goto(page.base + "/partnerships/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_inline_role_added_through_htmx(page, world):
    sign_in(page, "tikhvine_editor")
    page.goto(page.base + f"/projects/{world.employment_office.pk}/")
    page.evaluate("window.__notReloaded = true")
    page.fill("#id_role-new_actor_name", "Service social de Tikhvine")
    page.select_option("#id_role-new_actor_kind", "municipal_service")
    page.select_option("#id_role-role", "operator")
    page.click("#project-roles form button[type=submit] >> text=Ajouter le rôle")
    expect(page.locator("#project-roles table")).to_contain_text("Service social de Tikhvine")
    assert page.evaluate("window.__notReloaded") is True


def test_add_a_cofunding_row_through_htmx(page, world):
    sign_in(page, "herouville_editor")
    page.goto(page.base + f"/projects/{world.employment_office.pk}/edit/")
    expect(page.locator(".funding-row")).to_have_count(1)
    page.click("#add-funding")
    expect(page.locator(".funding-row")).to_have_count(2)
    assert page.locator("#id_funding-TOTAL_FORMS").input_value() == "2"
    page.fill("#id_funding-1-funder", "Fondation de France")
    page.select_option("#id_funding-1-funder_kind", "fondation")
    page.fill("#id_funding-1-amount", "1500")
    page.click("main form.form > .actions button[type=submit]")
    page.wait_for_url(page.base + f"/projects/{world.employment_office.pk}/")
    expect(page.locator("#funding table")).to_contain_text("Fondation de France")
