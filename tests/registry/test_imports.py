"""Registry imports through the real services: the tabular layout and twin-town lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from reciprocite.accounts.permissions import Principal
from reciprocite.interop import cells
from reciprocite.interop.errors import InvalidRows
from reciprocite.interop.tabular import Table
from reciprocite.registry import layout, services
from reciprocite.registry.exports import registry_export_rows
from reciprocite.registry.imports import import_registry, import_twinnings
from reciprocite.registry.models import Funder, Partnership, PartnershipParty, Project
from reciprocite.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the default language of the site is French)."""
    with translation.override("en"):
        yield


ADMIN = Principal(is_authenticated=True, is_admin=True)


def table_of(rows: list[dict], source: str = "registry.csv") -> Table:
    columns = list(dict.fromkeys(c for row in rows for c in row))
    return Table(
        source=source,
        format="csv",
        columns=columns,
        rows=[(n, {c: row.get(c, "") for c in columns}) for n, row in enumerate(rows, start=2)],
    )


def exported_rows() -> list[dict]:
    return [
        {c: cells.cell_text(v) for c, v in layout.export_cells(values).items()}
        for values in registry_export_rows(viewer=ADMIN)
    ]


def counts() -> dict[str, int]:
    return {
        "partnerships": Partnership.all_objects.count(),
        "parties": PartnershipParty.objects.count(),
        "projects": Project.all_objects.count(),
        "territories": Territory.all_objects.count(),
        "funders": Funder.objects.count(),
        "partnership_history": Partnership.history.count(),
        "project_history": Project.history.count(),
    }


def errors_of(table: Table, **kwargs) -> list[str]:
    before = counts()
    with pytest.raises(InvalidRows) as caught:
        import_registry(table, **kwargs)
    assert counts() == before  # nothing written
    return caught.value.lines()


NEW_ROW = {
    "partnership_title": "Caen ↔ Würzburg",
    "partnership_kind": "cooperation",
    "partnership_start_date": "2001-05-01",
    "french_territories": "Caen|FR|commune|14118",
    "partner_territories": "Würzburg|DE|municipality",
    "project_title": "Maison des familles",
    "themes": "politique_familiale",
    "publics": "familles enfants",
    "budget_amount": "40 000",
    "cofundings": "Caisse d'allocations familiales|autre|10000; Ville de Caen|fonds_propres|30000",
}


# --- export -------------------------------------------------------------------------------------


def test_export_rows(world):
    funder = services.funder_get_or_create(name="MEAE", kind="etat_appel_projets")
    services.project_update(project=world.youth_centre, fundings=[(funder, 5000, "EUR")])
    rows = exported_rows()
    assert [(r["partnership_ref"], r["project_ref"]) for r in rows] == [
        (f"P{world.herouville_tikhvine.pk}", f"PR{world.employment_office.pk}"),
        (f"P{world.herouville_tikhvine.pk}", f"PR{world.youth_centre.pk}"),
        (f"P{world.lille_saint_louis.pk}", f"PR{world.ccas.pk}"),
    ]
    assert rows[1] == {
        "partnership_ref": f"P{world.herouville_tikhvine.pk}",
        "partnership_title": "Hérouville-Saint-Clair ↔ Tikhvine",
        "partnership_kind": "cooperation",
        "partnership_status": "active",
        "partnership_start_date": "1991-10-01",
        "partnership_end_date": "",
        "partnership_language": "fr",
        "partnership_is_published": "yes",
        "partnership_is_fictitious": "no",
        "partnership_description": "",
        "french_territories": "Hérouville-Saint-Clair|FR|commune|14327",
        "partner_territories": "Tikhvine|RU|municipality",
        "project_ref": f"PR{world.youth_centre.pk}",
        "project_title": "Centre d'aide médico-psychologique pour la jeunesse",
        "project_status": "ongoing",
        "project_start_date": "1999-01-01",
        "project_end_date": "",
        "project_language": "fr",
        "project_is_fictitious": "no",
        "themes": "jeunesse sante",
        "publics": "",
        "budget_amount": "120000.00",
        "budget_currency": "EUR",
        "cofundings": "MEAE|etat_appel_projets|5000.00|EUR",
        "project_summary": "",
        "project_description": "",
        "project_results": "",
    }


