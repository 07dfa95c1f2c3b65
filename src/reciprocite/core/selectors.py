"""Reads shared by the apps: background jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Job

if TYPE_CHECKING:
    from django.db.models import QuerySet


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    """Jobs a user may follow: their own; staff see all of them."""
    if not user.is_authenticated:
        return Job.objects.none()
    if user.is_staff:
        return Job.objects.all()
    return Job.objects.filter(owner=user)
