# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""User content laid out in its own direction, whatever the interface's: Chromium computes
the direction of content blocks on the partnership, project, panorama and knowledge pages in
French, Arabic and Russian, and zone names come in the reader's language; axe-core clean.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser.support import (  # noqa: F401 - fixtures
    MARKS,
    _taxonomy,
    assert_no_axe_violation,
    browser,
    page,
    sign_in,
)
from tests.multilingual import (
    ARABIC_DESCRIPTION,
    ARABIC_SUMMARY,
    FRENCH_DESCRIPTION,
    RUSSIAN_SUMMARY,
    build_multilingual,
)

pytestmark = MARKS

EASTERN_EUROPE = {"fr": "Europe de l'Est", "ar": "أوروبا الشرقية", "ru": "Восточная Европа"}


def direction_of(page, selector: str, text: str) -> str:
    """The computed direction of the first ``selector`` element holding ``text``."""
    return page.locator(selector, has_text=text).first.evaluate(
        "el => getComputedStyle(el).direction"
    )


@pytest.mark.parametrize("interface", ["fr", "ar", "ru"])
def test_content_keeps_its_direction_in_every_interface(page, world, interface):
    content = build_multilingual(world)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": interface, "url": page.base}]
    )
    page_direction = "rtl" if interface == "ar" else "ltr"

    def visit(path: str) -> None:
        assert page.goto(page.base + path).status == 200
        assert page.locator("html").get_attribute("lang") == interface
        assert page.evaluate("getComputedStyle(document.body).direction") == page_direction

    visit(f"/partnerships/{content.french.pk}/")
    assert direction_of(page, ".content", FRENCH_DESCRIPTION[:20]) == "ltr"
    assert direction_of(page, ".content", RUSSIAN_SUMMARY[:20]) == "ltr"
    # Tikhvine's zone, in the reader's language
    assert page.locator(".facts dd", has_text=EASTERN_EUROPE[interface]).count() == 1
    # the interface around the content keeps the page's direction
    assert (
        page.locator("#parties-title").evaluate("el => getComputedStyle(el).direction")
        == page_direction
    )
    assert_no_axe_violation(page)

    visit(f"/partnerships/{content.arabic.pk}/")
    assert direction_of(page, ".content", ARABIC_DESCRIPTION[:20]) == "rtl"
    assert direction_of(page, "h1 span", "أكادير") == "rtl"
    assert_no_axe_violation(page)

    visit(f"/projects/{content.arabic_project.pk}/")
    assert direction_of(page, ".content", ARABIC_SUMMARY[:20]) == "rtl"
    visit(f"/projects/{content.russian_project.pk}/")
    assert direction_of(page, ".content", RUSSIAN_SUMMARY[:20]) == "ltr"
    assert_no_axe_violation(page)

    visit("/panorama/")
    assert direction_of(page, "#replications-table td", "مركز استقبال الأطفال") == "rtl"
    assert direction_of(page, "#replications-table td", "Bureau de l'emploi") == "ltr"
    assert page.locator("#filter-zone option", has_text=EASTERN_EUROPE[interface]).count() == 1
    assert_no_axe_violation(page)

    visit(f"/knowledge/sheets/{content.french_sheet.ref}/")
    assert direction_of(page, ".content", "Un bureau de l'emploi rénové") == "ltr"
    assert direction_of(page, ".content", "مكتب تشغيل مُجدَّد") == "rtl"
    assert_no_axe_violation(page)


@pytest.mark.parametrize("interface", ["fr", "ar"])
def test_translation_form_and_section_have_no_axe_violation(page, world, interface):
    from reciprocite.registry import services as registry

    build_multilingual(world)
    registry.translation_save(
        original=world.herouville_tikhvine,
        language="ar",
        title="هيروفيل سان كلير ↔ تيخفين",
        description="تعاون بين مدينتين منذ 1991.",
    )
    sign_in(page, "herouville_editor")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": interface, "url": page.base}]
    )
    pk = world.herouville_tikhvine.pk
    assert page.goto(page.base + f"/partnerships/{pk}/translations/ar/").status == 200
    # the original, left to right, beside the form
    assert direction_of(page, ".content", "Une coopération née en 1991") == "ltr"
    assert_no_axe_violation(page)
    assert page.goto(page.base + f"/partnerships/{pk}/").status == 200
    expected = "rtl" if interface == "ar" else "ltr"
    assert direction_of(page, "#translations .content", "تعاون بين مدينتين") == "rtl"
    assert (
        page.locator("#translations-title").evaluate("el => getComputedStyle(el).direction")
        == expected
    )
    assert_no_axe_violation(page)
