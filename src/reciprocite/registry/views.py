"""Pages of the registry: home, lists with facets, details, history and edit forms.

Views are thin: they check a permission predicate (``permissions.py``), read through the
selectors and write through the services with ``actor=request.user``. Objects a visitor may
not see are 404; actions a visitor may not take on an object they see are 403.
"""

from __future__ import annotations

import os
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reciprocite.core.filters import FilterError
from reciprocite.core.http import deny_unless, is_partial, vary_on_htmx
from reciprocite.interop import files
from reciprocite.territories.forms import add_service_errors

from . import permissions, selectors, services
from .forms import (
    ActorRoleForm,
    BudgetLineForm,
    DocumentForm,
    FundingFormSet,
    PartnershipForm,
    ProgrammeForm,
    ProjectForm,
    ReplicationForm,
    funder_names,
    funding_initial,
)
from .models import (
    BudgetLine,
    Document,
    Partnership,
    PartnershipParty,
    Programme,
    Project,
    ProjectActor,
    ProjectFunding,
    Replication,
)
from .selectors import RegistryFilters
from .taxonomy import THEMES

HOME_HIGHLIGHTS = 6


# --- helpers ---------------------------------------------------------------------------------


def _partnership_or_404(request, pk: int) -> Partnership:
    """A partnership the visitor may see (404 otherwise), without the heavy prefetch."""
    partnership = Partnership.objects.filter(pk=pk).prefetch_related("parties").first()
    if partnership is None or not permissions.can_view_partnership(request.user, partnership):
        raise Http404(_("No such partnership."))
    return partnership


def _project_or_404(request, pk: int) -> Project:
    project = (
        Project.objects.filter(pk=pk)
        .select_related("partnership")
        .prefetch_related("partnership__parties")
        .first()
    )
    if (
        project is None
        or project.partnership.is_deleted
        or not permissions.can_view_project(request.user, project)
    ):
        raise Http404(_("No such project."))
    return project


def _crumbs(*items):
    return list(items)


# --- home --------------------------------------------------------------------------------------


def home(request):
    figures = selectors.registry_key_figures(viewer=request.user)
    highlights = list(
        selectors.partnership_list(viewer=request.user)
        .filter(is_fictitious=False)
        .order_by(
            F("project_count").desc(nulls_last=True),
            F("start_date").desc(nulls_last=True),
            "title",
        )[:HOME_HIGHLIGHTS]
    )
    themes = [(code, label) for code, (label, _dac) in THEMES.items()]
    return render(
        request,
        "registry/home.html",
        {
            "figures": figures,
            "highlights": highlights,
            "themes": themes,
            "can_create_partnership": permissions.can_create_partnership(request.user),
        },
    )


# --- lists -------------------------------------------------------------------------------------


def _filters_from(request, *, for_projects: bool) -> tuple[RegistryFilters, str | None]:
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


def _facet_fields(facets: dict, filters: RegistryFilters, decade: str) -> list[dict]:
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


