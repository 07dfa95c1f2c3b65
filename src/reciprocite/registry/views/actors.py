"""The actors of a project and their roles: added (an existing actor or a new one) and
removed, as a fragment for htmx or a whole page."""

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

from .. import permissions, selectors, services
from ..forms import ActorRoleForm
from ..models import Project, ProjectActor
from .lookups import project_or_404


def role_form_context(project: Project, role_form: ActorRoleForm | None = None) -> dict[str, Any]:
    return {"role_form": role_form or ActorRoleForm(prefix="role")}


def _roles_response(
    request: HttpRequest, project_pk: int, role_form: ActorRoleForm | None = None
) -> HttpResponse:
    project = selectors.project_detail(pk=project_pk, viewer=request.user)
    assert project is not None  # the caller has found it visible
    context = {
        "project": project,
        "roles": sorted(project.roles.all(), key=lambda r: (r.actor.name, r.role)),
        "can_edit": True,
    } | role_form_context(project, role_form)
    return render(request, "registry/_project_roles.html", context)


@login_required
@require_POST
def project_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
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
def project_role_remove(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    deny_unless(permissions.can_edit_project(request.user, project))
    link = get_object_or_404(ProjectActor, pk=role_pk, project=project)
    services.project_actor_remove(actor=request.user, link=link)
    if is_partial(request):
        return _roles_response(request, pk)
    messages.success(request, _("The actor's role was removed."))
    return redirect(reverse("registry:project_detail", args=[pk]) + "#actors")
