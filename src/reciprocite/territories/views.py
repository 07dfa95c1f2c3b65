"""Pages of the territories: list with filters, detail, create and edit."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reciprocite.core.filters import FilterError
from reciprocite.core.http import deny_unless

from . import permissions, selectors, services
from .forms import TerritoryFilterForm, TerritoryForm, add_service_errors
from .models import Territory


def territory_list(request):
    form = TerritoryFilterForm(request.GET or None)
    filters = {k: request.GET.get(k, "").strip() for k in selectors.TERRITORY_FILTERS}
    error = None
    try:
        qs = selectors.territory_list(filters=filters)
    except FilterError as exc:
        error = _("The filter “%(param)s” is not valid. All territories are shown instead.") % {
            "param": exc.param
        }
        qs = selectors.territory_list()
    paginator = Paginator(qs, settings.RECIPROCITE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "territories/territory_list.html",
        {
            "form": form,
            "filter_error": error,
            "page_obj": page_obj,
            "page_range": list(
                paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
            ),
            "can_create": permissions.can_create_territory(request.user),
        },
    )


def _territory_or_404(pk: int) -> Territory:
    territory = Territory.objects.filter(pk=pk).first()
    if territory is None:
        raise Http404(_("No such territory."))
    return territory


def territory_detail(request, pk: int):
    territory = _territory_or_404(pk)
    if not permissions.can_view_territory(request.user, territory):
        raise Http404(_("No such territory."))
    return render(
        request,
        "territories/territory_detail.html",
        {
            "territory": territory,
            "can_edit": permissions.can_edit_territory(request.user, territory),
        },
    )


@login_required
def territory_create(request):
    deny_unless(permissions.can_create_territory(request.user))
    form = TerritoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            territory = services.territory_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The territory was recorded."))
            return redirect("territories:territory_detail", pk=territory.pk)
    return render(request, "territories/territory_form.html", {"form": form, "territory": None})


@login_required
def territory_edit(request, pk: int):
    territory = _territory_or_404(pk)
    deny_unless(permissions.can_edit_territory(request.user, territory))
    form = TerritoryForm(request.POST or None, instance=territory)
    if request.method == "POST" and form.is_valid():
        try:
            services.territory_update(
                actor=request.user, territory=territory, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The territory was saved."))
            return redirect("territories:territory_detail", pk=territory.pk)
    return render(
        request, "territories/territory_form.html", {"form": form, "territory": territory}
    )
