"""A partnership's history: every version of it and of the records under it, who and when."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reciprocite.core.http import deny_unless

from .. import permissions, selectors
from ..models import (
    BudgetLine,
    Partnership,
    PartnershipParty,
    Programme,
    Project,
    ProjectActor,
    ProjectFunding,
    Replication,
)
from .lookups import partnership_or_404

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
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # the history records concrete fields only (never a relation's reverse side)
    return str(field.verbose_name) if isinstance(field, Field) else name


def partnership_history(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    partnership = partnership_or_404(request, pk)
    deny_unless(permissions.can_view_history(request.user, partnership))
    entries = selectors.partnership_history(partnership=partnership)
    for entry in entries:
        entry["field_labels"] = [_field_label(entry["model"], f) for f in entry["fields"]]
    return render(
        request,
        "registry/partnership_history.html",
        {"partnership": partnership, "entries": entries},
    )
