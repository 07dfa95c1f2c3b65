from __future__ import annotations

from datetime import date

import pytest

from reciprocite.coordination import services
from reciprocite.coordination.models import RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_partnership_page_links_to_coordination(client, coordination, world):
    c = coordination
    page = client.get(f"/partnerships/{world.herouville_tikhvine.pk}/").content.decode()
    assert f'href="/coordination/partnerships/{world.herouville_tikhvine.pk}/"' in page
    services.pair_create(
        partnership=world.herouville_tikhvine, french_association=c.association_fr,
        partner_association=c.association_ru, theme="jeunesse", start_date=date(2012, 1, 1),
    )  # fmt: skip
    services.exchange_create(
        partnership=world.herouville_tikhvine, title="Échange de travailleurs sociaux",
        kind="exchange", direction="both", start_date=date(2015, 3, 2),
        lessons={"french": {"learned": "Le travail de rue"}},
    )  # fmt: skip
    response = client.get(f"/coordination/partnerships/{world.herouville_tikhvine.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Cadre de concertation jeunesse",
        "Maison des jeunes d&#x27;Hérouville ↔ Centre de jeunesse de Tikhvine",
        "Échange de travailleurs sociaux",
        "Le travail de rue",
    ):
        assert text in page
    assert (
        client.get(f"/coordination/partnerships/{world.lille_saint_louis.pk}/").status_code == 404
    )


def test_the_framework_page_and_its_board(client, coordination):
    c = coordination
    services.action_create(
        framework=c.framework, title="Action en retard", owner_member=c.member_member,
        due_on=date(2020, 1, 1),
    )  # fmt: skip
    response = client.get(f"/coordination/frameworks/{c.framework.pk}/")
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.total.total, board.total.late) == (1, 1)
    page = response.content.decode()
    assert "Action en retard" in page and "Réunion de printemps" in page
    assert f"/coordination/frameworks/{c.framework.pk}/calendar.ics" in page
    assert client.get("/coordination/frameworks/999999/").status_code == 404


def test_the_meeting_page_shows_local_time_and_registers_members(client, coordination, world):
    c = coordination
    url = f"/coordination/meetings/{c.meeting.pk}/"
    response = client.get(url)
    page = response.content.decode()
    # 07:00 UTC is 10:00 in Moscow; the viewer's own time is written by localtime.js
    assert "10:00" in page and "Europe/Moscow" in page and "data-local-time" in page
    assert not response.context["can_register"]
    register = f"/coordination/meetings/{c.meeting.pk}/register/"
    client.force_login(world.outsider)
    assert client.post(register).status_code == 403
    client.force_login(c.member)
    assert client.post(register).status_code == 302
    assert c.meeting.registrations.get(user=c.member).status == RegistrationStatus.CONFIRMED
    client.post(register, {"action": "cancel"})
    assert c.meeting.registrations.get(user=c.member).status == RegistrationStatus.CANCELLED
