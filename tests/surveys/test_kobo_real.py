"""The real XLSForm + Kobo export pairs of ../shared/data/kobo-real/: each form loads and its
export imports with exactly the row counts of that folder's README, nested repeats linked to
the right parent rows."""

from __future__ import annotations

import uuid

import pytest

from reciprocite.surveys.models import Submission
from reciprocite.surveys.services.imports import submissions_import

from .kobo_support import files, load_form

pytestmark = pytest.mark.django_db

# folder, form file, form id, main rows, {repeat: rows}, columns reported as ignored
PAIRS = [
    (
        "kobocruncher_sample",
        "koboloadeR",
        "koboloadeR",
        5,
        {"members": 12},
        # the tool and the data drifted apart: the export has start and end, the tool not
        {"koboloadeR-export.xlsx, sheet Sample Dataset KoboloadeR": ["start", "end"]},
    ),
    (
        "kobotransfer_meeting_form",
        "meeting_form",
        "meeting_form",
        5,
        {"topics_discussed": 8, "participants": 8, "feedback": 12},
        {"meeting_form-export.xlsx, sheet Meeting Form": ["$edited"]},
    ),
    (
        "extra_kobotransfer_quest_test",
        "quest_test",
        "quest_test",
        4,
        {"character_selection": 5, "character_tasks": 8},
        {"quest_test-export.xlsx, sheet Quest Test": ["$edited"]},
    ),
    (
        "humind_msna_dummy",
        "msna_dummy",
        "msna_dummy",
        241,
        {"roster": 965, "edu_ind": 965, "health_ind": 965, "nut_ind": 965},
        {
            "msna_dummy-export.xlsx, sheet main": ["row_id", "person_id", "stratum", "weight"],
            "msna_dummy-export.xlsx, sheet roster": ["row_id"],
            "msna_dummy-export.xlsx, sheet edu_ind": ["row_id", "person_id"],
            "msna_dummy-export.xlsx, sheet health_ind": ["row_id", "person_id"],
            "msna_dummy-export.xlsx, sheet nut_ind": ["row_id", "person_id"],
        },
    ),
]


def nested(entries, path):
    """All entries reached by following the repeat names of ``path``."""
    if not path:
        return entries
    found = []
    for entry in entries:
        found.extend(nested(entry.get(path[0], []), path[1:]))
    return found


@pytest.mark.parametrize(
    ("folder", "form", "form_id", "main_rows", "repeats", "ignored"),
    PAIRS,
    ids=[p[0] for p in PAIRS],
)
def test_real_pair_imports_with_the_readme_row_counts(
    shared_dir, folder, form, form_id, main_rows, repeats, ignored
):
    directory = shared_dir / "data" / "kobo-real" / folder
    questionnaire = load_form(directory / f"{form}.xlsx")
    assert questionnaire.form_id == form_id

    report = submissions_import(
        questionnaire=questionnaire, files=files(directory / f"{form}-export.xlsx")
    )

    assert report.read == main_rows
    assert report.created == main_rows
    assert report.unchanged == 0
    assert report.conflicts == 0
    assert report.repeats == repeats
    assert report.ignored_columns == ignored
    stored = list(Submission.objects.filter(questionnaire=questionnaire))
    assert len(stored) == main_rows
    assert {s.source for s in stored} == {"import"}
    assert {s.version_id for s in stored} == {questionnaire.current_version.pk}
    datas = [s.data for s in stored]
    structure_parent = {
        "feedback": ("participants", "feedback"),
        "character_tasks": ("character_selection", "character_tasks"),
    }
    for repeat, rows in repeats.items():
        assert len(nested(datas, structure_parent.get(repeat, (repeat,)))) == rows, repeat

    again = submissions_import(
        questionnaire=questionnaire, files=files(directory / f"{form}-export.xlsx")
    )
    assert (again.read, again.created, again.unchanged, again.conflicts) == (
        main_rows,
        0,
        main_rows,
        0,
    )
    assert Submission.objects.filter(questionnaire=questionnaire).count() == main_rows


