"""One territory resolution for every importer and review (territories.resolve)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reciprocite.territories import resolve
from reciprocite.territories.models import Territory
from reciprocite.territories.resolve import territory_resolve
from reciprocite.territories.services import (
    AmbiguousTerritory,
    territory_create,
    territory_get_or_create,
    territory_update,
)

pytestmark = pytest.mark.django_db

# INSEE codes shared by a région and a département (official codes, 2016 régions).
COLLISIONS = [
    ("44", "Grand Est", "Loire-Atlantique"),
    ("93", "Provence-Alpes-Côte d'Azur", "Seine-Saint-Denis"),
    ("11", "Île-de-France", "Aude"),
    ("84", "Auvergne-Rhône-Alpes", "Vaucluse"),
    ("32", "Hauts-de-France", "Gers"),
    ("52", "Pays de la Loire", "Haute-Marne"),
    ("53", "Bretagne", "Mayenne"),
    ("75", "Nouvelle-Aquitaine", "Paris"),
    ("76", "Occitanie", "Seine-Maritime"),
    ("24", "Centre-Val de Loire", "Dordogne"),
    ("27", "Bourgogne-Franche-Comté", "Eure"),
    ("28", "Normandie", "Eure-et-Loir"),
    ("94", "Corse", "Val-de-Marne"),
]


def fr(name, kind, code=""):
    return territory_create(name=name, kind=kind, country="FR", official_code=code)


@pytest.mark.parametrize(("code", "region", "departement"), COLLISIONS)
def test_a_code_matches_only_with_its_kind(code, region, departement):
    dept = fr(departement, "departement", code)
    # the département alone: the région of the same code is not it (it is to be created)
    alone = territory_resolve(country="FR", kind="region", code=code, name=region)
    assert (alone.match, alone.certain, alone.candidates) == (None, True, [])
    # both can exist (the code is unique per country and kind)
    reg = fr(region, "region", code)
    found = territory_resolve(country="FR", kind="region", code=code, name=region)
    assert (found.match, found.certain) == (reg, True)
    assert [(c.territory, c.reason) for c in found.candidates] == [(reg, resolve.CODE)]
    found = territory_resolve(country="FR", kind="departement", code=code, name="whatever")
    assert (found.match, found.certain) == (dept, True)
    # without a kind the code alone cannot tell them apart
    either = territory_resolve(country="FR", code=code)
    assert (either.match, either.certain) == (None, False)
    assert {c.territory for c in either.candidates} == {reg, dept}
    # another country's code 44 is another thing
    assert territory_resolve(country="BE", kind="region", code=code).match is None


def test_the_same_code_and_kind_twice_is_still_refused():
    fr("Grand Est", "region", "44")
    with pytest.raises(ValidationError):
        fr("Grand-Est (bis)", "region", "44")


def test_paris_commune_departement_and_the_region_of_code_75():
    commune = fr("Paris", "commune", "75056")
    departement = fr("Paris", "departement", "75")
    region = fr("Nouvelle-Aquitaine", "region", "75")
    cases = [
        (dict(kind="commune", code="75056", name="Paris"), commune),
        (dict(kind="departement", code="75", name="Paris"), departement),
        (dict(kind="region", code="75", name="Nouvelle Aquitaine"), region),
        (dict(kind="departement", name="PARIS"), departement),  # by name, within its kind
        (dict(kind="commune", name="paris"), commune),
    ]
    for query, expected in cases:
        found = territory_resolve(country="FR", **query)
        assert (found.match, found.certain) == (expected, True), query
    # a commune code is 5 characters: 75 is not the commune's code
    assert territory_resolve(country="FR", kind="commune", code="75").match is None
    # the name alone, any kind: two authorities are called Paris
    found = territory_resolve(country="FR", name="Paris")
    assert (found.match, found.certain) == (None, False)
    assert [c.territory for c in found.candidates] == [commune, departement]


def test_homonyms_with_their_own_codes_are_told_apart_by_code():
    denis_93 = fr("Saint-Denis", "commune", "93066")
    denis_974 = fr("Saint-Denis", "commune", "97411")
    found = territory_resolve(country="FR", kind="commune", code="97411", name="Saint-Denis")
    assert (found.match, found.certain) == (denis_974, True)
    # an unknown code with the name of coded communes: neither (another code, another commune)
    found = territory_resolve(country="FR", kind="commune", code="11340", name="Saint-Denis")
    assert (found.match, found.certain, found.candidates) == (None, True, [])
    # the name only: a person chooses
    found = territory_resolve(country="FR", kind="commune", name="Saint Denis")
    assert (found.match, found.certain) == (None, False)
    assert [c.territory for c in found.candidates] == [denis_93, denis_974]
    assert {c.reason for c in found.candidates} == {resolve.NAME}


def test_names_are_folded_case_accents_punctuation():
    paca = fr("Provence-Alpes-Côte d’Azur", "region", "93")
    for name in (
        "PROVENCE ALPES COTE D'AZUR",
        "provence-alpes-côte-d-azur",
        "Provence Alpes Côte d’Azur",
    ):
        found = territory_resolve(country="FR", kind="region", name=name)
        assert (found.match, found.certain) == (paca, True), name
        assert found.candidates[0].reason == resolve.NAME


def test_arabic_script_partner_is_a_candidate_not_a_new_territory():
    amira = territory_create(name="Aït Amira", kind="rural_commune", country="MA")
    found = territory_resolve(country="MA", name="آيت عميرة")
    assert (found.match, found.certain) == (None, False)
    assert [(c.territory, c.reason) for c in found.candidates] == [(amira, resolve.CLOSE)]
    assert found.candidate(str(amira.pk)) == amira
    assert found.candidate("999999") is None
    # and the other way round: the Latin name finds the Arabic one
    oujda = territory_create(name="وجدة", kind="municipality", country="MA")
    found = territory_resolve(country="MA", name="Oujda")
    assert [c.territory for c in found.candidates] == [oujda]
    assert not found.certain
    # get_or_create refuses to guess and creates nothing
    before = Territory.objects.count()
    with pytest.raises(AmbiguousTerritory) as caught:
        territory_get_or_create(name="آيت عميرة", country="MA", kind="rural_commune")
    assert caught.value.resolution.candidates[0].territory == amira
    assert Territory.objects.count() == before


def test_cyrillic_names_are_transliterated():
    tikhvin = territory_create(name="Tikhvin", kind="municipality", country="RU")
    found = territory_resolve(country="RU", name="Тихвин")
    assert (found.match, found.certain) == (tikhvin, True)
    assert found.candidates[0].reason == resolve.TRANSLITERATED
    # the French spelling differs after transliteration: a candidate only
    found = territory_resolve(country="RU", name="Тихвине")
    assert (found.match, found.certain) == (None, False)
    other = territory_create(name="Тихвин", kind="oblast", country="RU")
    found = territory_resolve(country="RU", kind="municipality", name="Tikhvin")
    assert (found.match, found.certain) == (tikhvin, True)  # the oblast is another kind
    found = territory_resolve(country="RU", name="tikhvin")
    assert (found.match, found.certain) == (None, False)
    assert [c.territory for c in found.candidates] == [tikhvin, other]


def test_latin_names_that_only_look_alike_are_not_candidates():
    territory_create(name="York", kind="municipality", country="GB")
    found = territory_resolve(country="GB", name="Warwick")
    assert (found.match, found.certain, found.candidates) == (None, True, [])


def test_deleted_territories_and_other_countries_are_not_matched():
    gone = territory_create(name="Podor", kind="municipality", country="SN")
    gone.deleted_at = gone.created_at
    gone.save()
    assert territory_resolve(country="SN", name="Podor").match is None
    territory_create(name="Podor", kind="municipality", country="MR")
    assert territory_resolve(country="SN", name="Podor").candidates == []


def test_keys_follow_the_name():
    town = territory_create(name="Tikhvin", kind="municipality", country="RU")
    territory_update(territory=town, name="Ярославль")
    town.refresh_from_db()
    assert (town.name_key, town.name_skeleton) == ("yaroslavl", "rslvl")
    assert territory_resolve(country="RU", name="Yaroslavl").match == town


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("آيت عميرة", "Aït Amira"),
        ("وجدة", "Oujda"),
        ("شفشاون", "Chefchaouen"),
        ("جربة", "Djerba"),
        ("تطوان", "Tétouan"),
        ("Тихвин", "Tikhvine"),
    ],
)
def test_skeletons_across_scripts(a, b):
    assert resolve.name_skeleton(a) == resolve.name_skeleton(b) != ""
    assert resolve.name_key(a) != resolve.name_key(b)
