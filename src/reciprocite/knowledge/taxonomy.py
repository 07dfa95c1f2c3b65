"""Vocabularies of the knowledge base. The codes are a contract (import files, API, URLs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Stage(models.TextChoices):
    """Stage of a cooperation an experience or a tool speaks to."""

    S_ENGAGER = "s_engager", _("Getting involved")
    CONCEVOIR = "concevoir", _("Designing")
    METTRE_EN_OEUVRE = "mettre_en_oeuvre", _("Implementing")
    EVALUER = "evaluer", _("Evaluating")
    ESSAIMER = "essaimer", _("Spreading")


class Difficulty(models.TextChoices):
    """Difficulties a tool helps overcome: the `difficulte` list of the cooperations survey."""

    CHANGEMENT_POLITIQUE = "changement_politique", _("Change of political majority")
    FINANCEMENT = "financement", _("Funding")
    ROTATION_PERSONNEL = "rotation_personnel", _("Staff turnover")
    LANGUE = "langue", _("Language")
    COORDINATION_ACTEURS = "coordination_acteurs", _("Coordinating the actors")
    SUIVI_DISTANCE = "suivi_distance", _("Following up from a distance")
    AUTRE = "autre", _("Other")


class ToolKind(models.TextChoices):
    CONVENTION = "convention", _("Convention template")
    CHARTER = "charter", _("Charter")
    NEEDS_GRID = "needs_grid", _("Needs assessment grid")
    BUDGET = "budget", _("Budget template")
    GUIDE = "guide", _("Guide")
    OTHER = "other", _("Other tool")


class Status(models.TextChoices):
    """Editorial workflow: draft → in review → published (→ archived)."""

    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


# The narrative fields of a sheet, in reading order: (field name, label). Import/export,
# versions, the diff and the search index all walk this list.
NARRATIVE_FIELDS: list[tuple[str, StrOrPromise]] = [
    ("summary", _("Summary")),
    ("context", _("Context")),
    ("method", _("Method")),
    ("results", _("Results")),
    ("difficulties", _("Difficulties and how they were overcome")),
    ("reciprocity", _("Reciprocity: what the French side learned or changed at home")),
    ("replication", _("Replication")),
]
