from datetime import date

import pytest
from django.http import QueryDict

from reciprocite.core.filters import FilterError
from reciprocite.registry import selectors, services
from reciprocite.registry.selectors import RegistryFilters
from reciprocite.territories.services import territory_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def bigger_world(world):
    """Adds Loire-Atlantique ↔ Agadir (Maghreb) with two projects, one in dirhams."""
    loire = territory_create(
        name="Loire-Atlantique", kind="departement", country="FR", official_code="44"
    )
    agadir = territory_create(name="Agadir", kind="prefecture", country="MA")
    la = services.partnership_create(
        title="Loire-Atlantique ↔ Agadir",
        kind="cooperation",
        start_date=date(1992, 5, 1),
        french_territories=[loire],
        partner_territories=[agadir],
    )
    services.project_create(
        partnership=la,
        title="Petite enfance à Agadir",
        themes=["petite_enfance", "renforcement_capacites"],
        start_date=date(2010, 3, 1),
        budget_amount=8000,
    )
    services.project_create(
        partnership=la,
        title="Plateforme sociale franco-marocaine",
        themes=["renforcement_capacites"],
        start_date=date(2010, 9, 1),
        budget_amount=500000,
        budget_currency="MAD",
    )
    world.loire_agadir = la
    return world


def titles(qs):
    return sorted(x.title for x in qs)


def parse(for_projects=True, **params):
    return RegistryFilters.parse(params, for_projects=for_projects)


def test_public_sees_published_only(bigger_world):
    w = bigger_world
    assert titles(selectors.partnership_list(viewer=None)) == [
        "Hérouville-Saint-Clair ↔ Tikhvine",
        "Loire-Atlantique ↔ Agadir",
    ]
    assert "Lille ↔ Saint-Louis" in titles(selectors.partnership_list(viewer=w.lille_editor))
    assert "Lille ↔ Saint-Louis" not in titles(
        selectors.partnership_list(viewer=w.herouville_editor)
    )
    assert "Lille ↔ Saint-Louis" in titles(selectors.partnership_list(viewer=w.analyst))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "ma"}, ["Petite enfance à Agadir", "Plateforme sociale franco-marocaine"]),
        ({"zone": "Maghreb"}, ["Petite enfance à Agadir", "Plateforme sociale franco-marocaine"]),
        (
            {"zone": "Eastern Europe"},
            [
                "Bureau de l'emploi de Tikhvine",
                "Centre d'aide médico-psychologique pour la jeunesse",
            ],
        ),
        ({"theme": "sante"}, ["Centre d'aide médico-psychologique pour la jeunesse"]),
        (
            {"authority_kind": "departement"},
            ["Petite enfance à Agadir", "Plateforme sociale franco-marocaine"],
        ),
        (
            {"year_from": "1997", "year_to": "2010"},
            [
                "Centre d'aide médico-psychologique pour la jeunesse",
                "Petite enfance à Agadir",
                "Plateforme sociale franco-marocaine",
            ],
        ),
        ({"status": "completed"}, ["Bureau de l'emploi de Tikhvine"]),
        ({"budget_band": "lt10k"}, ["Petite enfance à Agadir"]),  # MAD budgets fall in no euro band
        ({"budget_band": "10k-50k"}, ["Bureau de l'emploi de Tikhvine"]),
        ({"kind": "cooperation", "q": "plateforme"}, ["Plateforme sociale franco-marocaine"]),
    ],
)
def test_project_filters(bigger_world, params, expected):
    assert titles(selectors.project_list(filters=parse(**params))) == sorted(expected)


def test_partnership_filters_and_budget_band(bigger_world):
    def run(**params):
        return titles(selectors.partnership_list(filters=parse(for_projects=False, **params)))

    assert run(theme="petite_enfance") == ["Loire-Atlantique ↔ Agadir"]
    assert run(q="tikhvine") == ["Hérouville-Saint-Clair ↔ Tikhvine"]
    assert run(budget_band="50k-200k") == ["Hérouville-Saint-Clair ↔ Tikhvine"]  # 25k + 120k
    assert run(year_to="1991") == ["Hérouville-Saint-Clair ↔ Tikhvine"]
    assert run(authority_kind="municipality", zone="Maghreb") == []


