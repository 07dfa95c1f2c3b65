"""Needs and expertise, matched both ways, and the reciprocity ledger (see README.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocite.core.models import SoftDeletable
from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES

# Languages the cross-lingual model and the lexicon handle; any other language code is
# accepted and its records are ranked on their structured fields only (and told so).
SUPPORTED_LANGUAGES = ("fr", "en", "ar", "ru")
MAX_TEXT_CHARS = 20_000
MAX_TITLE_CHARS = 300


class ServiceKind(models.TextChoices):
    CCAS = "ccas", _("Municipal social action centre (CCAS/CIAS)")
    PMI = "pmi", _("Maternal and child protection (PMI)")
    ASE = "ase", _("Child welfare (ASE)")
    MDPH = "mdph", _("Disability liaison (MDPH)")
    INSERTION = "insertion", _("Insertion and RSA")
    OLDER_PEOPLE = "older_people", _("Older people")
    YOUTH = "youth", _("Youth")
    SOCIAL_CENTRE = "social_centre", _("Social centre")
    OTHER = "other", _("Other service")


class Urgency(models.TextChoices):
    LOW = "low", _("Can wait")
    MEDIUM = "medium", _("Within the year")
    HIGH = "high", _("Urgent")


class RecordKind(models.TextChoices):
    EXPERTISE = "expertise", _("Domestic expertise")
    INTEREST = "interest", _("Learning interest")
    NEED = "need", _("Need")
    INNOVATION = "innovation", _("Innovation")


def validate_themes(value: object) -> None:
    if not isinstance(value, list) or any(code not in THEMES for code in value):
        unknown = [c for c in value if c not in THEMES] if isinstance(value, list) else [value]
        raise ValidationError(
            _("unknown theme(s): %(codes)s"), params={"codes": ", ".join(map(str, unknown))}
        )


def validate_publics(value: object) -> None:
    if not isinstance(value, list) or any(code not in TARGET_PUBLICS for code in value):
        unknown = (
            [c for c in value if c not in TARGET_PUBLICS] if isinstance(value, list) else [value]
        )
        raise ValidationError(
            _("unknown public(s): %(codes)s"), params={"codes": ", ".join(map(str, unknown))}
        )


def validate_language_code(value: str) -> None:
    if not (2 <= len(value) <= 3 and value.isascii() and value.isalpha() and value.islower()):
        raise ValidationError(
            _("%(code)s is not an ISO 639-1 language code."), params={"code": value}
        )


class MatchRecord(SoftDeletable):
    """What the four kinds of records share: a text in a language, themes and publics of the
    registry's taxonomy, an authority, and the features the engine ranks them by."""

    ref = models.CharField(_("reference"), max_length=64, unique=True)
    lang = models.CharField(
        _("language"), max_length=3, default="fr", validators=[validate_language_code]
    )
    authority = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organisation that edits this record."),
    )
    title = models.CharField(_("title"), max_length=MAX_TITLE_CHARS)
    text = models.TextField(_("text"), max_length=MAX_TEXT_CHARS)
    themes = models.JSONField(_("themes"), default=list, validators=[validate_themes])
    publics = models.JSONField(
        _("publics"), default=list, blank=True, validators=[validate_publics]
    )
    published = models.BooleanField(_("published"), default=False)
    is_fictitious = models.BooleanField(_("fictitious"), default=False)
    # The engine's stored features (engine.features): the hash of the text they were
    # computed from, the lexical terms, the passages and their vectors (float16, 384 each).
    text_hash = models.CharField(max_length=64, blank=True, editable=False)
    terms = models.TextField(blank=True, editable=False)
    query_terms = models.TextField(blank=True, editable=False)
    passages = models.JSONField(default=list, blank=True, editable=False)
    vectors = models.BinaryField(null=True, blank=True, editable=False)

    kind: str = ""

    class Meta:
        abstract = True
        ordering = ["ref"]

    def __str__(self) -> str:
        return f"{self.ref} — {self.title}"

    def matching_text(self) -> str:
        """The text the engine reads (title apart)."""
        return self.text

    def clean(self) -> None:
        if not (self.text or "").strip():
            raise ValidationError({"text": _("The text is empty.")})
        if not (self.title or "").strip():
            raise ValidationError({"title": _("The title is empty.")})


