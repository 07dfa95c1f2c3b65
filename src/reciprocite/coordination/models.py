"""Coordination of the actors of a partnership: consultation frameworks, their meetings and
follow-up, pairs of associations, exchanges. Built on the registry (no copy of its data)."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reciprocite.core.models import SoftDeletable
from reciprocite.registry.models import LANGUAGE_CHOICES, Side

# A sane upper bound on an agenda: a meeting of a consultation framework, not a congress.
MAX_AGENDA_ITEMS = 200


def validate_time_zone(value: str) -> None:
    """An IANA time zone known to ``zoneinfo`` (Africa/Dakar, Europe/Moscow…)."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(zone)s is not a known time zone."), params={"zone": value}, code="time_zone"
        ) from exc


def time_zone_field() -> models.CharField[str, str]:
    return models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )


def new_uid() -> str:
    return f"{uuid.uuid4()}@reciprocite"


class MinutesVisibility(models.TextChoices):
    MEMBERS = "members", _("Members of the framework")
    PUBLIC = "public", _("Everyone")


class Framework(SoftDeletable):
    """A thematic consultation framework (cadre de concertation) of a partnership."""

    partnership = models.ForeignKey(
        "registry.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="frameworks",
    )
    title = models.CharField(_("title"), max_length=300)
    theme = models.ForeignKey(
        "registry.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    time_zone = time_zone_field()
    minutes_visibility = models.CharField(
        _("published minutes are shown to"),
        max_length=10,
        choices=MinutesVisibility.choices,
        default=MinutesVisibility.MEMBERS,
    )
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    is_fictitious = models.BooleanField(_("fictitious"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation framework")
        verbose_name_plural = _("consultation frameworks")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


MANAGING_POSITIONS = (Position.CHAIR, Position.SECRETARY)


class FrameworkMember(models.Model):
    """A person (a user, or a named person without an account) and/or an organisation (of the
    platform, or an actor of the registry) in a framework, on one side of the partnership."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="framework_memberships",
    )
    person_name = models.CharField(_("name of the person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="framework_memberships",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    position = models.CharField(
        _("position"), max_length=12, choices=Position.choices, default=Position.MEMBER
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member of a framework")
        verbose_name_plural = _("members of frameworks")
        ordering = ["framework", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False)
                | ~models.Q(person_name="")
                | models.Q(organisation__isnull=False)
                | models.Q(actor__isnull=False),
                name="framework_member_is_someone",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="framework_member_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        person = self.person_name or (
            self.user.get_full_name() or self.user.username if self.user else ""
        )
        organisation = (
            self.organisation.name if self.organisation else self.actor.name if self.actor else ""
        )
        if person and organisation:
            return f"{person} ({organisation})"
        return person or organisation

    def clean(self) -> None:
        if not (self.user_id or self.person_name or self.organisation_id or self.actor_id):
            raise ValidationError(
                {"person_name": _("A member is a person or an organisation: name one.")}
            )
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("A member cannot leave before joining.")})


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MOVED = "moved", _("Moved")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class Meeting(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = time_zone_field()
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # iCalendar: the UID never changes, the SEQUENCE grows with every significant change.
    uid = models.CharField(max_length=80, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["framework", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The meeting ends before it starts.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted = models.BooleanField(_("accepted"), default=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.user}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        FrameworkMember, on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(_("present"), default=True)
    excused = models.BooleanField(_("excused"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.member}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Minutes(models.Model):
    """The minutes of a meeting: sanitised rich text in its language, approved by the chair,
    then published to the members or to everyone (``Framework.minutes_visibility``)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("minutes"))
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)


class MinutesTranslation(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    body = models.TextField(_("minutes"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("translation of minutes")
        verbose_name_plural = _("translations of minutes")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} ({self.language})"


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.minutes} — {self.author}"


class Decision(models.Model):
    """A decision of a framework, numbered 1, 2, 3… within the framework."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="decision_number_per_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """A follow-up action of a framework: owned by a person or an organisation."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordination_actions",
    )
    owner_member = models.ForeignKey(
        FrameworkMember,
        verbose_name=_("owner (member)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    blocked = models.BooleanField(_("blocked"), default=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordination_actions",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["framework", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="action_progress_percent"
            ),
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False)
                | models.Q(owner_member__isnull=False)
                | models.Q(owner_organisation__isnull=False),
                name="action_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not (self.owner_user_id or self.owner_member_id or self.owner_organisation_id):
            raise ValidationError(
                {"owner": _("An action needs an owner: a person or an organisation.")}
            )

    @property
    def owner_name(self) -> str:
        if self.owner_member_id and self.owner_member is not None:
            return self.owner_member.display_name
        if self.owner_user_id and self.owner_user is not None:
            return self.owner_user.get_full_name() or self.owner_user.username
        return self.owner_organisation.name if self.owner_organisation else ""

    def is_late(self, today: date | None = None) -> bool:
        day = today or timezone.localdate()
        return self.status in OPEN_ACTION_STATUSES and self.due_on is not None and self.due_on < day


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["action", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class AssociationPair(SoftDeletable):
    """A pair of associations (binôme), one on each side of a partnership."""

    partnership = models.ForeignKey(
        "registry.Partnership", on_delete=models.PROTECT, related_name="association_pairs"
    )
    french_association = models.ForeignKey(
        "registry.Actor",
        verbose_name=_("French association"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner_association = models.ForeignKey(
        "registry.Actor",
        verbose_name=_("partner association"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    theme = models.ForeignKey(
        "registry.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    agreement = models.ForeignKey(
        "registry.Document",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    is_fictitious = models.BooleanField(_("fictitious"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pair of associations")
        verbose_name_plural = _("pairs of associations")
        ordering = ["partnership", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(french_association=models.F("partner_association")),
                name="pair_of_two_associations",
            )
        ]

    def __str__(self) -> str:
        return f"{self.french_association} ↔ {self.partner_association}"


class JointActivity(models.Model):
    pair = models.ForeignKey(AssociationPair, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["pair", "date", "id"]

    def __str__(self) -> str:
        return self.title


class ExchangeKind(models.TextChoices):
    EXCHANGE = "exchange", _("Exchange")
    DELEGATION = "delegation", _("Delegation")
    STUDY_VISIT = "study_visit", _("Study visit")
    TRAINING = "training", _("Training")


class Direction(models.TextChoices):
    TO_PARTNER = "to_partner", _("To the partner")
    FROM_PARTNER = "from_partner", _("From the partner")
    BOTH = "both", _("Both ways")


class Exchange(SoftDeletable):
    """An exchange, delegation, study visit or training between the two sides."""

    partnership = models.ForeignKey(
        "registry.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="exchanges",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=ExchangeKind.choices)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    theme = models.ForeignKey(
        "registry.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    places = models.CharField(_("places"), max_length=300, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    outcome = models.TextField(_("what came of it"), blank=True)
    language = models.CharField(
        _("language of the content"), max_length=8, choices=LANGUAGE_CHOICES, default="fr"
    )
    is_published = models.BooleanField(_("published"), default=True)
    is_fictitious = models.BooleanField(_("fictitious"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="exchange_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class ExchangeParticipant(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        "registry.Actor",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_participations",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participant in an exchange")
        verbose_name_plural = _("participants in exchanges")
        ordering = ["exchange", "side", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name="")
                | models.Q(user__isnull=False)
                | models.Q(actor__isnull=False),
                name="participant_is_someone",
            )
        ]

    def __str__(self) -> str:
        return self.name or (self.actor.name if self.actor else str(self.user))

    def clean(self) -> None:
        if not (self.name or self.user_id or self.actor_id):
            raise ValidationError({"name": _("Name the participant.")})


class ExchangeLesson(models.Model):
    """A reciprocity entry: what one side learned from an exchange, and what it changed at home."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="lessons")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    learned = models.TextField(_("what it learned"), blank=True)
    changed_at_home = models.TextField(_("what it changed at home"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesson of an exchange")
        verbose_name_plural = _("lessons of exchanges")
        ordering = ["exchange", "side"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "side"], name="one_lesson_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.exchange} ({self.side})"


class CalendarFeed(models.Model):
    """A person's secret calendar URL: only the SHA-256 of its token is stored; revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
