"""A project's page, its form with co-funding rows, its deletion and restoration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocite.core.http import deny_unless
from reciprocite.territories.forms import add_service_errors

from .. import permissions, selectors, services
from ..forms import (
    BaseFundingFormSet,
    FundingFormSet,
    ProjectForm,
    ReplicationForm,
    funder_names,
    funding_initial,
)
from ..models import Partnership, Project
from .actors import role_form_context
from .display import crumbs, sides, totals_by_currency
from .lookups import partnership_or_404, project_or_404


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(pk=pk, viewer=request.user)
    if project is None:
        raise Http404(_("No such project."))
    user = request.user
    can_edit = permissions.can_edit_project(user, project)
    context = {
        "project": project,
        "partnership": project.partnership,
        "side_list": sides(project.partnership),
        "roles": sorted(project.roles.all(), key=lambda r: (r.actor.name, r.role)),
        "fundings": sorted(project.fundings.all(), key=lambda f: f.funder.name),
        "funding_totals": totals_by_currency(
            (f.amount, f.currency) for f in project.fundings.all()
        ),
        "can_edit": can_edit,
        "can_delete": permissions.can_delete_project(user, project),
        "can_view_history": permissions.can_view_history(user, project.partnership),
    }
    if can_edit:
        context.update(role_form_context(project))
        context["replication_form"] = ReplicationForm(
            prefix="rep",
            project=project,
            visible_projects=selectors.project_list(viewer=user),
        )
    return render(request, "registry/project_detail.html", context)


def _project_form_response(
    request: HttpRequest,
    form: ProjectForm,
    formset: BaseFundingFormSet,
    partnership: Partnership,
    project: Project | None,
) -> HttpResponse:
    return render(
        request,
        "registry/project_form.html",
        {
            "form": form,
            "formset": formset,
            "partnership": partnership,
            "project": project,
            "funder_names": funder_names(),
        },
    )


def _save_project(
    request: HttpRequest,
    form: ProjectForm,
    formset: BaseFundingFormSet,
    *,
    partnership: Partnership,
    project: Project | None = None,
) -> Project | None:
    """Create or update through the services; returns the project or None on errors."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            fundings = [
                (
                    services.funder_get_or_create(actor=request.user, name=name, kind=kind),
                    amount,
                    currency,
                )
                for name, kind, amount, currency in formset.rows()
            ]
            common = {
                "actor": request.user,
                "themes": data["themes"],
                "publics": data["publics"],
                "fundings": fundings,
                **form.service_fields(),
            }
            if project is None:
                return services.project_create(partnership=partnership, **common)
            return services.project_update(project=project, **common)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    deny_unless(permissions.can_create_project(request.user, partnership))
    form = ProjectForm(request.POST or None, partnership=partnership)
    formset = FundingFormSet(request.POST or None, prefix="funding")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        project = _save_project(request, form, formset, partnership=partnership)
        if project is not None:
            messages.success(request, _("The project was recorded."))
            return redirect("registry:project_detail", pk=project.pk)
    return _project_form_response(request, form, formset, partnership, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    deny_unless(permissions.can_edit_project(request.user, project))
    partnership = project.partnership
    form = ProjectForm(request.POST or None, instance=project, partnership=partnership)
    formset = FundingFormSet(
        request.POST or None, prefix="funding", initial=funding_initial(project)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        if _save_project(request, form, formset, partnership=partnership, project=project):
            messages.success(request, _("The project was saved."))
            return redirect("registry:project_detail", pk=project.pk)
    return _project_form_response(request, form, formset, partnership, project)


def funding_row(request: HttpRequest) -> HttpResponse:
    """An empty co-funding row for the project form (htmx "add a row")."""
    try:
        index = int(request.GET.get("index", "0"))
    except ValueError:
        index = 0
    index = max(0, min(index, 49))
    formset = FundingFormSet(prefix="funding")
    form = formset.empty_form
    form.prefix = f"funding-{index}"
    return render(
        request,
        "registry/_funding_row.html",
        {"funding_form": form, "index": index, "next_index": index + 1, "oob": True},
    )


@login_required
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    deny_unless(permissions.can_delete_project(request.user, project))
    if request.method == "POST":
        services.project_delete(actor=request.user, project=project)
        messages.success(
            request,
            _("“%(title)s” was deleted. It can be restored from its partnership's page.")
            % {"title": project.title},
        )
        return redirect("registry:partnership_detail", pk=project.partnership_id)
    return render(
        request,
        "registry/confirm_delete.html",
        {
            "object": project,
            "what": _("project"),
            "cancel_url": reverse("registry:project_detail", args=[project.pk]),
            "crumbs": crumbs(
                (_("Partnerships"), reverse("registry:partnership_list")),
                (
                    project.partnership.title,
                    reverse("registry:partnership_detail", args=[project.partnership_id]),
                ),
                (project.title, reverse("registry:project_detail", args=[project.pk])),
                (_("Delete"), None),
            ),
        },
    )


@login_required
@require_POST
def project_restore(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        Project.all_objects.select_related("partnership").prefetch_related("partnership__parties"),
        pk=pk,
        deleted_at__isnull=False,
    )
    if project.partnership.is_deleted or not permissions.can_view_partnership(
        request.user, project.partnership
    ):
        raise Http404(_("No such project."))
    deny_unless(permissions.can_delete_project(request.user, project))
    services.project_restore(actor=request.user, project=project)
    messages.success(request, _("“%(title)s” was restored.") % {"title": project.title})
    return redirect("registry:project_detail", pk=project.pk)
