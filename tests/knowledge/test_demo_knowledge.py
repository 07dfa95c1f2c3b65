"""The demo's knowledge base: the conference's sheets linked to the registry, the toolbox
with real files, and loading again writes nothing."""

import io
import zipfile

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook

from reciprocite.demo.content import demo_content
from reciprocite.demo.knowledge import SHEETS, TOOLS, load_knowledge
from reciprocite.demo.loader import _Loader
from reciprocite.interop.files import check_file
from reciprocite.knowledge.models import Sheet, SheetVersion, Tool, ToolFile
from reciprocite.knowledge.search import search
from reciprocite.registry.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module (rolled back at the end), files in a temporary
    media folder."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic(), translation.override("en"):
            yield _Loader(demo_content(), None).run()
            transaction.set_rollback(True)


def test_the_demo_loads_the_sheets_published_and_linked_to_the_registry(demo):
    assert (demo["sheets"], demo["tools"]) == (7, 11)
    assert Sheet.objects.filter(status="published").count() == len(SHEETS) == 7
    ccas = Sheet.objects.get(ref="demo-saint-louis-ccas")
    assert ccas.partnership == Partnership.objects.get(title="Lille ↔ Saint-Louis")
    assert [p.title for p in ccas.projects.all()] == [
        "Centre communal d'action sociale (CCAS) de Saint-Louis"
    ]
    assert "raisons politiques" in ccas.difficulties
    assert (ccas.french_territory.name, ccas.partner_territory.name) == ("Lille", "Saint-Louis")
    platform = Sheet.objects.get(ref="demo-agadir-plateforme-sociale")
    assert platform.projects.count() == 4
    assert Sheet.objects.filter(is_highlight=True).count() == 4
    english = Sheet.objects.get(ref="demo-tikhvine-bureau-emploi-en")
    assert english.translation_of.ref == "demo-tikhvine-bureau-emploi"
    for sheet in Sheet.objects.all():
        assert sheet.projects.count() >= 1, sheet.ref


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("créer un CCAS avec notre commune partenaire", "demo-saint-louis-ccas"),
        ("bureau de l'emploi modele oblast", "demo-tikhvine-bureau-emploi"),
        ("centre medico psychologique jeunes", "demo-tikhvine-centre-jeunes"),
        ("papiers etat civil enfants ecole", "demo-ait-amira-centres-etat-civil"),
        ("binomes associatifs plateforme", "demo-agadir-plateforme-sociale"),
        ("cadre de concertation elus", "demo-saint-louis-concertation"),
    ],
)
def test_french_searches_with_or_without_accents_find_them(demo, query, expected):
    assert expected in [hit.ref for hit in search(query, filters=None, limit=3).hits]


def test_the_toolbox_has_at_least_ten_tools_each_with_a_real_file(demo):
    assert Tool.objects.filter(status="published").count() == len(TOOLS) >= 10
    for tool_file in ToolFile.objects.select_related("tool"):
        data = tool_file.file.read()
        assert check_file(tool_file.file.name, data) == tool_file.file_type
        assert tool_file.size == len(data)
    kinds = set(ToolFile.objects.values_list("file_type", flat=True))
    assert kinds == {"pdf", "xlsx"}
    budget = ToolFile.objects.get(tool__ref="outil-budget-programme")
    workbook = load_workbook(io.BytesIO(budget.file.open("rb").read()))
    assert workbook.sheetnames == ["Budget", "Cofinancements"]
    assert workbook["Budget"]["E7"].value == "=SUM(E2:E6)"
    with zipfile.ZipFile(budget.file.open("rb")) as archive:
        assert "xl/workbook.xml" in archive.namelist()


def test_loading_again_writes_nothing(demo):
    # (runs before the test that edits a sheet; both leave the demo as loaded)
    counts = (Sheet.objects.count(), SheetVersion.objects.count(), ToolFile.objects.count())
    assert load_knowledge() == {"sheets": 7, "tools": 11, "created": 0, "updated": 0}
    assert (Sheet.objects.count(), SheetVersion.objects.count(), ToolFile.objects.count()) == counts


def test_loading_again_puts_an_edited_sheet_back(demo):
    from reciprocite.knowledge import services

    sheet = Sheet.objects.get(ref="demo-saint-louis-ccas")
    services.sheet_update(sheet=sheet, title="Titre modifié", themes=["sante"])
    services.sheet_transition(sheet=sheet, to="archived")
    result = load_knowledge()
    assert (result["created"], result["updated"]) == (0, 2)
    sheet.refresh_from_db()
    assert sheet.title.startswith("Créer un CCAS")
    assert sheet.status == "published"
    assert sorted(sheet.themes.values_list("code", flat=True)) == [
        "acces_droits",
        "renforcement_capacites",
    ]
