"""The reciprocity ledger's service: one subject exactly, something learned, nothing half-written."""

import pytest
from django.core.exceptions import ValidationError

from reciprocite.matching.models import LedgerEntry
from reciprocite.matching.services import ledger_entry_add
from reciprocite.territories.services import territory_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority():
    return territory_create(name="Ville de Testville", country="FR", kind="commune")


def test_an_entry_about_an_exchange(authority):
    entry = ledger_entry_add(
        authority=authority,
        side="french",
        exchange_ref="ex-2024-01",
        learned="Les codes culturels des familles.",
        changed_at_home="L'accueil des familles.",
        change_kind="practice",
        themes=["acces_droits"],
    )
    assert LedgerEntry.objects.get() == entry and entry.change_kind == "practice"


@pytest.mark.parametrize(
    "fields",
    [
        {"learned": "Quelque chose."},  # no subject
        {"learned": "   ", "exchange_ref": "ex-1"},  # nothing learned
        {"learned": "Quelque chose.", "exchange_ref": "ex-1", "themes": ["inconnu"]},
        {"learned": "Quelque chose.", "exchange_ref": "ex-1", "side": "nobody"},
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(authority, fields):
    with pytest.raises(ValidationError):
        ledger_entry_add(authority=authority, **{"side": "french", **fields})
    assert not LedgerEntry.objects.exists()
