"""GET /api/v1/panorama: the figures as JSON, public, same filters as the page."""

import pytest

pytestmark = pytest.mark.django_db


def test_panorama_json_anonymously(client, world):
    response = client.get("/api/v1/panorama", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    doc = response.json()
    assert doc["filters"] == {}
    assert doc["key_figures"]["partnerships"] == 1
    assert doc["countries"] == {"RU": 1}
    assert doc["zones"] == {"Eastern Europe": 1}
    assert doc["series"]["theme"]["title"] == "Projects by theme"
    assert doc["series"]["theme"]["items"][0] == {
        "code": "insertion_emploi",
        "label": "Employment and inclusion",
        "count": 1,
        "value": None,
    }
    assert doc["series"]["budget"]["unit"] == "EUR"
    assert doc["points"] == [] and doc["replications"] == [] and doc["survey"] is None
    assert doc["sentences"][0] == (
        "1 partnership of 1 French authority with 1 partner territory in 1 country."
    )


def test_panorama_json_filters_and_errors(client, world):
    doc = client.get("/api/v1/panorama", {"country": "sn"}).json()
    assert doc["filters"] == {"country": "SN"}
    assert doc["key_figures"]["partnerships"] == 0
    response = client.get("/api/v1/panorama", {"zone": "Atlantis"})
    assert response.status_code == 400
    assert response.json()["param"] == "zone"
    response = client.get("/api/v1/panorama", {"page": "2"})
    assert response.status_code == 400
    assert response.json()["param"] == "page"
    assert client.get("/api/v1/panorama", {"campaign": "12"}).json()["param"] == "campaign"
    assert client.post("/api/v1/panorama").status_code in (404, 405)
