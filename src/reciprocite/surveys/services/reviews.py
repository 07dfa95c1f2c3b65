"""From answers to the registry: an analyst reviews each cooperation described in the
``cooperations`` survey (one entry of the ``cooperation`` repeat) and accepts, edits or
rejects it.

Accepting goes through the registry's and territories' services (so the history records the
reviewer): both authorities are found by ``territories.resolve.territory_resolve()`` — the
French one by its official code (INSEE or SIREN) together with its kind, else by name, the
partner by country and name compared across scripts. When the resolution is uncertain the
analyst chooses among the candidates (or a new territory): nothing is merged silently, and the
choice is kept on the review. The partnership between the two is reused when one exists, and
the review remembers the partnership and the project it made, so accepting again updates them
instead of duplicating them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reciprocite.registry import services as registry
from reciprocite.registry.models import FunderKind, Partnership, PartnershipKind, Side
from reciprocite.registry.taxonomy import THEMES, theme_label
from reciprocite.territories.geography import is_country
from reciprocite.territories.models import Territory, TerritoryKind
from reciprocite.territories.resolve import Resolution, territory_resolve
from reciprocite.territories.services import territory_create
from reciprocite.territories.validators import validate_french_official_code

from ..models import CooperationReview, ReviewStatus, Submission

REPEAT = "cooperation"
RESPONDENT_FIELDS = ("collectivite_nom", "collectivite_type", "collectivite_code")
ENTRY_FIELDS = (
    "pays_partenaire",
    "autorite_partenaire",
    "annee_debut",
    "themes",
    "budget_annuel_eur",
    "cofinancements",
)
FIELDS = RESPONDENT_FIELDS + ENTRY_FIELDS
# The analyst's co-funding amounts, kept in ``review.edited`` beside the corrections:
# {funder kind: {"amount": "1500.00", "currency": "EUR"}} (not a question of the survey).
AMOUNTS = "cofinancement_montants"
# The analyst's choices of territory when the resolution was uncertain, kept in
# ``review.edited``: {"french": "<territory id>" | "new", "partner": …}.
CHOICES = "territoires"
SIDES = ("french", "partner")
NEW = "new"
MAX_AMOUNT = Decimal("999999999999.99")  # the registry's amounts: 14 digits, 2 decimals
# the `type_collectivite` choice list → the registry's territory kinds
TERRITORY_KINDS = {
    "commune": TerritoryKind.COMMUNE,
    "intercommunalite": TerritoryKind.INTERCOMMUNALITE,
    "departement": TerritoryKind.DEPARTEMENT,
    "region": TerritoryKind.REGION,
    "autre": TerritoryKind.OTHER,
}
# A co-funding named in the survey becomes a funder of that kind, under these names. The
# survey gives no amount: the analyst may enter one (and its currency, EUR by default) on the
# review; without one the registry's funding is recorded with an amount of 0 — its amount is
# required — and the project's summary says which co-funders' amounts were not given.
FUNDER_NAMES = {
    FunderKind.STATE_CALL: "État (appels à projets)",
    FunderKind.EU: "Union européenne",
    FunderKind.OWN_FUNDS: "Fonds propres de la collectivité",
    FunderKind.OTHER_AUTHORITY: "Autre collectivité",
    FunderKind.FOUNDATION: "Fondation",
    FunderKind.OTHER: "Autre cofinanceur",
}


# --- creating reviews ------------------------------------------------------------------------


def reviews_ensure(*, questionnaire=None, campaign=None) -> int:
    """Create the missing reviews (one per described cooperation); returns how many."""
    submissions = Submission.objects.all()
    if campaign is not None:
        submissions = submissions.filter(campaign=campaign)
    if questionnaire is not None:
        submissions = submissions.filter(questionnaire=questionnaire)
    existing = set(
        CooperationReview.objects.filter(
            submission__in=submissions, repeat_name=REPEAT
        ).values_list("submission_id", "repeat_index")
    )
    new = []
    for submission in submissions.only("pk", "data").iterator():
        entries = submission.data.get(REPEAT) if isinstance(submission.data, dict) else None
        if not isinstance(entries, list):
            continue
        for index in range(1, len(entries) + 1):
            if (submission.pk, index) not in existing:
                new.append(
                    CooperationReview(submission=submission, repeat_name=REPEAT, repeat_index=index)
                )
    CooperationReview.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- what a review shows -----------------------------------------------------------------------


def review_original(review: CooperationReview) -> dict:
    """The values as answered: the respondent block and the repeat entry."""
    data = review.submission.data or {}
    entries = data.get(review.repeat_name) or []
    entry = entries[review.repeat_index - 1] if 0 < review.repeat_index <= len(entries) else {}
    values = {name: data.get(name) for name in RESPONDENT_FIELDS}
    values |= {name: entry.get(name) for name in ENTRY_FIELDS}
    for name in FIELDS:
        if values[name] == "":
            values[name] = None
    return values


def review_values(review: CooperationReview) -> dict:
    """The values to use: the answer, with the analyst's edits (and amounts) on top."""
    return review_original(review) | {
        k: v for k, v in review.edited.items() if k in FIELDS or k == AMOUNTS
    }


