"""Reads shared by the apps: background jobs."""

from __future__ import annotations

from .models import Job


def jobs_visible_to(user):
    """Jobs a user may follow: their own; staff see all of them."""
    if not user.is_authenticated:
        return Job.objects.none()
    if user.is_staff:
        return Job.objects.all()
    return Job.objects.filter(owner=user)
