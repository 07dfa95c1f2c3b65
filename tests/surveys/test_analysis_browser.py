"""The analysis page in a real Chromium: no axe-core violation, filters and cross-tab used
through the form."""

from __future__ import annotations

from tests.browser.charts_support import assert_same_bars, charts_in
from tests.browser.support import (  # noqa: F401 - fixtures used by name
    MARKS,
    _taxonomy,
    assert_no_axe_violation,
    browser,
    page,
    sign_in,
)

from .analysis_support import import_study_answers, load_study_form

pytestmark = MARKS


def test_analysis_page_is_accessible_and_its_forms_work(page, world, shared_dir):  # noqa: F811
    from playwright.sync_api import expect

    questionnaire = load_study_form("cooperations")
    import_study_answers(questionnaire, shared_dir / "data" / "study-dev")
    sign_in(page, "analyst")
    assert page.goto(page.base + "/surveys/cooperations/analysis/").status == 200
    assert_no_axe_violation(page)
    expect(page.locator("svg[role=img]")).to_have_count(9)

    page.select_option("#filter-collectivite_type", "collectivite_type:region")
    page.select_option("#crosstab-row", "collectivite_type")
    page.select_option("#crosstab-column", "pays_partenaire")
    page.click("section.analysis-forms button[type=submit]")
    expect(page.locator("#crosstab-title")).to_be_visible()
    expect(page.locator("#crosstab-title + .table-wrap caption")).to_contain_text("11")
    assert_no_axe_violation(page)


def test_analysis_bars_are_the_same_in_four_languages(page, world, shared_dir):  # noqa: F811
    """Issue #18: in French and Russian the bars vanished (width="153,5"), in Arabic labels
    and counts were drawn over the bars."""
    questionnaire = load_study_form("perception")
    import_study_answers(questionnaire, shared_dir / "data" / "study-dev")
    sign_in(page, "analyst")
    drawn = {
        language: charts_in(
            page, language, "/surveys/perception/analysis/", "figure.analysis-chart svg"
        )
        for language in ("en", "fr", "ar", "ru")
    }
    assert_same_bars(drawn, labels_left=True)
    assert page.locator("html").get_attribute("dir") == "ltr"  # the last one, Russian
