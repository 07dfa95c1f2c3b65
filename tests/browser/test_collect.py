# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""Answering a questionnaire in a real Chromium: French and Arabic (right to left), no
axe-core violation on a form page (with and without errors), and an answer sent while
offline kept on the device and stored once when the connection returns.

Skipped when /usr/bin/chromium is absent, unless RECIPROCITE_REQUIRE_BROWSER=1
(tests/browser/support.py).
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.support import MARKS, assert_no_axe_violation, browser, context  # noqa: F401 - fixtures

# `_taxonomy` is not imported: these tests use no registry themes or publics
pytestmark = MARKS


def invited(live_server, language="fr"):
    from tests.surveys import collect_support as cs

    questionnaire = cs.cooperations()
    invitation, path = cs.invite(questionnaire, language=language)
    return invitation, live_server.url + path


def answer_up_to_the_last_page(page, url, *, name, country_label, themes):
    page.goto(url)
    page.fill("#q-collectivite_nom", name)
    page.check("#q-collectivite_type-0")
    page.fill("#q-collectivite_code", "14327")
    page.click("main .collect-actions button[value=next]")
    expect(page.locator("#q-cooperation")).to_be_visible()
    page.click("main button[value='add:cooperation']")
    page.select_option("#q-cooperation-0-pays_partenaire", label=country_label)
    page.fill("#q-cooperation-0-annee_debut", "1991")
    for theme in themes:
        page.check(f"#q-cooperation-0-themes-{theme}")
    page.click("main .collect-actions button[value=next]")
    expect(page.locator("main .collect-actions button[value=submit]")).to_be_visible()


def test_answer_in_french_with_the_keyboard_and_no_axe_violation(context, live_server):
    from reciprocite.surveys.models import Submission

    invitation, url = invited(live_server)
    page = context.new_page()
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("html").get_attribute("dir") == "ltr"
    # the default button for Enter and the offline message take no room until needed
    expect(page.locator("form[data-collect] > button[hidden]")).to_be_hidden()
    expect(page.locator(".collect-offline")).to_be_hidden()
    assert_no_axe_violation(page)
    # keyboard only: the name field, then Enter moves to the next page after the checks
    page.focus("#q-collectivite_nom")
    page.keyboard.type("Hérouville-Saint-Clair")
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#q-collectivite_type-error")).to_have_text(
        "Cette question est obligatoire."
    )
    assert_no_axe_violation(page)
    page.click("#form-errors a")
    assert page.evaluate("document.activeElement.id") == "q-collectivite_type-0"
    page.keyboard.press("Space")
    page.click("main .collect-actions button[value=next]")
    expect(page.locator("h1")).to_have_text("Coopération")
    page.click("main button[value='add:cooperation']")
    page.select_option("#q-cooperation-0-pays_partenaire", "sn")
    page.fill("#q-cooperation-0-annee_debut", "1900")
    page.check("#q-cooperation-0-themes-1")
    page.click("main .collect-actions button[value=next]")
    expect(page.locator("#q-cooperation-0-annee_debut-error")).to_have_text(
        "L'année doit être comprise entre 1950 et aujourd'hui."
    )
    assert_no_axe_violation(page)
    page.fill("#q-cooperation-0-annee_debut", "1978")
    page.click("main .collect-actions button[value=next]")
    page.click("main .collect-actions button[value=submit]")
    expect(page.locator("h1")).to_have_text("Merci, vos réponses ont bien été reçues")
    submission = Submission.objects.get()
    assert submission.invitation_id == invitation.pk
    assert submission.data["cooperation"] == [
        {"pays_partenaire": "sn", "annee_debut": 1978, "themes": "sante"}
    ]


def test_answer_in_arabic_right_to_left(context, live_server):
    from reciprocite.surveys.models import Submission

    _invitation, url = invited(live_server, language="ar")
    page = context.new_page()
    answer_up_to_the_last_page(page, url, name="بلدية", country_label="المغرب", themes=["0", "2"])
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    expect(page.locator(".collect-note")).to_have_text("شكرا")
    assert_no_axe_violation(page)
    page.click("main .collect-actions button[value=submit]")
    expect(page.locator("main .collect-actions button[value=submit]")).to_have_count(0)
    expect(page.locator("h1")).to_be_visible()
    assert Submission.objects.get().data["cooperation"] == [
        {"pays_partenaire": "ma", "annee_debut": 1991, "themes": "jeunesse insertion_emploi"}
    ]


def test_an_answer_sent_offline_is_kept_and_sent_once_when_back_online(context, live_server):
    from reciprocite.surveys.models import Submission

    _invitation, url = invited(live_server)
    page = context.new_page()
    answer_up_to_the_last_page(page, url, name="Caen", country_label="Russie", themes=["1"])
    context.set_offline(True)
    page.click("main .collect-actions button[value=submit]")
    banner = page.locator(".collect-offline")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("votre réponse est enregistrée sur cet appareil")
    assert page.evaluate("Object.keys(localStorage).length") == 1
    assert Submission.objects.count() == 0
    context.set_offline(False)  # the browser's "online" event sends it
    expect(page.locator("h1")).to_have_text("Merci, vos réponses ont bien été reçues")
    assert Submission.objects.count() == 1
    assert page.evaluate("Object.keys(localStorage).length") == 0
    # the same answer sent again (a second retry) is still one answer
    page.goto(url)
    expect(page.locator("h1")).to_have_text("Vous avez déjà répondu à ce questionnaire")
    assert Submission.objects.count() == 1


def test_use_my_position_fills_the_typed_geopoint_fields(browser, live_server):
    from reciprocite.surveys.models import Invitation
    from tests.surveys import collect_support as cs

    questionnaire = cs.widgets()
    invitation, path = cs.invite(questionnaire)
    context = browser.new_context(
        locale="fr-FR",
        permissions=["geolocation"],
        geolocation={"latitude": 49.2036, "longitude": -0.3306, "accuracy": 12},
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        button = page.locator("button[data-geopoint='q-q_geo']")
        expect(button).to_be_visible()
        button.click()
        expect(page.locator("#q-q_geo-lat")).to_have_value("49.2036")
        expect(page.locator("#q-q_geo-lon")).to_have_value("-0.3306")
        expect(page.locator("#q-q_geo-acc")).to_have_value("12")
        expect(page.locator(".collect-geo-status")).to_have_text("Position renseignée.")
        page.click("main .collect-actions button[value=next]")
        expect(page.locator("h1")).to_have_text("Règles")
        invitation = Invitation.objects.get(pk=invitation.pk)
        assert invitation.draft["data"]["q_geo"] == "49.2036 -0.3306 0 12"
    finally:
        context.close()


def test_a_server_error_keeps_the_page_on_the_device_until_a_retry_succeeds(context, live_server):
    from reciprocite.surveys.models import Invitation

    invitation, url = invited(live_server)
    page = context.new_page()
    page.goto(url)
    page.fill("#q-collectivite_nom", "Caen")
    page.check("#q-collectivite_type-0")

    def unavailable(route):
        if route.request.method == "POST":
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    page.route(url, unavailable)
    page.click("main .collect-actions button[value=next]")
    expect(page.locator(".collect-offline")).to_be_visible()
    assert Invitation.objects.get(pk=invitation.pk).draft.get("data") == {}
    page.unroute(url)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("h1")).to_have_text("Coopération")
    saved = Invitation.objects.get(pk=invitation.pk).draft
    assert saved["data"] == {"collectivite_nom": "Caen", "collectivite_type": "commune"}
    assert saved["page"] == 1
    assert page.evaluate("Object.keys(localStorage).length") == 0