@dataclass
class ReviewRow:
    name: str
    original: object
    edited: object
    is_edited: bool


def review_rows(review: CooperationReview) -> list[ReviewRow]:
    """Each field side by side: as answered, as edited."""
    original = review_original(review)
    return [
        ReviewRow(
            name=name,
            original=original[name],
            edited=review.edited.get(name, original[name]),
            is_edited=name in review.edited and review.edited[name] != original[name],
        )
        for name in FIELDS
    ]


# --- checking values ---------------------------------------------------------------------------


def _words(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v).strip()]
    return str(value).split()


def _clean_amounts(raw: dict | None, kinds: list[str]) -> tuple[dict, dict]:
    """The amounts of the chosen co-funding kinds: {kind: (Decimal | None, currency)}, and
    the errors keyed ``amount_<kind>`` / ``currency_<kind>``. Amounts of kinds not chosen are
    dropped."""
    import pycountry

    raw = raw if isinstance(raw, dict) else {}
    out: dict[str, tuple[Decimal | None, str]] = {}
    errors: dict[str, str] = {}
    for kind in kinds:
        given = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
        text = str(given.get("amount") if given.get("amount") is not None else "")
        text = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").strip()
        currency = str(given.get("currency") or "").strip().upper() or "EUR"
        amount = None
        if text:
            try:
                amount = Decimal(text.replace(",", "."))
            except InvalidOperation:
                amount = None
                errors[f"amount_{kind}"] = _("The amount must be a number.")
            else:
                if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
                    errors[f"amount_{kind}"] = _(
                        "The amount must be a number from 0 to 999,999,999,999.99."
                    )
                    amount = None
                elif amount != amount.quantize(Decimal("0.01")):
                    errors[f"amount_{kind}"] = _("The amount has at most 2 decimals.")
                    amount = None
        if len(currency) != 3 or pycountry.currencies.get(alpha_3=currency) is None:
            errors[f"currency_{kind}"] = _(
                "%(code)s is not an ISO 4217 currency code (such as EUR)."
            ) % {"code": currency[:10]}
        out[kind] = (amount, currency)
    return out, errors


def clean_values(values: dict, *, for_accept: bool = False) -> dict:
    """Normalise and check review values; raises ValidationError naming each field."""
    errors: dict[str, str] = {}
    out: dict = {}
    for name in FIELDS:
        value = values.get(name)
        if isinstance(value, str):
            value = value.strip()
        out[name] = None if value in ("", None) else value

    kind = out["collectivite_type"]
    if kind is not None and kind not in TERRITORY_KINDS:
        errors["collectivite_type"] = _("Unknown type of authority: %s") % kind
    code = out["collectivite_code"]
    if code is not None:
        code = str(code).upper()
        out["collectivite_code"] = code
        try:
            validate_french_official_code(code, TERRITORY_KINDS.get(kind, TerritoryKind.OTHER))
        except ValidationError as exc:
            errors["collectivite_code"] = " ".join(exc.messages)
    country = out["pays_partenaire"]
    if country is not None:
        country = str(country).upper()
        out["pays_partenaire"] = country
        if not is_country(country):
            errors["pays_partenaire"] = _("Unknown country code: %s") % country
    year = out["annee_debut"]
    if year is not None:
        try:
            year = int(str(year))
        except ValueError:
            errors["annee_debut"] = _("The start year must be a whole number.")
        else:
            out["annee_debut"] = year
            if not 1950 <= year <= timezone.now().year:
                errors["annee_debut"] = _("The start year must be between 1950 and this year.")
    budget = out["budget_annuel_eur"]
    if budget is not None:
        try:
            budget = Decimal(str(budget))
        except InvalidOperation:
            errors["budget_annuel_eur"] = _("The budget must be a number.")
        else:
            if not budget.is_finite() or budget < 0:
                errors["budget_annuel_eur"] = _("The budget must be a number, 0 or more.")
            else:
                out["budget_annuel_eur"] = budget
    themes = _words(out["themes"])
    unknown = [t for t in themes if t not in THEMES]
    if unknown:
        errors["themes"] = _("Unknown themes: %s") % ", ".join(unknown)
    out["themes"] = list(dict.fromkeys(themes))
    fundings = _words(out["cofinancements"])
    unknown = [f for f in fundings if f not in FunderKind.values]
    if unknown:
        errors["cofinancements"] = _("Unknown co-funding kinds: %s") % ", ".join(unknown)
    out["cofinancements"] = list(dict.fromkeys(fundings))
    out[AMOUNTS], amount_errors = _clean_amounts(values.get(AMOUNTS), out["cofinancements"])
    errors.update(amount_errors)

    if for_accept:
        required = (
            "collectivite_nom",
            "collectivite_type",
            "pays_partenaire",
            "autorite_partenaire",
            "themes",
        )
        for name in required:
            if not out[name] and name not in errors:
                errors[name] = _("This field is needed to enter the registry.")
    if errors:
        raise ValidationError(errors)
    return out


