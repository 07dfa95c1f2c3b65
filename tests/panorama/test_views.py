"""The panorama page and its downloads through the test client."""

import csv
import io

import pytest
from django.urls import reverse

from reciprocite.registry import services as registry
from reciprocite.surveys.models import Campaign

pytestmark = pytest.mark.django_db

URL = "/panorama/"


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_page_works_anonymously_in_english(client, world):
    assert reverse("panorama:dashboard") == URL
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Panorama</h1>" in html
    assert "1 partnership of 1 French authority with 1 partner territory in 1 country." in html
    # the nav link, for everyone
    assert f'<a href="{URL}" aria-current="page">Panorama</a>' in html
    # a chart in a figure, its data table after it
    assert 'id="figure-chart-theme"' in html
    assert "<caption>Projects by theme</caption>" in html
    assert html.count('role="img"') >= 3 + 5
    # every chart and map: a figure with its caption, its data table right after it
    import re

    figures = re.findall(r'<figure class="panorama-figure[^"]*" id="([^"]+)">', html)
    assert figures == [
        "figure-map-countries",
        "figure-map-zones",
        "figure-map-replications",
        "figure-chart-theme",
        "figure-chart-authority_kind",
        "figure-chart-start_year",
        "figure-chart-budget",
        "figure-chart-cofunding",
    ]
    for ident in figures:
        after = re.search(
            rf'id="{ident}">.*?</figcaption>\s*</figure>\s*(<[^>]+>(?:<[^>]+>)?)', html, re.S
        )
        if ident == "figure-map-replications":  # its table is shown, not folded
            assert after.group(1) == '<div class="table-wrap"><table id="replications-table">'
        else:
            assert after.group(1).startswith('<details class="data-table">'), ident
    # the maps' country paths are there
    assert 'data-code="RU"' in html
    assert "Russia: 1" in html
    # the registry's unpublished partnership is not counted
    assert "Senegal: 1" not in html
    # the survey is not loaded
    assert "The survey of cooperations has not been loaded yet." in html
    assert "HX-Request" in [v.strip() for v in response["Vary"].split(",")]


def test_nav_link_is_on_every_page(client, world):
    client.cookies["django_language"] = "en"
    html = client.get("/partnerships/").content.decode()
    assert f'<a href="{URL}">Panorama</a>' in html


def test_htmx_gets_the_results_alone(client, world):
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"theme": "logement"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="panorama-results"')
    assert "<html" not in html
    assert (
        "0 partnerships of 0 French authorities with 0 partner territories in 0 countries." in html
    )
    assert "panorama-filters" not in html


