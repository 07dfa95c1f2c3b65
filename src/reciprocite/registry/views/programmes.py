"""A partnership's programmes and their budget lines (a year and a funder each)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocite.core.http import deny_unless, is_partial
from reciprocite.territories.forms import add_service_errors

from .. import permissions, services
from ..forms import BudgetLineForm, ProgrammeForm, funder_names
from ..models import BudgetLine, Programme
from .display import budget_tables
from .lookups import partnership_or_404, programme_or_404


@login_required
def programme_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
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


def _budget_context(
    programme: Programme, line_form: BudgetLineForm | None = None
) -> dict[str, Any]:
    return {
        "programme": programme,
        "tables": budget_tables(programme),
        "lines": sorted(programme.budget_lines.all(), key=lambda b: (b.year, b.funder.name)),
        "line_form": line_form or BudgetLineForm(programme=programme),
        "funder_names": funder_names(),
    }


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_or_404(request, pk)
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
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_or_404(request, pk)
    deny_unless(permissions.can_edit_programme(request.user, programme))
    form = BudgetLineForm(request.POST, programme=programme)
    shown: BudgetLineForm | None = form  # shown again with its errors; None: a fresh one
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
            programme = programme_or_404(request, pk)
            shown = None
    if is_partial(request):
        return render(request, "registry/_budget.html", _budget_context(programme, shown))
    context = {
        "form": ProgrammeForm(instance=programme, partnership=programme.partnership),
        "partnership": programme.partnership,
    } | _budget_context(programme, shown)
    return render(request, "registry/programme_form.html", context, status=200)


@login_required
@require_POST
def budget_line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    programme = programme_or_404(request, pk)
    deny_unless(permissions.can_edit_programme(request.user, programme))
    line = get_object_or_404(BudgetLine, pk=line_pk, programme=programme)
    services.budget_line_delete(actor=request.user, line=line)
    if is_partial(request):
        programme = programme_or_404(request, pk)
        return render(request, "registry/_budget.html", _budget_context(programme))
    messages.success(request, _("The budget line was removed."))
    return redirect(reverse("registry:programme_edit", args=[pk]) + "#budget")