def _same(a, b) -> bool:
    def norm(v):
        if v is None:
            return ""
        if isinstance(v, list | tuple):
            return " ".join(str(x) for x in v)
        if isinstance(v, float | int | Decimal) and not isinstance(v, bool):
            return str(Decimal(str(v)).normalize())
        return str(v).strip().lower()

    return norm(a) == norm(b)


def _storable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return " ".join(value)
    return value


# --- the analyst's decisions ---------------------------------------------------------------


def _mark(review, status, actor, note):
    review.status = status
    review.reviewed_by = actor if getattr(actor, "pk", None) else None
    review.reviewed_at = timezone.now()
    if note is not None:
        review.note = note


@transaction.atomic
def review_edit(*, review: CooperationReview, values: dict, actor=None) -> CooperationReview:
    """Keep the analyst's corrections (only the fields that differ from the answer)."""
    original = review_original(review)
    cleaned = clean_values(original | values)
    stored = review_stored_choices(review)
    review.edited = {
        name: _storable(cleaned[name])
        for name in FIELDS
        if name in values and not _same(cleaned[name], original[name])
    }
    amounts = {
        kind: {"amount": str(amount), "currency": currency}
        for kind, (amount, currency) in cleaned[AMOUNTS].items()
        if amount is not None
    }
    if amounts:
        review.edited[AMOUNTS] = amounts
    if stored:
        review.edited[CHOICES] = stored
    review.save(update_fields=["edited"])
    return review


@transaction.atomic
def review_reject(*, review: CooperationReview, actor=None, note: str | None = None):
    """Nothing enters the registry (what an earlier acceptance made stays there)."""
    _mark(review, ReviewStatus.REJECTED, actor, note)
    review.save()
    return review


def review_resolutions(values: dict) -> dict[str, Resolution]:
    """Which territories the (cleaned) values designate: {"french": …, "partner": …}."""
    out = {}
    if values.get("collectivite_nom") and values.get("collectivite_type") in TERRITORY_KINDS:
        out["french"] = territory_resolve(
            country="FR",
            kind=TERRITORY_KINDS[values["collectivite_type"]],
            code=values.get("collectivite_code") or "",
            name=values["collectivite_nom"],
        )
    if values.get("pays_partenaire") and values.get("autorite_partenaire"):
        out["partner"] = territory_resolve(
            country=values["pays_partenaire"], name=values["autorite_partenaire"]
        )
    return out


def review_pending_resolutions(review: CooperationReview) -> dict[str, Resolution]:
    """The uncertain resolutions of a review's current values (the analyst has to choose)."""
    try:
        values = clean_values(review_values(review))
    except ValidationError:
        return {}
    return {side: r for side, r in review_resolutions(values).items() if not r.certain}


def review_stored_choices(review: CooperationReview) -> dict[str, str]:
    stored = review.edited.get(CHOICES) if isinstance(review.edited, dict) else None
    if not isinstance(stored, dict):
        return {}
    return {side: str(stored[side]) for side in SIDES if stored.get(side)}


def _territories(review, values, actor, choices: dict | None) -> tuple[Territory, Territory]:
    """The French and the partner territories: resolved for certain, else as the analyst
    chose (posted now, or kept from an earlier acceptance). Raises ValidationError
    (``territory_french`` / ``territory_partner``) when a choice is missing or is not one of
    the candidates — before anything is created."""
    resolutions = review_resolutions(values)
    given = review_stored_choices(review) | {
        side: str(v) for side, v in (choices or {}).items() if side in SIDES and v
    }
    decided: dict[str, Territory | None] = {}
    errors: dict[str, str] = {}
    kept: dict[str, str] = {}
    for side in SIDES:
        resolution = resolutions[side]
        if resolution.certain:
            decided[side] = resolution.match
            continue
        choice = given.get(side, "")
        if choice == NEW:
            decided[side] = None
            kept[side] = NEW
        elif (territory := resolution.candidate(choice)) is not None:
            decided[side] = territory
            kept[side] = str(territory.pk)
        else:
            errors[f"territory_{side}"] = _(
                "Several territories may be meant: choose one, or a new territory."
            )
    if errors:
        raise ValidationError(errors)
    french = decided["french"]
    if french is None:
        french = territory_create(
            actor=actor,
            name=values["collectivite_nom"],
            country="FR",
            kind=TERRITORY_KINDS[values["collectivite_type"]],
            official_code=values["collectivite_code"] or "",
        )
    partner = decided["partner"]
    if partner is None:
        partner = territory_create(
            actor=actor,
            name=values["autorite_partenaire"],
            country=values["pays_partenaire"],
            kind=TerritoryKind.MUNICIPALITY,
        )
    # what was chosen is kept (a new territory by its id, so that accepting again reuses it)
    for side, territory in (("french", french), ("partner", partner)):
        if side in kept:
            kept[side] = str(territory.pk)
    if kept:
        review.edited = {**review.edited, CHOICES: kept}
    return french, partner


