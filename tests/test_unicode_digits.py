"""Query parameters read as numbers refuse characters that ``str.isdigit`` accepts but
``int`` does not (superscripts, circled digits): a clear 400 or an ignored value, never a
server error. (Digits of other scripts, such as Arabic-Indic ones, are decimal digits and
read as numbers.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BAD = ["²", "19²0", "①"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(
    "url",
    [
        "/panorama/?campaign={}",
        "/panorama/?year_from={}",
        "/api/v1/panorama?campaign={}",
        "/api/v1/panorama?year_to={}",
        "/projects/?partnership={}",
        "/projects/?decade={}",
        "/partnerships/?year_from={}",
        "/api/v1/projects?year_from={}",
    ],
)
def test_unicode_digits_never_crash(client, world, url, value):
    response = client.get(url.format(value))
    assert response.status_code in (200, 400), (url, value, response.status_code)
    if url.startswith("/api/"):
        assert response.status_code == 400


@pytest.mark.parametrize("value", BAD)
def test_surveys_pages_ignore_them(client, world, value):
    client.force_login(world.analyst)
    for url in (
        f"/surveys/cooperations/analysis/?campaign={value}",
        f"/surveys/reviews/?campaign={value}",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
