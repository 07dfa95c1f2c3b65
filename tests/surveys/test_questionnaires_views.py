"""Questionnaire pages: list, detail, loading an XLSForm, downloading it; analysts and admins
only (anonymous → sign-in, editors → 403)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reciprocite.surveys.digest import content_digest
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion, Submission
from reciprocite.surveys.services.questionnaires import questionnaire_load
from reciprocite.surveys.xlsforms import build
from tests.factories import World

pytestmark = pytest.mark.django_db

SHIPPED = build.HERE / "perception.xlsx"


def client_for(client, user):
    client.force_login(user)
    return client


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes, name: str):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _urls():
    version = questionnaire_load(content=SHIPPED.read_bytes(), filename="perception.xlsx")
    return [
        reverse("surveys:questionnaire_list"),
        reverse("surveys:questionnaire_load"),
        reverse("surveys:questionnaire_detail", args=["perception"]),
        reverse("surveys:questionnaire_download", args=["perception", version.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in _urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_editors_are_refused(client, world):
    client_for(client, world.herouville_editor)
    for url in _urls():
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("surveys:questionnaire_load"), {"file": _upload(SHIPPED.read_bytes(), "p.xlsx")}
    )
    assert response.status_code == 403
    assert Questionnaire.objects.count() == 1  # only the one _urls() loaded


def test_the_list_shows_versions_submissions_and_web_collection(client, world):
    version = questionnaire_load(content=SHIPPED.read_bytes(), filename="perception.xlsx")
    for n in range(2):
        data = {"collectivite_nom": f"C{n}"}
        Submission.objects.create(
            questionnaire=version.questionnaire,
            version=version,
            data=data,
            content_digest=content_digest(data),
            source="import",
        )
    questionnaire_load(
        content=_workbook([["type", "name", "label"], ["audio", "voix", "Voix"]]),
        filename="audio.xlsx",
    )
    client_for(client, world.analyst)
    response = client.get(reverse("surveys:questionnaire_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = [
        (q.form_id, q.n_versions, q.n_submissions, q.latest.collectable_on_the_web)
        for q in response.context["questionnaires"]
    ]
    assert rows == [("audio", 1, 0, False), ("perception", 1, 2, True)]
    html = response.content.decode()
    assert reverse("surveys:questionnaire_detail", args=["perception"]) in html
    assert reverse("surveys:questionnaire_load") in html


def test_the_detail_shows_versions_languages_questions_and_unsupported_rows(client, world):
    content = _workbook(
        [
            ["type", "name", "label", "required", "relevant"],
            ["text", "nom", "Nom", "yes"],
            ["integer", "age", "Âge", None, "${nom} != ''"],
            ["geotrace", "trace", "Trace"],
        ]
    )
    questionnaire_load(content=content, filename="terrain.xlsx")
    client_for(client, world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("surveys:questionnaire_detail", args=["terrain"])
    response = client.get(url)
    assert response.status_code == 200
    assert [
        (q["row"], q["name"], q["type"], q["required"]) for q in response.context["questions"]
    ] == [
        (2, "nom", "text", True),
        (3, "age", "integer", False),
        (4, "trace", "geotrace", False),
    ]
    assert response.context["questions"][1]["relevant"] == "${nom} != ''"
    html = response.content.decode()
    assert "<li><code>trace</code> (geotrace), survey sheet, row 4</li>" in html
    assert client.get(url + "?version=nope").status_code == 404
    assert client.get(reverse("surveys:questionnaire_detail", args=["absent"])).status_code == 404


def test_loading_a_form_through_the_page(client, world):
    client_for(client, world.analyst)
    url = reverse("surveys:questionnaire_load")
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _upload(SHIPPED.read_bytes(), "perception.xlsx")})
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:questionnaire_detail", args=["perception"])
    version = QuestionnaireVersion.objects.get()
    assert version.created_by == world.analyst
    assert version.version == build.VERSION


def test_checking_a_form_through_the_page_stores_nothing(client, world):
    client_for(client, world.analyst)
    response = client.post(
        reverse("surveys:questionnaire_load"),
        {"file": _upload(SHIPPED.read_bytes(), "perception.xlsx"), "check_only": "on"},
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert (report["form_id"], report["counts"]["questions"]) == ("perception", 12)
    assert Questionnaire.objects.count() == 0


def test_errors_are_listed_with_sheet_and_row(client, world):
    client_for(client, world.analyst)
    content = _workbook([["type", "name", "label"], ["text", "q", "Q"], ["text", "q", "Q2"]])
    response = client.post(
        reverse("surveys:questionnaire_load"),
        {"file": _upload(content, "twice.xlsx")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert [(e["sheet"], e["row"], e["column"]) for e in response.context["errors"]] == [
        ("survey", 3, "name")
    ]
    assert 'id="xlsform-errors"' in response.content.decode()
    assert Questionnaire.objects.count() == 0


def test_an_upload_over_the_limit_is_refused(client, world):
    client_for(client, world.analyst)
    response = client.post(
        reverse("surveys:questionnaire_load"),
        {"file": _upload(b"0" * (10 * 1024 * 1024 + 1), "big.xlsx")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert Questionnaire.objects.count() == 0


def test_labels_follow_the_language_of_the_page(client, world):
    questionnaire_load(content=SHIPPED.read_bytes(), filename="perception.xlsx")
    client_for(client, world.analyst)
    url = reverse("surveys:questionnaire_detail", args=["perception"])
    labels = {q["name"]: q["label"] for q in client.get(url).context["questions"]}
    assert labels["collectivite_nom"] == "Nom de votre collectivité"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    labels = {q["name"]: q["label"] for q in client.get(url).context["questions"]}
    assert labels["collectivite_nom"] == "Name of your local authority"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"  # not a language of the form
    labels = {q["name"]: q["label"] for q in client.get(url).context["questions"]}
    assert labels["collectivite_nom"] == "Nom de votre collectivité"


def test_downloading_the_xlsform_of_a_version(client, world):
    version = questionnaire_load(content=SHIPPED.read_bytes(), filename="perception.xlsx")
    client_for(client, world.analyst)
    response = client.get(
        reverse("surveys:questionnaire_download", args=["perception", version.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="perception.xlsx"'
    assert response.content == SHIPPED.read_bytes()
    assert (
        client.get(
            reverse("surveys:questionnaire_download", args=["perception", version.pk + 1])
        ).status_code
        == 404
    )


def test_login_with_password_reaches_the_list(client, world):
    assert client.login(username="analyst", password=World.PASSWORD)
    assert client.get(reverse("surveys:questionnaire_list")).status_code == 200


def test_the_surveys_link_is_in_the_navigation_for_analysts_only(client, world):
    link = f'<li><a href="{reverse("surveys:questionnaire_list")}"'
    assert link not in client.get(reverse("home")).content.decode()
    client_for(client, world.herouville_editor)
    assert link not in client.get(reverse("home")).content.decode()
    client_for(client, world.analyst)
    assert link in client.get(reverse("home")).content.decode()
    client_for(client, world.admin)
    html = client.get(reverse("surveys:questionnaire_list")).content.decode()
    assert f'{link} aria-current="page">' in html