def _links(partnership: Partnership, french: Territory, partner: Territory) -> bool:
    sides = dict(partnership.parties.values_list("territory_id", "side"))
    return sides.get(french.pk) == Side.FRENCH and sides.get(partner.pk) == Side.PARTNER


def _partnership(review, values, french, partner, actor) -> Partnership:
    if review.partnership_id:
        partnership = Partnership.objects.filter(pk=review.partnership_id).first()
        if partnership is not None and _links(partnership, french, partner):
            return partnership
    existing = (
        Partnership.objects.filter(parties__territory=french, parties__side=Side.FRENCH)
        .filter(parties__territory=partner)
        .order_by("pk")
    )
    for partnership in existing:
        if _links(partnership, french, partner):
            return partnership
    year = values["annee_debut"]
    return registry.partnership_create(
        actor=actor,
        title=f"{french.name} ↔ {partner.name}",
        kind=PartnershipKind.COOPERATION,
        start_date=date(year, 1, 1) if year else None,
        language="fr",
        french_territories=[french],
        partner_territories=[partner],
    )


def _project_fields(review, values, partner) -> dict:
    with translation.override("fr"):
        labels = ", ".join(theme_label(code) for code in values["themes"])
    year = values["annee_debut"]
    questionnaire = review.submission.questionnaire
    summary = (
        f"Coopération décrite par {values['collectivite_nom']} dans l'enquête "
        f"« {questionnaire.title} »."
    )
    unknown = [
        FUNDER_NAMES[kind]
        for kind in values["cofinancements"]
        if values[AMOUNTS].get(kind, (None, "EUR"))[0] is None
    ]
    if unknown:
        summary += (
            " Montant non communiqué pour "
            + ("le cofinancement" if len(unknown) == 1 else "les cofinancements")
            + " : "
            + ", ".join(unknown)
            + " (enregistré à 0)."
        )
    return {
        "title": f"{partner.name} : {labels}"[:300],
        "summary": summary,
        "start_date": date(year, 1, 1) if year else None,
        "budget_amount": values["budget_annuel_eur"],
        "budget_currency": "EUR",
        "language": "fr",
    }


def _fundings(values, actor) -> list:
    """(funder, amount, currency) per co-funding kind; 0 when the amount was not given."""
    fundings = []
    for kind in values["cofinancements"]:
        amount, currency = values[AMOUNTS].get(kind, (None, "EUR"))
        funder = registry.funder_get_or_create(actor=actor, name=FUNDER_NAMES[kind], kind=kind)
        if amount is None:
            fundings.append((funder, Decimal("0"), "EUR"))
        else:
            fundings.append((funder, amount, currency))
    return fundings


@transaction.atomic
def review_accept(
    *,
    review: CooperationReview,
    actor=None,
    note: str | None = None,
    choices: dict[str, str] | None = None,
) -> CooperationReview:
    """Create or update the partnership and the project this cooperation describes.

    ``choices`` ({"french"|"partner": territory id or "new"}) settles the territories whose
    resolution is uncertain (see ``review_pending_resolutions()``).
    """
    values = clean_values(review_values(review), for_accept=True)
    french, partner = _territories(review, values, actor, choices)
    partnership = _partnership(review, values, french, partner, actor)
    fields = _project_fields(review, values, partner)
    fundings = _fundings(values, actor)
    project = None
    if review.project_id:
        project = partnership.projects.filter(pk=review.project_id).first()
    if project is None:
        project = registry.project_create(
            actor=actor,
            partnership=partnership,
            themes=values["themes"],
            fundings=fundings,
            **fields,
        )
    else:
        project = registry.project_update(
            actor=actor, project=project, themes=values["themes"], fundings=fundings, **fields
        )
    review.partnership = partnership
    review.project = project
    _mark(review, ReviewStatus.ACCEPTED, actor, note)
    review.save()
    return review
