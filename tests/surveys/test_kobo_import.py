"""Answers in and out in the Kobo layout through the import service, the export selector and
the ``reciprocite survey import|export`` commands, on the study's dev data and real forms."""

from __future__ import annotations

import io
import uuid
import zipfile

import openpyxl
import pytest
from django.utils import translation
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.interop.errors import FileRefused, InvalidRows
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion, Submission
from reciprocite.surveys.selectors.exports import submissions_export
from reciprocite.surveys.services.imports import submissions_import

from .kobo_support import files, load_form, load_study_form

pytestmark = pytest.mark.django_db

FIRST_COOPERATIONS = uuid.UUID("ad1d2cb9-983f-4a9a-8a6c-18dc5b93046e")


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the site's default language is French)."""
    with translation.override("en"):
        yield


@pytest.fixture
def study_dir(shared_dir):
    return shared_dir / "data" / "study-dev"


def stored(questionnaire) -> dict[str, dict]:
    return {str(s.uuid): s.data for s in Submission.objects.filter(questionnaire=questionnaire)}


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def csv_bytes(text: str, *, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + text).encode("utf-8")


# --- the study's dev data ----------------------------------------------------------------------


def test_study_dev_csv_and_xlsx_give_the_same_answers(study_dir):
    perception = load_study_form("perception")
    cooperations = load_study_form("cooperations")

    report = submissions_import(questionnaire=perception, files=files(study_dir / "perception.csv"))
    assert (report.read, report.created, report.repeats) == (120, 120, {})
    report = submissions_import(
        questionnaire=cooperations,
        files=files(study_dir / "cooperations.csv", study_dir / "cooperations-cooperation.csv"),
    )
    assert (report.read, report.created, report.repeats) == (44, 44, {"cooperation": 61})
    from_csv = {**stored(perception), **stored(cooperations)}
    assert len(from_csv) == 164
    assert sum(len(d.get("cooperation", [])) for d in stored(cooperations).values()) == 61
    assert from_csv[str(FIRST_COOPERATIONS)] == {
        "start": "2012-05-15T09:00:00.000+01:00",
        "end": "2012-05-15T09:31:00.000+01:00",
        "collectivite_nom": "Champ-en-Dordogne",
        "collectivite_type": "commune",
        "collectivite_code": "97460",
        "cooperation": [
            {
                "pays_partenaire": "ma",
                "autorite_partenaire": "Agadir",
                "annee_debut": 2004,
                "themes": "protection_enfance handicap",
                "budget_annuel_eur": 18400,
                "cofinancements": "fonds_propres etat_appel_projets",
                "services_internes": "relations_internationales",
                "partenaires_externes": "associations",
                "plus_values": "partage_experiences besoins_essentiels enjeux_communs",
            },
            {
                "pays_partenaire": "ci",
                "autorite_partenaire": "Korhogo",
                "annee_debut": 2011,
                "themes": "jeunesse handicap",
                "budget_annuel_eur": 27300,
                "cofinancements": "etat_appel_projets fonds_propres",
                "services_internes": "relations_internationales",
                "partenaires_externes": "aucun",
                "plus_values": "enjeux_communs",
            },
        ],
    }
    first = Submission.objects.get(uuid=FIRST_COOPERATIONS)
    assert first.submitted_at.isoformat() == "2012-05-14T18:00:00+00:00"
    assert first.source == "import"
    assert first.version == cooperations.current_version

    Submission.objects.all().delete()
    report = submissions_import(
        questionnaire=perception, files=files(study_dir / "perception.xlsx")
    )
    assert (report.read, report.created) == (120, 120)
    report = submissions_import(
        questionnaire=cooperations, files=files(study_dir / "cooperations.xlsx")
    )
    assert (report.read, report.created, report.repeats) == (44, 44, {"cooperation": 61})
    assert {**stored(perception), **stored(cooperations)} == from_csv


def test_import_is_idempotent_and_never_overwrites_a_conflict(study_dir):
    cooperations = load_study_form("cooperations")
    main = study_dir / "cooperations.csv"
    repeat = study_dir / "cooperations-cooperation.csv"
    submissions_import(questionnaire=cooperations, files=files(main, repeat))
    before = stored(cooperations)

    edited = repeat.read_text(encoding="utf-8-sig").replace(",Agadir,", ",Agadir-Ida-Outanane,")
    report = submissions_import(
        questionnaire=cooperations,
        files=[(main.name, main.read_bytes()), (repeat.name, csv_bytes(edited))],
    )

    assert (report.read, report.created, report.unchanged, report.conflicts) == (44, 0, 43, 1)
    assert report.conflict_uuids == [str(FIRST_COOPERATIONS)]
    assert stored(cooperations) == before
    assert Submission.objects.count() == 44


