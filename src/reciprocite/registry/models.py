from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reciprocite.core.models import SoftDeletable

from .taxonomy import public_label, theme_label

if TYPE_CHECKING:
    from reciprocite.territories.models import Territory

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English"), ("ar", "العربية"), ("ru", "Русский")]


def validate_currency(value: str) -> None:
    if pycountry.currencies.get(alpha_3=value) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code."), params={"code": value}
        )


def amount_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


def currency_field():
    return models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )


class Theme(models.Model):
    """A theme of the study's taxonomy (rows seeded by a migration from taxonomy.THEMES)."""

    code = models.CharField(max_length=40, primary_key=True)
    dac_code = models.CharField(_("DAC sector code"), max_length=5)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return theme_label(self.code)

    @property
    def label(self) -> str:
        return theme_label(self.code)


class TargetPublic(models.Model):
    code = models.CharField(max_length=40, primary_key=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return public_label(self.code)

    @property
    def label(self) -> str:
        return public_label(self.code)


class PartnershipKind(models.TextChoices):
    COOPERATION = "cooperation", _("Cooperation agreement")
    TWINNING = "twinning", _("Twinning")
    ONE_OFF = "one_off", _("One-off action")


class PartnershipStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Partnership(SoftDeletable):
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    is_published = models.BooleanField(_("published"), default=True)
    is_fictitious = models.BooleanField(
        _("fictitious"), default=False, help_text=_("Demo data invented for illustration.")
    )
    territories: models.ManyToManyField[Territory, PartnershipParty] = models.ManyToManyField(
        "territories.Territory", through="PartnershipParty", related_name="partnerships"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["start_date"]),
            models.Index(fields=["title", "id"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="partnership_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class Side(models.TextChoices):
    FRENCH = "french", _("French side")
    PARTNER = "partner", _("Partner side")


class PartnershipParty(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="parties")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="parties"
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party to a partnership")
        verbose_name_plural = _("parties to partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "territory"], name="party_unique_territory"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} ({self.get_side_display()})"


class FunderKind(models.TextChoices):
    # Same codes as the study's `cofinancement` choice list.
    STATE_CALL = "etat_appel_projets", _("State call for projects")
    EU = "union_europeenne", _("European Union")
    OWN_FUNDS = "fonds_propres", _("Own funds")
    OTHER_AUTHORITY = "autre_collectivite", _("Another local authority")
    FOUNDATION = "fondation", _("Foundation")
    OTHER = "autre", _("Other")


class Funder(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=FunderKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(SoftDeletable):
    """A multi-year programme of a partnership (e.g. a triennial programme 2010–2012)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="programme_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year is before the first year.")})


class BudgetLine(models.Model):
    """What one funder gives a programme in one year."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="budget_lines")
    amount = amount_field(_("amount"))
    currency = currency_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "funder__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "funder", "currency"], name="budget_line_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_amount"),
        ]

    def clean(self) -> None:
        programme = self.programme if self.programme_id else None
        if (
            programme
            and self.year
            and not (programme.start_year <= self.year <= programme.end_year)
        ):
            raise ValidationError(
                {
                    "year": _("%(year)s is outside the programme's years (%(a)s–%(b)s).")
                    % {"year": self.year, "a": programme.start_year, "b": programme.end_year}
                }
            )


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Project(SoftDeletable):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="projects")
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    results = models.TextField(_("results"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_amount = amount_field(_("budget"), null=True, blank=True)
    budget_currency = currency_field()
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="projects")
    publics = models.ManyToManyField(
        TargetPublic, verbose_name=_("target publics"), blank=True, related_name="projects"
    )
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    is_fictitious = models.BooleanField(_("fictitious"), default=False)
    replicated_from: models.ManyToManyField[Project, Replication] = models.ManyToManyField(
        "self",
        through="Replication",
        symmetrical=False,
        related_name="replicated_as",
        through_fields=("replica", "model"),
    )

    history = HistoricalRecords(m2m_fields=[themes, publics])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["start_date"]),
            models.Index(fields=["budget_currency", "budget_amount"]),
            models.Index(fields=["title", "id"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="project_budget_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if (
            self.programme_id
            and self.partnership_id
            and self.programme is not None
            and (self.programme.partnership_id != self.partnership_id)
        ):
            errors["programme"] = _("This programme belongs to another partnership.")
        if errors:
            raise ValidationError(errors)


class ProjectFunding(models.Model):
    """A co-funding of a project: who pays how much."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="fundings")
    amount = amount_field(_("amount"))
    currency = currency_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-funding")
        verbose_name_plural = _("co-fundings")
        constraints = [
            models.UniqueConstraint(fields=["project", "funder"], name="funding_unique_funder"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_amount"),
        ]


class ActorKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    MUNICIPAL_SERVICE = "municipal_service", _("Municipal or departmental service")
    OPERATOR = "operator", _("Operator")
    CORRESPONDENT = "correspondent", _("Correspondent on site")
    ELECTED_OFFICIAL = "elected_official", _("Elected official")
    STATE_SERVICE = "state_service", _("State service")
    OTHER = "other", _("Other")


class Actor(SoftDeletable):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ActorKind.choices)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actors",
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_fictitious = models.BooleanField(_("fictitious"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActorRole(models.TextChoices):
    LEAD = "lead", _("Project lead")
    OPERATOR = "operator", _("Operator")
    PARTNER = "partner", _("Partner")
    CHAIR = "chair", _("Chairs the consultation framework")
    CORRESPONDENT = "correspondent", _("Correspondent on site")
    EXPERT = "expert", _("Expert")
    BENEFICIARY = "beneficiary", _("Beneficiary")


class ProjectActor(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=ActorRole.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor's role")
        verbose_name_plural = _("actors' roles")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "actor", "role"], name="project_actor_unique_role"
            )
        ]


class Replication(models.Model):
    """Project ``replica`` duplicated the model built by project ``model``."""

    model = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="replication_links")
    replica = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="model_links")
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        constraints = [
            models.UniqueConstraint(fields=["model", "replica"], name="replication_unique"),
            models.CheckConstraint(
                condition=~models.Q(model=models.F("replica")), name="replication_not_self"
            ),
        ]


class DocumentKind(models.TextChoices):
    CONVENTION = "convention", _("Convention")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


def document_path(instance: Document, filename: str) -> str:
    return f"registry/partnerships/{instance.partnership_id}/{filename}"


class Document(SoftDeletable):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="fr")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-signed_on", "title"]

    def __str__(self) -> str:
        return self.title


class Translation(models.Model):
    """A translation of a record's texts into another language, kept beside the original
    (which stays the reference): who checked it and when, its own dates and history."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    checked_at = models.DateTimeField(_("checked on"), null=True, blank=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # the texts a translation carries, in the order the form and pages show them
    TEXT_FIELDS: tuple[str, ...] = ("title", "description")

    class Meta:
        abstract = True
        ordering = ["language"]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None

    @property
    def original(self) -> Partnership | Project:
        raise NotImplementedError

    def clean(self) -> None:
        original = self.original
        if original is not None and self.language == original.language:
            raise ValidationError(
                {"language": _("The original is already in this language: edit it instead.")}
            )


class PartnershipTranslation(Translation):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="translations"
    )

    history = HistoricalRecords()

    class Meta(Translation.Meta):
        verbose_name = _("translation of a partnership")
        verbose_name_plural = _("translations of partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "language"], name="partnership_translation_unique"
            )
        ]

    @property
    def original(self) -> Partnership:
        return self.partnership


class ProjectTranslation(Translation):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="translations")
    summary = models.TextField(_("summary"), blank=True)
    results = models.TextField(_("results"), blank=True)

    TEXT_FIELDS = ("title", "summary", "description", "results")

    history = HistoricalRecords()

    class Meta(Translation.Meta):
        verbose_name = _("translation of a project")
        verbose_name_plural = _("translations of projects")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "language"], name="project_translation_unique"
            )
        ]

    @property
    def original(self) -> Project:
        return self.project