def test_export_is_what_the_viewer_sees_and_lists_partnerships_without_projects(world):
    empty = services.partnership_create(
        title="Lille ↔ Tikhvine",
        kind="twinning",
        french_territories=[world.lille],
        partner_territories=[world.tikhvine],
    )
    public = registry_export_rows()
    assert [(r["partnership_title"], r.get("project_title")) for r in public] == [
        ("Hérouville-Saint-Clair ↔ Tikhvine", "Bureau de l'emploi de Tikhvine"),
        (
            "Hérouville-Saint-Clair ↔ Tikhvine",
            "Centre d'aide médico-psychologique pour la jeunesse",
        ),
        ("Lille ↔ Tikhvine", None),
    ]
    editor = registry_export_rows(viewer=world.lille_editor)
    assert [r["partnership_title"] for r in editor] == [
        "Hérouville-Saint-Clair ↔ Tikhvine",
        "Hérouville-Saint-Clair ↔ Tikhvine",
        "Lille ↔ Saint-Louis",  # unpublished, but Lille's editor sees it
        "Lille ↔ Tikhvine",
    ]
    from reciprocite.registry.selectors import RegistryFilters

    themed = registry_export_rows(filters=RegistryFilters(theme="jeunesse"), viewer=ADMIN)
    assert [r["project_ref"] for r in themed] == [f"PR{world.youth_centre.pk}"]
    twinnings = registry_export_rows(filters=RegistryFilters(kind="twinning"), viewer=ADMIN)
    assert [r["partnership_ref"] for r in twinnings] == [f"P{empty.pk}"]


# --- import: round trip and updates -----------------------------------------------------------


def test_reimporting_an_export_changes_nothing(world):
    before = counts()
    report = import_registry(table_of(exported_rows()))
    assert report.as_dict() == {
        "rows": 3,
        "partnerships_created": 0,
        "partnerships_updated": 0,
        "partnerships_unchanged": 2,
        "projects_created": 0,
        "projects_updated": 0,
        "projects_unchanged": 3,
        "territories_created": 0,
        "funders_created": 0,
    }
    assert counts() == before


def test_update_by_reference(world):
    rows = exported_rows()
    rows[0]["partnership_title"] = "Hérouville ↔ Tikhvine"  # on both rows of the partnership
    rows[1]["partnership_title"] = "Hérouville ↔ Tikhvine"
    rows[1]["budget_amount"] = "130000"
    rows[1]["publics"] = "jeunes"
    rows[1]["cofundings"] = "Région Normandie|autre_collectivite|20000"
    report = import_registry(table_of(rows))
    assert (report.partnerships_updated, report.partnerships_unchanged) == (1, 1)
    assert (report.projects_updated, report.projects_unchanged) == (1, 2)
    assert report.funders_created == 1
    world.herouville_tikhvine.refresh_from_db()
    assert world.herouville_tikhvine.title == "Hérouville ↔ Tikhvine"
    centre = Project.objects.get(pk=world.youth_centre.pk)
    assert centre.budget_amount == Decimal("130000.00")
    assert [p.code for p in centre.publics.all()] == ["jeunes"]
    assert [(f.funder.name, f.amount) for f in centre.fundings.all()] == [
        ("Région Normandie", Decimal("20000.00"))
    ]
    assert Partnership.objects.count() == 2 and Project.objects.count() == 3


