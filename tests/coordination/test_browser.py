# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The coordination pages in a real Chromium: no axe-core violation; the meeting page shows
the viewer's own time (written by localtime.js in the browser's zone).

Skipped when /usr/bin/chromium is absent, unless RECIPROCITE_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

from datetime import date

import pytest

from reciprocite.coordination import services
from tests.browser.support import MARKS, _taxonomy, assert_no_axe_violation, browser, page, sign_in  # noqa: F401 - fixtures

pytestmark = MARKS


@pytest.fixture
def content(coordination, world):
    c = coordination
    services.action_create(
        framework=c.framework, title="Trouver un local", owner_member=c.member_member,
        due_on=date(2020, 1, 1), blocked=True,
    )  # fmt: skip
    services.decision_record(framework=c.framework, title="Ouvrir un point jeunes")
    services.pair_create(
        partnership=world.herouville_tikhvine, french_association=c.association_fr,
        partner_association=c.association_ru, theme="jeunesse",
    )  # fmt: skip
    services.exchange_create(
        partnership=world.herouville_tikhvine, title="Échange", kind="exchange",
        direction="both", theme="jeunesse", start_date=date(2015, 3, 2),
        participants=[{"actor": c.association_ru, "side": "partner", "role": "accueil"}],
        lessons={"french": {"learned": "Le travail de rue", "changed_at_home": "Une équipe"}},
    )  # fmt: skip
    minutes = services.minutes_write(meeting=c.meeting, body="<p>Bilan</p>")
    services.minutes_translate(minutes=minutes, language="ru", body="<p>Итоги</p>")
    return c


def test_coordination_pages_have_no_axe_violation(page, content):
    c = content
    for path in (
        f"/coordination/partnerships/{c.world.herouville_tikhvine.pk}/",
        f"/coordination/frameworks/{c.framework.pk}/",
        f"/coordination/meetings/{c.meeting.pk}/",
    ):
        response = page.goto(page.base + path)
        assert response.status == 200, path
        assert_no_axe_violation(page)


def test_the_viewer_sees_the_time_in_their_own_zone(page, content):
    page.goto(page.base + f"/coordination/meetings/{content.meeting.pk}/")
    local = page.locator("[data-local-time]")
    assert "Votre heure" in local.inner_text()


def test_a_member_registers_and_gets_a_calendar_address(page, content):
    sign_in(page, "member")
    page.goto(page.base + f"/coordination/meetings/{content.meeting.pk}/")
    assert_no_axe_violation(page)
    page.get_by_role("button", name="M’inscrire").click()
    assert "Vous êtes inscrit" in page.content()
    page.goto(page.base + "/coordination/calendar/")
    page.get_by_role("button", name="Créer l’adresse de mon agenda").click()
    assert "/coordination/calendar/" in page.locator("code").inner_text()
    assert_no_axe_violation(page)