def test_meeting_form_nested_feedback_under_the_right_participants(shared_dir):
    directory = shared_dir / "data" / "kobo-real" / "kobotransfer_meeting_form"
    questionnaire = load_form(directory / "meeting_form.xlsx")
    submissions_import(
        questionnaire=questionnaire, files=files(directory / "meeting_form-export.xlsx")
    )

    first = Submission.objects.get(uuid=uuid.UUID("73a23093-2215-4812-9071-14e2d2b65e5a"))
    assert first.data == {
        "start": "2024-03-14T16:33:10.046",
        "end": "2024-03-14T16:36:51.450",
        "Project_location": "1.464691 27.751719 1.9 0",
        "topics_discussed": [
            {
                "Topic_title": "timeline",
                "Topic_description": "reviewed and finalized project timeline",
                "Discussion_rating": 3,
            }
        ],
        "participants": [
            {
                "Participant_name": "Charles",
                "feedback": [
                    {"Session_number": "session_2__october_5", "Comments": "informative meeting!"},
                    {
                        "Session_number": "session_4__october_20",
                        "Comments": "meeting was not organised",
                    },
                    {"Session_number": "session_1__october_1"},
                ],
            },
            {
                "Participant_name": "julia",
                "feedback": [
                    {"Session_number": "session_1__october_1", "Comments": "productive meeting"}
                ],
            },
        ],
    }
    assert first.submitted_at.isoformat() == "2024-03-14T09:36:52+00:00"
    per_submission = {
        str(s.uuid): [
            (p.get("Participant_name"), len(p.get("feedback", [])))
            for p in s.data.get("participants", [])
        ]
        for s in Submission.objects.filter(questionnaire=questionnaire)
    }
    assert per_submission == {
        "73a23093-2215-4812-9071-14e2d2b65e5a": [("Charles", 3), ("julia", 1)],
        "f5279bc4-db5f-41ba-91b5-062603515346": [("bob", 2)],
        "f05217e6-48bc-475b-84f6-522a7e4f8845": [("emma", 2)],
        "c193cad4-61fa-4401-9fb5-eb4be4e33f54": [
            ("lola", 1),
            ("amanda", 0),
            ("zoe", 2),
            (None, 1),
        ],
        "b6cae1f6-7eac-45b7-a6e1-818648f8dc38": [],
    }


def test_koboloader_dot_separated_headers_and_choice_columns(shared_dir):
    directory = shared_dir / "data" / "kobo-real" / "kobocruncher_sample"
    questionnaire = load_form(directory / "koboloadeR.xlsx")
    submissions_import(
        questionnaire=questionnaire, files=files(directory / "koboloadeR-export.xlsx")
    )
    first = Submission.objects.get(uuid=uuid.UUID("48cc75b7-3d86-4c3e-a99b-24b4032b7b9c"))
    assert first.data == {
        "location": "private_facility",
        "country": "VEN",
        "occupation": "Consultant",
        "reason": "accomodation employment education community",
        "HHSize": 1,
        "members": [{"age": 56, "sex": "male"}],
    }


def test_humind_malformed_uuids_get_stable_derived_ones(shared_dir):
    """Its uuids are not UUIDs (8-4-6-6-12 hex): each gets one derived from it, the same on
    every import, and its repeat rows (linked by ``uuid`` and ``_parent_index``) follow."""
    directory = shared_dir / "data" / "kobo-real" / "humind_msna_dummy"
    questionnaire = load_form(directory / "msna_dummy.xlsx")
    from reciprocite.interop.kobo import row_uuid

    derived, original = row_uuid(
        "1a2409f8-203c-44414d-8b878f-d7e3b40fc192", form_id="msna_dummy", fallback=""
    )
    assert original == "1a2409f8-203c-44414d-8b878f-d7e3b40fc192"
    submissions_import(
        questionnaire=questionnaire, files=files(directory / "msna_dummy-export.xlsx")
    )
    first = Submission.objects.get(uuid=derived)
    assert first.data["start"] == "2024-07-30T15:50:17+0200"
    assert first.data["enum_age"] == 35
    assert first.data["hh_size"] == 4
    assert first.data["aap_priority_challenge"] == (
        "drinking_water food wash healthcare education_children women_not_safe dnk"
    )
    assert len(first.data["roster"]) == 4
    assert first.data["roster"][0]["ind_age"] == 37
    assert first.data["roster"][0]["wgq_vision"] == "lot_of_difficulty"


@pytest.mark.parametrize("format", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("folder", "form"),
    [(p[0], p[1]) for p in PAIRS],
    ids=[p[0] for p in PAIRS],
)
def test_real_pair_export_then_import_gives_the_same_answers(shared_dir, folder, form, format):
    from reciprocite.surveys.selectors.exports import submissions_export

    directory = shared_dir / "data" / "kobo-real" / folder
    questionnaire = load_form(directory / f"{form}.xlsx")
    submissions_import(questionnaire=questionnaire, files=files(directory / f"{form}-export.xlsx"))
    before = {
        str(s.uuid): (s.data, s.submitted_at)
        for s in Submission.objects.filter(questionnaire=questionnaire)
    }

    content = submissions_export(questionnaire, format=format)
    Submission.objects.all().delete()
    report = submissions_import(
        questionnaire=questionnaire, files=[(f"{form}.{format}", content)], strict=True
    )

    assert report.ignored_columns == {}
    assert report.created == len(before)
    after = {
        str(s.uuid): (s.data, s.submitted_at)
        for s in Submission.objects.filter(questionnaire=questionnaire)
    }
    assert after == before