def test_project_facets_count_exactly(bigger_world):
    facets = selectors.project_facets(selectors.project_list())
    as_dict = {name: {f["value"]: f["count"] for f in items} for name, items in facets.items()}
    assert as_dict["country"] == {"MA": 2, "RU": 2}
    assert as_dict["zone"] == {"Maghreb": 2, "Eastern Europe": 2}
    assert as_dict["theme"] == {
        "insertion_emploi": 1,
        "jeunesse": 1,
        "sante": 1,
        "petite_enfance": 1,
        "renforcement_capacites": 2,
    }
    assert as_dict["authority_kind"] == {
        "commune": 2,
        "municipality": 2,
        "departement": 2,
        "prefecture": 2,
    }
    assert as_dict["decade"] == {1990: 2, 2010: 2}
    assert as_dict["status"] == {"completed": 1, "ongoing": 3}
    assert as_dict["budget_band"] == {"lt10k": 1, "10k-50k": 1, "50k-200k": 1}
    assert as_dict["kind"] == {"cooperation": 4}


def test_partnership_facets_follow_filters(bigger_world):
    qs = selectors.partnership_list(filters=parse(for_projects=False, zone="Maghreb"))
    facets = selectors.partnership_facets(qs)
    assert [(f["value"], f["count"]) for f in facets["country"]] == [("MA", 1)]
    assert [(f["value"], f["count"]) for f in facets["theme"]] == [
        ("petite_enfance", 1),
        ("renforcement_capacites", 1),
    ]
    assert [(f["value"], f["count"]) for f in facets["budget_band"]] == [("lt10k", 1)]
    assert [(f["value"], f["count"]) for f in facets["decade"]] == [(1990, 1)]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"country": "XX"}, "country"),
        ({"zone": "Atlantis"}, "zone"),
        ({"theme": "chess"}, "theme"),
        ({"authority_kind": "kingdom"}, "authority_kind"),
        ({"year_from": "19x"}, "year_from"),
        ({"year_to": "99999"}, "year_to"),
        ({"status": "active"}, "status"),  # a partnership status, not a project status
        ({"budget_band": "huge"}, "budget_band"),
        ({"kind": "marriage"}, "kind"),
        ({"partnership": "1 OR 1=1"}, "partnership"),
        ({"q": "x" * 5000}, "q"),
    ],
)
def test_bad_filters_name_the_parameter(params, param):
    with pytest.raises(FilterError) as exc:
        RegistryFilters.parse(params, for_projects=True)
    assert exc.value.param == param


def test_strict_parsing_refuses_unknown_parameters():
    params = QueryDict("country=SN&order_by=password")
    with pytest.raises(FilterError) as exc:
        RegistryFilters.parse(params, for_projects=True, strict=True)
    assert exc.value.param == "order_by"
    assert RegistryFilters.parse(params, for_projects=True).country == "SN"  # pages ignore it
    with pytest.raises(FilterError):
        RegistryFilters.parse({"partnership": "3"}, for_projects=False, strict=True)


def test_filters_round_trip_to_params():
    f = RegistryFilters.parse(
        {"country": "sn", "year_from": "2001", "q": " eau "}, for_projects=True
    )
    assert f.as_params() == {"q": "eau", "country": "SN", "year_from": "2001"}
    assert f.active and not RegistryFilters().active


def test_key_figures(bigger_world):
    services.replication_link(
        model=bigger_world.employment_office, replica=bigger_world.youth_centre
    )
    assert selectors.registry_key_figures(viewer=None) == {
        "partnerships": 2,
        "projects": 4,
        "countries": 2,
        "territories": 4,
        "replications": 1,
    }


def test_details_hide_what_the_viewer_may_not_see(bigger_world):
    w = bigger_world
    assert selectors.partnership_detail(pk=w.lille_saint_louis.pk, viewer=None) is None
    assert (
        selectors.partnership_detail(pk=w.lille_saint_louis.pk, viewer=w.lille_editor) is not None
    )
    assert selectors.project_detail(pk=w.ccas.pk, viewer=None) is None
    assert selectors.project_detail(pk=w.ccas.pk, viewer=w.analyst).title.startswith(
        "Centre communal"
    )
    assert selectors.partnership_detail(pk=999999, viewer=w.admin) is None