def test_new_partnership_territories_project_and_funders(world):
    report = import_registry(table_of([NEW_ROW]))
    assert (report.partnerships_created, report.projects_created) == (1, 1)
    assert (report.territories_created, report.funders_created) == (2, 2)
    partnership = Partnership.objects.get(title="Caen ↔ Würzburg")
    assert partnership.start_date == dt.date(2001, 5, 1)
    assert partnership.is_published is True
    parties = sorted(
        (p.side, p.territory.name, p.territory.official_code) for p in partnership.parties.all()
    )
    assert parties == [("french", "Caen", "14118"), ("partner", "Würzburg", "")]
    project = partnership.projects.get()
    assert project.budget_amount == Decimal("40000.00")
    assert sorted(p.code for p in project.publics.all()) == ["enfants", "familles"]
    assert Funder.objects.get(name="Ville de Caen").kind == "fonds_propres"
    # Again, without references: matched by title and territories, then by project title.
    again = import_registry(table_of([NEW_ROW]))
    assert (again.partnerships_unchanged, again.projects_unchanged) == (1, 1)
    assert Partnership.objects.count() == 3


def test_a_reference_naming_nothing_falls_back_to_title_and_territories(world):
    rows = exported_rows()
    for row in rows:
        row["partnership_ref"] = "P" + row["partnership_ref"][1:] + "999"
        row["project_ref"] = "PR99" + row["project_ref"][2:]
    report = import_registry(table_of(rows))
    assert (report.partnerships_unchanged, report.projects_unchanged) == (2, 3)


def test_rows_without_projects_and_external_refs(world):
    rows = [
        {**NEW_ROW, "partnership_ref": "caen-1", "project_title": "A"},
        {**NEW_ROW, "partnership_ref": "caen-1", "project_title": "B"},
        {
            "partnership_ref": "bare",
            "partnership_title": "Caen ↔ Thiès",
            "french_territories": "Caen|FR|commune|14118",
            "partner_territories": "Thiès|SN|commune",
        },
    ]
    report = import_registry(table_of(rows))
    assert (report.partnerships_created, report.projects_created) == (2, 2)
    assert report.territories_created == 3
    assert Partnership.objects.get(title="Caen ↔ Thiès").projects.count() == 0
    assert Partnership.objects.get(title="Caen ↔ Würzburg").kind == "cooperation"


def test_absent_columns_are_left_untouched(world):
    row = {
        "partnership_ref": f"P{world.herouville_tikhvine.pk}",
        "partnership_title": "Hérouville-Saint-Clair ↔ Tikhvine",
        "french_territories": "Hérouville-Saint-Clair|FR|commune|14327",
        "partner_territories": "Tikhvine|RU|municipality",
        "project_ref": f"PR{world.youth_centre.pk}",
        "project_title": "Centre d'aide",
    }
    report = import_registry(table_of([row]))
    assert (report.partnerships_unchanged, report.projects_updated) == (1, 1)
    centre = Project.objects.get(pk=world.youth_centre.pk)
    assert centre.title == "Centre d'aide"
    assert centre.budget_amount == Decimal("120000.00")
    assert sorted(t.code for t in centre.themes.all()) == ["jeunesse", "sante"]


def test_history_names_the_actor(world):
    rows = exported_rows()
    rows[0]["partnership_status"] = "suspended"
    rows[1]["partnership_status"] = "suspended"
    import_registry(table_of(rows), actor=world.analyst)
    record = Partnership.history.filter(id=world.herouville_tikhvine.pk).latest("history_date")
    assert (record.status, record.history_user) == ("suspended", world.analyst)


# --- import: refusals (and nothing written) ------------------------------------------------------


