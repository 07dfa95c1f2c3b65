"""Validation of a submission's answers against its form: the same rules whatever the origin."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation
from pyxform.xls2json import parse_file_to_json

from reciprocite.surveys.structure import Structure
from reciprocite.surveys.validation import (
    clean_submission,
    fill_calculations,
    is_relevant,
    normalise,
    validate_submission,
)

from .submissions_support import structure_from_md, valid_answers


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def structure():
    return structure_from_md()


def with_(changes: dict, *, drop=()) -> dict:
    data = copy.deepcopy(valid_answers())
    data.update(changes)
    for key in drop:
        data.pop(key, None)
    return data


def test_valid_answers_have_no_error(structure):
    assert validate_submission(structure, valid_answers(), language="en") == []


def test_required_questions(structure):
    errors = validate_submission(structure, with_({"age": ""}, drop=("collectivite_nom",)))
    assert errors == [
        {
            "name": "collectivite_nom",
            "path": "collectivite_nom",
            "message": "This question is required.",
        },
        {"name": "age", "path": "age", "message": "This question is required."},
    ]


def test_unknown_keys_are_named(structure):
    data = with_({"couleur": "bleu"})
    data["cooperation"][1]["action"][0]["intrus"] = 1
    assert validate_submission(structure, data) == [
        {
            "name": "couleur",
            "path": "couleur",
            "message": "couleur is not a question of this form.",
        },
        {
            "name": "intrus",
            "path": "cooperation[2]/action[1]/intrus",
            "message": "intrus is not a question of this form.",
        },
    ]


def test_a_group_name_is_not_an_answer_key(structure):
    # answers are by question name, group paths dropped (Submission.data's contract)
    errors = validate_submission(structure, with_({"details": {"profession": "x"}}))
    assert errors == [
        {"name": "details", "path": "details", "message": "details is not a question of this form."}
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("age", 3.5, "Expected a whole number."),
        ("age", "12", "Expected a whole number."),  # text: normalise() converts it first
        ("age", True, "Expected a whole number."),
        ("budget", "cher", "Expected a number."),
        ("note_r", 4, "Expected a number from 1 to 9 in steps of 2."),
        ("note_r", 11, "Expected a number from 1 to 9 in steps of 2."),
        ("jour", "01/05/2024", "Expected a date as YYYY-MM-DD."),
        ("jour", "2023-02-29", "Expected a date as YYYY-MM-DD."),
        ("heure", "25:00", "Expected a time as HH:MM or HH:MM:SS."),
        ("moment", "2024-05-01", "Expected a date and time as YYYY-MM-DDTHH:MM:SS."),
        (
            "lieu",
            "49.18",
            "Expected a location as 'latitude longitude' with, optionally, altitude and accuracy.",
        ),
        ("lieu", "91 2", "The latitude must be between -90 and 90."),
        ("lieu", "45 -181", "The longitude must be between -180 and 180."),
        ("lieu", "45 2 10 -1", "The accuracy cannot be negative."),
        (
            "lieu",
            "45 2 nan",
            "Expected a location as 'latitude longitude' with, optionally, altitude and accuracy.",
        ),
        ("pays", "xx", "Not among the choices: xx."),
        ("pays", "sn ma", "Only one choice is allowed here."),
        ("pays", ["sn"], "Expected the name of a choice."),
        ("themes", "sante peche", "Not among the choices: peche."),
        ("collectivite_nom", 12, "Expected text."),
    ],
)
def test_types(structure, name, value, message):
    # (ville is filtered by pays: left out when pays is at fault)
    errors = validate_submission(structure, with_({name: value}, drop=("ville",)))
    assert errors == [{"name": name, "path": name, "message": message}]


def test_valid_values_of_each_type(structure):
    data = with_(
        {
            "heure": "23:59:59.250+01:00",
            "moment": "2024-05-01T10:30:00Z",
            "lieu": "-33.9 18.4",
            "note_r": 9,
            "budget": 0,
        }
    )
    assert validate_submission(structure, data) == []


def test_choice_filter_uses_the_current_answers(structure):
    # ville is filtered by pays: dakar is a city of sn, not of fr
    assert validate_submission(structure, with_({"pays": "sn", "ville": "thies"})) == []
    errors = validate_submission(structure, with_({"pays": "fr", "ville": "dakar"}))
    assert errors == [
        {"name": "ville", "path": "ville", "message": "Not among the choices: dakar."}
    ]


def test_or_other_allows_other_and_its_text(structure):
    assert validate_submission(structure, with_({"themes": "other", "themes_other": "x"})) == []
    # the text is dropped when "other" is not picked (not relevant), not reported
    cleaned, errors = clean_submission(structure, with_({"themes": "sante", "themes_other": "x"}))
    assert errors == []
    assert "themes_other" not in cleaned
    assert cleaned["themes"] == "sante"


def test_constraints_with_their_message_in_the_language(structure):
    data = with_({"age": 200, "collectivite_code": "2A004", "themes": "sante jeunesse logement"})
    assert validate_submission(structure, data, language="fr") == [
        {"name": "collectivite_code", "path": "collectivite_code", "message": "Code à 5 chiffres"},
        {"name": "themes", "path": "themes", "message": "Deux au plus"},
        {"name": "age", "path": "age", "message": "Âge invalide"},
    ]
    assert [
        e["message"] for e in validate_submission(structure, data, language="English (en)")
    ] == [
        "A 5-digit code",
        "At most two",
        "Invalid age",
    ]
    # no language: the form's default language
    assert validate_submission(structure, data)[0]["message"] == "Code à 5 chiffres"


def test_constraint_without_message_names_the_rule(structure):
    errors = validate_submission(structure, with_({"budget": -1}))
    assert errors == [
        {
            "name": "budget",
            "path": "budget",
            "message": "This answer does not meet the rule . >= 0.",
        }
    ]


def test_dates_compare_with_today_in_constraints(structure):
    errors = validate_submission(structure, with_({"jour": "2999-01-01"}), language="en")
    assert errors == [{"name": "jour", "path": "jour", "message": "Not in the future"}]


def test_repeats_paths_are_one_based_and_nested(structure):
    data = valid_answers()
    data["cooperation"][0]["annee_debut"] = 1900
    data["cooperation"][1]["action"].append({"action_annee": 2000})
    data["cooperation"].append({"annee_debut": 2020})
    assert validate_submission(structure, data, language="en") == [
        {
            "name": "annee_debut",
            "path": "cooperation[1]/annee_debut",
            "message": "Year between 1950 and now",
        },
        {
            "name": "action_nom",
            "path": "cooperation[2]/action[2]/action_nom",
            "message": "This question is required.",
        },
        {
            # action_annee >= the enclosing cooperation's annee_debut (2010)
            "name": "action_annee",
            "path": "cooperation[2]/action[2]/action_annee",
            "message": "After the start",
        },
        {
            "name": "pays_partenaire",
            "path": "cooperation[3]/pays_partenaire",
            "message": "This question is required.",
        },
    ]


def test_relevance_inside_a_repeat_uses_the_same_entry(structure):
    data = valid_answers()
    # detail_senegal is required only where that entry's partner is sn
    del data["cooperation"][1]["detail_senegal"]
    data["cooperation"][0]["detail_senegal"] = "dropped"
    cleaned, errors = clean_submission(structure, data)
    assert errors == [
        {
            "name": "detail_senegal",
            "path": "cooperation[2]/detail_senegal",
            "message": "This question is required.",
        }
    ]
    assert "detail_senegal" not in cleaned["cooperation"][0]


def test_bad_repeat_shapes(structure):
    assert validate_submission(structure, with_({"cooperation": {"a": 1}})) == [
        {"name": "cooperation", "path": "cooperation", "message": "Expected a list of entries."}
    ]
    assert validate_submission(structure, with_({"cooperation": ["x"]})) == [
        {
            "name": "cooperation",
            "path": "cooperation[1]",
            "message": "Expected an entry (an object).",
        }
    ]


def test_not_an_object():
    structure = structure_from_md()
    assert validate_submission(structure, ["a"]) == [
        {"name": "", "path": "", "message": "The answers must be an object of question names."}
    ]


def test_non_relevant_answers_are_dropped_not_reported(structure):
    # under 18: budget (relevant ${age} > 17) and the whole details group are not relevant,
    # so the missing required profession is no error and their answers are dropped
    data = with_({"age": 12, "budget": 10})
    cleaned, errors = clean_submission(structure, data)
    assert errors == []
    assert "budget" not in cleaned and "profession" not in cleaned
    assert data["budget"] == 10  # the caller's dict is left alone
    assert validate_submission(structure, with_({"age": 12}, drop=("profession",))) == []
    # adult: the group is relevant, its required question is checked
    errors = validate_submission(structure, with_({}, drop=("profession",)))
    assert errors == [
        {"name": "profession", "path": "profession", "message": "This question is required."}
    ]


def test_is_relevant(structure):
    data = valid_answers()
    assert is_relevant(structure, "profession", {"age": 30}) is True
    assert is_relevant(structure, "profession", {"age": 3}) is False
    assert is_relevant(structure, structure.by_name["budget"], {"age": 3}) is False
    assert is_relevant(structure, "detail_senegal", data, (1,)) is True
    assert is_relevant(structure, "detail_senegal", data, 0) is False
    assert is_relevant(structure, "action_nom", data, (1, 0)) is True


def test_normalise_makes_numbers_of_numeric_text(structure):
    data = with_({"age": " 41 ", "budget": "12.5", "note_r": "3", "pays": "sn"})
    data["cooperation"][0]["annee_debut"] = "2003"
    out = normalise(structure, data)
    assert (out["age"], out["budget"], out["note_r"]) == (41, 12.5, 3)
    assert out["cooperation"][0]["annee_debut"] == 2003
    assert data["age"] == " 41 "  # a copy
    assert normalise(structure, with_({"age": "douze"}))["age"] == "douze"
    assert validate_submission(structure, out) == []


def test_fill_calculations_metadata_and_calculations(structure):
    now = datetime(2026, 3, 9, 14, 5, 7, tzinfo=UTC)
    data = with_({"start": "2026-03-09T13:00:00.000+00:00", "double_age": 1})
    filled = fill_calculations(structure, data, now=now, username="analyste", instance_id="abc")
    assert filled["start"] == "2026-03-09T13:00:00.000+00:00"  # kept
    assert filled["end"] == "2026-03-09T14:05:07.000+00:00"
    assert filled["today"] == "2026-03-09"
    assert filled["username"] == "analyste"
    assert filled["instanceID"] == "uuid:abc"
    assert filled["double_age"] == 80  # recomputed
    assert [c["rang"] for c in filled["cooperation"]] == [1, 2]
    assert filled["nb_cooperations"] == 2
    assert filled["somme_annees"] == 4011
    assert data["double_age"] == 1  # a copy
    assert validate_submission(structure, filled) == []
    # no username given: left absent
    assert "username" not in fill_calculations(structure, {"age": 1}, now=now)


def test_a_calculation_may_use_one_that_comes_later():
    md = """