class Expertise(MatchRecord):
    """A domestic offer of a French member: what one of its services does at home and could
    share with partners."""

    service_kind = models.CharField(
        _("kind of service"), max_length=20, choices=ServiceKind.choices, default=ServiceKind.OTHER
    )
    service = models.CharField(_("service or programme"), max_length=300, blank=True)
    could_share = models.TextField(_("what it could share"), blank=True, max_length=5000)
    who_could_travel = models.TextField(_("who could travel"), blank=True, max_length=2000)
    staff_languages = models.JSONField(_("languages the staff speak"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)

    kind = RecordKind.EXPERTISE

    class Meta(MatchRecord.Meta):
        verbose_name = _("domestic expertise")
        verbose_name_plural = _("domestic expertise")
        indexes = [models.Index(fields=["published", "deleted_at"], name="expertise_listing")]

    def matching_text(self) -> str:
        return "\n".join(t for t in (self.text, self.could_share) if t)


class LearningInterest(MatchRecord):
    """What a French member would like to learn from partners abroad."""

    kind = RecordKind.INTEREST

    class Meta(MatchRecord.Meta):
        verbose_name = _("learning interest")
        verbose_name_plural = _("learning interests")
        indexes = [models.Index(fields=["published", "deleted_at"], name="interest_listing")]


class Need(MatchRecord):
    """A need stated by a partner authority abroad, in its own language."""

    country = models.CharField(_("country"), max_length=2)
    place = models.CharField(_("place"), max_length=200, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM
    )

    kind = RecordKind.NEED

    class Meta(MatchRecord.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["published", "deleted_at"], name="need_listing")]


class Innovation(MatchRecord):
    """A practice of a partner authority that French members could learn from."""

    country = models.CharField(_("country"), max_length=2)
    what_france_could_learn = models.TextField(
        _("what France could learn"), blank=True, max_length=5000
    )

    kind = RecordKind.INNOVATION

    class Meta(MatchRecord.Meta):
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        indexes = [models.Index(fields=["published", "deleted_at"], name="innovation_listing")]

    def matching_text(self) -> str:
        return "\n".join(t for t in (self.text, self.what_france_could_learn) if t)


class ContactStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECLINED = "declined", _("Declined")
    MEETING_HELD = "meeting_held", _("Meeting held")
    AGREEMENT = "agreement", _("Agreement")


class ContactRequest(models.Model):
    """A member (or partner) acting on a proposal: it asks the other side for contact about
    one record of each side."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    from_kind = models.CharField(max_length=12, choices=RecordKind.choices)
    from_ref = models.CharField(max_length=64)
    to_kind = models.CharField(max_length=12, choices=RecordKind.choices)
    to_ref = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=14, choices=ContactStatus.choices, default=ContactStatus.OPEN
    )
    outcome_note = models.TextField(_("outcome"), blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_kind", "from_ref", "to_kind", "to_ref"],
                condition=models.Q(status="open"),
                name="contact_one_open_request_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(sender_organisation=models.F("recipient_organisation")),
                name="contact_not_to_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_ref} → {self.to_ref} ({self.status})"


class ContactMessage(models.Model):
    """The conversation of a contact request, kept on the platform."""

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]


class LedgerSide(models.TextChoices):
    FRENCH = "french", _("French member")
    PARTNER = "partner", _("Partner abroad")


class ChangeKind(models.TextChoices):
    PRACTICE = "practice", _("A practice")
    SERVICE = "service", _("A service")
    POLICY = "policy", _("A policy")
    NONE = "none", _("Nothing yet")


class LedgerEntry(SoftDeletable):
    """The reciprocity ledger: for a registry project, a coordination exchange or a knowledge
    sheet, what one side learned and what it changed at home, with evidence."""

    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sheet = models.ForeignKey(
        "knowledge.Sheet",
        verbose_name=_("experience sheet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Coordination's exchanges are built on another branch: until its selectors exist, an
    # exchange is named by its reference (README: "Where the ledger lives").
    exchange_ref = models.CharField(_("exchange"), max_length=64, blank=True)
    authority = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(_("side"), max_length=10, choices=LedgerSide.choices)
    lang = models.CharField(
        _("language"), max_length=3, default="fr", validators=[validate_language_code]
    )
    learned = models.TextField(_("what it learned"), max_length=10_000)
    changed_at_home = models.TextField(_("what it changed at home"), blank=True, max_length=10_000)
    change_kind = models.CharField(
        _("kind of change"), max_length=10, choices=ChangeKind.choices, default=ChangeKind.NONE
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=10_000)
    themes = models.JSONField(_("themes"), default=list, blank=True, validators=[validate_themes])
    published = models.BooleanField(_("published"), default=False)
    is_fictitious = models.BooleanField(_("fictitious"), default=False)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                # exactly one subject: a project, a sheet or an exchange
                condition=(
                    models.Q(project__isnull=False, sheet__isnull=True, exchange_ref="")
                    | models.Q(project__isnull=True, sheet__isnull=False, exchange_ref="")
                    | (
                        models.Q(project__isnull=True, sheet__isnull=True)
                        & ~models.Q(exchange_ref="")
                    )
                ),
                name="ledger_exactly_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.learned[:60]}"

    def clean(self) -> None:
        subjects = [bool(self.project_id), bool(self.sheet_id), bool(self.exchange_ref)]
        if sum(subjects) != 1:
            raise ValidationError(
                _("A ledger entry is about exactly one project, exchange or sheet.")
            )
        if not (self.learned or "").strip():
            raise ValidationError({"learned": _("Say what was learned.")})
