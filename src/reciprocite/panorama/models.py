"""The panorama's figures table: the projects of each partnership summed once, kept current
after the registry's writes, so that a dashboard sums a few rows per partnership instead of
reading 100k projects and 200k project–theme links at the first request after a change.

``PartnershipFigure`` rows, per partnership and per *scope* (``""``: all its alive projects;
a theme code: those of its alive projects that have the theme — what a theme filter counts):

- ``count``: the number of projects;
- ``band`` / item = a budget band key (``registry.taxonomy.BUDGET_BANDS``, euros only):
  the number of projects in the band and their total budget;
- ``theme`` / item = a theme code: the number of projects (of the scope) that have it.

Visibility (published, not deleted) and every filter other than the theme are applied at
read time by joining the partnerships counted, so a partnership's rows depend only on its
projects and their themes. ``panorama.services`` keeps them, following the registry's
announcements (``core.changes``; see there).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureKind(models.TextChoices):
    COUNT = "count", _("projects")
    BAND = "band", _("projects by budget band")
    THEME = "theme", _("projects by theme")


class PartnershipFigure(models.Model):
    # Not a foreign key: the rows are derived data, rebuilt from the projects; a partnership
    # deleted for good leaves nothing behind once its figures are refreshed.
    partnership_id = models.BigIntegerField()
    scope = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=8, choices=FigureKind.choices)
    item = models.CharField(max_length=40, blank=True)
    projects = models.PositiveIntegerField()
    budget = models.DecimalField(max_digits=20, decimal_places=2, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership_id", "scope", "kind", "item"],
                name="panorama_figure_unique",
            )
        ]
        indexes = [models.Index(fields=["scope", "kind", "partnership_id"])]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.scope or '*'} {self.kind} {self.item}: {self.projects}"
