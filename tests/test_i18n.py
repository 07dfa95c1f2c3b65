"""The interface speaks French by default, English on request, Arabic right-to-left, Russian."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import reciprocite

LOCALE = Path(reciprocite.__file__).parent / "locale"

pytestmark = pytest.mark.django_db


def catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return read_po(fh, locale=language)


def test_french_catalogue_is_complete_and_has_no_fuzzy_entry():
    cat = catalogue("fr")
    entries = [m for m in cat if m.id]
    assert len(entries) > 400
    fuzzy = [m.id for m in entries if m.fuzzy]
    untranslated = [
        m.id
        for m in entries
        if (not all(m.string) if isinstance(m.id, tuple | list) else not m.string)
    ]
    assert fuzzy == []
    assert untranslated == []


@pytest.mark.parametrize("language", ["fr", "ar", "ru"])
def test_compiled_catalogues_match_their_sources(language):
    """The committed .mo was compiled from the committed .po (CI may have no msgfmt)."""
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    translations = gettext.GNUTranslations(mo.open("rb"))
    for message in catalogue(language):
        if not message.id or isinstance(message.id, tuple | list) or not message.string:
            continue
        if message.fuzzy:
            continue
        if message.context:  # e.g. "world zone": the same msgid may have other meanings
            compiled = translations.pgettext(message.context, message.id)
        else:
            compiled = translations.gettext(message.id)
        assert compiled == message.string, message.id


@pytest.mark.parametrize(
    "msgid",
    [
        "Home",
        "Partnerships",
        "Projects",
        "Territories",
        "Filter",
        "Apply filters",
        "Save",
        "Sign in",
    ],
)
@pytest.mark.parametrize("language", ["ar", "ru"])
def test_arabic_and_russian_cover_navigation_and_buttons(language, msgid):
    translated = {m.id: m.string for m in catalogue(language) if m.id and m.string}
    assert translated.get(msgid), f"{language}: {msgid}"


def test_home_is_french_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Aller au contenu principal" in html
    assert ">Accueil<" in html


def test_switching_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/partnerships/"})
    assert response.status_code == 302
    assert response["Location"] == "/partnerships/"
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Skip to main content" in html
    assert ">Home<" in html


def test_arabic_is_right_to_left(client):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "انتقل إلى المحتوى الرئيسي" in html


def test_russian(client):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    html = client.get("/partnerships/").content.decode()
    assert '<html lang="ru" dir="ltr">' in html
    assert "Партнёрства" in html


def test_pages_are_french_first_whatever_the_browser_says(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="en" dir="ltr">' in html  # the visitor's choice wins


def test_browser_language_can_be_followed(client, settings):
    settings.RECIPROCITE_BROWSER_LANGUAGE = True
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_the_api_follows_accept_language(client):
    english = client.get("/api/v1/themes", HTTP_ACCEPT_LANGUAGE="en").json()
    french = client.get("/api/v1/themes", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert english != french
