"""Territory pages: list, filters, detail, create and edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reciprocite.territories.models import Territory

pytestmark = pytest.mark.django_db


def test_list_and_filters(client, world):
    response = client.get(reverse("territories:territory_list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 4
    response = client.get(reverse("territories:territory_list"), {"country": "RU"})
    assert [t.name for t in response.context["page_obj"].object_list] == ["Tikhvine"]
    response = client.get(reverse("territories:territory_list"), {"q": "14327"})
    assert [t.name for t in response.context["page_obj"].object_list] == ["Hérouville-Saint-Clair"]


def test_bad_filter_shows_a_message(client, world):
    response = client.get(reverse("territories:territory_list"), {"zone": "Atlantis"})
    assert response.status_code == 200
    assert response.context["filter_error"] == (
        "Le filtre « zone » n’est pas valide. Tous les territoires sont affichés à la place."
    )
    assert response.context["page_obj"].paginator.count == 4


def test_detail_lists_only_visible_partnerships(client, world):
    url = reverse("territories:territory_detail", args=[world.lille.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert world.lille_saint_louis.title not in response.content.decode()
    client.force_login(world.lille_editor)
    response = client.get(url)
    assert "Lille ↔ Saint-Louis" in response.content.decode()
    assert response.context["can_edit"] is True


def test_detail_of_a_missing_territory_is_404(client, world):
    assert client.get(reverse("territories:territory_detail", args=[999999])).status_code == 404


def territory_post(**overrides):
    data = {
        "name": "Caen",
        "kind": "commune",
        "country": "FR",
        "subdivision": "FR-14",
        "official_code": "14118",
        "latitude": "49.182863",
        "longitude": "-0.370679",
        "population": "106000",
        "languages": "fr",
    }
    data.update(overrides)
    return data


def test_create_needs_sign_in_and_an_editor(client, world):
    url = reverse("territories:territory_create")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(world.outsider)
    assert client.get(url).status_code == 403
    assert client.post(url, territory_post()).status_code == 403
    assert not Territory.objects.filter(name="Caen").exists()


def test_editor_creates_a_territory_recorded_in_history(client, world):
    client.force_login(world.herouville_editor)
    response = client.post(reverse("territories:territory_create"), territory_post())
    caen = Territory.objects.get(name="Caen")
    assert response.status_code == 302
    assert response["Location"] == reverse("territories:territory_detail", args=[caen.pk])
    assert (caen.official_code, caen.languages, str(caen.latitude)) == (
        "14118",
        ["fr"],
        "49.182863",
    )
    assert caen.history.get().history_user == world.herouville_editor


def test_invalid_values_show_on_their_fields(client, world):
    client.force_login(world.analyst)
    response = client.post(
        reverse("territories:territory_create"),
        territory_post(official_code="ABC", subdivision="RU-LEN", languages="fr, zz", longitude=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["languages"] == ["Ce ne sont pas des codes de langue ISO 639-1 : zz"]
    assert not Territory.objects.filter(name="Caen").exists()
    response = client.post(
        reverse("territories:territory_create"),
        territory_post(official_code="ABC", subdivision="RU-LEN", longitude=""),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"official_code", "subdivision", "longitude"}
    assert errors["subdivision"] == ["RU-LEN n’est pas une subdivision ISO 3166-2 de FR."]


def test_editor_edits_its_own_territory_only(client, world):
    client.force_login(world.herouville_editor)
    own = reverse("territories:territory_edit", args=[world.herouville.pk])
    other = reverse("territories:territory_edit", args=[world.lille.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 403
    response = client.post(
        own,
        territory_post(
            name="Hérouville-Saint-Clair",
            official_code="14327",
            population="21000",
            latitude="",
            longitude="",
        ),
    )
    assert response.status_code == 302
    world.herouville.refresh_from_db()
    assert world.herouville.population == 21000
    latest = world.herouville.history.order_by("-history_date").first()
    assert latest.history_user == world.herouville_editor
