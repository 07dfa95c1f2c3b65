"""Replications: project B duplicated the model built by project A (a link, never a copy)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocite.core.http import deny_unless

from .. import permissions, selectors, services
from ..forms import ReplicationForm
from ..models import Replication
from .lookups import project_or_404


@login_required
@require_POST
def replication_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
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
def replication_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    deny_unless(permissions.can_edit_project(request.user, project))
    link = get_object_or_404(
        Replication.objects.filter(Q(model=project) | Q(replica=project)), pk=link_pk
    )
    services.replication_unlink(actor=request.user, link=link)
    messages.success(request, _("The replication link was removed."))
    return redirect(reverse("registry:project_detail", args=[pk]) + "#replications")
