"""Answering a questionnaire from a personal link, through Django's test client: pages,
errors on the field that broke a rule, repeats, save and resume, submit once, denials."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from reciprocite.surveys.models import InvitationStatus, Submission
from reciprocite.surveys.services.campaigns import campaign_close
from tests.surveys import collect_support as cs

pytestmark = pytest.mark.django_db


def hidden(response, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', response.content.decode())
    assert match, f"no hidden field {name}"
    return match.group(1)


def page_form(response) -> dict:
    """The hidden fields a page posts back: its number, the UUID and the shown questions."""
    html = response.content.decode()
    return {
        "__page": hidden(response, "__page"),
        "__uuid": hidden(response, "__uuid"),
        "__shown": re.findall(r'name="__shown" value="([^"]*)"', html),
        **{
            name: value
            for name, value in re.findall(r'name="([^"]+\.__count)" value="(\d+)"', html)
        },
    }


def post(client, url, response, action="next", **answers):
    data = page_form(response)
    data.update(answers)
    data["action"] = action
    return client.post(url, data)


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


COOPERATION_1 = {
    "cooperation.0.pays_partenaire": "ru",
    "cooperation.0.autorite_partenaire": "Tikhvine",
    "cooperation.0.annee_debut": "1991",
    "cooperation.0.themes": ["jeunesse", "sante"],
    "cooperation.0.budget_annuel_eur": "25000,50",
    "cooperation.0.plus_values": ["partage_experiences", "interculturel"],
}
COOPERATION_2 = {
    "cooperation.1.pays_partenaire": "sn",
    "cooperation.1.annee_debut": "2010",
    "cooperation.1.themes": ["insertion_emploi"],
}
RESPONDENT = {
    "collectivite_nom": "Hérouville-Saint-Clair",
    "collectivite_type": "commune",
    "collectivite_code": "14327",
}


def test_walk_the_cooperations_form_page_by_page_then_submit_once(client):
    questionnaire = cs.cooperations()
    invitation, url = cs.invite(questionnaire)

    first = client.get(url)
    assert first.status_code == 200
    assert h1(first) == "Votre collectivité"
    html = first.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert '<label for="q-collectivite_nom">Nom de la collectivité' in html
    assert '<legend>Type de collectivité <span class="required-mark"' in html
    assert 'aria-describedby="q-collectivite_code-hint"' in html
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED
    assert invitation.opened_at is not None
    client_uuid = hidden(first, "__uuid")
    assert invitation.draft["uuid"] == client_uuid

    # a bad official code: the error is on that field, the page stays
    bad = post(client, url, first, **{**RESPONDENT, "collectivite_code": "ABC"})
    assert bad.status_code == 200
    assert h1(bad) == "Votre collectivité"
    html = bad.content.decode()
    assert (
        '<ul class="errorlist" id="q-collectivite_code-error"><li>Un code INSEE ou un SIREN' in html
    )
    assert 'aria-describedby="q-collectivite_code-hint q-collectivite_code-error"' in html
    # (the colon's spacing follows the page's language)
    assert re.search(
        r'<a href="#q-collectivite_code">Code officiel[\s\xa0]?: Un code INSEE ou un SIREN</a>',
        html,
    )
    assert 'value="Hérouville-Saint-Clair"' in html  # what was typed is kept

    moved = post(client, url, bad, **RESPONDENT)
    assert moved.status_code == 302
    assert moved["Location"] == url
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.IN_PROGRESS
    assert invitation.draft["page"] == 1
    assert invitation.draft["data"] == RESPONDENT

    # the repeat page: no entry yet, then two cooperations added without JavaScript
    repeat_page = client.get(url)
    assert h1(repeat_page) == "Coopération"
    assert "Aucune entrée pour l'instant." in repeat_page.content.decode()
    # the repeat is the page: titled by the page's heading, not a second one
    assert 'aria-labelledby="page-title"' in repeat_page.content.decode()
    assert "<h2" not in repeat_page.content.decode().split('id="main"')[1]
    added = post(client, url, repeat_page, action="add:cooperation")
    assert added.status_code == 302
    repeat_page = client.get(url)
    html = repeat_page.content.decode()
    assert "<legend>Coopération 1</legend>" in html
    assert (
        '<select id="q-cooperation-0-pays_partenaire" name="cooperation.0.pays_partenaire"' in html
    )
    assert 'inputmode="numeric"' in html
    post(client, url, repeat_page, action="add:cooperation", **COOPERATION_1)
    repeat_page = client.get(url)
    assert "<legend>Coopération 2</legend>" in repeat_page.content.decode()
    assert 'value="Tikhvine"' in repeat_page.content.decode()

    # a start year of 1900 breaks the constraint: message on that field, nothing submitted
    broken = post(
        client,
        url,
        repeat_page,
        **{**COOPERATION_1, **COOPERATION_2, "cooperation.1.annee_debut": "1900"},
    )
    assert broken.status_code == 200
    html = broken.content.decode()
    assert (
        '<ul class="errorlist" id="q-cooperation-1-annee_debut-error">'
        "<li>L&#x27;année doit être comprise entre 1950 et aujourd&#x27;hui.</li></ul>" in html
    )
    assert 'aria-describedby=" q-cooperation-1-annee_debut-error"' in html
    assert "Il y a 1 problème à corriger" in html
    assert Submission.objects.count() == 0

    # leave, come back from another browser: the same page, the answers kept
    other_browser = client.__class__()
    resumed = other_browser.get(url)
    assert h1(resumed) == "Coopération"
    html = resumed.content.decode()
    assert 'value="1900"' in html  # the draft keeps what was typed, to be corrected
    assert html.count("<legend>Coopération") == 2
    assert hidden(resumed, "__uuid") == client_uuid

    moved = post(other_browser, url, resumed, **{**COOPERATION_1, **COOPERATION_2})
    assert moved.status_code == 302
    last = other_browser.get(url)
    assert "Merci !" in last.content.decode()
    assert 'value="submit"' in last.content.decode()

    thanks = post(other_browser, url, last, action="submit")
    assert thanks.status_code == 200
    assert h1(thanks) == "Merci, vos réponses ont bien été reçues"
    submission = Submission.objects.get()
    assert str(submission.uuid) == client_uuid
    assert submission.source == "web"
    assert submission.invitation == invitation
    data = dict(submission.data)
    assert {k: data.pop(k) for k in ("start", "end", "today")}.keys() == {"start", "end", "today"}
    assert data == {
        **RESPONDENT,
        "username": "Ville de Caen",
        "deviceid": "reciprocite-web",
        "cooperation": [
            {
                "pays_partenaire": "ru",
                "autorite_partenaire": "Tikhvine",
                "annee_debut": 1991,
                "themes": "jeunesse sante",
                "budget_annuel_eur": 25000.5,
                "plus_values": "partage_experiences interculturel",
            },
            {"pays_partenaire": "sn", "annee_debut": 2010, "themes": "insertion_emploi"},
        ],
        "nb_cooperations": 2,
        "instanceID": f"uuid:{client_uuid}",
    }
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SUBMITTED
    assert invitation.draft == {}

    # the same final submit again (a retry after a dropped connection): 200, still one answer
    again = post(other_browser, url, last, action="submit")
    assert again.status_code == 200
    assert h1(again) == "Merci, vos réponses ont bien été reçues"
    assert Submission.objects.count() == 1

    # the link now shows what was sent, read only
    done = client.get(url)
    assert done.status_code == 200
    html = done.content.decode()
    assert h1(done) == "Vous avez déjà répondu à ce questionnaire"
    assert (
        '<dt class="depth-0">Nom de la collectivité</dt><dd class="depth-0">Hérouville-Saint-Clair</dd>'
        in html
    )
    assert '<dt class="depth-1">Thèmes</dt><dd class="depth-1">Jeunesse, Santé</dd>' in html
    assert '<form method="post" class="form collect-form"' not in html
    # a post with another UUID changes nothing
    late = client.post(url, {"action": "submit", "__uuid": str(uuid.uuid4())})
    assert late.status_code == 200
    assert h1(late) == "Vous avez déjà répondu à ce questionnaire"
    assert Submission.objects.count() == 1


def test_remove_a_repeat_entry_and_go_back(client):
    questionnaire = cs.cooperations()
    invitation, url = cs.invite(questionnaire)
    first = client.get(url)
    post(client, url, first, **RESPONDENT)
    page = client.get(url)
    post(client, url, page, action="add:cooperation")
    page = client.get(url)
    post(client, url, page, action="add:cooperation", **COOPERATION_1)
    page = client.get(url)
    removed = post(client, url, page, action="remove:cooperation.0", **COOPERATION_1)
    assert removed.status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft["data"]["cooperation"] == [{}]
    page = client.get(url)
    assert page.content.decode().count("<legend>Coopération") == 1
    # a forged remove or add changes nothing and does not crash
    post(client, url, page, action="remove:cooperation.7")
    post(client, url, page, action="add:collectivite_nom")
    invitation.refresh_from_db()
    assert invitation.draft["data"]["cooperation"] == [{}]
    back = post(client, url, client.get(url), action="prev")
    assert back.status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft["page"] == 0
    assert h1(client.get(url)) == "Votre collectivité"


def test_save_and_continue_later_keeps_the_page(client):
    questionnaire = cs.cooperations()
    invitation, url = cs.invite(questionnaire)
    first = client.get(url)
    saved = post(client, url, first, action="save", collectivite_nom="Caen")
    assert saved.status_code == 302  # a reload of the next page does not post again
    assert saved["Location"] == url
    shown = client.get(url).content.decode()
    assert (
        "Vos réponses sont enregistrées. Ouvrez à nouveau le même lien pour reprendre"
        " là où vous vous êtes arrêté." in shown
    )
    assert 'value="Caen"' in shown
    invitation.refresh_from_db()
    assert invitation.draft["data"] == {"collectivite_nom": "Caen"}
    assert invitation.draft["page"] == 0
    assert invitation.status == InvitationStatus.IN_PROGRESS


def test_arabic_invitation_is_right_to_left_with_arabic_labels(client):
    questionnaire = cs.cooperations()
    _invitation, url = cs.invite(questionnaire, language="ar")
    page = client.get(url)
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert h1(page) == "جماعتكم"
    assert '<label for="q-collectivite_nom">اسم الجماعة' in html
    assert '<label for="q-collectivite_type-0">بلدية</label>' in html
    # ?lang= overrides the invitation's language, and is kept in the form's address
    english = client.get(url + "?lang=en")
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert h1(english) == "Your authority"
    moved = post(client, url + "?lang=en", english, **RESPONDENT)
    assert moved["Location"] == url + "?lang=en"


def test_forged_or_unknown_link_is_a_404_with_a_message(client):
    questionnaire = cs.cooperations()
    cs.invite(questionnaire)
    for secret in ("forged-secret", "x" * 300):
        response = client.get(f"/surveys/r/{secret}/")
        assert response.status_code == 404
        assert "Ce lien vers le questionnaire n'est pas valide" in response.content.decode()
    response = client.post("/surveys/r/forged-secret/", {"action": "submit"})
    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_closed_campaign_says_so_and_stores_nothing(client):
    questionnaire = cs.cooperations()
    invitation, url = cs.invite(questionnaire)
    first = client.get(url)
    campaign_close(campaign=invitation.campaign)
    response = client.get(url)
    assert response.status_code == 410
    assert h1(response) == "Ce questionnaire est clos"
    refused = post(client, url, first, **RESPONDENT)
    assert refused.status_code == 410
    invitation.refresh_from_db()
    assert invitation.draft.get("data") == {}
    # a campaign past its closing date is closed too
    other, other_url = cs.invite(questionnaire, name="Ville de Lyon")
    type(other.campaign).objects.filter(pk=other.campaign.pk).update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert client.get(other_url).status_code == 410


def test_a_campaign_closed_while_answering_refuses_the_final_submit(client, monkeypatch):
    """The page was opened while the campaign was open; it closes before the final submit:
    the answer store refuses it (the service's rule) and the page says the campaign is closed."""
    from reciprocite.surveys.views import collect

    questionnaire = cs.cooperations()
    invitation, url = cs.invite(questionnaire)
    post(client, url, client.get(url), **RESPONDENT)
    post(client, url, client.get(url), action="add:cooperation")
    post(client, url, client.get(url), action="add:cooperation", **COOPERATION_1)
    post(client, url, client.get(url), **{**COOPERATION_1, **COOPERATION_2})
    last = client.get(url)
    assert 'value="submit"' in last.content.decode()
    # the page's own look at the campaign happened before it closed
    monkeypatch.setattr(collect, "campaign_check_answerable", lambda campaign: None)
    campaign_close(campaign=invitation.campaign)
    refused = post(client, url, last, action="submit")
    assert refused.status_code == 410
    assert h1(refused) == "Ce questionnaire est clos"
    assert Submission.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.IN_PROGRESS
    assert invitation.draft["data"]["collectivite_nom"] == RESPONDENT["collectivite_nom"]


def test_a_campaign_not_yet_open_is_closed_to_respondents(client):
    questionnaire = cs.cooperations()
    _invitation, url = cs.invite(questionnaire, open_campaign=False)
    assert client.get(url).status_code == 410


def test_a_questionnaire_the_web_form_cannot_collect_names_the_questions(client):
    questionnaire = cs.cooperations()
    version = questionnaire.current_version
    version.unsupported = [{"name": "photo", "type": "image", "row": 12}]
    version.save()
    _invitation, url = cs.invite(questionnaire)
    response = client.get(url)
    assert response.status_code == 409
    assert "« photo » de type image (ligne 12 de la feuille survey)" in response.content.decode()


def test_submit_checks_every_page_and_shows_the_first_with_an_error(client):
    questionnaire = cs.cooperations()
    invitation, url = cs.invite(questionnaire)
    client.get(url)
    # a draft whose first page lost its required answer (e.g. an older version's draft)
    invitation.refresh_from_db()
    invitation.draft = {**invitation.draft, "data": {"collectivite_type": "commune"}, "page": 2}
    invitation.save()
    last = client.get(url)
    response = post(client, url, last, action="submit")
    assert response.status_code == 200
    assert h1(response) == "Votre collectivité"
    assert 'id="q-collectivite_nom-error"' in response.content.decode()
    assert Submission.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.draft["page"] == 0


def test_posted_values_that_do_not_parse_are_shown_back_with_a_message(client):
    questionnaire = cs.cooperations()
    _invitation, url = cs.invite(questionnaire)
    post(client, url, client.get(url), **RESPONDENT)
    post(client, url, client.get(url), action="add:cooperation")
    page = client.get(url)
    response = post(
        client,
        url,
        page,
        **{
            "cooperation.0.pays_partenaire": "zz",
            "cooperation.0.annee_debut": "mille",
            "cooperation.0.themes": ["jeunesse"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un nombre entier, par exemple 2015." in html
    assert 'value="mille"' in html
    assert "Choisissez l&#x27;une des options proposées." in html


def test_a_posted_uuid_never_replaces_the_drafts(client):
    questionnaire = cs.cooperations()
    invitation, url = cs.invite(questionnaire)
    first = client.get(url)
    draft_uuid = hidden(first, "__uuid")
    post(client, url, first, **RESPONDENT)
    last_but_one = client.get(url)
    post(client, url, last_but_one)
    last = client.get(url)
    foreign = str(uuid.uuid4())
    data = {**page_form(last), "__uuid": foreign, "action": "submit"}
    assert client.post(url, data).status_code == 200
    assert str(Submission.objects.get().uuid) == draft_uuid
    assert not Submission.objects.filter(uuid=foreign).exists()