| survey |
| | type | name | label | calculation |
| | integer | n | N | |
| | calculate | total | | ${double} + 1 |
| | calculate | double | | ${n} * 2 |
| | calculate | counter | | once(${n}) |
"""
    structure = structure_from_md(md)
    filled = fill_calculations(structure, {"n": 5}, now=datetime(2026, 1, 1, tzinfo=UTC))
    # a reference's value is text (XPath node values); arithmetic gives numbers
    assert (filled["double"], filled["total"], filled["counter"]) == (10, 11, "5")
    # once() keeps the value already there
    again = fill_calculations(
        structure, {"n": 7, "counter": 5}, now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert (again["double"], again["total"], again["counter"]) == (14, 15, 5)  # kept as it was


def test_unsupported_function_in_a_rule_is_reported_and_calculation_left():
    md = """
| survey |
| | type | name | label | constraint | calculation |
| | text | a | A | pulldata('f', 'c', 'k', .) = 'x' | |
| | calculate | b | | | pulldata('f', 'c', 'k', ${a}) |
"""
    structure = structure_from_md(md)
    errors = validate_submission(structure, {"a": "v"})
    assert errors == [
        {
            "name": "a",
            "path": "a",
            "message": "The form's rule cannot be checked: pulldata() is not supported "
            "(in: pulldata('f', 'c', 'k', .) = 'x')",
        }
    ]
    assert fill_calculations(structure, {"a": "v"}, now=datetime(2026, 1, 1, tzinfo=UTC)) == {
        "a": "v"
    }


CONFORMANCE = Path("/work/shared/data/xlsform-conformance")


@pytest.mark.skipif(not CONFORMANCE.exists(), reason="conformance fixtures not on this machine")
def test_pyxform_or_other_with_choice_filter_fixture():
    structure = Structure(parse_file_to_json(str(CONFORMANCE / "or_other.xlsx")))
    names = {q.name: q for q in structure.questions}
    selects = [
        q for q in structure.questions if q.kind == "select_one" and q.node.get("choice_filter")
    ]
    assert selects, names
    # an empty submission is valid or names its required questions; never a crash
    for error in validate_submission(structure, {}):
        assert set(error) == {"name", "path", "message"}


@pytest.mark.skipif(not CONFORMANCE.exists(), reason="conformance fixtures not on this machine")
@pytest.mark.parametrize(
    "name",
    [
        "xlsform_spec_test.xlsx",
        "UCL_Biomass_Plot_Form.xlsx",
        "widgets.xls",
        "cascading_select_test_equivalent.xls",
        "choice_filter_test.xlsx",
        "table-list.xls",
        "repeat_date_test.xls",
        "tutorial.xls",
        "inline__test_repeat__test_output_with_translation_relative_path.md",
        "inline__test_range__test_parameters__numeric__int__translated.md",
        "inline__test_repeat__test_choice_from_previous_repeat_in_current_repeat_parents_out_to_repeat.md",
    ],
)
def test_real_forms_validate_and_calculate_without_crashing(name):
    structure = Structure(parse_file_to_json(str(CONFORMANCE / name)))
    filled = fill_calculations(structure, {}, now=datetime(2026, 1, 1, tzinfo=UTC))
    errors = validate_submission(structure, filled)
    for error in errors:
        assert set(error) == {"name", "path", "message"} and error["message"]
