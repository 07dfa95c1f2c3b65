"""A partnership's page, its creation, edition, deletion and restoration, and the list of
deleted partnerships."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocite.core.http import deny_unless
from reciprocite.territories.forms import add_service_errors

from .. import permissions, selectors, services
from ..forms import PartnershipForm
from ..models import Partnership, Project
from .display import budget_tables, crumbs, sides, totals_by_currency
from .lookups import partnership_or_404


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_detail(pk=pk, viewer=request.user)
    if partnership is None:
        raise Http404(_("No such partnership."))
    user = request.user
    programmes = [
        {"programme": programme, "tables": budget_tables(programme)}
        for programme in partnership.programmes.all()
    ]
    projects = list(partnership.projects.all())
    can_delete = permissions.can_delete_partnership(user, partnership)
    deleted_projects = (
        list(Project.all_objects.filter(partnership=partnership, deleted_at__isnull=False))
        if can_delete
        else []
    )
    context = {
        "partnership": partnership,
        "side_list": sides(partnership),
        "programmes": programmes,
        "projects": projects,
        "project_totals": totals_by_currency(
            (p.budget_amount, p.budget_currency) for p in projects
        ),
        "documents": list(partnership.documents.all()),
        "deleted_projects": deleted_projects,
        "can_edit": permissions.can_edit_partnership(user, partnership),
        "can_delete": can_delete,
        "can_create_project": permissions.can_create_project(user, partnership),
        "can_view_history": permissions.can_view_history(user, partnership),
    }
    return render(request, "registry/partnership_detail.html", context)


@login_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    deny_unless(permissions.can_create_partnership(request.user))
    form = PartnershipForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                actor=request.user,
                french_territories=form.cleaned_data["french_territories"],
                partner_territories=form.cleaned_data["partner_territories"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"territories": "french_territories"})
        else:
            messages.success(request, _("The partnership was recorded."))
            return redirect("registry:partnership_detail", pk=partnership.pk)
    return render(request, "registry/partnership_form.html", {"form": form, "partnership": None})


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    deny_unless(permissions.can_edit_partnership(request.user, partnership))
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                actor=request.user,
                partnership=partnership,
                french_territories=form.cleaned_data["french_territories"],
                partner_territories=form.cleaned_data["partner_territories"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"territories": "french_territories"})
        else:
            messages.success(request, _("The partnership was saved."))
            return redirect("registry:partnership_detail", pk=partnership.pk)
    return render(
        request, "registry/partnership_form.html", {"form": form, "partnership": partnership}
    )


@login_required
def partnership_delete(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    deny_unless(permissions.can_delete_partnership(request.user, partnership))
    if request.method == "POST":
        services.partnership_delete(actor=request.user, partnership=partnership)
        messages.success(
            request,
            _("“%(title)s” was deleted. It can be restored from the deleted partnerships.")
            % {"title": partnership.title},
        )
        return redirect("registry:partnership_list")
    return render(
        request,
        "registry/confirm_delete.html",
        {
            "object": partnership,
            "what": _("partnership"),
            "cancel_url": reverse("registry:partnership_detail", args=[partnership.pk]),
            "crumbs": crumbs(
                (_("Partnerships"), reverse("registry:partnership_list")),
                (partnership.title, reverse("registry:partnership_detail", args=[partnership.pk])),
                (_("Delete"), None),
            ),
        },
    )


def _deleted_partnerships_for(user: AbstractBaseUser | AnonymousUser) -> list[Partnership]:
    candidates = (
        Partnership.all_objects.filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .prefetch_related("parties")
        .order_by("-deleted_at")
    )
    return [p for p in candidates if permissions.can_delete_partnership(user, p)]


@login_required
def deleted_partnerships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/deleted_partnerships.html",
        {"partnerships": _deleted_partnerships_for(request.user)},
    )


@login_required
@require_POST
def partnership_restore(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(
        Partnership.all_objects.prefetch_related("parties"), pk=pk, deleted_at__isnull=False
    )
    if not permissions.can_delete_partnership(request.user, partnership):
        raise Http404(_("No such partnership."))
    services.partnership_restore(actor=request.user, partnership=partnership)
    messages.success(request, _("“%(title)s” was restored.") % {"title": partnership.title})
    return redirect("registry:partnership_detail", pk=partnership.pk)
