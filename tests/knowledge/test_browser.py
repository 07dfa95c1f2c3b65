# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The knowledge pages in a real Chromium: no axe-core violation, htmx search filters.

Skipped when /usr/bin/chromium is absent, unless RECIPROCITE_REQUIRE_BROWSER=1 (as in CI):
tests/browser/support.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import MARKS, _taxonomy, assert_no_axe_violation, browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = MARKS


@pytest.fixture
def content(world, settings, tmp_path):
    from reciprocite.knowledge import services
    from reciprocite.knowledge.taxonomy import Status

    from .conftest import PDF

    settings.MEDIA_ROOT = tmp_path / "media"
    emploi = services.sheet_create(
        actor=world.analyst,
        ref="exp-emploi",
        title="Le bureau de l'emploi de Tikhvine",
        country="RU",
        themes=["insertion_emploi"],
        stage="essaimer",
        summary="Un bureau de l'emploi rénové devient le modèle de l'oblast.",
        partnership=world.herouville_tikhvine,
        status=Status.PUBLISHED,
    )
    services.sheet_update(actor=world.analyst, sheet=emploi, method="Des échanges d'agents.")
    services.attachment_add(
        actor=world.analyst, sheet=emploi, title="Bilan", filename="b.pdf", data=PDF
    )
    services.sheet_create(
        actor=world.analyst,
        ref="exp-emploi-en",
        title="The Tikhvin employment office",
        language="en",
        translation_of=emploi,
        summary="A renovated employment office.",
        status=Status.PUBLISHED,
    )
    services.sheet_create(
        actor=world.analyst,
        ref="exp-ccas",
        title="Un CCAS pour Saint-Louis",
        country="SN",
        themes=["acces_droits"],
        summary="Créer un centre communal d'action sociale et l'emploi des agents.",
        status=Status.PUBLISHED,
    )
    tool = services.tool_create(
        actor=world.analyst,
        ref="outil-convention",
        title="Modèle de convention",
        kind="convention",
        stages=["s_engager"],
        status=Status.PUBLISHED,
    )
    services.tool_file_add(tool=tool, title="Convention", filename="c.pdf", data=PDF)


@pytest.mark.parametrize(
    "path",
    [
        "/knowledge/",
        "/knowledge/?q=emploi",
        "/knowledge/sheets/exp-emploi/",
        "/knowledge/sheets/exp-emploi/compare/?with=exp-emploi-en",
        "/knowledge/tools/",
        "/knowledge/tools/outil-convention/",
    ],
)
def test_public_knowledge_pages_have_no_axe_violation(page, content, path):
    response = page.goto(page.base + path)
    assert response.status == 200
    assert_no_axe_violation(page)


def test_editor_pages_have_no_axe_violation(page, content):
    sign_in(page, "analyst")
    for path in (
        "/knowledge/sheets/exp-emploi/",
        "/knowledge/sheets/exp-emploi/edit/",
        "/knowledge/sheets/exp-emploi/history/?a=1&b=2",
        "/knowledge/sheets/new/",
        "/knowledge/review/",
        "/knowledge/import/",
        "/knowledge/tools/new/",
        "/knowledge/tools/outil-convention/",
        "/knowledge/tools/outil-convention/edit/",
    ):
        assert page.goto(page.base + path).status == 200, path
        assert_no_axe_violation(page)
    page.goto(page.base + "/knowledge/sheets/exp-emploi/history/?a=1&b=2")
    expect(page.locator("table.diff ins")).to_have_count(1)


def test_facet_filters_update_the_results_with_htmx(page, content):
    page.goto(page.base + "/knowledge/?q=emploi")
    results = page.locator("#results .result-list > li")
    expect(results).to_have_count(2)
    page.select_option("#filter-country", "SN")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Un CCAS pour Saint-Louis")
    assert "country=SN" in page.url
    expect(page.locator("#results mark").first).to_be_visible()
    assert_no_axe_violation(page)