def test_every_bad_row_is_listed_and_nothing_written(world):
    rows = [
        NEW_ROW,
        {**NEW_ROW, "project_title": "Autre", "budget_amount": "12k"},
        {**NEW_ROW, "partnership_title": "Caen ↔ Berlin", "partner_territories": "Berlin|XX"},
        {**NEW_ROW, "partnership_title": "Caen ↔ Bonn", "themes": "jeunesse nope"},
    ]
    assert errors_of(table_of(rows)) == [
        'registry.csv, row 3, field budget_amount: "12k" is not a number',
        'registry.csv, row 4, field partner_territories: territory 1 ("Berlin|XX"): "XX" is '
        "not a country (ISO 3166-1 alpha-2 code, e.g. FR, SN)",
        'registry.csv, row 5, field themes: unknown code "nope" (known codes: acces_droits '
        "politique_familiale protection_enfance petite_enfance handicap personnes_agees jeunesse "
        "droits_femmes insertion_emploi sante logement renforcement_capacites autre)",
    ]


def test_the_error_list_is_capped(world):
    rows = [{**NEW_ROW, "budget_amount": "x"} for _ in range(60)]
    lines = errors_of(table_of(rows))
    assert len(lines) == 51
    assert lines[0] == 'registry.csv, row 2, field budget_amount: "x" is not a number'
    assert lines[-1] == "… and 10 more errors"


def test_header_problems(world):
    assert errors_of(table_of([{"partnership_title": "x", "budget": "1"}])) == [
        "registry.csv, field budget: unknown column (the layout is in docs/registry-layout.md)",
        "registry.csv, field french_territories: missing column (required)",
        "registry.csv, field partner_territories: missing column (required)",
    ]


def test_rows_of_one_partnership_must_agree(world):
    rows = exported_rows()
    rows[1]["partnership_status"] = "ended"
    assert errors_of(table_of(rows)) == [
        "registry.csv, row 3, field partnership_status: differs from row 2, which describes "
        "the same partnership"
    ]


def test_deleted_and_unrelated_references_refused(world):
    services.partnership_delete(partnership=world.lille_saint_louis)
    rows = exported_rows()  # only Hérouville's rows now
    deleted = {**NEW_ROW, "partnership_ref": f"P{world.lille_saint_louis.pk}"}
    unrelated = {
        **NEW_ROW,
        "partnership_ref": f"P{world.herouville_tikhvine.pk}",
        "project_ref": "",
    }
    assert errors_of(table_of([deleted, unrelated])) == [
        f"registry.csv, row 2, field partnership_ref: P{world.lille_saint_louis.pk} names a "
        "deleted partnership; restore it first, or leave the reference empty to create a new one",
        f"registry.csv, row 3, field partnership_ref: P{world.herouville_tikhvine.pk} names "
        "“Hérouville-Saint-Clair ↔ Tikhvine”, which has another title and other territories; "
        "leave the reference empty to create a new partnership",
    ]
    rows[0]["project_ref"] = f"PR{world.ccas.pk}"
    assert errors_of(table_of(rows)) == [
        f"registry.csv, row 2, field project_ref: PR{world.ccas.pk} is a project of partnership "
        f"P{world.lille_saint_louis.pk}, not of this row's partnership; leave the reference "
        "empty to create a new project"
    ]


def test_the_same_project_twice_and_new_projects_without_themes(world):
    rows = [NEW_ROW, {**NEW_ROW, "budget_amount": "1"}]
    assert errors_of(table_of(rows)) == [
        "registry.csv, row 3, field project_title: the same project as row 2"
    ]
    no_themes = {k: v for k, v in NEW_ROW.items() if k != "themes"}
    assert errors_of(table_of([no_themes])) == [
        "registry.csv, row 2, field themes: a new project needs at least one theme"
    ]