def test_an_answer_of_another_questionnaire_is_a_conflict(study_dir):
    cooperations = load_study_form("cooperations")
    submissions_import(
        questionnaire=cooperations,
        files=files(study_dir / "cooperations.csv", study_dir / "cooperations-cooperation.csv"),
    )
    twin = Questionnaire.objects.create(form_id="cooperations_bis", title="Bis")
    QuestionnaireVersion.objects.create(
        questionnaire=twin, version="1", structure=cooperations.current_version.structure
    )
    report = submissions_import(
        questionnaire=twin,
        files=files(study_dir / "cooperations.csv", study_dir / "cooperations-cooperation.csv"),
    )
    assert (report.created, report.unchanged, report.conflicts) == (0, 0, 44)
    assert Submission.objects.filter(questionnaire=twin).count() == 0


# --- export, and back ----------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_export_then_import_into_a_fresh_questionnaire_gives_the_same_data(study_dir, format):
    cooperations = load_study_form("cooperations")
    submissions_import(questionnaire=cooperations, files=files(study_dir / "cooperations.xlsx"))
    before = {
        str(s.uuid): (s.data, s.submitted_at)
        for s in Submission.objects.filter(questionnaire=cooperations)
    }
    content = submissions_export(cooperations, format=format)
    Submission.objects.all().delete()
    fresh = Questionnaire.objects.create(form_id="cooperations_2", title="Again")
    QuestionnaireVersion.objects.create(
        questionnaire=fresh, version="1", structure=cooperations.current_version.structure
    )

    name = "cooperations.xlsx" if format == "xlsx" else "cooperations.zip"
    report = submissions_import(questionnaire=fresh, files=[(name, content)], strict=True)

    assert (report.read, report.created, report.repeats) == (44, 44, {"cooperation": 61})
    assert report.ignored_columns == {}
    after = {
        str(s.uuid): (s.data, s.submitted_at)
        for s in Submission.objects.filter(questionnaire=fresh)
    }
    assert after == before


def test_export_layout_of_nested_repeats(shared_dir):
    directory = shared_dir / "data" / "kobo-real" / "kobotransfer_meeting_form"
    questionnaire = load_form(directory / "meeting_form.xlsx")
    submissions_import(
        questionnaire=questionnaire, files=files(directory / "meeting_form-export.xlsx")
    )
    before = stored(questionnaire)

    workbook = openpyxl.load_workbook(
        io.BytesIO(submissions_export(questionnaire, format="xlsx")), read_only=True
    )
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    assert list(sheets) == ["meeting_form", "topics_discussed", "participants", "feedback"]
    assert sheets["meeting_form"][0] == (
        "start",
        "end",
        "Project_location",
        "_uuid",
        "_submission_time",
        "_index",
    )
    assert sheets["feedback"][0] == (
        "participants/feedback/Session_number",
        "participants/feedback/Comments",
        "_index",
        "_parent_table_name",
        "_parent_index",
        "_submission__uuid",
    )
    assert [len(rows) - 1 for rows in sheets.values()] == [5, 8, 8, 12]
    assert sheets["topics_discussed"][0][:3] == (
        "topics_discussed/Topic_title",
        "topics_discussed/topic_details/Topic_description",
        "topics_discussed/topic_details/Discussion_rating",
    )
    # every feedback row points at a participants row of the same submission
    participants = {row[-4]: row[-1] for row in sheets["participants"][1:]}
    for row in sheets["feedback"][1:]:
        assert row[-3] == "participants"
        assert participants[row[-2]] == row[-1]

    archive = zipfile.ZipFile(io.BytesIO(submissions_export(questionnaire, format="csv")))
    assert archive.namelist() == [
        "meeting_form.csv",
        "meeting_form-topics_discussed.csv",
        "meeting_form-participants.csv",
        "meeting_form-feedback.csv",
    ]
    assert archive.read("meeting_form.csv").startswith(b"\xef\xbb\xbfstart,end,Project_location")

    for format in ("xlsx", "csv"):
        content = submissions_export(questionnaire, format=format)
        Submission.objects.all().delete()
        submissions_import(
            questionnaire=questionnaire, files=[(f"meeting.{format}", content)], strict=True
        )
        assert stored(questionnaire) == before, format


# --- bad input: a clear message, nothing written -------------------------------------------------


