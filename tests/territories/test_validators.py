import pytest
from django.core.exceptions import ValidationError

from reciprocite.territories.services import territory_create, territory_get_or_create
from reciprocite.territories.validators import siren_is_valid, validate_french_official_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("14327", "commune"),
        ("2A004", "commune"),
        ("97411", "commune"),
        ("44", "departement"),
        ("2A", "departement"),
        ("974", "departement"),
        ("52", "region"),
        ("217500016", "commune"),  # SIREN of the City of Paris
        ("224400028", "departement"),  # SIREN of Loire-Atlantique
        ("200093201", "intercommunalite"),
        ("356000000", "other"),  # La Poste: the one SIREN without a Luhn check digit
    ],
)
def test_valid_french_codes(code, kind):
    validate_french_official_code(code, kind)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("1432", "commune"),
        ("2C004", "commune"),
        ("00", "departement"),
        ("975X", "departement"),
        ("5", "region"),
        ("217500017", "commune"),  # bad check digit
        ("44", "intercommunalite"),  # intercommunalities only have a SIREN
    ],
)
def test_invalid_french_codes(code, kind):
    with pytest.raises(ValidationError):
        validate_french_official_code(code, kind)


def test_siren_luhn():
    assert siren_is_valid("732829320")
    assert not siren_is_valid("732829321")
    assert not siren_is_valid("73282932")


def test_territory_clean_names_each_bad_field():
    with pytest.raises(ValidationError) as exc:
        territory_create(
            name="Nowhere",
            kind="commune",
            country="XX",
            latitude=120,
            languages=["zz"],
        )
    fields = exc.value.message_dict
    assert set(fields) >= {"country", "latitude", "languages", "longitude"}


def test_subdivision_must_belong_to_country():
    with pytest.raises(ValidationError) as exc:
        territory_create(name="Dakar", kind="commune", country="SN", subdivision="FR-44")
    assert "subdivision" in exc.value.message_dict
    dakar = territory_create(name="Dakar", kind="commune", country="sn", subdivision="sn-dk")
    assert (dakar.country, dakar.subdivision) == ("SN", "SN-DK")


def test_french_code_checked_only_for_france():
    t = territory_create(name="Agadir", kind="prefecture", country="MA", official_code="001-AGD")
    assert t.official_code == "001-AGD"
    with pytest.raises(ValidationError) as exc:
        territory_create(name="Caen", kind="commune", country="FR", official_code="ABC")
    assert "official_code" in exc.value.message_dict


def test_official_code_is_unique_per_country_among_living_rows():
    territory_create(name="Caen", kind="commune", country="FR", official_code="14118")
    with pytest.raises(ValidationError):
        territory_create(name="Caen bis", kind="commune", country="FR", official_code="14118")


def test_get_or_create_reuses_by_code_then_by_name():
    caen, created = territory_get_or_create(
        name="Caen", country="FR", kind="commune", official_code="14118"
    )
    assert created
    again, created = territory_get_or_create(
        name="CAEN (Calvados)", country="fr", kind="commune", official_code="14118"
    )
    assert (again.pk, created) == (caen.pk, False)
    same_name, created = territory_get_or_create(name="caen", country="FR", kind="commune")
    assert (same_name.pk, created) == (caen.pk, False)
    other_country, created = territory_get_or_create(name="Caen", country="BE", kind="commune")
    assert created and other_country.pk != caen.pk
