"""Reviewing described cooperations into the registry (through the registry's services)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reciprocite.registry.models import Funder, Partnership, Project, ProjectFunding
from reciprocite.surveys.digest import content_digest
from reciprocite.surveys.models import CooperationReview, Submission
from reciprocite.surveys.services import reviews as svc
from reciprocite.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever the French catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield


HEROUVILLE_ANSWER = {
    "collectivite_nom": "Ville d'Hérouville-Saint-Clair",
    "collectivite_type": "commune",
    "collectivite_code": "14327",
    "cooperation": [
        {
            "pays_partenaire": "ru",
            "autorite_partenaire": "TIKHVINE",
            "annee_debut": 1991,
            "themes": "jeunesse sante",
            "budget_annuel_eur": 12000,
            "cofinancements": "union_europeenne fonds_propres",
            "plus_values": "partage_experiences enjeux_communs",
        },
        {
            "pays_partenaire": "sn",
            "autorite_partenaire": "Podor",
            "annee_debut": 2005,
            "themes": "acces_droits",
            "budget_annuel_eur": 5000.5,
            "cofinancements": "",
        },
    ],
}


def submit(form, data):
    return Submission.objects.create(
        questionnaire=form,
        version=form.versions.get(),
        uuid=uuid.uuid4(),
        data=data,
        content_digest=content_digest(data),
        source="import",
    )


@pytest.fixture
def reviews(world, cooperations_form):
    submission = submit(cooperations_form, HEROUVILLE_ANSWER)
    assert svc.reviews_ensure(questionnaire=cooperations_form) == 2
    assert svc.reviews_ensure(questionnaire=cooperations_form) == 0
    return {r.repeat_index: r for r in CooperationReview.objects.filter(submission=submission)}


def counts():
    return (
        Territory.objects.count(),
        Partnership.objects.count(),
        Project.objects.count(),
        Funder.objects.count(),
        ProjectFunding.objects.count(),
    )


def test_accepting_matches_the_authorities_reuses_the_partnership_and_never_duplicates(
    world, reviews
):
    before = counts()
    review = svc.review_accept(review=reviews[1], actor=world.analyst)

    # Hérouville by its INSEE code, Tikhvine by country and name (case ignored)
    assert review.partnership == world.herouville_tikhvine
    project = review.project
    assert project.partnership == world.herouville_tikhvine
    assert project.title == "Tikhvine : Jeunesse, Santé"
    assert sorted(project.themes.values_list("code", flat=True)) == ["jeunesse", "sante"]
    assert (project.budget_amount, project.budget_currency) == (Decimal("12000.00"), "EUR")
    assert project.start_date == date(1991, 1, 1)
    assert sorted(project.fundings.values_list("funder__name", "funder__kind", "amount")) == [
        ("Fonds propres de la collectivité", "fonds_propres", Decimal("0.00")),
        ("Union européenne", "union_europeenne", Decimal("0.00")),
    ]
    assert project.history.latest().history_user == world.analyst
    assert (review.status, review.reviewed_by) == ("accepted", world.analyst)
    after_first = counts()
    assert after_first == (
        before[0],
        before[1],
        before[2] + 1,
        before[3] + 2,
        before[4] + 2,
    )

    again = svc.review_accept(review=CooperationReview.objects.get(pk=review.pk), actor=world.admin)
    assert counts() == after_first
    assert again.project.pk == project.pk
    assert again.partnership.pk == world.herouville_tikhvine.pk
    assert again.project.history.latest().history_user == world.admin


def test_accepting_creates_the_partner_territory_and_partnership_when_absent(world, reviews):
    review = svc.review_accept(review=reviews[2], actor=world.analyst)

    podor = Territory.objects.get(name="Podor")
    assert (podor.country, podor.kind) == ("SN", "municipality")
    partnership = review.partnership
    assert partnership.title == "Hérouville-Saint-Clair ↔ Podor"
    assert (partnership.kind, partnership.start_date) == ("cooperation", date(2005, 1, 1))
    assert sorted(partnership.parties.values_list("territory__name", "side")) == [
        ("Hérouville-Saint-Clair", "french"),
        ("Podor", "partner"),
    ]
    assert partnership.history.latest().history_user == world.analyst
    assert review.project.budget_amount == Decimal("5000.50")
    assert review.project.fundings.count() == 0
    # the same partner written another way is the same territory
    svc.review_edit(review=review, values={"autorite_partenaire": "PODÖR"}, actor=world.analyst)
    before = counts()
    svc.review_accept(review=review, actor=world.analyst)
    assert counts() == before


def test_a_french_authority_unknown_by_its_code_is_created(world, cooperations_form):
    data = {
        "collectivite_nom": "Nantes",
        "collectivite_type": "commune",
        "collectivite_code": "44109",
        "cooperation": [
            {"pays_partenaire": "sn", "autorite_partenaire": "Saint-Louis", "themes": "sante"}
        ],
    }
    submit(cooperations_form, data)
    svc.reviews_ensure(questionnaire=cooperations_form)
    review = svc.review_accept(review=CooperationReview.objects.get(), actor=world.analyst)

    nantes = Territory.objects.get(official_code="44109")
    assert (nantes.name, nantes.kind, nantes.country) == ("Nantes", "commune", "FR")
    # Saint-Louis (SN) already exists: reused
    assert sorted(review.partnership.parties.values_list("territory", flat=True)) == sorted(
        [nantes.pk, world.saint_louis.pk]
    )
    assert review.partnership.start_date is None
    assert review.project.budget_amount is None


def test_edited_values_are_kept_side_by_side_and_used_when_accepting(world, reviews):
    review = svc.review_edit(
        review=reviews[1],
        values={
            "pays_partenaire": "SN",
            "autorite_partenaire": "saint-louis",
            "budget_annuel_eur": "9000",
            "themes": ["acces_droits"],
            "annee_debut": 1991,  # unchanged: not an edit
        },
        actor=world.analyst,
    )
    assert review.edited == {
        "pays_partenaire": "SN",
        "autorite_partenaire": "saint-louis",
        "budget_annuel_eur": "9000",
        "themes": "acces_droits",
    }
    rows = {row.name: row for row in svc.review_rows(review)}
    assert (rows["autorite_partenaire"].original, rows["autorite_partenaire"].edited) == (
        "TIKHVINE",
        "saint-louis",
    )
    assert rows["autorite_partenaire"].is_edited is True
    assert rows["annee_debut"].is_edited is False
    assert review.status == "pending"

    before = counts()
    accepted = svc.review_accept(review=review, actor=world.analyst)
    assert (
        accepted.partnership
        == world.lille_saint_louis.__class__.objects.filter(
            parties__territory=world.saint_louis, parties__side="partner"
        )
        .exclude(pk=world.lille_saint_louis.pk)
        .get()
    )
    assert sorted(accepted.partnership.parties.values_list("territory__name", flat=True)) == [
        "Hérouville-Saint-Clair",
        "Saint-Louis",
    ]
    assert accepted.project.title == "Saint-Louis : Accès aux droits"
    assert accepted.project.budget_amount == Decimal("9000.00")
    assert counts()[:3] == (before[0], before[1] + 1, before[2] + 1)


def test_rejecting_creates_nothing(world, reviews):
    before = counts()
    review = svc.review_reject(review=reviews[1], actor=world.analyst, note="Doublon")
    assert (review.status, review.note, review.reviewed_by) == (
        "rejected",
        "Doublon",
        world.analyst,
    )
    assert (review.partnership, review.project) == (None, None)
    assert counts() == before


def test_bad_values_are_refused_by_field_and_nothing_is_half_stored(world, reviews):
    with pytest.raises(ValidationError) as err:
        svc.review_edit(
            review=reviews[1],
            values={
                "pays_partenaire": "ZZ",
                "annee_debut": "1900",
                "budget_annuel_eur": "-5",
                "themes": "jeunesse cuisine",
                "collectivite_code": "1432",
            },
        )
    assert sorted(err.value.message_dict) == [
        "annee_debut",
        "budget_annuel_eur",
        "collectivite_code",
        "pays_partenaire",
        "themes",
    ]
    assert err.value.message_dict["pays_partenaire"] == ["Unknown country code: ZZ"]
    assert err.value.message_dict["themes"] == ["Unknown themes: cuisine"]
    reviews[1].refresh_from_db()
    assert reviews[1].edited == {}

    # the partner authority is needed; a failed acceptance leaves nothing behind
    svc.review_edit(
        review=reviews[2],
        values={"autorite_partenaire": "", "collectivite_code": "44109"},
    )
    before = counts()
    with pytest.raises(ValidationError) as err:
        svc.review_accept(review=reviews[2], actor=world.analyst)
    assert err.value.message_dict == {
        "autorite_partenaire": ["This field is needed to enter the registry."]
    }
    assert counts() == before
    reviews[2].refresh_from_db()
    assert reviews[2].status == "pending"


def test_amounts_given_by_the_analyst_replace_the_zero(world, reviews):
    review = svc.review_accept(review=reviews[1], actor=world.analyst)
    # without amounts: 0 in the registry (its amount is required), said in the summary
    assert review.project.summary.endswith(
        "Montant non communiqué pour les cofinancements : Union européenne, "
        "Fonds propres de la collectivité (enregistré à 0)."
    )
    svc.review_edit(
        review=review,
        values={
            svc.AMOUNTS: {
                "union_europeenne": {"amount": "30000", "currency": "EUR"},
                "fonds_propres": {"amount": "2500.5", "currency": "usd"},
                "fondation": {"amount": "7", "currency": "EUR"},  # not a co-funding here
            }
        },
        actor=world.analyst,
    )
    review.refresh_from_db()
    assert review.edited == {
        svc.AMOUNTS: {
            "union_europeenne": {"amount": "30000", "currency": "EUR"},
            "fonds_propres": {"amount": "2500.5", "currency": "USD"},
        }
    }
    before = counts()
    review = svc.review_accept(review=review, actor=world.analyst)
    assert counts() == before  # the same funders and fundings, updated
    assert sorted(review.project.fundings.values_list("funder__kind", "amount", "currency")) == [
        ("fonds_propres", Decimal("2500.50"), "USD"),
        ("union_europeenne", Decimal("30000.00"), "EUR"),
    ]
    assert "Montant non communiqué" not in review.project.summary


def test_bad_amounts_are_refused_by_field(world, reviews):
    with pytest.raises(ValidationError) as refused:
        svc.review_edit(
            review=reviews[1],
            values={
                svc.AMOUNTS: {
                    "union_europeenne": {"amount": "NaN", "currency": "EUR"},
                    "fonds_propres": {"amount": "1", "currency": "ZZZ"},
                }
            },
        )
    assert refused.value.message_dict == {
        "amount_union_europeenne": ["The amount must be a number from 0 to 999,999,999,999.99."],
        "currency_fonds_propres": ["ZZZ is not an ISO 4217 currency code (such as EUR)."],
    }
    reviews[1].refresh_from_db()
    assert reviews[1].edited == {}
