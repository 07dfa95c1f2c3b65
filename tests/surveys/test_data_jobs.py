"""Answers in and out from the web UI as background jobs: the Kobo import (uploaded files kept
under MEDIA_ROOT for the job, then deleted) and the export (a file only its owner downloads)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reciprocite.core.models import Job
from reciprocite.surveys.models import Submission

from .kobo_support import load_study_form

pytestmark = pytest.mark.django_db

IMPORT = "/surveys/questionnaires/cooperations/import/"
EXPORT = "/surveys/questionnaires/cooperations/export/"
DATA = "/surveys/questionnaires/cooperations/data/"
DETAIL = "/surveys/questionnaires/cooperations/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cooperations():
    return load_study_form("cooperations")


@pytest.fixture
def study_dir(shared_dir):
    return shared_dir / "data" / "study-dev"


def client_for(user=None) -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def upload(*paths: Path) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(p.name, p.read_bytes()) for p in paths]


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    prefix = "/jobs/"
    assert response["Location"].startswith(prefix)
    return Job.objects.get(pk=response["Location"][len(prefix) :].strip("/"))


def kept_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- import -----------------------------------------------------------------------------------


def test_csv_upload_imports_in_a_job(world, cooperations, study_dir, media):
    client = client_for(world.analyst)
    files = upload(study_dir / "cooperations.csv", study_dir / "cooperations-cooperation.csv")
    job = job_of(client.post(IMPORT, {"files": files}))
    assert job.kind == "surveys.import"
    assert job.owner == world.analyst
    assert job.status == Job.Status.DONE, job.error
    assert job.result["summary"] == (
        "44 submissions read: 44 submissions created, 0 already there, "
        "0 conflicts (stored with another content, not overwritten), "
        "61 entries in “cooperation”."
    )
    assert job.result["problems"] == []
    assert job.result_url == "/surveys/cooperations/analysis/"
    assert Submission.objects.filter(questionnaire=cooperations).count() == 44
    assert set(Submission.objects.values_list("submitted_by", flat=True)) == {world.analyst.pk}
    # the uploaded files are not kept once imported
    assert kept_files(media) == []
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "44 submissions created" in page
    assert 'href="/surveys/cooperations/analysis/"' in page


def test_xlsx_upload_twice_finds_the_answers_already_there(world, cooperations, study_dir):
    client = client_for(world.admin)
    first = job_of(client.post(IMPORT, {"files": upload(study_dir / "cooperations.xlsx")}))
    assert first.status == Job.Status.DONE, first.error
    second = job_of(client.post(IMPORT, {"files": upload(study_dir / "cooperations.xlsx")}))
    assert second.status == Job.Status.DONE, second.error
    assert second.result["summary"].startswith(
        "44 submissions read: 0 submissions created, 44 already there, 0 conflicts"
    )
    assert Submission.objects.filter(questionnaire=cooperations).count() == 44


def test_ignored_columns_are_listed_as_problems(world):
    load_study_form("perception")
    text = (
        "collectivite_nom;collectivite_type;budget_secret;_uuid\r\n"
        "Caen;commune;12;6a1c36a4-8d33-4b5c-8d8e-6c0f6b1f1e01\r\n"
    )
    client = client_for(world.analyst)
    job = job_of(
        client.post(
            "/surveys/questionnaires/perception/import/",
            {"files": [SimpleUploadedFile("p.csv", text.encode())]},
        )
    )
    assert job.status == Job.Status.DONE, job.error
    assert job.result["problems"] == [
        "p.csv: columns ignored (not questions of the form): budget_secret"
    ]
    assert Submission.objects.count() == 1
    # with "strict", the same file is refused and nothing more is stored
    job = job_of(
        client.post(
            "/surveys/questionnaires/perception/import/",
            {"files": [SimpleUploadedFile("p.csv", text.encode())], "strict": "on"},
        )
    )
    assert job.status == Job.Status.FAILED
    assert job.error == (
        "Nothing was imported: 1 problem. "
        "p.csv, field budget_secret: this column is not a question of the form perception"
    )


def test_a_damaged_workbook_fails_the_job_and_stores_nothing(world, cooperations, media):
    client = client_for(world.analyst)
    hostile = SimpleUploadedFile("answers.xlsx", b"PK\x03\x04 not a zip at all")
    job = job_of(client.post(IMPORT, {"files": [hostile]}))
    assert job.status == Job.Status.FAILED
    assert job.error == (
        "Nothing was imported. answers.xlsx: not a valid XLSX workbook (damaged zip archive)"
    )
    assert Submission.objects.count() == 0
    assert kept_files(media) == []
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "answers.xlsx: not a valid XLSX workbook" in page


def test_bad_values_are_named_by_file_row_and_column(world, cooperations):
    main = (
        "_uuid,collectivite_nom,_index\r\n"
        "0b7c1f5e-4a3a-4c55-9a57-3f1e4d7c2a10,Caen,1\r\n"
        "1c8d2a6f-5b4b-4d66-8b68-4a2f5e8d3b21,Vire,2\r\n"
    )
    repeat = (
        "cooperation/pays_partenaire,cooperation/annee_debut,_parent_index\r\n"
        "ru,1998,1\r\n"
        "sn,deux mille,2\r\n"
    )
    files = [
        SimpleUploadedFile("c.csv", main.encode()),
        SimpleUploadedFile("c-cooperation.csv", repeat.encode()),
    ]
    job = job_of(client_for(world.analyst).post(IMPORT, {"files": files}))
    assert job.status == Job.Status.FAILED
    assert job.error == (
        "Nothing was imported: 1 problem. c-cooperation.csv, row 3, field "
        "cooperation/annee_debut: expected a whole number, found deux mille"
    )
    assert Submission.objects.count() == 0


def test_a_hostile_file_name_stays_inside_the_upload_folder(world, cooperations, media, tmp_path):
    hostile = SimpleUploadedFile("../../../evil.csv", b"\x00\x01\x02 binary garbage")
    job = job_of(client_for(world.analyst).post(IMPORT, {"files": [hostile]}))
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Nothing was imported. evil.csv: ")
    assert not (tmp_path / "evil.csv").exists()
    assert [p for p in tmp_path.rglob("evil*")] == []
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["notes.txt"], "notes.txt: expected an .xlsx, .csv or .zip file."),
        (
            ["a.xlsx", "b.csv"],
            "An XLSX workbook holds the whole export: choose it alone, or CSV files.",
        ),
        ([], "This field is required."),
    ],
)
def test_wrong_uploads_are_refused_before_any_job(world, cooperations, names, message):
    files = [SimpleUploadedFile(n, b"x") for n in names]
    response = client_for(world.analyst).post(IMPORT, {"files": files})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Job.objects.exists()


def test_the_questionnaire_page_carries_both_forms(world, cooperations):
    page = client_for(world.analyst).get(DETAIL).content.decode()
    assert f'action="{IMPORT}" enctype="multipart/form-data"' in page
    assert 'type="file" name="files"' in page and "multiple" in page
    assert f'action="{EXPORT}"' in page
    assert 'type="radio" name="format" value="csv"' in page
    assert client_for(world.analyst).get(DATA).status_code == 200


# --- export -----------------------------------------------------------------------------------


def test_export_job_gives_a_file_its_owner_only_downloads(world, cooperations, study_dir):
    client = client_for(world.analyst)
    job_of(
        client.post(
            IMPORT,
            {
                "files": upload(
                    study_dir / "cooperations.csv", study_dir / "cooperations-cooperation.csv"
                )
            },
        )
    )
    job = job_of(client.post(EXPORT, {"format": "csv"}))
    assert job.kind == "surveys.export"
    assert job.status == Job.Status.DONE, job.error
    filename = f"cooperations-{timezone.localdate().isoformat()}.zip"
    assert job.result["filename"] == filename
    assert job.result["summary"] == "44 submissions exported."
    download = reverse("core:job_download", args=[job.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert f'filename="{filename}"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["cooperations-cooperation.csv", "cooperations.csv"]
    # another analyst, an editor: the job and its file are not theirs
    for other in (world.herouville_editor, world.outsider):
        assert client_for(other).get(download).status_code == 404
        assert client_for(other).get(f"/jobs/{job.pk}/").status_code == 404
    assert client_for().get(download).status_code == 302

    xlsx = job_of(client.post(EXPORT, {"format": "xlsx"}))
    assert xlsx.status == Job.Status.DONE, xlsx.error
    assert xlsx.result["filename"] == f"cooperations-{timezone.localdate().isoformat()}.xlsx"
    assert xlsx.result_file.read()[:2] == b"PK"


def test_an_unknown_export_format_is_refused(world, cooperations):
    response = client_for(world.analyst).post(EXPORT, {"format": "pdf"})
    assert response.status_code == 400
    assert "Select a valid choice. pdf is not one of the available choices." in (
        response.content.decode()
    )
    assert not Job.objects.exists()


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["herouville_editor", "tikhvine_editor", "lille_editor", "outsider"]
)
def test_members_without_the_right_are_refused(world, cooperations, study_dir, role, media):
    client = client_for(getattr(world, role))
    response = client.post(IMPORT, {"files": upload(study_dir / "cooperations.csv")})
    assert response.status_code == 403
    assert client.post(EXPORT, {"format": "xlsx"}).status_code == 403
    assert client.get(DATA).status_code == 403
    assert not Job.objects.exists()
    assert Submission.objects.count() == 0
    assert kept_files(media) == []


def test_anonymous_visitors_are_sent_to_sign_in(cooperations, study_dir):
    client = client_for()
    for url, data in (
        (IMPORT, {"files": upload(study_dir / "cooperations.csv")}),
        (EXPORT, {"format": "xlsx"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert not Job.objects.exists()


def test_the_handler_refuses_an_owner_who_lost_the_right(world, cooperations, study_dir):
    from reciprocite.core.jobs import start_job
    from reciprocite.surveys.services.imports import upload_store

    stored = upload_store([("cooperations.csv", (study_dir / "cooperations.csv").read_bytes())])
    job = start_job(
        "surveys.import",
        owner=world.herouville_editor,
        title="Import",
        params={"form_id": "cooperations", "files": stored, "strict": False},
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "You may no longer import or export the answers of questionnaires."
    assert Submission.objects.count() == 0