def test_a_malformed_workbook_is_refused(study_dir):
    cooperations = load_study_form("cooperations")
    with pytest.raises(FileRefused) as refused:
        submissions_import(
            questionnaire=cooperations, files=[("answers.xlsx", b"PK\x03\x04 not a zip at all")]
        )
    assert str(refused.value) == "answers.xlsx: not a valid XLSX workbook (damaged zip archive)"
    assert Submission.objects.count() == 0


def test_the_export_of_another_form_is_refused(study_dir):
    cooperations = load_study_form("cooperations")
    with pytest.raises(FileRefused) as refused:
        submissions_import(questionnaire=cooperations, files=files(study_dir / "perception.csv"))
    assert str(refused.value) == (
        "perception.csv: 48 columns are not questions of the form cooperations (a_cooperation, "
        "pays_partenaires, pays_partenaires/am, pays_partenaires/bf, pays_partenaires/bg, "
        "pays_partenaires/bj, pays_partenaires/br, pays_partenaires/ci, pays_partenaires/cm, "
        "pays_partenaires/dz, …): is it the export of another form, or headed with labels "
        "instead of names (Kobo: export with XML values and headers)?"
    )
    assert Submission.objects.count() == 0


def test_strict_refuses_a_column_that_is_not_in_the_form():
    perception = load_study_form("perception")
    text = (
        "collectivite_nom;collectivite_type;budget_secret;_uuid\r\n"
        "Caen;commune;12;6a1c36a4-8d33-4b5c-8d8e-6c0f6b1f1e01\r\n"
    )
    with pytest.raises(InvalidRows) as refused:
        submissions_import(
            questionnaire=perception, files=[("p.csv", csv_bytes(text))], strict=True
        )
    assert refused.value.lines() == [
        "p.csv, field budget_secret: this column is not a question of the form perception"
    ]
    report = submissions_import(questionnaire=perception, files=[("p.csv", csv_bytes(text))])
    assert report.ignored_columns == {"p.csv": ["budget_secret"]}
    assert stored(perception) == {
        "6a1c36a4-8d33-4b5c-8d8e-6c0f6b1f1e01": {
            "collectivite_nom": "Caen",
            "collectivite_type": "commune",
        }
    }


def test_bad_values_and_orphan_rows_are_named_by_file_row_and_column():
    cooperations = load_study_form("cooperations")
    main = (
        "_uuid,collectivite_nom,_index\r\n"
        "0b7c1f5e-4a3a-4c55-9a57-3f1e4d7c2a10,Caen,1\r\n"
        "1c8d2a6f-5b4b-4d66-8b68-4a2f5e8d3b21,Vire,2\r\n"
    )
    repeat = (
        "cooperation/pays_partenaire,cooperation/annee_debut,cooperation/budget_annuel_eur,"
        "_parent_index\r\n"
        "ru,1998,1200.50,1\r\n"
        "sn,deux mille,abc,2\r\n"
        "ma,2001,,7\r\n"
    )
    with pytest.raises(InvalidRows) as refused:
        submissions_import(
            questionnaire=cooperations,
            files=[("c.csv", csv_bytes(main)), ("c-cooperation.csv", csv_bytes(repeat))],
        )
    assert refused.value.lines() == [
        "c-cooperation.csv, row 3, field cooperation/annee_debut: "
        "expected a whole number, found deux mille",
        "c-cooperation.csv, row 3, field cooperation/budget_annuel_eur: "
        "expected a number, found abc",
        "c-cooperation.csv, row 4, field _parent_index: "
        "7 is the _index of no row of the main table",
    ]
    assert Submission.objects.count() == 0


def test_repeat_rows_without_their_main_file_are_refused():
    cooperations = load_study_form("cooperations")
    repeat = "cooperation/pays_partenaire,_parent_index\r\nru,1\r\n"
    with pytest.raises(FileRefused) as refused:
        submissions_import(
            questionnaire=cooperations, files=[("c-cooperation.csv", csv_bytes(repeat))]
        )
    assert str(refused.value) == (
        "c-cooperation.csv: no main table: no sheet or file holds the questions outside "
        "repeats of cooperations (headers are the questions' names: in Kobo, export with XML "
        "values and headers)"
    )


