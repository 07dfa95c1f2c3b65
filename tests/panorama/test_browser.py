# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The panorama page in a real Chromium: no axe-core violation, htmx filters, PNG export."""

from __future__ import annotations

from tests.browser.support import (  # noqa: F401 - fixtures used by name
    MARKS,
    _taxonomy,
    assert_no_axe_violation,
    browser,
    page,
)

pytestmark = MARKS


def test_panorama_has_no_axe_violation(page, world):
    from playwright.sync_api import expect

    response = page.goto(page.base + "/panorama/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    # open every data table, so that axe checks them too
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    expect(page.locator("button[data-png]").first).to_be_visible()
    assert_no_axe_violation(page)


def test_panorama_filters_through_htmx_and_a_bad_filter(page, world):
    from playwright.sync_api import expect

    page.goto(page.base + "/panorama/")
    page.evaluate("window.__notReloaded = true")
    page.select_option("#filter-theme", "logement")
    expect(page.locator(".panorama-sentence").first).to_contain_text("0 ")
    assert "theme=logement" in page.url
    assert page.evaluate("window.__notReloaded") is True
    # the form refuses a year out of range itself (min/max); a bad address answered with
    # 400 is swapped in all the same, so that its message is read
    page.evaluate(
        "htmx.ajax('GET', '/panorama/?country=ZZ',"
        " {target: '#panorama-results', swap: 'outerHTML'})"
    )
    expect(page.locator("#panorama-results [role=alert]")).to_contain_text("country")
    assert page.evaluate("window.__notReloaded") is True
    assert_no_axe_violation(page)


def test_png_download(page, world):
    page.goto(page.base + "/panorama/")
    with page.expect_download() as info:
        page.click("#figure-chart-theme button[data-png]")
    download = info.value
    assert download.suggested_filename == "panorama-theme.png"
    path = download.path()
    with open(path, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_panorama_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/panorama/")
        assert page.locator("button[data-png]").first.is_hidden()
        page.select_option("#filter-theme", "sante")
        page.click("#panorama-filters button[type=submit]")
        page.wait_for_url("**/panorama/?*theme=sante*")
        assert page.locator("#figure-chart-theme svg").count() == 1
    finally:
        context.close()


def test_arabic_panorama_is_right_to_left_without_axe_violation(page, world):
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": page.base}])
    page.goto(page.base + "/panorama/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_no_axe_violation(page)
