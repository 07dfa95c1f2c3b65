"""The knowledge base: experience sheets (with translations and versions) and the toolbox.

Narrative fields hold sanitised HTML (services pass every rich-text value through nh3); the
search index is kept by `knowledge.search` (SQLite FTS5 / PostgreSQL text search).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocite.registry.models import LANGUAGE_CHOICES

from .taxonomy import Stage, Status, ToolKind


class Sheet(models.Model):
    """An experience sheet: what was done, how, what went wrong, what the French side learned."""

    ref = models.CharField(
        _("reference"),
        max_length=64,
        unique=True,
        help_text=_("Stable external reference, kept across imports (e.g. exp-001)."),
    )
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
        help_text=_("The original sheet this one translates, side by side."),
    )
    title = models.CharField(_("title"), max_length=300)
    # Parties: their names as written on the sheet, and the registry's records when known.
    french_authority = models.CharField(_("French authority"), max_length=300, blank=True)
    partner_authority = models.CharField(_("partner authority"), max_length=300, blank=True)
    french_territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("French territory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner_territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("partner territory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partnership = models.ForeignKey(
        "registry.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sheets",
    )
    projects = models.ManyToManyField(
        "registry.Project", verbose_name=_("projects"), blank=True, related_name="sheets"
    )
    country = models.CharField(
        _("partner country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2.")
    )
    themes = models.ManyToManyField("registry.Theme", verbose_name=_("themes"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    year_start = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    context = models.TextField(_("context"), blank=True)
    method = models.TextField(_("method"), blank=True)
    results = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties and how they were overcome"), blank=True)
    reciprocity = models.TextField(_("reciprocity"), blank=True)
    replication = models.TextField(_("replication"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_sheets",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sheets",
    )
    is_highlight = models.BooleanField(
        _("highlight"), default=False, help_text=_("Shown first, and in the panorama report.")
    )
    is_fictitious = models.BooleanField(_("fictitious"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("experience sheet")
        verbose_name_plural = _("experience sheets")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["status", "language"]),
            models.Index(fields=["country"]),
            models.Index(fields=["stage"]),
            # The search page with no query (browsing): the published sheets in title order,
            # and the facets counted from an index instead of the wide sheet rows.
            models.Index(fields=["status", "title", "id"], name="knowledge_sheet_listing"),
            models.Index(
                fields=["status", "country", "stage", "language", "id"],
                name="knowledge_sheet_facets",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SheetVersion(models.Model):
    """A snapshot of a sheet at each save: what the diff between two versions compares."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sheet version")
        verbose_name_plural = _("sheet versions")
        ordering = ["sheet", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="sheet_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sheet} v{self.number}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"knowledge/sheets/{instance.sheet_id}/{filename}"


def tool_file_path(instance: ToolFile, filename: str) -> str:
    return f"knowledge/tools/{instance.tool_id}/{filename}"


class Attachment(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=attachment_path)
    file_type = models.CharField(_("file type"), max_length=10)  # pdf, docx, odt, xlsx…
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Tool(models.Model):
    """A tool of the toolbox: a template, a charter, a grid, a guide…, with its files."""

    ref = models.CharField(_("reference"), max_length=64, unique=True)
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ToolKind.choices)
    description = models.TextField(_("description"), blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True, help_text=_("Codes of Stage."))
    difficulties = models.JSONField(
        _("difficulties addressed"), default=list, blank=True, help_text=_("Codes of Difficulty.")
    )
    themes = models.ManyToManyField("registry.Theme", verbose_name=_("themes"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_tools",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class ToolFile(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=tool_file_path)
    file_type = models.CharField(_("file type"), max_length=10)  # pdf, docx, odt, xlsx
    size = models.PositiveIntegerField(_("size in bytes"))
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tool file")
        verbose_name_plural = _("tool files")
        ordering = ["tool", "title", "id"]

    def __str__(self) -> str:
        return self.title