def test_a_bad_filter_gives_400_with_a_message(client, world):
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"country": "ZZ"})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "The filter “country” is not valid: &#x27;ZZ&#x27; is not an ISO 3166-1 alpha-2 code."
        in html
    )
    assert 'role="alert"' in html
    assert "<h1>Panorama</h1>" in html  # the page, with its form
    response = client.get(URL, {"colour": "red"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "The filter “colour” is not valid" in response.content.decode()
    for params in ({"year_from": "1800"}, {"campaign": "x"}, {"campaign": "999"}):
        assert client.get(URL, params).status_code == 400


def test_a_draft_campaign_is_refused(client, world):
    from reciprocite.surveys.models import Questionnaire

    q = Questionnaire.objects.create(form_id="cooperations", title="Coopérations")
    draft = Campaign.objects.create(questionnaire=q, title="Draft", status="draft")
    response = client.get(URL, {"campaign": draft.pk})
    assert response.status_code == 400
    other = Questionnaire.objects.create(form_id="perception", title="Perception")
    elsewhere = Campaign.objects.create(questionnaire=other, title="Other", status="open")
    assert client.get(URL, {"campaign": elsewhere.pk}).status_code == 400


def test_only_get(client, world):
    assert client.post(URL).status_code == 405
    assert client.post("/panorama/charts/theme.svg").status_code == 405


def test_chart_downloads(client, world):
    client.cookies["django_language"] = "en"
    response = client.get("/panorama/charts/theme.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="panorama-theme.svg"'
    body = response.content.decode()
    assert body.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'
    )
    assert "<title" in body and "Projects by theme</title>" in body

    response = client.get("/panorama/charts/theme.csv", {"zone": "Eastern Europe"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="panorama-theme-Eastern-Europe.csv"'
    )
    assert csv_rows(response) == [
        ["code", "label", "count"],
        ["insertion_emploi", "Employment and inclusion", "1"],
        ["sante", "Health", "1"],
        ["jeunesse", "Youth", "1"],
    ]
    assert csv_rows(client.get("/panorama/charts/budget.csv")) == [
        ["code", "label", "count", "amount_eur"],
        ["10k-50k", "€10,000 – €50,000", "1", "25000.0"],
        ["50k-200k", "€50,000 – €200,000", "1", "120000.0"],
    ]
    assert client.get("/panorama/charts/nothing.svg").status_code == 404
    assert client.get("/panorama/charts/nothing.csv").status_code == 404
    # survey series are absent without the survey
    assert client.get("/panorama/charts/services.csv").status_code == 404
    bad = client.get("/panorama/charts/theme.csv", {"theme": "cooking"})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("text/plain")


def test_map_downloads(client, world):
    client.cookies["django_language"] = "en"
    response = client.get("/panorama/maps/countries.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert 'data-code="RU" fill="#08306b"' in response.content.decode()
    assert csv_rows(client.get("/panorama/maps/countries.csv")) == [
        ["code", "country", "zone", "partnerships", "projects"],
        ["RU", "Russia", "Eastern Europe", "1", "2"],
    ]
    assert csv_rows(client.get("/panorama/maps/zones.csv")) == [
        ["zone", "label", "partnerships", "projects"],
        ["Eastern Europe", "Eastern Europe", "1", "2"],
    ]
    assert csv_rows(client.get("/panorama/maps/replications.csv")) == [
        ["model", "model_place", "replica", "replica_place"]
    ]
    assert client.get("/panorama/maps/moon.svg").status_code == 404
    assert client.get("/panorama/maps/moon.csv").status_code == 404


def test_replications_are_drawn_and_listed(client, world):
    from reciprocite.territories.services import territory_update

    territory_update(territory=world.tikhvine, latitude=59.64, longitude=33.51)
    territory_update(territory=world.saint_louis, latitude=16.02, longitude=-16.49)
    registry.partnership_update(partnership=world.lille_saint_louis, is_published=True)
    from reciprocite.registry.models import Replication

    Replication.objects.create(model=world.employment_office, replica=world.ccas, note="")
    client.cookies["django_language"] = "en"
    rows = csv_rows(client.get("/panorama/maps/replications.csv"))
    assert rows == [
        ["model", "model_place", "replica", "replica_place"],
        [world.employment_office.title, "Tikhvine", world.ccas.title, "Saint-Louis"],
    ]
    svg = client.get("/panorama/maps/replications.svg").content.decode()
    assert (
        f"<title>{world.employment_office.title} → {world.ccas.title}</title>".replace(
            "'", "&#x27;"
        )
        in svg
    )
    html = client.get(URL).content.decode()
    assert 'id="replications-table"' in html
    assert "Saint-Louis (Senegal): 1" in html  # a point on the countries map


def test_csv_cells_are_never_formulas(client, world):
    registry.partnership_update(partnership=world.herouville_tikhvine, title="=HYPERLINK()")
    from reciprocite.panorama.views import _csv_response

    response = _csv_response(["a"], [["=1+1"], ["-2"], [3]], "x.csv")
    assert csv_rows(response) == [["a"], ["'=1+1"], ["'-2"], ["3"]]


def test_the_page_works_on_an_empty_registry(client, db):
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "0 partnerships of 0 French authorities with 0 partner territories in 0 countries." in html
    )
    assert "No replication recorded." in html
    assert client.get("/panorama/charts/theme.svg").status_code == 200
    assert csv_rows(client.get("/panorama/charts/theme.csv")) == [["code", "label", "count"]]