def test_rights_are_checked_when_acting_as_a_user(world):
    rows = exported_rows()[:2]  # Hérouville ↔ Tikhvine
    for row in rows:
        row["partnership_status"] = "ended"
    ref = f"P{world.herouville_tikhvine.pk}"
    assert errors_of(table_of(rows), actor=world.tikhvine_editor) == [
        f"registry.csv, row 2, field partnership_ref: you may not edit partnership {ref}"
    ]
    assert errors_of(table_of([NEW_ROW]), actor=world.outsider) == [
        "registry.csv, row 2, field partnership_ref: you may not create this partnership"
    ]
    hidden = exported_rows()[2]  # Lille ↔ Saint-Louis, unpublished: not even "unchanged"
    assert errors_of(table_of([hidden]), actor=world.herouville_editor) == [
        "registry.csv, row 2, field partnership_ref: you may not edit partnership "
        f"P{world.lille_saint_louis.pk}"
    ]
    # A partner editor may add a project to its partnership, without touching the rest.
    added = {**exported_rows()[0], "project_ref": "", "project_title": "Nouveau projet"}
    report = import_registry(table_of([added]), actor=world.tikhvine_editor)
    assert (report.projects_created, report.partnerships_unchanged) == (1, 1)
    # A member editor creates partnerships of its own territory only.
    own = {**NEW_ROW, "french_territories": "Hérouville-Saint-Clair|FR|commune|14327"}
    assert import_registry(table_of([own]), actor=world.herouville_editor).partnerships_created == 1
    assert errors_of(table_of([NEW_ROW]), actor=world.herouville_editor) == [
        "registry.csv, row 2, field partnership_ref: you may not create this partnership"
    ]


# --- twin towns ---------------------------------------------------------------------------------

TWINNING_COLUMNS = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]


def twinnings(rows) -> Table:
    return table_of([dict(zip(TWINNING_COLUMNS, row, strict=True)) for row in rows], "twins.csv")


TWINS = [
    ("Caen", "France", "49.18", "-0.37", "Würzburg", "Germany", "49.79", "9.95"),
    ("Wurzburg", "Germany", "49.79", "9.95", "caen", "France", "49.18", "-0.37"),  # same pair
    ("Roma", "Italy", "41.9", "12.5", "Paris", "France", "48.85", "2.35"),
    ("Atlantis", "Atlantis", "0", "0", "Caen", "France", "49.18", "-0.37"),
    ("Berlin", "Germany", "52.5", "13.4", "Roma", "Italy", "41.9", "12.5"),
    ("Lyon", "France", "45.7", "4.8", "Saint-Denis", "Réunion, France", "-20.9", "55.4"),
    ("", "France", "0", "0", "Bonn", "Germany", "50.7", "7.1"),
    ("Hérouville-Saint-Clair", "France", "49.2", "-0.3", "Tikhvine", "Russia", "bad", "x"),
    ("G" * 201, "Kosovo", "42.4", "20.4", "Lodève", "France", "43.7", "3.3"),  # name too long
]


