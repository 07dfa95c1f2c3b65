# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The report's block in a real Chromium: no axe-core violation signed in or not, and the
button leads to the job page whose link downloads the PDF."""

from __future__ import annotations

from tests.browser.support import (  # noqa: F401 - fixtures used by name
    MARKS,
    _taxonomy,
    assert_no_axe_violation,
    browser,
    page,
    sign_in,
)

pytestmark = MARKS


def test_the_report_block_for_anonymous_visitors(page, world):
    page.goto(page.base + "/panorama/")
    link = page.locator(".report-download a")
    assert link.get_attribute("href") == "/accounts/login/?next=/panorama/report/"
    assert page.locator(".report-download form").count() == 0
    assert_no_axe_violation(page)


def test_the_button_makes_the_pdf_and_the_job_page_downloads_it(page, world):
    from playwright.sync_api import expect

    sign_in(page, "outsider")
    page.goto(page.base + "/panorama/")
    assert_no_axe_violation(page)
    page.select_option("#report-language", "en")
    page.click(".report-download button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    download_link = page.locator("a[href$='/download']")
    expect(download_link).to_be_visible()
    assert_no_axe_violation(page)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("panorama-en-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
