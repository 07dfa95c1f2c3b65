from __future__ import annotations

import json
from datetime import date

import pytest

from reciprocite.accounts import services as accounts
from reciprocite.coordination import services
from tests.surveys.conftest import smtp_server  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.django_db


def token(user):
    return accounts.api_token_create(membership=user.memberships.get(), name="script")[1]


def auth(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_framework_list_filters(client, coordination, world):
    services.framework_create(partnership=world.lille_saint_louis, theme="sante", title="Santé")
    body = client.get("/api/v1/frameworks").json()
    assert [f["title"] for f in body["results"]] == ["Cadre de concertation jeunesse"]
    assert body["results"][0]["chair"] == "chair"
    assert client.get("/api/v1/frameworks?theme=sante").json()["count"] == 0
    assert client.get("/api/v1/frameworks?country=RU").json()["count"] == 1
    lille = auth(token(world.lille_editor))
    assert client.get("/api/v1/frameworks?country=SN", **lille).json()["count"] == 1
    response = client.get("/api/v1/frameworks?theme=astrology")
    assert response.status_code == 400
    assert response.json()["param"] == "theme"
    assert client.get("/api/v1/frameworks?partnership=abc").json()["param"] == "partnership"
    assert client.get("/api/v1/frameworks?colour=red").json()["param"] == "colour"
    assert client.get("/api/v1/actions?framework=0").status_code == 400


def test_framework_detail_with_ical_url_and_404s(client, coordination, world):
    c = coordination
    services.decision_record(framework=c.framework, title="Ouvrir un point jeunes")
    body = client.get(f"/api/v1/frameworks/{c.framework.pk}").json()
    assert (
        body["ical_url"]
        == f"http://testserver/coordination/frameworks/{c.framework.pk}/calendar.ics"
    )
    assert [m["position"] for m in body["members"]] == ["chair", "member", "secretary"]
    assert [m["title"] for m in body["meetings"]] == ["Réunion de printemps"]
    assert body["decisions"][0]["number"] == 1
    hidden = services.framework_create(
        partnership=world.lille_saint_louis, theme="sante", title="S"
    )
    response = client.get(f"/api/v1/frameworks/{hidden.pk}")
    assert response.status_code == 404
    # in French, the site's first language (no Accept-Language is followed by default)
    assert response.json() == {"detail": f"Aucun cadre de concertation d’identifiant {hidden.pk}."}


def test_meeting_detail_shows_minutes_only_to_whom_they_are_for(client, coordination):
    c = coordination
    minutes = services.minutes_write(meeting=c.meeting, body="<p>Bilan</p>")
    assert client.get(f"/api/v1/meetings/{c.meeting.pk}").json()["minutes"] is None
    services.framework_update(framework=c.framework, minutes_visibility="public")
    services.minutes_approve(actor=c.chair, minutes=minutes)
    services.minutes_publish(minutes=minutes)
    body = client.get(f"/api/v1/meetings/{c.meeting.pk}").json()
    assert body["minutes"]["body"] == "<p>Bilan</p>"
    assert (body["capacity"], body["registered"], body["uid"]) == (2, 0, c.meeting.uid)
    assert client.get("/api/v1/meetings/999999").status_code == 404


def test_action_list_filters_and_bounded_queries(
    client, coordination, django_assert_max_num_queries
):
    c = coordination
    for i in range(6):
        services.action_create(
            framework=c.framework, title=f"A{i}", owner_member=c.member_member,
            due_on=date(2020 + i, 1, 1), status="done" if i == 5 else "planned",
            milestones=[{"title": "m"}],
        )  # fmt: skip
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/actions?overdue=1").json()
    assert body["count"] == 5
    assert body["results"][0]["late"] is True
    assert client.get("/api/v1/actions?status=done").json()["count"] == 1
    assert client.get("/api/v1/actions?owner=member").json()["count"] == 6
    assert client.get(f"/api/v1/actions?framework={c.framework.pk}").json()["count"] == 6


def test_exchanges_and_who_does_what(client, coordination, world):
    c = coordination
    services.exchange_create(
        partnership=world.herouville_tikhvine, title="Visite", kind="study_visit",
        direction="to_partner", theme="jeunesse", start_date=date(2016, 5, 1),
        participants=[{"actor": c.association_ru, "side": "partner", "role": "hôte"}],
        lessons={"french": {"learned": "x", "changed_at_home": "y"}},
    )  # fmt: skip
    body = client.get("/api/v1/exchanges?kind=study_visit").json()
    assert body["results"][0]["lessons"] == [
        {"side": "french", "learned": "x", "changed_at_home": "y"}
    ]
    body = client.get(f"/api/v1/partnerships/{world.herouville_tikhvine.pk}/who-does-what").json()
    assert body["cells"][0] == {
        "actor": "Centre de jeunesse de Tikhvine", "theme": "jeunesse", "place": "Tikhvine",
        "sources": ["exchange"],
    }  # fmt: skip
    unpublished = world.lille_saint_louis.pk
    assert client.get(f"/api/v1/partnerships/{unpublished}/who-does-what").status_code == 404


def test_scheduling_a_meeting_needs_a_manager_token(client, coordination, world, smtp_server):  # noqa: F811
    c = coordination
    url = f"/api/v1/frameworks/{c.framework.pk}/meetings"
    data = {
        "title": "Réunion d'été",
        "starts_at": "2030-07-01T10:00:00+03:00",
        "ends_at": "2030-07-01T12:00:00+03:00",
        "agenda": [{"title": "Bilan", "duration_minutes": 20}],
        "notify": True,
    }
    assert client.post(url, json.dumps(data), content_type="application/json").status_code == 401
    lille = auth(token(world.lille_editor))
    response = client.post(url, json.dumps(data), content_type="application/json", **lille)
    assert response.status_code == 403
    tikhvine = auth(token(world.tikhvine_editor))
    response = client.post(url, json.dumps(data), content_type="application/json", **tikhvine)
    assert response.status_code == 201, response.content
    assert response.json()["starts_at"].startswith("2030-07-01T07:00:00")
    assert response.json()["agenda"][0]["duration_minutes"] == 20
    assert len(smtp_server.messages) == 3
    bad = data | {"ends_at": "2030-07-01T09:00:00+03:00", "time_zone": "Mars/Olympus"}
    response = client.post(url, json.dumps(bad), content_type="application/json", **tikhvine)
    assert response.status_code == 422
    assert "time_zone" in response.json()["errors"] or "ends_at" in response.json()["errors"]


def test_patching_an_action(client, coordination, world):
    c = coordination
    action = services.action_create(framework=c.framework, title="A", owner_user=c.chair)
    url = f"/api/v1/actions/{action.pk}"
    herouville = auth(token(world.herouville_editor))
    lille = auth(token(world.lille_editor))
    patch = json.dumps({"status": "in_progress", "progress": 30})
    assert client.patch(url, patch, content_type="application/json", **lille).status_code == 403
    response = client.patch(url, patch, content_type="application/json", **herouville)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["progress"]) == ("in_progress", 30)
    assert action.history.latest().history_user == world.herouville_editor
    response = client.patch(
        url, json.dumps({"progress": 130}), content_type="application/json", **herouville
    )
    assert response.status_code == 422
