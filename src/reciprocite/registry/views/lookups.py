"""The records a visitor may see, or a 404: the object of most pages, read without the
heavy prefetch of the detail pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Partnership, Programme, Project


def partnership_or_404(request: HttpRequest, pk: int) -> Partnership:
    """A partnership the visitor may see (404 otherwise), without the heavy prefetch."""
    partnership: Partnership | None = (
        Partnership.objects.filter(pk=pk).prefetch_related("parties").first()
    )
    if partnership is None or not permissions.can_view_partnership(request.user, partnership):
        raise Http404(_("No such partnership."))
    return partnership


def project_or_404(request: HttpRequest, pk: int) -> Project:
    project: Project | None = (
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


def programme_or_404(request: HttpRequest, pk: int) -> Programme:
    programme: Programme = get_object_or_404(
        Programme.objects.select_related("partnership").prefetch_related(
            "partnership__parties", "budget_lines__funder"
        ),
        pk=pk,
    )
    partnership = programme.partnership
    if partnership.is_deleted or not permissions.can_view_partnership(request.user, partnership):
        raise Http404(_("No such programme."))
    return programme