def test_list_and_facets_query_budget(bigger_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        qs = selectors.project_list(filters=parse(zone="Maghreb"))
        rows = [(p.title, p.partnership.title, [t.code for t in p.themes.all()]) for p in qs]
        selectors.project_facets(qs)
    assert len(rows) == 2


def test_cached_facets_see_every_change(bigger_world):
    def countries():
        facets = selectors.project_facets(selectors.project_list())
        return {f["value"]: f["count"] for f in facets["country"]}

    assert countries() == {"MA": 2, "RU": 2}
    assert countries() == {"MA": 2, "RU": 2}  # from the cache
    services.project_delete(project=bigger_world.employment_office)
    assert countries() == {"MA": 2, "RU": 1}
    services.partnership_update(
        partnership=bigger_world.herouville_tikhvine,
        partner_territories=[territory_create(name="Kyiv", kind="municipality", country="UA")],
    )
    assert countries() == {"MA": 2, "UA": 1}


def test_cached_counts_see_every_change(bigger_world):
    assert selectors.project_list(filters=parse(zone="Maghreb")).count() == 2
    services.project_delete(project=bigger_world.youth_centre)  # elsewhere: still 2
    assert selectors.project_list(filters=parse(zone="Maghreb")).count() == 2
    services.project_update(
        project=selectors.project_list(filters=parse(q="plateforme"))[0], status="completed"
    )
    assert selectors.project_list(filters=parse(zone="Maghreb", status="completed")).count() == 1
    services.partnership_delete(partnership=bigger_world.loire_agadir)
    assert selectors.project_list(filters=parse(zone="Maghreb")).count() == 0
    assert (
        selectors.partnership_list(filters=parse(for_projects=False, zone="Maghreb")).count() == 0
    )


def test_cached_pages_are_read_fresh_and_follow_changes(bigger_world, django_assert_num_queries):
    def page(**params):
        return [p.title for p in selectors.project_list(filters=parse(**params))[:2]]

    first = page()
    assert first == [
        "Bureau de l'emploi de Tikhvine",
        "Centre d'aide médico-psychologique pour la jeunesse",
    ]
    # a second visit reads the remembered ids, then the rows themselves by primary key
    with django_assert_num_queries(3):  # version stamp, rows, themes
        rows = list(selectors.project_list()[:2])
    assert [r.title for r in rows] == first and [t.code for t in rows[1].themes.all()] == [
        "jeunesse",
        "sante",
    ]
    services.project_update(project=bigger_world.employment_office, title="Zèbre")
    assert page() == [
        "Centre d'aide médico-psychologique pour la jeunesse",
        "Petite enfance à Agadir",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "cooperation"},
        {"theme": "renforcement_capacites"},
        {"zone": "Maghreb", "authority_kind": "departement"},
    ],
)
def test_a_remembered_page_gives_the_same_rows(bigger_world, params):
    first = [
        (p.pk, p.partnership.title) for p in selectors.project_list(filters=parse(**params))[:10]
    ]
    again = [
        (p.pk, p.partnership.title) for p in selectors.project_list(filters=parse(**params))[:10]
    ]
    assert first == again and len(first) >= 2
    partnerships = selectors.partnership_list(filters=parse(for_projects=False, **params))
    first = [(p.pk, p.eur_budget, p.project_count) for p in partnerships[:10]]
    again = [(p.pk, p.eur_budget, p.project_count) for p in partnerships.all()[:10]]
    assert first == again and first


def test_empty_lists_and_empty_slices(db):
    assert list(selectors.partnership_list()[0:0]) == []
    assert selectors.project_list().count() == 0
    assert selectors.project_facets(selectors.project_list())["country"] == []
    assert list(selectors.project_list().filter(pk__in=[])[:5]) == []
    assert selectors.partnership_list().filter(pk__in=[]).count() == 0


def test_replications_show_only_what_the_viewer_may_see(world):
    services.replication_link(
        model=world.employment_office, replica=world.ccas
    )  # ccas: unpublished
    services.replication_link(model=world.employment_office, replica=world.youth_centre)

    def replicas(viewer):
        project = selectors.project_detail(pk=world.employment_office.pk, viewer=viewer)
        return sorted(link.replica.title for link in project.replication_links.all())

    assert replicas(None) == ["Centre d'aide médico-psychologique pour la jeunesse"]
    assert replicas(world.lille_editor) == [
        "Centre communal d'action sociale de Saint-Louis",
        "Centre d'aide médico-psychologique pour la jeunesse",
    ]
    services.project_delete(project=world.youth_centre)
    assert replicas(world.admin) == ["Centre communal d'action sociale de Saint-Louis"]
    partnership = selectors.partnership_detail(pk=world.herouville_tikhvine.pk, viewer=None)
    office = next(p for p in partnership.projects.all() if p.pk == world.employment_office.pk)
    assert list(office.replication_links.all()) == []
