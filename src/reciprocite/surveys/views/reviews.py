"""Pages: reviewing the cooperations described in the ``cooperations`` survey into the
registry (analysts and admins only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from reciprocite.core.filters import id_value
from reciprocite.core.http import deny_unless
from reciprocite.registry.models import FunderKind
from reciprocite.registry.taxonomy import THEMES, theme_label
from reciprocite.territories.geography import country_choices, country_name
from reciprocite.territories.models import TerritoryKind

from .. import permissions
from ..models import Campaign, CooperationReview, Questionnaire, ReviewStatus
from ..services import reviews as services

FORM_ID = "cooperations"
PAGE_SIZE = 50

LABELS = {
    "collectivite_nom": gettext_lazy("Respondent authority"),
    "collectivite_type": gettext_lazy("Type of authority"),
    "collectivite_code": gettext_lazy("Official code (INSEE or SIREN)"),
    "pays_partenaire": gettext_lazy("Partner country"),
    "autorite_partenaire": gettext_lazy("Partner authority"),
    "annee_debut": gettext_lazy("Start year"),
    "themes": gettext_lazy("Themes"),
    "budget_annuel_eur": gettext_lazy("Annual budget (EUR)"),
    "cofinancements": gettext_lazy("Co-fundings"),
}
AUTHORITY_TYPES = {
    "commune": gettext_lazy("Commune"),
    "intercommunalite": gettext_lazy("Intercommunality"),
    "departement": gettext_lazy("Département"),
    "region": gettext_lazy("Region"),
    "autre": gettext_lazy("Other"),
}


CHOICE_LEGENDS = {
    "french": gettext_lazy("Which territory is the respondent authority?"),
    "partner": gettext_lazy("Which territory is the partner authority?"),
}


def _posted_choices(post) -> dict[str, str]:
    return {side: post.get(f"territory_{side}", "") for side in services.SIDES}


def _territory_choices(review, values: dict, posted: dict, errors: dict) -> list[dict]:
    """The uncertain territories of these values, as radio lists: the candidates (their kind,
    code, country and why they are candidates) and a new territory."""
    try:
        cleaned = services.clean_values(services.review_original(review) | values)
    except ValidationError:
        return []
    stored = services.review_stored_choices(review)
    names = {"french": cleaned["collectivite_nom"], "partner": cleaned["autorite_partenaire"]}
    kinds = dict(TerritoryKind.choices)
    out = []
    for side, resolution in services.review_resolutions(cleaned).items():
        if resolution.certain:
            continue
        selected = posted.get(side) or stored.get(side) or ""
        out.append(
            {
                "side": side,
                "legend": CHOICE_LEGENDS[side],
                "name": names[side],
                "new": services.NEW,
                "selected": selected,
                "errors": errors.get(f"territory_{side}", []),
                "candidates": [
                    {
                        "pk": str(c.territory.pk),
                        "name": c.territory.name,
                        "kind": kinds.get(c.territory.kind, c.territory.kind),
                        "code": c.territory.official_code,
                        "country": country_name(c.territory.country, get_language()),
                        "country_code": c.territory.country,
                        "reason": c.reason_label,
                    }
                    for c in resolution.candidates
                ],
            }
        )
    return out


def _words(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value).split()


def _display(name: str, value) -> str:
    """A value as the analyst reads it."""
    if value in (None, ""):
        return "—"
    if name == "collectivite_type":
        return str(AUTHORITY_TYPES.get(value, value))
    if name == "pays_partenaire":
        code = str(value).upper()
        return f"{country_name(code, get_language())} ({code})"
    if name == "themes":
        return ", ".join(theme_label(code) for code in _words(value))
    if name == "cofinancements":
        kinds = dict(FunderKind.choices)
        return ", ".join(str(kinds.get(code, code)) for code in _words(value))
    return str(value)


@login_required
def review_list_view(request):
    deny_unless(permissions.can_review(request.user))
    questionnaires = Questionnaire.objects.filter(form_id=FORM_ID)
    campaign = None
    campaign_id = request.GET.get("campaign", "")
    if (pk := id_value(campaign_id)) is not None:
        campaign = Campaign.objects.filter(pk=pk).first()
    for questionnaire in questionnaires:
        services.reviews_ensure(questionnaire=questionnaire)
    status = request.GET.get("status", ReviewStatus.PENDING)
    if status not in ReviewStatus.values:
        status = ReviewStatus.PENDING
    reviews = CooperationReview.objects.filter(
        submission__questionnaire__in=questionnaires, status=status
    ).select_related("submission")
    if campaign is not None:
        reviews = reviews.filter(submission__invitation__campaign=campaign)
    page = Paginator(reviews.order_by("submission__submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for review in page.object_list:
        values = services.review_values(review)
        rows.append(
            {
                "review": review,
                "authority": values["collectivite_nom"] or "—",
                "country": _display("pays_partenaire", values["pays_partenaire"]),
                "partner": values["autorite_partenaire"] or "—",
                "year": values["annee_debut"] or "—",
            }
        )
    return render(
        request,
        "surveys/reviews/list.html",
        {
            "rows": rows,
            "page": page,
            "status": status,
            "statuses": ReviewStatus.choices,
            "campaign": campaign,
            "has_questionnaire": questionnaires.exists(),
        },
    )


def _review_or_404(request, pk: int) -> CooperationReview:
    deny_unless(permissions.can_review(request.user))
    review = (
        CooperationReview.objects.select_related(
            "submission__questionnaire", "partnership", "project", "reviewed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404(_("No such review."))
    return review


def _posted_values(post) -> dict:
    values = {name: post.get(name, "") for name in services.FIELDS}
    values["themes"] = post.getlist("themes")
    values["cofinancements"] = post.getlist("cofinancements")
    values[services.AMOUNTS] = {
        kind: {
            "amount": post.get(f"amount_{kind}", ""),
            "currency": post.get(f"currency_{kind}", ""),
        }
        for kind in FunderKind.values
    }
    return values


def _funding_rows(values: dict, errors: dict) -> list[dict]:
    """One row per co-funding kind: ticked or not, its amount and currency (as posted, or as
    kept on the review), their errors."""
    chosen = _words(values.get("cofinancements"))
    amounts = values.get(services.AMOUNTS) or {}
    rows = []
    for code, label in FunderKind.choices:
        given = amounts.get(code) if isinstance(amounts.get(code), dict) else {}
        rows.append(
            {
                "code": code,
                "label": label,
                "checked": code in chosen,
                "amount": given.get("amount") or "",
                "currency": given.get("currency") or "EUR",
                "amount_errors": errors.get(f"amount_{code}", []),
                "currency_errors": errors.get(f"currency_{code}", []),
            }
        )
    return rows


@login_required
def review_detail_view(request, pk: int):
    review = _review_or_404(request, pk)
    errors: dict[str, list[str]] = {}
    posted = None
    choices = _posted_choices(request.POST) if request.method == "POST" else {}
    if request.method == "POST":
        action = request.POST.get("action")
        note = request.POST.get("note", "").strip()
        try:
            # corrections and acceptance together: a refused acceptance keeps nothing
            with transaction.atomic():
                if action in ("save", "accept"):
                    posted = _posted_values(request.POST)
                    if action == "accept":  # every problem at once, the required ones too
                        services.clean_values(
                            services.review_original(review) | posted, for_accept=True
                        )
                    services.review_edit(review=review, values=posted, actor=request.user)
                if action == "accept":
                    services.review_accept(
                        review=review, actor=request.user, note=note, choices=choices
                    )
                    done = _("Accepted: the cooperation is in the registry.")
                elif action == "reject":
                    services.review_reject(review=review, actor=request.user, note=note)
                    done = _("Rejected: nothing enters the registry.")
                elif action == "save":
                    done = _("Your corrections are saved.")
                else:
                    raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            review.refresh_from_db()
        else:
            messages.success(request, done)
            return redirect("surveys:review_detail", pk=review.pk)

    values = posted if posted is not None else services.review_values(review)
    rows = []
    for row in services.review_rows(review):
        rows.append(
            {
                "name": row.name,
                "label": LABELS[row.name],
                "original": _display(row.name, row.original),
                "is_edited": row.is_edited,
                "value": values.get(row.name),
                "words": _words(values.get(row.name)),
                "errors": errors.get(row.name, []),
            }
        )
    data = review.submission.data or {}
    entries = data.get(review.repeat_name) or []
    entry = entries[review.repeat_index - 1] if 0 < review.repeat_index <= len(entries) else {}
    other_answers = [
        (name, value)
        for name, value in entry.items()
        if name not in services.FIELDS and not name.startswith("_") and value not in ("", None)
    ]
    return render(
        request,
        "surveys/reviews/detail.html",
        {
            "review": review,
            "other_answers": other_answers,
            "rows": rows,
            "errors": errors,
            "general_errors": errors.get("", []),
            "authority_types": list(AUTHORITY_TYPES.items()),
            "countries": country_choices(get_language()),
            "themes": [(code, theme_label(code)) for code in THEMES],
            "fundings": _funding_rows(values, errors),
            "territory_choices": _territory_choices(review, values, choices, errors),
        },
        status=400 if errors else 200,
    )


urlpatterns = [
    path("reviews/", review_list_view, name="review_list"),
    path("reviews/<int:pk>/", review_detail_view, name="review_detail"),
]