def test_twinnings_import_and_run_again(world, django_capture_on_commit_callbacks):
    from reciprocite.core import changes
    from reciprocite.registry.services import PARTNERSHIPS

    announced: list[set] = []
    changes.subscribe(PARTNERSHIPS, announced.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = import_twinnings(twinnings(TWINS), actor=world.admin)
    finally:
        changes.unsubscribe(PARTNERSHIPS, announced.append)
    # written in bulk, past the services: the import announces the partnerships it created
    assert announced == [
        set(Partnership.objects.filter(kind="twinning").values_list("pk", flat=True))
    ]
    assert report.as_dict() == {
        "pairs_read": 9,
        "pairs_resolved": 3,
        "duplicates": 1,
        "partnerships_created": 3,
        "partnerships_present": 0,
        "territories_created": 4,
        "territories_reused": 2,
        "rows_unresolved": 5,
        "unresolved": [
            {"reason": "unknown_country", "value": "Atlantis", "count": 1, "rows": [5]},
            {"reason": "no_french_side", "value": "Germany ↔ Italy", "count": 1, "rows": [6]},
            {"reason": "both_french", "value": "France ↔ Réunion, France", "count": 1, "rows": [7]},
            {"reason": "blank_name", "value": "city1", "count": 1, "rows": [8]},
            {
                "reason": "invalid_territory",
                "value": "G" * 201
                + " (XK): name: Ensure this value has at most 200 characters (it has 201).",
                "count": 1,
                "rows": [10],
            },
        ],
    }
    caen = Partnership.objects.get(title="Caen ↔ Würzburg")
    assert (caen.kind, caen.status, caen.is_published) == ("twinning", "active", True)
    sides = {p.side: p.territory for p in caen.parties.select_related("territory")}
    assert (sides["french"].kind, sides["french"].latitude) == ("commune", Decimal("49.180000"))
    assert (sides["partner"].country, sides["partner"].kind) == ("DE", "municipality")
    twin = Partnership.objects.get(title="Hérouville-Saint-Clair ↔ Tikhvine", kind="twinning")
    assert {p.territory_id for p in twin.parties.all()} == {world.herouville.pk, world.tikhvine.pk}
    assert not Territory.objects.filter(name="Lodève").exists()  # its pair was not imported
    assert caen.history.get().history_user == world.admin
    before = counts()
    again = import_twinnings(twinnings(TWINS))
    assert (again.partnerships_created, again.partnerships_present) == (0, 3)
    assert (again.territories_created, again.territories_reused) == (0, 6)
    assert counts() == before


def test_twinnings_need_their_columns(world):
    table = table_of([{"city1": "Caen", "country1": "France"}], "twins.csv")
    with pytest.raises(InvalidRows) as caught:
        import_twinnings(table)
    assert caught.value.lines()[0] == "twins.csv, field lat1: missing column (required)"
    assert len(caught.value.lines()) == 6


def test_progress_is_reported_step_by_step(world):
    calls = []
    import_registry(table_of([NEW_ROW]), progress=lambda *call: calls.append(call))
    last = {step: (done, total) for step, done, total in calls}
    assert last == {
        "Checking rows": (1, 1),
        "Matching records": (1, 1),
        "Importing partnerships": (1, 1),
    }
    calls.clear()
    import_twinnings(twinnings(TWINS), progress=lambda *call: calls.append(call), batch_size=1)
    last = {step: (done, total) for step, done, total in calls}
    assert last == {
        "Reading pairs": (9, 9),
        "Creating territories": (2, 2),  # Caen and Würzburg came with NEW_ROW
        "Creating partnerships": (3, 3),
    }
    assert ("Creating territories", 1, 2) in calls


# --- territories resolved as everywhere (territories.resolve) ----------------------------------


def _row(french, partner, title="Coopération"):
    return {
        **NEW_ROW,
        "partnership_title": title,
        "french_territories": french,
        "partner_territories": partner,
        "cofundings": "",
    }


def test_a_region_code_is_not_the_departement_of_the_same_code(world):
    loire = world_territory("Loire-Atlantique", "departement", "FR", "44")
    import_registry(table_of([_row("Grand Est|FR|region|44", "Podor|SN")]))
    partnership = Partnership.objects.get(title="Coopération")
    french = partnership.parties.get(side="french").territory
    assert (french.name, french.kind, french.official_code) == ("Grand Est", "region", "44")
    assert not PartnershipParty.objects.filter(territory=loire).exists()
    # both in one cell are two territories, not one listed twice
    import_registry(
        table_of(
            [
                _row(
                    "Grand Est|FR|region|44; Loire-Atlantique|FR|departement|44",
                    "Podor|SN",
                    title="Deux collectivités",
                )
            ]
        )
    )
    both = Partnership.objects.get(title="Deux collectivités")
    assert {p.territory_id for p in both.parties.filter(side="french")} == {french.pk, loire.pk}


def world_territory(name, kind, country, code=""):
    from reciprocite.territories.services import territory_create

    return territory_create(name=name, kind=kind, country=country, official_code=code)


def test_a_name_in_another_script_is_reported_with_its_candidates(world):
    amira = world_territory("Aït Amira", "rural_commune", "MA")
    table = table_of([_row("Caen|FR|commune|14118", "آيت عميرة|MA|rural_commune")])
    lines = errors_of(table)
    assert lines[0] == (
        "registry.csv, row 2, field partner_territories: territory آيت عميرة may be an "
        f"existing territory: Aït Amira (Rural commune, MA, #{amira.pk}: close name (same "
        "consonants)). Write its name as the registry has it, or its kind and official code, "
        "to use it; or import with --new-territories to create a new one"
    )
    # written as the registry has it: reused
    import_registry(table_of([_row("Caen|FR|commune|14118", "AIT AMIRA|MA|rural_commune")]))
    assert (
        Partnership.objects.get(title="Coopération").parties.get(side="partner").territory == amira
    )
    # or explicitly a new one
    report = import_registry(table, new_territories=True)
    assert report.territories_created == 1
    assert Territory.objects.filter(country="MA").count() == 2


def test_two_new_names_of_one_file_that_may_be_one_territory(world):
    table = table_of(
        [
            _row("Caen|FR|commune|14118", "Aït Amira|MA|rural_commune", title="Un"),
            _row("Caen|FR|commune|14118", "آيت عميرة|MA|rural_commune", title="Deux"),
        ]
    )
    lines = errors_of(table)
    assert lines[0] == (
        "registry.csv, row 3, field partner_territories: territory آيت عميرة may be the "
        "territory Aït Amira of row 2: write the same name, or import with --new-territories "
        "to create both"
    )
    assert import_registry(table, new_territories=True).territories_created == 3


def test_twinnings_report_a_city_that_only_resembles_an_existing_one(world):
    amira = world_territory("Aït Amira", "rural_commune", "MA")
    rows = [
        ("آيت عميرة", "Morocco", "0", "0", "Caen", "France", "49.18", "-0.37"),
        ("Тихвин", "Russia", "0", "0", "Lille", "France", "50.6", "3.06"),
        ("AIT-AMIRA", "Morocco", "0", "0", "Lodève", "France", "43.7", "3.3"),
    ]
    before = Territory.objects.count()
    report = import_twinnings(twinnings(rows))
    assert sorted(report.as_dict()["unresolved"], key=lambda u: u["rows"]) == [
        {
            "reason": "doubtful_territory",
            "value": f"آيت عميرة (MA) ~ Aït Amira (Rural commune, #{amira.pk}: close name "
            "(same consonants))",
            "count": 1,
            "rows": [2],
        },
        {
            "reason": "doubtful_territory",
            "value": f"Тихвин (RU) ~ Tikhvine (Municipality, #{world.tikhvine.pk}: close name "
            "(same consonants))",
            "count": 1,
            "rows": [3],
        },
    ]
    assert report.pairs_resolved == 1  # AIT-AMIRA is Aït Amira
    assert Territory.objects.count() == before + 1  # Lodève only
    lodeve = Partnership.objects.get(title__endswith="↔ Aït Amira")
    assert {p.territory_id for p in lodeve.parties.filter(side="partner")} == {amira.pk}


def test_cli_import_registry_reports_then_creates_with_the_option(world, tmp_path):
    from tests.cli.test_commands import run

    world_territory("Aït Amira", "rural_commune", "MA")
    path = tmp_path / "registry.csv"
    path.write_text(
        "partnership_title,french_territories,partner_territories\n"
        "Caen ↔ Aït Amira,Caen|FR|commune|14118,آيت عميرة|MA|rural_commune\n",
        encoding="utf-8",
    )
    before = counts()
    result = run("import", "registry", str(path))
    assert result.exit_code == 1
    assert "field partner_territories: territory آيت عميرة may be an existing territory" in (
        result.stderr
    )
    assert counts() == before
    result = run("import", "registry", str(path), "--new-territories")
    assert result.exit_code == 0, result.output
    assert Territory.objects.filter(country="MA").count() == 2
