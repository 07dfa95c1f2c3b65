"""User content in its own language and direction (``core/templatetags/reciprocite_content``):
the filters, then the pages, the PDF report's HTML and the e-mails that use them, in French,
Arabic and Russian."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client

from reciprocite.core.templatetags.reciprocite_content import direction
from tests.multilingual import (
    ARABIC_DESCRIPTION,
    ARABIC_SUMMARY,
    FRENCH_DESCRIPTION,
    RUSSIAN_SUMMARY,
    build_multilingual,
)


def render(source: str, **context) -> str:
    return Template("{% load reciprocite_content %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "ltr"),
        ("ru", "ltr"),
        ("en", "ltr"),
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa", "rtl"),
        ("ur", "rtl"),
        ("ar-MA", "rtl"),
        ("", "auto"),
        (None, "auto"),
    ],
)
def test_direction_of_a_language(language, expected):
    assert direction(language) == expected


def test_block_and_short_field_attributes():
    assert render("<p {{ l|content_lang }}>", l="ar") == '<p lang="ar" dir="rtl">'
    assert render("<p {{ l|content_lang }}>", l="fr") == '<p lang="fr" dir="ltr">'
    assert render("<h1 {{ l|short_lang }}>", l="ru") == '<h1 lang="ru" dir="auto">'
    # no recorded language: the browser decides from the text
    assert render('<a {{ ""|short_lang }}>') == '<a dir="auto">'
    assert render("<p {{ l|content_lang }}>", l=None) == '<p dir="auto">'
    # never an attribute injection, whatever the field holds
    assert render("<p {{ l|content_lang }}>", l='fr" onclick="x') == '<p dir="auto">'
    assert render("{{ l|text_direction }}", l="ar") == "rtl"


def page(path: str, language: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def element_with(html: str, text: str) -> str:
    """The opening tag of the element whose content starts with ``text``."""
    match = re.search(r"<(\w+)([^<>]*)>(?:<p>)?" + re.escape(text), html)
    assert match, text
    return match.group(0)


@pytest.fixture
def content(world):
    return build_multilingual(world)


@pytest.mark.django_db
@pytest.mark.parametrize("interface", ["fr", "ar", "ru"])
def test_registry_pages_give_each_text_its_language(content, interface):
    html = page(f"/partnerships/{content.french.pk}/", interface)
    assert f'lang="{interface}"' in html[:200]
    assert 'lang="fr" dir="ltr"' in element_with(html, FRENCH_DESCRIPTION)
    assert 'lang="ru" dir="ltr"' in element_with(html, RUSSIAN_SUMMARY)
    assert 'lang="fr" dir="auto">Hérouville-Saint-Clair ↔ Tikhvine</span>' in html

    html = page(f"/partnerships/{content.arabic.pk}/", interface)
    assert 'lang="ar" dir="rtl"' in element_with(html, ARABIC_DESCRIPTION)
    assert 'lang="ar" dir="rtl"' in element_with(html, ARABIC_SUMMARY)

    html = page(f"/projects/{content.arabic_project.pk}/", interface)
    assert 'lang="ar" dir="rtl"' in element_with(html, ARABIC_SUMMARY)
    html = page(f"/projects/{content.russian_project.pk}/", interface)
    assert 'lang="ru" dir="ltr"' in element_with(html, RUSSIAN_SUMMARY)

    listing = page("/projects/", interface)
    assert 'lang="ar" dir="auto">مركز استقبال الأطفال</a>' in listing
    listing = page("/partnerships/", interface)
    assert 'lang="ar" dir="auto">أكادير ↔ ليل: التعاون الاجتماعي</a>' in listing


@pytest.mark.django_db
@pytest.mark.parametrize("interface", ["fr", "ar", "ru"])
def test_knowledge_sheets_keep_their_direction_beside_the_interface(content, interface):
    html = page(f"/knowledge/sheets/{content.french_sheet.ref}/", interface)
    assert 'lang="fr" dir="ltr"' in element_with(html, "Un bureau de l")
    # the Arabic translation beside it, right to left even on a French page
    assert 'lang="ar" dir="rtl"' in element_with(html, "مكتب تشغيل مُجدَّد")
    # the headings of the sections stay in the interface's language and direction
    assert re.search(r'<h2 id="section-method">[^<]+</h2>', html)
    html = page(f"/knowledge/sheets/{content.arabic_sheet.ref}/", interface)
    assert 'lang="ar" dir="rtl"' in element_with(html, "تبادل الموظفين")
    assert 'lang="ar" dir="auto">مكتب التشغيل في تيخفين</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("interface", ["fr", "ar", "ru"])
def test_panorama_and_territories_isolate_names(content, interface):
    html = page("/panorama/", interface)
    rows = html[html.index('id="replications-table"') :].split("</table>")[0]
    assert '<td dir="auto">مركز استقبال الأطفال</td>' in rows
    assert '<td dir="auto">Bureau de l&#x27;emploi de Tikhvine</td>' in rows
    html = page(
        f"/territories/{content.arabic.parties.get(side='partner').territory_id}/", interface
    )
    assert '<span dir="auto">أكادير</span>' in html


@pytest.mark.django_db
def test_the_report_lays_out_each_sheet_in_its_direction(content):
    from reciprocite.knowledge import services as knowledge
    from reciprocite.knowledge.taxonomy import Status
    from reciprocite.panorama.report import rendering as report

    knowledge.sheet_update(sheet=content.french_sheet, is_highlight=True)
    knowledge.sheet_create(
        ref="exp-agadir",
        title="مركز استقبال الأطفال في أكادير",
        language="ar",
        country="MA",
        summary="<p>مركز يستقبل الأطفال في وضعية صعبة.</p>",
        status=Status.PUBLISHED,
        is_highlight=True,
    )
    for language in report.LANGUAGES:  # the report is written in French or English
        html = report.render_html(language=language)
        assert f'<html lang="{language}" dir="ltr">' in html
        assert 'lang="fr" dir="ltr"><p>Un bureau de l' in html
        assert 'lang="ar" dir="rtl"><p>مركز يستقبل الأطفال' in html
        assert 'lang="ar" dir="auto">مركز استقبال الأطفال في أكادير</span>' in html


def test_translations_of_the_direction_are_one_list():
    # the interface's own right-to-left languages are right to left for content too
    assert all(direction(code) == "rtl" for code in settings.LANGUAGES_BIDI)