def _page(request, queryset):
    paginator = Paginator(queryset, settings.RECIPROCITE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return page_obj, list(page_range)


def _list_page(request, *, for_projects: bool):
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


def partnership_list(request):
    return _list_page(request, for_projects=False)


def project_list(request):
    return _list_page(request, for_projects=True)


# --- partnership pages -----------------------------------------------------------------------


def _budget_tables(programme: Programme) -> list[dict]:
    """One table per currency: a row per funder, a column per year, with totals."""
    by_currency: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in programme.budget_lines.all():
        by_currency[line.currency].append(line)
    tables = []
    for currency in sorted(by_currency):
        lines = by_currency[currency]
        years = sorted({line.year for line in lines})
        funders = sorted({line.funder for line in lines}, key=lambda f: f.name.casefold())
        cell = {(line.funder_id, line.year): line for line in lines}
        rows = []
        for funder in funders:
            amounts = [cell.get((funder.pk, year)) for year in years]
            rows.append(
                {
                    "funder": funder,
                    "cells": amounts,
                    "total": sum((c.amount for c in amounts if c), Decimal("0")),
                }
            )
        year_totals = [
            sum((line.amount for line in lines if line.year == year), Decimal("0"))
            for year in years
        ]
        tables.append(
            {
                "currency": currency,
                "years": years,
                "rows": rows,
                "year_totals": year_totals,
                "total": sum(year_totals, Decimal("0")),
            }
        )
    return tables


def _totals_by_currency(pairs) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for amount, currency in pairs:
        if amount is not None:
            totals[currency] += amount
    return sorted(totals.items())


def _sides(partnership: Partnership) -> list[tuple[str, list]]:
    """[(label, territories)] for the French side, then the partner side."""
    sides: dict[str, list] = {"french": [], "partner": []}
    for party in partnership.parties.all():
        sides[party.side].append(party.territory)
    return [
        (_("French side"), sorted(sides["french"], key=lambda t: t.name)),
        (_("Partner side"), sorted(sides["partner"], key=lambda t: t.name)),
    ]


def partnership_detail(request, pk: int):
    partnership = selectors.partnership_detail(pk=pk, viewer=request.user)
    if partnership is None:
        raise Http404(_("No such partnership."))
    user = request.user
    programmes = [
        {"programme": programme, "tables": _budget_tables(programme)}
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
        "side_list": _sides(partnership),
        "programmes": programmes,
        "projects": projects,
        "project_totals": _totals_by_currency(
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


HISTORY_MODELS = {
    "partnership": Partnership,
    "party": PartnershipParty,
    "programme": Programme,
    "budget_line": BudgetLine,
    "project": Project,
    "funding": ProjectFunding,
    "actor_role": ProjectActor,
    "replication": Replication,
}


def _field_label(model_key: str, name: str) -> str:
    model = HISTORY_MODELS.get(model_key)
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except FieldDoesNotExist:
        return name


def partnership_history(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    partnership = _partnership_or_404(request, pk)
    deny_unless(permissions.can_view_history(request.user, partnership))
    entries = selectors.partnership_history(partnership=partnership)
    for entry in entries:
        entry["field_labels"] = [_field_label(entry["model"], f) for f in entry["fields"]]
    return render(
        request,
        "registry/partnership_history.html",
        {"partnership": partnership, "entries": entries},
    )


@login_required
def partnership_create(request):
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
def partnership_edit(request, pk: int):
    partnership = _partnership_or_404(request, pk)
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
def partnership_delete(request, pk: int):
    partnership = _partnership_or_404(request, pk)
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
            "crumbs": _crumbs(
                (_("Partnerships"), reverse("registry:partnership_list")),
                (partnership.title, reverse("registry:partnership_detail", args=[partnership.pk])),
                (_("Delete"), None),
            ),
        },
    )


def _deleted_partnerships_for(user) -> list[Partnership]:
    candidates = (
        Partnership.all_objects.filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .prefetch_related("parties")
        .order_by("-deleted_at")
    )
    return [p for p in candidates if permissions.can_delete_partnership(user, p)]


@login_required
def deleted_partnerships(request):
    return render(
        request,
        "registry/deleted_partnerships.html",
        {"partnerships": _deleted_partnerships_for(request.user)},
    )


@login_required
@require_POST
def partnership_restore(request, pk: int):
    partnership = get_object_or_404(
        Partnership.all_objects.prefetch_related("parties"), pk=pk, deleted_at__isnull=False
    )
    if not permissions.can_delete_partnership(request.user, partnership):
        raise Http404(_("No such partnership."))
    services.partnership_restore(actor=request.user, partnership=partnership)
    messages.success(request, _("“%(title)s” was restored.") % {"title": partnership.title})
    return redirect("registry:partnership_detail", pk=partnership.pk)


# --- programmes and budget lines ----------------------------------------------------------------


@login_required
def programme_create(request, pk: int):
    partnership = _partnership_or_404(request, pk)
    deny_unless(permissions.can_edit_partnership(request.user, partnership))
    form = ProgrammeForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user, partnership=partnership, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme was recorded; add its budget lines."))
            return redirect("registry:programme_edit", pk=programme.pk)
    return render(
        request,
        "registry/programme_form.html",
        {"form": form, "partnership": partnership, "programme": None},
    )


def _programme_or_404(request, pk: int) -> Programme:
    programme = get_object_or_404(
        Programme.objects.select_related("partnership").prefetch_related(
            "partnership__parties", "budget_lines__funder"
        ),
        pk=pk,
    )
    partnership = programme.partnership
    if partnership.is_deleted or not permissions.can_view_partnership(request.user, partnership):
        raise Http404(_("No such programme."))
    return programme


def _budget_context(programme, line_form=None) -> dict:
    return {
        "programme": programme,
        "tables": _budget_tables(programme),
        "lines": sorted(programme.budget_lines.all(), key=lambda b: (b.year, b.funder.name)),
        "line_form": line_form or BudgetLineForm(programme=programme),
        "funder_names": funder_names(),
    }


@login_required
def programme_edit(request, pk: int):
    programme = _programme_or_404(request, pk)
    partnership = programme.partnership
    deny_unless(permissions.can_edit_programme(request.user, programme))
    form = ProgrammeForm(request.POST or None, instance=programme, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                actor=request.user, programme=programme, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("registry:programme_edit", pk=programme.pk)
    context = {"form": form, "partnership": partnership} | _budget_context(programme)
    return render(request, "registry/programme_form.html", context)


@login_required
@require_POST
def budget_line_add(request, pk: int):
    programme = _programme_or_404(request, pk)
    deny_unless(permissions.can_edit_programme(request.user, programme))
    form = BudgetLineForm(request.POST, programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                funder = services.funder_get_or_create(
                    actor=request.user, name=data["funder"].strip(), kind=data["funder_kind"]
                )
                services.budget_line_set(
                    actor=request.user,
                    programme=programme,
                    year=data["year"],
                    funder=funder,
                    amount=data["amount"],
                    currency=data["currency"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not is_partial(request):
                messages.success(request, _("The budget line was saved."))
                return redirect(reverse("registry:programme_edit", args=[pk]) + "#budget")
            programme = _programme_or_404(request, pk)
            form = None
    if is_partial(request):
        return render(request, "registry/_budget.html", _budget_context(programme, form))
    context = {
        "form": ProgrammeForm(instance=programme, partnership=programme.partnership),
        "partnership": programme.partnership,
    } | _budget_context(programme, form)
    return render(request, "registry/programme_form.html", context, status=200)


@login_required
@require_POST
def budget_line_delete(request, pk: int, line_pk: int):
    programme = _programme_or_404(request, pk)
    deny_unless(permissions.can_edit_programme(request.user, programme))
    line = get_object_or_404(BudgetLine, pk=line_pk, programme=programme)
    services.budget_line_delete(actor=request.user, line=line)
    if is_partial(request):
        programme = _programme_or_404(request, pk)
        return render(request, "registry/_budget.html", _budget_context(programme))
    messages.success(request, _("The budget line was removed."))
    return redirect(reverse("registry:programme_edit", args=[pk]) + "#budget")


# --- documents ---------------------------------------------------------------------------------


@login_required
def document_add(request, pk: int):
    partnership = _partnership_or_404(request, pk)
    deny_unless(permissions.can_edit_partnership(request.user, partnership))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user, partnership=partnership, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was added."))
            return redirect(reverse("registry:partnership_detail", args=[pk]) + "#documents")
    return render(
        request, "registry/document_form.html", {"form": form, "partnership": partnership}
    )


def document_download(request, pk: int):
    document = (
        Document.objects.filter(pk=pk)
        .select_related("partnership")
        .prefetch_related("partnership__parties")
        .first()
    )
    if (
        document is None
        or not document.file
        or not permissions.can_view_partnership(request.user, document.partnership)
    ):
        raise Http404(_("No such document."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    name = os.path.basename(document.file.name)
    # the type its content had on upload, which named the file (interop.files.stored_name);
    # a name from before that (``polyglot.html``) is served as bytes, never as a page
    file_type = files.type_of_name(name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=files.CONTENT_TYPES.get(file_type, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete(request, pk: int):
    document = get_object_or_404(
        Document.objects.select_related("partnership").prefetch_related("partnership__parties"),
        pk=pk,
    )
    partnership = document.partnership
    if not permissions.can_view_partnership(request.user, partnership):
        raise Http404(_("No such document."))
    deny_unless(permissions.can_edit_partnership(request.user, partnership))
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("The document was removed."))
    return redirect(reverse("registry:partnership_detail", args=[partnership.pk]) + "#documents")


# --- projects -----------------------------------------------------------------------------------


def _role_form_context(project, role_form=None) -> dict:
    return {"role_form": role_form or ActorRoleForm(prefix="role")}


def project_detail(request, pk: int):
    project = selectors.project_detail(pk=pk, viewer=request.user)
    if project is None:
        raise Http404(_("No such project."))
    user = request.user
    can_edit = permissions.can_edit_project(user, project)
    context = {
        "project": project,
        "partnership": project.partnership,
        "side_list": _sides(project.partnership),
        "roles": sorted(project.roles.all(), key=lambda r: (r.actor.name, r.role)),
        "fundings": sorted(project.fundings.all(), key=lambda f: f.funder.name),
        "funding_totals": _totals_by_currency(
            (f.amount, f.currency) for f in project.fundings.all()
        ),
        "can_edit": can_edit,
        "can_delete": permissions.can_delete_project(user, project),
        "can_view_history": permissions.can_view_history(user, project.partnership),
    }
    if can_edit:
        context.update(_role_form_context(project))
        context["replication_form"] = ReplicationForm(
            prefix="rep",
            project=project,
            visible_projects=selectors.project_list(viewer=user),
        )
    return render(request, "registry/project_detail.html", context)


def _project_form_response(request, form, formset, partnership, project):
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


def _save_project(request, form, formset, *, partnership, project=None):
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
def project_create(request, pk: int):
    partnership = _partnership_or_404(request, pk)
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
def project_edit(request, pk: int):
    project = _project_or_404(request, pk)
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


def funding_row(request):
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
def project_delete(request, pk: int):
    project = _project_or_404(request, pk)
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
            "crumbs": _crumbs(
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
def project_restore(request, pk: int):
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


def _roles_response(request, project_pk: int, role_form=None):
    project = selectors.project_detail(pk=project_pk, viewer=request.user)
    context = {
        "project": project,
        "roles": sorted(project.roles.all(), key=lambda r: (r.actor.name, r.role)),
        "can_edit": True,
    } | _role_form_context(project, role_form)
    return render(request, "registry/_project_roles.html", context)


@login_required
@require_POST
def project_role_add(request, pk: int):
    project = _project_or_404(request, pk)
    deny_unless(permissions.can_edit_project(request.user, project))
    form = ActorRoleForm(request.POST, prefix="role")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                member = data["actor"] or services.actor_get_or_create(
                    actor=request.user, name=data["new_actor_name"], kind=data["new_actor_kind"]
                )
                services.project_actor_add(
                    actor=request.user,
                    project=project,
                    member=member,
                    role=data["role"],
                    note=data["note"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if is_partial(request):
                return _roles_response(request, pk)
            messages.success(request, _("The actor's role was added."))
            return redirect(reverse("registry:project_detail", args=[pk]) + "#actors")
    if is_partial(request):
        return _roles_response(request, pk, form)
    messages.error(
        request,
        _("The actor's role was not added: %(errors)s")
        % {"errors": "; ".join(str(m) for errs in form.errors.values() for m in errs)},
    )
    return redirect(reverse("registry:project_detail", args=[pk]) + "#actors")


@login_required
@require_POST
def project_role_remove(request, pk: int, role_pk: int):
    project = _project_or_404(request, pk)
    deny_unless(permissions.can_edit_project(request.user, project))
    link = get_object_or_404(ProjectActor, pk=role_pk, project=project)
    services.project_actor_remove(actor=request.user, link=link)
    if is_partial(request):
        return _roles_response(request, pk)
    messages.success(request, _("The actor's role was removed."))
    return redirect(reverse("registry:project_detail", args=[pk]) + "#actors")


@login_required
@require_POST
def replication_add(request, pk: int):
    project = _project_or_404(request, pk)
    deny_unless(permissions.can_edit_project(request.user, project))
    form = ReplicationForm(
        request.POST,
        prefix="rep",
        project=project,
        visible_projects=selectors.project_list(viewer=request.user),
    )
    if form.is_valid():
        other = form.cleaned_data["other"]
        model, replica = (
            (project, other) if form.cleaned_data["direction"] == "replica" else (other, project)
        )
        try:
            services.replication_link(
                actor=request.user, model=model, replica=replica, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The replication was recorded."))
    else:
        messages.error(
            request,
            _("The replication was not recorded: %(errors)s")
            % {"errors": "; ".join(str(m) for errs in form.errors.values() for m in errs)},
        )
    return redirect(reverse("registry:project_detail", args=[pk]) + "#replications")


@login_required
@require_POST
def replication_remove(request, pk: int, link_pk: int):
    project = _project_or_404(request, pk)
    deny_unless(permissions.can_edit_project(request.user, project))
    link = get_object_or_404(
        Replication.objects.filter(Q(model=project) | Q(replica=project)), pk=link_pk
    )
    services.replication_unlink(actor=request.user, link=link)
    messages.success(request, _("The replication link was removed."))
    return redirect(reverse("registry:project_detail", args=[pk]) + "#replications")
