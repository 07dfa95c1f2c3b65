"""Id filters of the registry (issue #10): a number beyond a bigint, a negative one or zero is
refused naming its parameter — a 400 on the API, a message and the unfiltered list on the
pages, one line on the CLI — never a server error (OverflowError from the database driver).
Arabic-Indic digits are decimal digits: they read as the number they write."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.core.filters import MAX_ID, FilterError, bounded_int, id_value, parse_id

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["9223372036854775808", "99999999999999999999", "-1", "0", "9" * 5000]


def test_id_value_reads_ids_from_1_to_max_id():
    assert id_value("1") == 1
    assert id_value(str(MAX_ID)) == MAX_ID == 2**63 - 1
    assert id_value(" 42 ") == 42
    assert id_value("١٢") == 12
    for raw in OUT_OF_RANGE + ["", "1.5", "1e3", "+3", "²", "1 2"]:
        assert id_value(raw) is None, raw
    with pytest.raises(FilterError) as caught:
        parse_id("campaign", "9223372036854775808")
    assert caught.value.param == "campaign"


def test_bounded_int_clamps_and_never_raises():
    assert bounded_int("5", default=1, low=1, high=10) == 5
    assert bounded_int("99999999999999999999", default=1, low=1, high=10) == 10
    assert bounded_int("9" * 5000, default=1, low=1, high=10) == 10
    assert bounded_int("-9" * 3, default=1, low=1, high=10) == 1
    assert bounded_int("-1", default=1, low=0, high=10) == 0
    assert bounded_int("abc", default=3, low=1, high=10) == 3
    assert bounded_int(None, default=3, low=1, high=10) == 3


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_api_refuses_an_out_of_range_partnership_with_a_400(client, world, value):
    response = client.get("/api/v1/projects", {"partnership": value})
    assert response.status_code == 400
    body = response.json()
    assert body["param"] == "partnership"
    assert "partnership" in body["detail"]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_projects_page_says_the_filter_is_not_valid(client, world, value):
    response = client.get("/projects/", {"partnership": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "partnership" in html
    assert response.context["filter_error"]
    assert "partnership" in response.context["filter_error"]


def test_arabic_digits_name_the_partnership_they_write(client, world):
    pk = world.herouville_tikhvine.pk
    arabic = str(pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    page = client.get("/projects/", {"partnership": arabic})
    assert page.status_code == 200 and not page.context["filter_error"]
    api = client.get("/api/v1/projects", {"partnership": arabic})
    assert api.status_code == 200
    assert api.json()["count"] >= 1
    assert client.get("/api/v1/projects", {"partnership": "١٢"}).status_code == 200
    assert client.get("/projects/", {"partnership": "١٢"}).status_code == 200


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999"])
def test_cli_export_refuses_an_out_of_range_partnership(world, value, tmp_path):
    result = CliRunner().invoke(
        cli.app,
        ["export", "registry", "--partnership", value, "--output", str(tmp_path / "x.csv")],
    )
    assert result.exit_code == 1, result.output
    assert "--partnership" in result.output
    assert "Traceback" not in result.output


# --- the other numbers read from query strings ------------------------------------------------


@pytest.mark.parametrize("value", OUT_OF_RANGE + ["١٢"])
def test_panorama_campaign_out_of_range_is_refused_by_name(client, world, value):
    page = client.get("/panorama/", {"campaign": value})
    assert page.status_code in (200, 400)
    assert "campaign" in page.content.decode()
    api = client.get("/api/v1/panorama", {"campaign": value})
    assert api.status_code == 400
    assert api.json()["param"] == "campaign"


@pytest.mark.parametrize("value", OUT_OF_RANGE + ["١٢"])
def test_surveys_pages_take_no_such_campaign(client, world, value):
    client.force_login(world.analyst)
    analysis = client.get("/surveys/cooperations/analysis/", {"campaign": value})
    assert analysis.status_code in (200, 404)
    reviews = client.get("/surveys/reviews/", {"campaign": value})
    assert reviews.status_code == 200


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999", "-1", "١٢"])
def test_knowledge_search_page_number_beyond_reach(client, world, value):
    response = client.get("/knowledge/", {"page": value})
    assert response.status_code == 200
