"""The lists of partnerships and of projects: whitelisted filters from the query string,
facets with counts, pages (a fragment for htmx)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciprocite.core.filters import FilterError
from reciprocite.core.http import is_partial, vary_on_htmx

from .. import permissions, selectors
from ..models import Partnership
from ..selectors import RegistryFilters


def _filters_from(
    request: HttpRequest, *, for_projects: bool
) -> tuple[RegistryFilters, str | None]:
    """The filters of the query string; on a bad one, no filter and a message naming it."""
    params = request.GET.copy()
    decade = params.pop("decade", [""])[-1].strip()
    try:
        if decade:
            if not (decade.isdecimal() and len(decade) == 4 and int(decade) % 10 == 0):
                raise FilterError("decade", _("must be a decade such as 1990"))
            params["year_from"] = decade
            params["year_to"] = str(int(decade) + 9)
        return RegistryFilters.parse(params, for_projects=for_projects), None
    except FilterError as exc:
        message = str(exc)
        prefix = f"{exc.param}: "
        if message.startswith(prefix):
            message = message[len(prefix) :]
        return RegistryFilters(), _("The filter “%(param)s” is not valid: %(message)s.") % {
            "param": exc.param,
            "message": message,
        }


def _decade_of(filters: RegistryFilters) -> str:
    if (
        filters.year_from
        and filters.year_to
        and filters.year_from % 10 == 0
        and filters.year_to == filters.year_from + 9
    ):
        return str(filters.year_from)
    return ""


FACET_LABELS = {
    "q": gettext_lazy("Words"),
    "country": gettext_lazy("Partner country"),
    "zone": gettext_lazy("Zone"),
    "theme": gettext_lazy("Theme"),
    "authority_kind": gettext_lazy("Kind of authority"),
    "decade": gettext_lazy("Decade of start"),
    "status": gettext_lazy("Status"),
    "budget_band": gettext_lazy("Budget"),
    "kind": gettext_lazy("Kind of partnership"),
}


def _facet_fields(
    facets: dict[str, Any], filters: RegistryFilters, decade: str
) -> list[dict[str, Any]]:
    """Each facet as a select: its options with counts, the chosen one kept even at zero."""
    fields = []
    for name in (
        "country",
        "zone",
        "theme",
        "authority_kind",
        "decade",
        "status",
        "budget_band",
        "kind",
    ):
        selected = decade if name == "decade" else str(getattr(filters, name) or "")
        options = [
            {"value": str(item["value"]), "label": item["label"], "count": item["count"]}
            for item in facets.get(name, [])
        ]
        if selected and selected not in {o["value"] for o in options}:
            label = f"{selected}–{int(selected) + 9}" if name == "decade" else selected
            options.insert(0, {"value": selected, "label": label, "count": 0})
        for option in options:
            option["selected"] = option["value"] == selected
        fields.append(
            {"name": name, "label": FACET_LABELS[name], "options": options, "selected": selected}
        )
    return fields


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> tuple[Page[Any], list[int | str]]:
    paginator = Paginator(queryset, settings.RECIPROCITE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return page_obj, list(page_range)


def _list_page(request: HttpRequest, *, for_projects: bool) -> HttpResponse:
    filters, error = _filters_from(request, for_projects=for_projects)
    if for_projects:
        qs = selectors.project_list(filters=filters, viewer=request.user)
        facets = selectors.project_facets(qs)
        template, partial = "registry/project_list.html", "registry/_project_listing.html"
        url = reverse("registry:project_list")
    else:
        qs = selectors.partnership_list(filters=filters, viewer=request.user)
        facets = selectors.partnership_facets(qs)
        template, partial = "registry/partnership_list.html", "registry/_partnership_listing.html"
        url = reverse("registry:partnership_list")
    page_obj, page_range = _page(request, qs)
    partnership = None
    if for_projects and filters.partnership:
        partnership = Partnership.objects.filter(pk=filters.partnership).first()
    context = {
        "filters": filters,
        "filter_error": error,
        "facet_fields": _facet_fields(facets, filters, _decade_of(filters)),
        "page_obj": page_obj,
        "page_range": page_range,
        "list_url": url,
        "for_projects": for_projects,
        "filtered_partnership": partnership,
        "can_create_partnership": permissions.can_create_partnership(request.user),
    }
    response = render(request, partial if is_partial(request) else template, context)
    return vary_on_htmx(response)


def partnership_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, for_projects=False)


def project_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, for_projects=True)
