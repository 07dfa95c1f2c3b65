"""Every widget of the web form, relevance and choice filters evaluated on the server,
table-list grids, nested repeats, and the analyst preview (nothing stored)."""

from __future__ import annotations

import re

import pytest

from reciprocite.surveys.models import Submission
from tests.surveys import collect_support as cs
from tests.surveys.test_collect import h1, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(db):
    questionnaire = cs.widgets()
    invitation, url = cs.invite(questionnaire)
    return questionnaire, invitation, url


def test_types_page_reads_dates_times_numbers_and_a_typed_geopoint(client, form):
    _questionnaire, invitation, url = form
    page = client.get(url)
    html = page.content.decode()
    assert '<input id="q-q_date" name="q_date" value=""\n    type="date">' in html
    assert 'type="time"' in html
    assert 'type="datetime-local"' in html
    assert (
        '<input type="range" id="q-q_range" name="q_range" min="0" max="10" step="1" '
        'aria-describedby="q-q_range-bounds">' in html
    )
    assert "<legend>Lieu</legend>" in html
    assert '<label for="q-q_geo-lat">Latitude (degrés décimaux)</label>' in html
    assert 'data-geopoint="q-q_geo"' in html  # the JS button, hidden until JS shows it

    bad = post(
        client,
        url,
        page,
        q_date="31/12/2025",
        q_time="25:00",
        q_range="4",
        **{"q_geo.lat": "95", "q_geo.lon": "-0.33"},
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Saisissez une date au format AAAA-MM-JJ." in html
    assert "Saisissez une heure au format HH:MM." in html
    assert "Saisissez une latitude comprise entre -90 et 90." in html
    assert 'value="31/12/2025"' in html and 'value="95"' in html
    assert "Il y a 3 problèmes à corriger" in html
    assert '<a href="#q-q_geo-lat">' in html  # the summary leads to the first coordinate

    moved = post(
        client,
        url,
        bad,
        q_date="2025-12-31",
        q_time="09:30",
        q_datetime="2025-12-31T09:30",
        q_range="7",
        q_int="-12",
        **{"q_geo.lat": "49.2036", "q_geo.lon": "-0,3306", "q_geo.alt": "", "q_geo.acc": "5"},
    )
    assert moved.status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft["data"] == {
        "q_date": "2025-12-31",
        "q_time": "09:30",
        "q_datetime": "2025-12-31T09:30",
        "q_range": 7,
        "q_int": -12,
        "q_geo": "49.2036 -0.3306 0 5",
    }
    # shown back as typed when the respondent returns to the page
    back = post(client, url, client.get(url), action="prev")
    assert back.status_code == 302
    html = client.get(url).content.decode()
    assert 'id="q-q_geo-lon" name="q_geo.lon" value="-0.3306"' in html
    assert 'name="q_datetime" value="2025-12-31T09:30"' in html


def test_a_range_is_a_slider_that_stays_unanswered_until_answered(client, db):
    """The slider always has a position, so "No answer" (ticked until the respondent moves
    the slider — collect.js unticks it — or unticks it) decides: ticked, nothing is stored."""
    questionnaire = cs.widgets()
    invitation, url = cs.invite(questionnaire, language="en")
    page = client.get(url)
    html = page.content.decode()
    assert '<label for="q-q_range">Score' in html
    assert '<span class="help" id="q-q_range-bounds">From 0 to 10, in steps of 1.</span>' in html
    # no value: not answered, and the page says so (the output, and the ticked box)
    assert (
        '<input type="range" id="q-q_range" name="q_range" min="0" max="10" step="1" '
        'aria-describedby="q-q_range-bounds">' in html
    )
    assert (
        '<output id="q-q_range-output" for="q-q_range" class="collect-range-value" '
        'data-none="no answer">no answer</output>' in html
    )
    assert (
        '<input type="checkbox" id="q-q_range-none" name="q_range.__none" value="1" checked> '
        '<label for="q-q_range-none">No answer<span class="visually-hidden"> (Score)</span>'
        "</label>" in html
    )
    assert "Untick “No answer” to give the value of the slider." in html

    # what a browser posts untouched: the slider's middle and the ticked box → no answer
    kept = post(client, url, page, action="save", q_range="5", **{"q_range.__none": "1"})
    assert kept.status_code == 302
    invitation.refresh_from_db()
    assert "q_range" not in invitation.draft["data"]

    # moved (the box unticked): the value is the answer, shown back on the slider and beside it
    answered = post(client, url, client.get(url), action="save", q_range="7")
    assert answered.status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft["data"]["q_range"] == 7
    html = client.get(url).content.decode()
    assert 'step="1" value="7" aria-describedby="q-q_range-bounds">' in html
    assert 'data-none="no answer">7</output>' in html
    assert 'name="q_range.__none" value="1">' in html  # not ticked

    # ticking "No answer" again takes the answer back
    post(client, url, client.get(url), action="save", q_range="7", **{"q_range.__none": "1"})
    invitation.refresh_from_db()
    assert "q_range" not in invitation.draft["data"]

    # a value off the scale is refused with the bounds: the page stays, the error beside it
    refused = post(client, url, client.get(url), q_range="11")
    assert refused.status_code == 200
    assert "Expected a number from 0 to 10 in steps of 1." in refused.content.decode()
    assert 'aria-describedby="q-q_range-bounds q-q_range-error" aria-invalid="true"' in (
        refused.content.decode()
    )


def _to_rules_page(client, url):
    post(client, url, client.get(url))
    page = client.get(url)
    assert h1(page) == "Règles"
    return page


def test_a_relevant_question_appears_on_the_same_page_and_is_then_required(client, form):
    _questionnaire, invitation, url = form
    page = _to_rules_page(client, url)
    assert "q-q_which" not in page.content.decode()
    stayed = post(client, url, page, q_has="oui")
    assert stayed.status_code == 200
    html = stayed.content.decode()
    assert (
        "Vos réponses ont fait apparaître de nouvelles questions sur cette page ; "
        "merci de les consulter." in html
    )
    assert '<label for="q-q_which">Lequel ?' in html
    required = post(client, url, stayed, q_has="oui")
    assert required.status_code == 200
    assert (
        'id="q-q_which-error"><li>Cette question est obligatoire.</li>' in required.content.decode()
    )
    moved = post(client, url, required, q_has="oui", q_which="Un vélo")
    assert moved.status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft["data"]["q_which"] == "Un vélo"


def test_choice_filter_follows_the_answer_it_depends_on(client, form):
    _questionnaire, _invitation, url = form
    page = _to_rules_page(client, url)
    html = page.content.decode()
    assert (
        "Aucune option à choisir pour l'instant : répondez d'abord aux questions ci-dessus." in html
    )
    assert post(client, url, page, action="save", q_zone="nord").status_code == 302
    saved = client.get(url)
    html = saved.content.decode()
    assert '<label for="q-q_ville-0">Lille</label>' in html
    assert '<label for="q-q_ville-1">Arras</label>' in html
    assert ">Nice</label>" not in html
    # a city of the other zone is refused by the same rule on the server
    refused = post(client, url, saved, q_zone="nord", q_ville="nice")
    assert refused.status_code == 200
    assert 'id="q-q_ville-error"' in refused.content.decode()


def test_or_other_asks_to_specify_once_other_is_ticked(client, form):
    _questionnaire, invitation, url = form
    page = _to_rules_page(client, url)
    stayed = post(client, url, page, q_fruit=["pomme", "other"])
    html = stayed.content.decode()
    assert 'name="q_fruit_other"' in html
    assert (
        post(client, url, stayed, q_fruit=["pomme", "other"], q_fruit_other="Kaki").status_code
        == 302
    )
    invitation.refresh_from_db()
    assert invitation.draft["data"]["q_fruit"] == "pomme other"
    assert invitation.draft["data"]["q_fruit_other"] == "Kaki"


def test_table_list_is_a_table_of_radio_buttons(client, form):
    _questionnaire, invitation, url = form
    post(client, url, _to_rules_page(client, url))
    page = client.get(url)
    html = page.content.decode()
    assert h1(page) == "Grille"
    assert "<caption>Grille</caption>" in html
    assert '<th scope="col">Oui</th><th scope="col">Non</th>' in html
    assert '<th scope="row" id="q-q_grid_a-label">Ligne A' in html
    assert '<label class="visually-hidden" for="q-q_grid_b-1">Ligne B — Non</label>' in html
    assert "reserved_name_for_field_list_labels" not in html
    assert post(client, url, page, q_grid_a="oui", q_grid_b="non").status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft["data"]["q_grid_a"] == "oui"
    assert invitation.draft["data"]["q_grid_b"] == "non"


def test_nested_repeats_are_added_filled_and_submitted(client, form):
    questionnaire, invitation, url = form
    post(client, url, client.get(url))
    post(client, url, client.get(url))
    post(client, url, client.get(url))
    page = client.get(url)
    assert h1(page) == "Ménage"
    post(client, url, page, action="add:menage")
    post(
        client, url, client.get(url), action="add:menage.0.personne", **{"menage.0.menage_nom": "A"}
    )
    post(
        client,
        url,
        client.get(url),
        action="add:menage.0.personne",
        **{"menage.0.menage_nom": "A", "menage.0.personne.0.age": "34"},
    )
    page = client.get(url)
    html = page.content.decode()
    assert "<legend>Personne 2</legend>" in html
    assert 'name="menage.0.personne.__count" value="2"' in html
    bad = post(
        client,
        url,
        page,
        action="submit",
        **{"menage.0.menage_nom": "A", "menage.0.personne.0.age": "34"},
        **{"menage.0.personne.1.age": "4,5"},
    )
    assert "Saisissez un nombre entier, par exemple 2015." in bad.content.decode()
    done = post(
        client,
        url,
        bad,
        action="submit",
        **{"menage.0.menage_nom": "A", "menage.0.personne.0.age": "34"},
        **{"menage.0.personne.1.age": "4"},
    )
    assert done.status_code == 200
    assert h1(done) == "Merci, vos réponses ont bien été reçues"
    submission = Submission.objects.get(questionnaire=questionnaire)
    assert submission.data["menage"] == [{"menage_nom": "A", "personne": [{"age": 34}, {"age": 4}]}]


def test_preview_is_for_analysts_and_stores_nothing(client, world):
    questionnaire = cs.cooperations()
    url = f"/surveys/{questionnaire.form_id}/preview/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.outsider)
    assert client.get(url).status_code == 403
    client.force_login(world.herouville_editor)
    assert client.post(url, {"action": "next"}).status_code == 403
    client.force_login(world.analyst)
    assert client.get("/surveys/nope/preview/").status_code == 404
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aperçu : rien de ce que vous saisissez ici n'est enregistré." in html
    assert h1(page) == "Votre collectivité"
    second = post(client, url, page, **cs_respondent())
    assert second.status_code == 200  # previews render in place: the draft travels signed
    assert h1(second) == "Coopération"
    state = re.search(r'name="__state" value="([^"]+)"', second.content.decode()).group(1)
    # a forged state starts again from nothing
    tampered = client.post(url, {"__state": state[:-3] + "xyz", "__page": "0", "action": "save"})
    assert h1(tampered) == "Votre collectivité"
    assert 'value="Lille"' not in tampered.content.decode()
    last = post(client, url, second, **{"__state": state})
    assert h1(last) == "Coopérations sociales"
    state = re.search(r'name="__state" value="([^"]+)"', last.content.decode()).group(1)
    done = post(client, url, last, action="submit", __state=state)
    assert done.status_code == 200
    assert h1(done) == "Aperçu terminé : les réponses sont valides"
    assert "&quot;collectivite_nom&quot;: &quot;Lille&quot;" in done.content.decode()
    assert Submission.objects.count() == 0
    client.force_login(world.admin)
    assert client.get(url).status_code == 200


def cs_respondent():
    return {"collectivite_nom": "Lille", "collectivite_type": "commune"}


def test_a_form_with_nothing_to_show_or_no_version_says_so(client, world):
    from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion

    bare = Questionnaire.objects.create(form_id="bare", title="Bare")
    client.force_login(world.analyst)
    response = client.get("/surveys/bare/preview/")
    assert response.status_code == 409
    assert (
        "Aucune version du questionnaire « Bare » n'a encore été chargée."
        in response.content.decode()
    )
    QuestionnaireVersion.objects.create(
        questionnaire=bare,
        version="1",
        structure={
            "type": "survey",
            "name": "bare",
            "children": [
                {"type": "start", "name": "start"},
                {"type": "calculate", "name": "c", "bind": {"calculate": "1 + 1"}},
            ],
        },
    )
    response = client.get("/surveys/bare/preview/")
    assert response.status_code == 409
    assert (
        "ne comporte aucune question à afficher : uniquement des calculs et des métadonnées."
        in response.content.decode()
    )
    _invitation, url = cs.invite(bare)
    assert client.get(url).status_code == 409