def test_semicolons_bom_dot_paths_and_excel_numbers():
    cooperations = load_study_form("cooperations")
    main = (
        "collectivite_nom;collectivite_type;_uuid;_index;_submission_time\r\n"
        "Caen;commune;2d9e3b70-6c5c-4e77-9c79-5b3f6f9e4c32;1;2024-02-01T10:00:00\r\n"
    )
    repeat = (
        "cooperation.pays_partenaire;cooperation.annee_debut;cooperation.themes;"
        "cooperation.themes.sante;cooperation.budget_annuel_eur;_parent_index\r\n"
        "ru;2007.0;sante  jeunesse;1;1 500,5;1\r\n"
    )
    report = submissions_import(
        questionnaire=cooperations,
        files=[
            ("caen.csv", csv_bytes(main, bom=True)),
            ("caen-cooperation.csv", csv_bytes(repeat.replace("1 500,5", "1500,5"), bom=True)),
        ],
        strict=True,
    )
    assert (report.created, report.repeats) == (1, {"cooperation": 1})
    submission = Submission.objects.get()
    assert submission.data == {
        "collectivite_nom": "Caen",
        "collectivite_type": "commune",
        "cooperation": [
            {
                "pays_partenaire": "ru",
                "annee_debut": 2007,
                "themes": "sante jeunesse",
                "budget_annuel_eur": 1500.5,
            }
        ],
    }
    assert submission.submitted_at.isoformat() == "2024-02-01T10:00:00+00:00"


# --- the commands ------------------------------------------------------------------------------


def test_cli_import_twice_then_export(study_dir, tmp_path):
    load_study_form("cooperations")
    paths = [str(study_dir / "cooperations.csv"), str(study_dir / "cooperations-cooperation.csv")]

    result = run("survey", "import", "cooperations", *paths)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Imported cooperations.csv, cooperations-cooperation.csv into cooperations.",
        "Submissions read:   44",
        "Created:            44",
        "Unchanged:          0",
        "Conflicts:          0",
        "Repeat cooperation: 61",
    ]
    again = run("survey", "import", "cooperations", *paths)
    assert again.exit_code == 0, again.output
    assert "Unchanged:          44" in again.stdout.splitlines()
    assert Submission.objects.count() == 44

    target = tmp_path / "out.zip"
    result = run("survey", "export", "cooperations", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Exported 44 submissions of cooperations to {target}\n"
    assert zipfile.ZipFile(target).namelist() == [
        "cooperations.csv",
        "cooperations-cooperation.csv",
    ]
    target = tmp_path / "out.xlsx"
    result = run("survey", "export", "cooperations", "--output", str(target))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert workbook.sheetnames == ["cooperations", "cooperation"]


def test_cli_bad_input_one_line_exit_1_nothing_written(study_dir, tmp_path):
    load_study_form("cooperations")
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # a sparse 200 MB file
    cases = [
        (("survey", "import", "nope", str(huge)), "Error: no questionnaire with the form id"),
        (
            ("survey", "import", "cooperations", str(huge)),
            "Error: huge.csv: the file is 200.0 MB; the limit is 100.0 MB",
        ),
        (
            ("survey", "import", "cooperations", str(study_dir / "perception.csv")),
            "Error: perception.csv: 48 columns are not questions of the form cooperations",
        ),
        (
            ("survey", "import", "cooperations", str(tmp_path / "missing.csv")),
            "Error: missing.csv: no such file",
        ),
        (("survey", "export", "nope"), "Error: no questionnaire with the form id 'nope'"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith(message), result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr
    assert Submission.objects.count() == 0


def test_cli_refuses_a_user_who_may_not_run_surveys(world, study_dir):
    load_study_form("cooperations")
    path = str(study_dir / "cooperations.csv")
    result = run("survey", "import", "cooperations", path, "--as", "herouville_editor")
    assert result.exit_code == 1
    assert result.stderr == "Error: herouville_editor may not import or export answers\n"
    assert Submission.objects.count() == 0

    result = run("survey", "import", "cooperations", path, "--as", "analyst")
    assert result.exit_code == 0, result.output
    assert {s.submitted_by for s in Submission.objects.all()} == {world.analyst}


def test_progress_is_reported_per_step(study_dir):
    cooperations = load_study_form("cooperations")
    calls = []
    submissions_import(
        questionnaire=cooperations,
        files=files(study_dir / "cooperations.csv", study_dir / "cooperations-cooperation.csv"),
        progress=lambda step, done, total: calls.append((step, done, total)),
    )
    last = {}
    for step, done, total in calls:
        last[step] = (done, total)
    assert last == {
        "Reading files": (2, 2),
        "Reading cooperations.csv": (44, 44),
        "Reading cooperations-cooperation.csv": (61, 61),
        "Checking stored answers": (44, 44),
        "Writing answers": (44, 44),
    }
    assert [step for step, _done, _total in calls][-1] == "Writing answers"
