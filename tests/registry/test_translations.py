"""Translations of a partnership's and a project's texts, side by side with the original:
add, edit, mark as checked; the reader sees the text in their language, or the original with
a note; search finds a record by its translation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from reciprocite.registry import services
from reciprocite.registry.models import PartnershipTranslation, ProjectTranslation

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "هيروفيل سان كلير ↔ تيخفين"
ARABIC_TEXT = "تعاون بين مدينتين منذ 1991 في مجال العمل الاجتماعي."
RUSSIAN_SUMMARY = "Биржа труда, ставшая образцом для области."


def reader(language: str, user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def arabic(world):
    services.partnership_update(
        partnership=world.herouville_tikhvine, description="Une coopération née en 1991."
    )
    return services.translation_save(
        actor=world.herouville_editor,
        original=world.herouville_tikhvine,
        language="ar",
        title=ARABIC_TITLE,
        description=ARABIC_TEXT,
    )


def test_a_translation_is_saved_changed_and_checked(world, arabic):
    assert (arabic.language, arabic.title, arabic.is_checked) == ("ar", ARABIC_TITLE, False)
    checked = services.translation_check(actor=world.tikhvine_editor, translation=arabic)
    assert checked.is_checked and checked.checked_by == world.tikhvine_editor
    # saving the same texts keeps the check; changing one drops it
    same = services.translation_save(
        original=world.herouville_tikhvine, language="ar", title=ARABIC_TITLE
    )
    assert same.pk == arabic.pk and same.is_checked
    changed = services.translation_save(
        original=world.herouville_tikhvine, language="ar", title=ARABIC_TITLE + "!"
    )
    assert changed.pk == arabic.pk and not changed.is_checked
    assert PartnershipTranslation.objects.count() == 1
    assert changed.history.count() == 3


def test_a_translation_into_the_original_language_or_of_unknown_texts_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.translation_save(original=world.herouville_tikhvine, language="fr", title="X")
    assert "language" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.translation_save(original=world.herouville_tikhvine, language="xx", title="X")
    assert "language" in error.value.message_dict
    with pytest.raises(TypeError):
        services.translation_save(
            original=world.herouville_tikhvine, language="ru", title="X", summary="Y"
        )
    assert PartnershipTranslation.objects.count() == 0


def test_the_reader_sees_the_translation_in_their_language(world, arabic):
    html = reader("ar").get(f"/partnerships/{world.herouville_tikhvine.pk}/").content.decode()
    assert f'<h1><span lang="ar" dir="auto">{ARABIC_TITLE}</span>' in html
    assert f'<div class="content" lang="ar" dir="rtl"><p>{ARABIC_TEXT}</p></div>' in html
    assert "translation-note" in html and 'href="#translations"' in html
    # the original beside it, its language and date
    assert 'id="translations"' in html
    # a Russian reader: no Russian translation, the original with a note
    html = reader("ru").get(f"/partnerships/{world.herouville_tikhvine.pk}/").content.decode()
    assert '<div class="content" lang="fr" dir="ltr"><p>Une coopération née en 1991.</p>' in html
    assert '<p class="muted translation-note">' in html
    # a French reader reads the original, no note
    html = reader("fr").get(f"/partnerships/{world.herouville_tikhvine.pk}/").content.decode()
    assert '<span lang="fr" dir="auto">Hérouville-Saint-Clair ↔ Tikhvine</span>' in html
    assert '<p class="muted translation-note">' not in html
    assert f'<h3 lang="ar" dir="auto">{ARABIC_TITLE}</h3>' in html  # listed with the others


def test_an_editor_adds_edits_and_checks_a_project_translation(world):
    project = world.employment_office
    client = reader("fr", world.tikhvine_editor)
    page = client.get(f"/projects/{project.pk}/translations/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="ru">' in html and '<option value="fr">' not in html
    response = client.post(
        f"/projects/{project.pk}/translations/new/",
        {"language": "ru", "title": "Биржа труда Тихвина", "summary": RUSSIAN_SUMMARY},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/#translations"
    translation = ProjectTranslation.objects.get(project=project)
    assert (translation.language, translation.summary, translation.is_checked) == (
        "ru",
        RUSSIAN_SUMMARY,
        False,
    )
    # the language is taken now: no second Russian translation offered
    html = client.get(f"/projects/{project.pk}/translations/new/").content.decode()
    assert '<option value="ru">' not in html
    # edit it (the language stays), then mark it checked
    response = client.post(
        f"/projects/{project.pk}/translations/ru/",
        {"title": "Биржа труда города Тихвина", "summary": RUSSIAN_SUMMARY},
    )
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.title == "Биржа труда города Тихвина"
    assert client.post(f"/projects/{project.pk}/translations/ru/check/").status_code == 302
    translation.refresh_from_db()
    assert translation.checked_by == world.tikhvine_editor
    html = reader("ru").get(f"/projects/{project.pk}/").content.decode()
    assert f'<p class="lead content" lang="ru" dir="ltr">{RUSSIAN_SUMMARY}</p>' in html
    # a missing translation or a missing title: 404, then the form's error
    assert client.get(f"/projects/{project.pk}/translations/ar/").status_code == 404
    response = client.post(f"/projects/{project.pk}/translations/new/", {"language": "ar"})
    assert response.status_code == 200 and "title" in response.context["form"].errors


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("outsider", 403), ("lille_editor", 403)])
def test_who_may_not_translate(world, arabic, who, status):
    client = reader("fr", getattr(world, who) if who else None)
    pk = world.herouville_tikhvine.pk
    assert client.get(f"/partnerships/{pk}/translations/new/").status_code == status
    assert client.post(f"/partnerships/{pk}/translations/ar/check/").status_code == status
    arabic.refresh_from_db()
    assert not arabic.is_checked


def test_an_unpublished_partnership_stays_hidden(world):
    client = reader("fr", world.outsider)
    pk = world.lille_saint_louis.pk
    assert client.get(f"/partnerships/{pk}/translations/new/").status_code == 404


def test_search_finds_a_record_by_its_translation(world, arabic):
    services.translation_save(
        original=world.employment_office, language="ru", title="Биржа труда", summary="образец"
    )
    html = reader("fr").get("/partnerships/", {"q": "تيخفين"}).content.decode()
    assert "Hérouville-Saint-Clair ↔ Tikhvine" in html
    assert "1 partenariat trouvé" in html
    html = reader("fr").get("/projects/", {"q": "образец"}).content.decode()
    assert "Bureau de l&#x27;emploi de Tikhvine" in html
    assert "1 projet trouvé" in html
