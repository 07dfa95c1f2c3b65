from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reciprocite.core.models import SoftDeletable

from . import geography
from .validators import validate_french_official_code


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    RURAL_COMMUNE = "rural_commune", _("Rural commune")
    INTERCOMMUNALITE = "intercommunalite", _("Intercommunality")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    OBLAST = "oblast", _("Oblast")
    DISTRICT = "district", _("District")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other local authority")


class Territory(SoftDeletable):
    """A local authority of any country."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=TerritoryKind.choices)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. FR, SN, MA, RU")
    )
    subdivision = models.CharField(
        _("subdivision"), max_length=10, blank=True, help_text=_("ISO 3166-2 code, e.g. FR-NOR")
    )
    official_code = models.CharField(
        _("official code"),
        max_length=32,
        blank=True,
        help_text=_("For French authorities: INSEE code or SIREN number."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. fr, wo")
    )
    is_fictitious = models.BooleanField(
        _("fictitious"), default=False, help_text=_("Demo data invented for illustration.")
    )
    # Kept from the name for resolve.territory_resolve(): transliterated and folded, and its
    # consonant skeleton.
    name_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    name_skeleton = models.CharField(max_length=400, blank=True, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["country", "kind"]),
            models.Index(fields=["name"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            # INSEE codes collide across kinds (région 44 Grand Est, département 44
            # Loire-Atlantique): a code is unique per country and kind.
            models.UniqueConstraint(
                fields=["country", "kind", "official_code"],
                condition=models.Q(deleted_at__isnull=True) & ~models.Q(official_code=""),
                name="territory_unique_kind_official_code",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="territory_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="territory_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def zone(self) -> geography.Zone | None:
        return geography.zone_of(self.country)

    @property
    def country_name(self) -> str:
        return geography.country_name(self.country)

    def refresh_name_keys(self) -> None:
        from .resolve import name_key, name_skeleton

        self.name_key = name_key(self.name)[:400]
        self.name_skeleton = name_skeleton(self.name)[:400]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key", "name_skeleton"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.refresh_name_keys()  # bulk creations skip save(); they run full_clean()
        errors: dict[str, list[ValidationError]] = {}
        self.country = (self.country or "").upper()
        if not geography.is_country(self.country):
            errors.setdefault("country", []).append(
                ValidationError(
                    _("%(code)s is not an ISO 3166-1 country code."),
                    params={"code": self.country},
                )
            )
        if self.subdivision:
            self.subdivision = self.subdivision.upper()
            if not geography.is_subdivision_of(self.subdivision, self.country):
                errors.setdefault("subdivision", []).append(
                    ValidationError(
                        _("%(code)s is not an ISO 3166-2 subdivision of %(country)s."),
                        params={"code": self.subdivision, "country": self.country},
                    )
                )
        self.official_code = (self.official_code or "").strip().upper()
        if self.official_code and self.country == "FR":
            try:
                validate_french_official_code(self.official_code, self.kind)
            except ValidationError as exc:
                errors.setdefault("official_code", []).extend(exc.error_list)
        languages = self.languages or []
        if not isinstance(languages, list) or not all(
            isinstance(code, str) and geography.is_language(code) for code in languages
        ):
            errors.setdefault("languages", []).append(
                ValidationError(_("Languages must be a list of ISO 639-1 codes."))
            )
        if (self.latitude is None) != (self.longitude is None):
            errors.setdefault("longitude", []).append(
                ValidationError(_("Give both latitude and longitude, or neither."))
            )
        if errors:
            raise ValidationError(errors)
