"""Exactness: the analysis of ../shared/data/study-dev/ reproduces expected.json."""

import json

import pytest

from reciprocite.surveys.analysis import analyse

from .analysis_support import import_study_answers, load_study_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(shared_dir):
    directory = shared_dir / "data" / "study-dev"
    expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    forms = {}
    for form_id in ("perception", "cooperations"):
        q = load_study_form(form_id)
        import_study_answers(q, directory)
        forms[form_id] = q
    return forms, expected


@pytest.mark.parametrize("form_id", ["perception", "cooperations"])
def test_analysis_reproduces_expected_json(study, form_id):
    forms, expected = study
    want = expected[form_id]
    got = analyse(forms[form_id], cached=False)

    assert got["form"] == form_id
    assert got["submissions"] == want["submissions"]
    assert got["repeats"] == want.get("repeats", {})
    for name, figures in want["questions"].items():
        question = got["questions"][name]
        if "counts" in question:
            assert question["counts"] == figures, name
            # every select answer was given by the expected number of units
            unit = "cooperation" if name not in ("collectivite_type",) else None
            if form_id == "cooperations" and unit and name in ("pays_partenaire", "themes"):
                assert question["answered"] == want["repeats"]["cooperation"], name
        else:
            assert {k: question[k] for k in figures} == figures, name
            assert question["type"] in ("integer", "decimal")
    for name, zones in want.get("zones", {}).items():
        assert got["zones"][name] == zones
    for key in (
        "cooperations_by_respondent_type",
        "share_only_international_relations_service",
        "share_with_associations",
    ):
        if key in want:
            assert got[key] == want[key], key


def test_the_whole_document_of_cooperations(study):
    """The exact document, in the issue's shape, for the cooperations form."""
    forms, expected = study
    want = expected["cooperations"]
    got = analyse(forms["cooperations"], cached=False)
    assert set(got) == {"form", "submissions", "repeats", "questions", "zones"} | {
        "cooperations_by_respondent_type",
        "share_only_international_relations_service",
        "share_with_associations",
    }
    assert got["questions"]["collectivite_type"] == {
        "type": "select_one",
        "counts": want["questions"]["collectivite_type"],
        "answered": 44,
    }
    assert got["questions"]["annee_debut"] == {
        "type": "integer",
        **want["questions"]["annee_debut"],
    }
    assert got["questions"]["budget_annuel_eur"] == {
        "type": "decimal",
        **want["questions"]["budget_annuel_eur"],
    }
    assert got["questions"]["themes"]["type"] == "select_multiple"
    assert got["questions"]["themes"]["answered"] == 61
    assert got["zones"] == want["zones"]
    # the numbers are floats, as in expected.json
    assert isinstance(got["questions"]["annee_debut"]["min"], float)
    # cached: the same document again
    assert analyse(forms["cooperations"]) == got
    assert analyse(forms["cooperations"]) == got


def test_perception_zones_count_each_respondent_once_per_zone(study):
    """Computed independently from perception.csv: respondents naming at least one country
    of the zone (mentions would give Maghreb 44, Western Africa 56)."""
    forms, _expected = study
    got = analyse(forms["perception"], cached=False)
    assert got["zones"] == {
        "pays_partenaires": {
            "Western Africa": 50,
            "Maghreb": 43,
            "Eastern Europe": 21,
            "Eastern Africa": 5,
            "Western Asia": 5,
            "South-eastern Asia": 4,
            "Caribbean": 3,
            "Middle Africa": 2,
        }
    }
    assert got["repeats"] == {}
    assert "share_with_associations" not in got
