"""What the report holds, read from its HTML (no PDF needed): the chapters present or left
out, the campaign's answers only, withheld small counts, sheets chosen and cleaned, and no
network access while laying it out."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from reciprocite.knowledge.taxonomy import Status
from reciprocite.panorama.report import formatting, rendering
from reciprocite.surveys.models import Campaign

from .conftest import make_sheet

pytestmark = pytest.mark.django_db


def html(**options) -> str:
    return rendering.render_html(**options)


def test_without_highlighted_sheets_the_chapter_is_left_out(world):
    make_sheet("draft-1", "Brouillon mis en avant", status=Status.DRAFT)
    make_sheet("plain-1", "Publiée sans être mise en avant", is_highlight=False)
    page = html(language="en")
    assert "Highlighted experiences" not in page
    assert 'id="sheets"' not in page and 'href="#sheets"' not in page
    assert "Brouillon mis en avant" not in page
    assert "Publiée sans être mise en avant" not in page
    # the other chapters are there, each listed in the contents
    for anchor in ("key-figures", "maps", "perception", "cooperations", "method"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page


def test_highlights_in_the_report_language_and_cleaned(world):
    original = make_sheet(
        "hl-1",
        "Un binôme de travailleurs sociaux",
        summary="<p>Un <strong>binôme</strong>.</p><script>alert(1)</script>"
        '<img src="http://example.org/tracker.png"><a href="http://example.org">lien</a>',
    )
    make_sheet("hl-1-en", "A pair of social workers", language="en", translation_of=original)
    make_sheet("hl-1-ru", "Пара социальных работников", language="ru", translation_of=original)
    french = html(language="fr")
    with translation.override("fr"):
        assert _("Highlighted experiences") in french
    assert "Un binôme de travailleurs sociaux" in french
    assert "<strong>binôme</strong>" in french
    assert "<script" not in french and "<img" not in french and "example.org" not in french
    english = html(language="en")
    assert "A pair of social workers" in english and "Un binôme de travailleurs" not in english
    assert "Пара" not in english  # one sheet, once


def test_a_campaign_counts_its_own_answers_only(world, shared_dir):
    from tests.surveys.analysis_support import import_study_answers, load_study_form

    cooperations = load_study_form("cooperations")
    import_study_answers(cooperations, shared_dir / "data" / "study-dev")
    campaign = Campaign.objects.create(
        questionnaire=cooperations, title="Enquête 2026", status="open"
    )
    whole = html(language="en")
    assert "44 authorities answered and described 61 cooperations." in whole
    narrowed = html(language="en", campaign=campaign)
    # no answer came through the campaign's invitations
    assert "44 authorities answered" not in narrowed
    assert "No answers have been recorded yet." in narrowed
    assert "Enquête 2026" in narrowed  # on the cover and in the method
    # the other questionnaire is not loaded: said, not hidden
    assert "This questionnaire is not loaded on the platform: no figures yet." in narrowed


def test_answers_of_an_unpublished_campaign_are_not_in_the_report(world, shared_dir):
    from tests.surveys.analysis_support import import_study_answers, load_study_form, study_campaign

    cooperations = load_study_form("cooperations")
    import_study_answers(cooperations, shared_dir / "data" / "study-dev", published=False)
    assert "No answers have been recorded yet." in html(language="en")
    assert "44 authorities answered" not in html(language="en")
    study_campaign(cooperations)  # published now
    assert "44 authorities answered and described 61 cooperations." in html(language="en")


def test_a_handful_of_answers_is_withheld(world, shared_dir):
    from reciprocite.surveys.models import Submission
    from tests.surveys.analysis_support import import_study_answers, load_study_form

    perception = load_study_form("perception")
    import_study_answers(perception, shared_dir / "data" / "study-dev")
    keep = list(Submission.objects.order_by("pk").values_list("pk", flat=True)[:2])
    Submission.objects.exclude(pk__in=keep).delete()
    page = html(language="en")
    assert "The figures are withheld: fewer than 3 authorities answered." in page
    assert "Does the authority run a decentralised cooperation?" not in page


def test_an_unknown_language_is_refused():
    with translation.override("en"):
        with pytest.raises(rendering.ReportError, match="ar is not a report language"):
            rendering.render_html(language="ar")


def test_the_layout_fetches_nothing_but_data_urls():
    fetcher = rendering._url_fetcher()
    for url in ("http://example.org/font.woff", "https://example.org/a.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)


def test_page_of_pages_follows_the_language():
    with translation.override("en"):
        assert formatting.page_of_pages_css() == '"Page " counter(page) " of " counter(pages)'


def test_report_filename():
    import datetime as dt

    assert rendering.report_filename("fr", dt.date(2026, 11, 27)) == "panorama-fr-2026-11-27.pdf"


def test_an_empty_platform_gives_a_short_report_without_empty_chapters(db):
    page = html(language="en")
    assert re.findall(r'<a href="#([\w-]+)">', page) == [
        "key-figures",
        "perception",
        "cooperations",
        "method",
    ]
    assert "0 partnerships of 0 French authorities" in page
    assert page.count("This questionnaire is not loaded on the platform: no figures yet.") == 2
    assert "<svg" not in page
