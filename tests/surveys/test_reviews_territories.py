"""Accepting a described cooperation files it under the right authorities: an official code
only with its kind (région 44 Grand Est is not département 44 Loire-Atlantique), a partner
written in another script offered as a candidate, never merged or duplicated silently."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reciprocite.registry.models import Partnership, PartnershipParty
from reciprocite.surveys.models import CooperationReview
from reciprocite.surveys.services import reviews as svc
from reciprocite.territories.models import Territory
from reciprocite.territories.services import territory_create
from tests.surveys.test_reviews_services import submit
from tests.surveys.test_reviews_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def answer(name, kind, code, country, partner, themes="sante"):
    return {
        "collectivite_nom": name,
        "collectivite_type": kind,
        "collectivite_code": code,
        "cooperation": [
            {"pays_partenaire": country, "autorite_partenaire": partner, "themes": themes}
        ],
    }


def review_of(form, data) -> CooperationReview:
    submission = submit(form, data)
    svc.reviews_ensure(questionnaire=form)
    return CooperationReview.objects.get(submission=submission)


def parties_of(territory) -> int:
    return PartnershipParty.objects.filter(territory=territory).count()


@pytest.fixture
def loire_atlantique(db):
    return territory_create(
        name="Loire-Atlantique", kind="departement", country="FR", official_code="44"
    )


def test_grand_est_is_not_filed_under_loire_atlantique(world, cooperations_form, loire_atlantique):
    review = review_of(cooperations_form, answer("Grand Est", "region", "44", "sn", "Podor"))
    review = svc.review_accept(review=review, actor=world.analyst)

    french = review.partnership.parties.get(side="french").territory
    assert (french.name, french.kind, french.official_code) == ("Grand Est", "region", "44")
    assert french.pk != loire_atlantique.pk
    assert parties_of(loire_atlantique) == 0  # no partnership Loire-Atlantique never had
    assert review.partnership.title == "Grand Est ↔ Podor"


def test_paca_and_seine_saint_denis_stay_apart(world, cooperations_form):
    ssd = territory_create(
        name="Seine-Saint-Denis", kind="departement", country="FR", official_code="93"
    )
    paca = territory_create(
        name="Provence-Alpes-Côte d'Azur", kind="region", country="FR", official_code="93"
    )
    review = review_of(cooperations_form, answer("Région Sud", "region", "93", "sn", "Saint-Louis"))
    review = svc.review_accept(review=review, actor=world.analyst)
    assert review.partnership.parties.get(side="french").territory == paca
    assert parties_of(ssd) == 0
    other = review_of(
        cooperations_form, answer("Seine-Saint-Denis", "departement", "93", "sn", "Saint-Louis")
    )
    other = svc.review_accept(review=other, actor=world.analyst)
    assert other.partnership.parties.get(side="french").territory == ssd
    assert other.partnership != review.partnership


def counts():
    return (Territory.objects.count(), Partnership.objects.count())


def test_a_partner_in_arabic_script_is_offered_not_created(world, cooperations_form):
    amira = territory_create(name="Aït Amira", kind="rural_commune", country="MA")
    review = review_of(cooperations_form, answer("Caen", "commune", "14118", "ma", "آيت عميرة"))
    pending = svc.review_pending_resolutions(review)
    assert list(pending) == ["partner"]
    assert [c.territory for c in pending["partner"].candidates] == [amira]

    before = counts()
    with pytest.raises(ValidationError) as caught:
        svc.review_accept(review=review, actor=world.analyst)
    assert list(caught.value.message_dict) == ["territory_partner"]
    with pytest.raises(ValidationError):  # a territory that is not a candidate
        svc.review_accept(
            review=review, actor=world.analyst, choices={"partner": str(world.tikhvine.pk)}
        )
    assert counts() == before  # nothing created, not even Caen

    review = svc.review_accept(
        review=review, actor=world.analyst, choices={"partner": str(amira.pk)}
    )
    assert review.partnership.parties.get(side="partner").territory == amira
    assert Territory.objects.filter(country="MA").count() == 1
    assert review.edited[svc.CHOICES] == {"partner": str(amira.pk)}
    # accepting again (after a correction) keeps the choice
    svc.review_edit(review=review, values={"annee_debut": "2010"}, actor=world.analyst)
    again = svc.review_accept(review=CooperationReview.objects.get(pk=review.pk))
    assert again.partnership == review.partnership
    assert Territory.objects.filter(country="MA").count() == 1


def test_the_analyst_may_create_a_new_territory_instead(world, cooperations_form):
    # Тихвин is close to Tikhvine (RU) of the registry, not equal once transliterated
    review = review_of(cooperations_form, answer("Caen", "commune", "14118", "ru", "Тихвин"))
    with pytest.raises(ValidationError):
        svc.review_accept(review=review, actor=world.analyst)
    review = svc.review_accept(review=review, actor=world.analyst, choices={"partner": "new"})
    partner = review.partnership.parties.get(side="partner").territory
    assert (partner.name, partner.country) == ("Тихвин", "RU")
    assert partner != world.tikhvine
    assert review.edited[svc.CHOICES] == {"partner": str(partner.pk)}
    # now the name is in the registry as written: accepting again finds it for certain
    again = svc.review_accept(review=CooperationReview.objects.get(pk=review.pk))
    assert again.partnership == review.partnership


# --- through the pages ------------------------------------------------------------------------


def test_the_review_page_offers_the_choice_and_files_under_the_chosen_one(world, cooperations_form):
    amira = territory_create(name="Aït Amira", kind="rural_commune", country="MA")
    review = review_of(cooperations_form, answer("Caen", "commune", "14118", "ma", "آيت عميرة"))
    client = client_for(world.analyst)
    url = f"/surveys/reviews/{review.pk}/"
    page = client.get(url).content.decode()
    assert "Which territory is the partner authority?" in page
    assert "Which territory is the respondent authority?" not in page  # Caen is certain
    assert (
        f'<input type="radio" name="territory_partner" value="{amira.pk}" '
        f'id="territory-partner-{amira.pk}">' in page
    )
    assert "Aït Amira — Rural commune, Morocco (MA)" in page
    assert "close name (same consonants)" in page
    assert 'value="new" id="territory-partner-new"' in page
    assert "Create a new territory “آيت عميرة”" in page

    form = {
        "collectivite_nom": "Caen",
        "collectivite_type": "commune",
        "collectivite_code": "14118",
        "pays_partenaire": "MA",
        "autorite_partenaire": "آيت عميرة",
        "themes": ["sante"],
        "action": "accept",
    }
    before = counts()
    response = client.post(url, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Several territories may be meant: choose one, or a new territory." in html
    assert counts() == before
    response = client.post(url, {**form, "territory_partner": str(world.saint_louis.pk)})
    assert response.status_code == 400
    assert counts() == before

    response = client.post(url, {**form, "territory_partner": str(amira.pk)})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "accepted"
    assert review.partnership.parties.get(side="partner").territory == amira
    assert Territory.objects.filter(country="MA").count() == 1
    # the choice shows as made
    page = client.get(url).content.decode()
    assert f'value="{amira.pk}" id="territory-partner-{amira.pk}" checked' in page


def test_the_review_page_files_grand_est_as_a_region(world, cooperations_form, loire_atlantique):
    review = review_of(cooperations_form, answer("Grand Est", "region", "44", "sn", "Podor"))
    client = client_for(world.analyst)
    url = f"/surveys/reviews/{review.pk}/"
    assert "Which territory" not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "collectivite_nom": "Grand Est",
            "collectivite_type": "region",
            "collectivite_code": "44",
            "pays_partenaire": "SN",
            "autorite_partenaire": "Podor",
            "themes": ["sante"],
            "action": "accept",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    french = review.partnership.parties.get(side="french").territory
    assert (french.name, french.kind) == ("Grand Est", "region")
    assert parties_of(loire_atlantique) == 0
    assert not Partnership.objects.filter(parties__territory=loire_atlantique).exists()
