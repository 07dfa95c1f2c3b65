"""Review pages: denials, the side-by-side view, edit, accept, reject."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from reciprocite.registry.models import Partnership, Project
from reciprocite.surveys.models import CooperationReview
from reciprocite.territories.models import Territory
from tests.surveys.test_reviews_services import HEROUVILLE_ANSWER, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def client_for(user=None):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def answered(world, cooperations_form):
    return submit(cooperations_form, HEROUVILLE_ANSWER)


def _form(**values):
    data = {
        "collectivite_nom": "Ville d'Hérouville-Saint-Clair",
        "collectivite_type": "commune",
        "collectivite_code": "14327",
        "pays_partenaire": "RU",
        "autorite_partenaire": "TIKHVINE",
        "annee_debut": "1991",
        "themes": ["jeunesse", "sante"],
        "budget_annuel_eur": "12000",
        "cofinancements": ["union_europeenne", "fonds_propres"],
        "note": "",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(
    "role", [None, "outsider", "herouville_editor", "tikhvine_editor", "analyst", "admin"]
)
def test_review_pages_are_for_analysts_and_admins_only(world, answered, role):
    client = client_for(getattr(world, role) if role else None)
    response = client.get("/surveys/reviews/")
    if role is None:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/surveys/reviews/"
    elif role in ("analyst", "admin"):
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    if role in ("analyst", "admin"):
        return
    # reviews exist once an analyst has looked; others can neither see nor act
    client_for(world.analyst).get("/surveys/reviews/")
    review = CooperationReview.objects.get(repeat_index=1)
    assert client.get(f"/surveys/reviews/{review.pk}/").status_code in (302, 403)
    response = client.post(f"/surveys/reviews/{review.pk}/", _form(action="accept"))
    assert response.status_code in (302, 403)
    if role is None:
        assert response["Location"].startswith("/accounts/login/")
    review.refresh_from_db()
    assert review.status == "pending"
    assert Project.objects.count() == 3


def test_the_list_shows_each_described_cooperation(world, answered):
    html = client_for(world.analyst).get("/surveys/reviews/").content.decode()
    assert CooperationReview.objects.count() == 2
    assert "2 described cooperations" in html
    assert "Russia (RU)" in html and "TIKHVINE" in html and "1991" in html
    assert "Senegal (SN)" in html and "Podor" in html
    assert client_for(world.analyst).get("/surveys/reviews/?status=accepted").status_code == 200


def test_edit_then_accept_then_accept_again(world, answered):
    client = client_for(world.analyst)
    client.get("/surveys/reviews/")
    review = CooperationReview.objects.get(repeat_index=1)
    url = f"/surveys/reviews/{review.pk}/"
    page = client.get(url).content.decode()
    assert '<td data-original="themes">Youth, Health</td>' in page
    assert '<td data-original="pays_partenaire">Russia (RU)</td>' in page
    assert "<dt><code>plus_values</code></dt><dd>partage_experiences enjeux_communs</dd>" in page

    response = client.post(url, _form(action="save", budget_annuel_eur="15000"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.edited == {"budget_annuel_eur": "15000"}
    page = client.get(url).content.decode()
    assert "Your corrections are saved." in page
    assert '<td data-original="budget_annuel_eur">12000</td>' in page
    assert 'value="15000"' in page

    before = (Territory.objects.count(), Partnership.objects.count(), Project.objects.count())
    response = client.post(url, _form(action="accept", budget_annuel_eur="15000"), follow=True)
    html = response.content.decode()
    assert "Accepted: the cooperation is in the registry." in html
    review.refresh_from_db()
    assert review.status == "accepted"
    assert review.partnership == world.herouville_tikhvine
    assert str(review.project.budget_amount) == "15000.00"
    assert f'href="/projects/{review.project.pk}/"' in html
    assert "Update the registry" in html

    client.post(url, _form(action="accept", budget_annuel_eur="16000"))
    review.refresh_from_db()
    assert str(review.project.budget_amount) == "16000.00"
    assert (Territory.objects.count(), Partnership.objects.count(), Project.objects.count()) == (
        before[0],
        before[1],
        before[2] + 1,
    )


def test_bad_values_are_shown_by_field_and_nothing_is_kept(world, answered):
    client = client_for(world.analyst)
    client.get("/surveys/reviews/")
    review = CooperationReview.objects.get(repeat_index=1)
    before = Project.objects.count()
    response = client.post(
        f"/surveys/reviews/{review.pk}/",
        _form(action="accept", annee_debut="1800", autorite_partenaire=""),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The start year must be between 1950 and this year." in html
    assert "This field is needed to enter the registry." in html
    review.refresh_from_db()
    assert (review.status, review.edited) == ("pending", {})
    assert Project.objects.count() == before


def test_reject(world, answered):
    client = client_for(world.analyst)
    client.get("/surveys/reviews/")
    review = CooperationReview.objects.get(repeat_index=2)
    before = (Territory.objects.count(), Partnership.objects.count(), Project.objects.count())
    response = client.post(
        f"/surveys/reviews/{review.pk}/", _form(action="reject", note="Hors champ social")
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.note, review.reviewed_by) == (
        "rejected",
        "Hors champ social",
        world.analyst,
    )
    assert (
        Territory.objects.count(),
        Partnership.objects.count(),
        Project.objects.count(),
    ) == before
    assert client.get("/surveys/reviews/999999/").status_code == 404


def test_co_funding_amounts_entered_on_the_review_enter_the_registry(world, answered):
    client = client_for(world.analyst)
    client.get("/surveys/reviews/")
    review = CooperationReview.objects.get(repeat_index=1)
    url = f"/surveys/reviews/{review.pk}/"
    page = client.get(url).content.decode()
    assert (
        '<label class="visually-hidden" for="amount-union_europeenne">'
        "Amount from European Union</label>" in page
    )
    assert 'name="currency_union_europeenne" id="currency-union_europeenne" value="EUR"' in page

    response = client.post(
        url,
        _form(
            action="accept",
            amount_union_europeenne="4 500,50",
            currency_union_europeenne="eur",
            amount_fonds_propres="",
            amount_fondation="999",  # not ticked: ignored
        ),
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.edited == {
        "cofinancement_montants": {"union_europeenne": {"amount": "4500.50", "currency": "EUR"}}
    }
    project = review.project
    assert sorted(project.fundings.values_list("funder__kind", "amount", "currency")) == [
        ("fonds_propres", Decimal("0.00"), "EUR"),
        ("union_europeenne", Decimal("4500.50"), "EUR"),
    ]
    assert project.summary.endswith(
        "Montant non communiqué pour le cofinancement : "
        "Fonds propres de la collectivité (enregistré à 0)."
    )
    page = client.get(url).content.decode()
    assert 'id="amount-union_europeenne" value="4500.50"' in page

    # a second acceptance with both amounts, one in another currency, updates the same rows
    response = client.post(
        url,
        _form(
            action="accept",
            amount_union_europeenne="4500.50",
            amount_fonds_propres="1200",
            currency_fonds_propres="XOF",
        ),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert sorted(project.fundings.values_list("funder__kind", "amount", "currency")) == [
        ("fonds_propres", Decimal("1200.00"), "XOF"),
        ("union_europeenne", Decimal("4500.50"), "EUR"),
    ]
    assert "Montant non communiqué" not in project.summary


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"amount_union_europeenne": "beaucoup"}, "amount", "The amount must be a number."),
        (
            {"amount_union_europeenne": "-5"},
            "amount",
            "The amount must be a number from 0 to 999,999,999,999.99.",
        ),
        (
            {"amount_union_europeenne": "1e20"},
            "amount",
            "The amount must be a number from 0 to 999,999,999,999.99.",
        ),
        ({"amount_union_europeenne": "10.555"}, "amount", "The amount has at most 2 decimals."),
        (
            {"amount_union_europeenne": "10", "currency_union_europeenne": "EU"},
            "currency",
            "EU is not an ISO 4217 currency code (such as EUR).",
        ),
    ],
)
def test_bad_amounts_are_named_and_nothing_is_kept(world, answered, fields, where, message):
    client = client_for(world.analyst)
    client.get("/surveys/reviews/")
    review = CooperationReview.objects.get(repeat_index=1)
    before = Project.objects.count()
    response = client.post(f"/surveys/reviews/{review.pk}/", _form(action="accept", **fields))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<ul class="errorlist" id="{where}-union_europeenne-error"><li>{message}</li></ul>' in (
        html.replace("&#x27;", "'")
    )
    assert f'aria-invalid="true" aria-describedby="{where}-union_europeenne-error"' in html
    review.refresh_from_db()
    assert (review.status, review.edited) == ("pending", {})
    assert Project.objects.count() == before


@pytest.mark.parametrize("role", ["outsider", "herouville_editor", "tikhvine_editor"])
def test_others_cannot_set_amounts(world, answered, role):
    client_for(world.analyst).get("/surveys/reviews/")
    review = CooperationReview.objects.get(repeat_index=1)
    response = client_for(getattr(world, role)).post(
        f"/surveys/reviews/{review.pk}/", _form(action="save", amount_union_europeenne="100")
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.edited == {}
