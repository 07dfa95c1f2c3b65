"""Questionnaires (XLSForm), their versions, campaigns, invitations, submissions, reviews.

The structure of a questionnaire version is pyxform's JSON representation of the XLSForm
(``pyxform.xls2json.workbook_to_json``: a ``survey`` with ``children``, each with ``type``,
``name``, ``label`` (a string or {language: text}), ``bind`` (relevant, constraint,
required…), ``choices``/``itemset``, nested ``children`` for groups and repeats). Every
module reads that one structure.

A submission's ``data`` keeps answers by question name, as Kobo's JSON does: top-level
questions by their name (group paths dropped, names are unique in a form), repeats as lists
of objects under the repeat's name (nested repeats nested the same way), select_multiple as
one space-separated string, numbers as numbers, dates as ISO strings, geopoints as
"lat lon alt acc". Values of every type are kept, including types the web form cannot
collect.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    form_id = models.SlugField(_("form id"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    default_language = models.CharField(_("default language"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questionnaires",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["form_id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.form_id})"

    @property
    def current_version(self) -> QuestionnaireVersion | None:
        return self.versions.order_by("-created_at", "-pk").first()


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.CharField(_("version"), max_length=100)
    structure = models.JSONField(_("structure (pyxform JSON)"))
    # name → row of the survey sheet, to name a question and its row in messages
    rows = models.JSONField(default=dict, blank=True)
    # questions the web form cannot collect: [{"name", "type", "row"}]
    unsupported = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    xlsform = models.BinaryField(_("XLSForm file"), blank=True, editable=False)
    xlsform_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "version"], name="questionnaire_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.form_id} v{self.version}"

    @property
    def collectable_on_the_web(self) -> bool:
        return not self.unsupported


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Campaign(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=2)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # the campaign's answers count on the public panorama, its API, exports and report only
    # once an analyst has published them (services.campaigns.campaign_publish)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN and (
            self.closes_at is None or self.closes_at > timezone.now()
        )


class PublicationAction(models.TextChoices):
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Withdrawn")


class CampaignPublication(models.Model):
    """One publication or withdrawal of a campaign's figures: who, when (the history)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="publications")
    action = models.CharField(max_length=10, choices=PublicationAction.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign publication")
        verbose_name_plural = _("campaign publications")
        ordering = ["campaign", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.action} {self.at:%Y-%m-%d %H:%M}"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    OPENED = "opened", _("Opened")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    BOUNCED = "bounced", _("Bounced")


class Invitation(models.Model):
    """A personal invitation: one recipient organisation, one secret link, a saved draft
    until the answer is submitted.

    The link's secret is not stored: it is an HMAC of ``secret_nonce`` with SECRET_KEY
    (services.invitations.invitation_secret), so the same link can be shown, copied and
    exported again and again; only its digest is stored, to find the invitation from a link.
    ``legacy_token_digest`` keeps working a link e-mailed before links became stable."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    token_digest = models.CharField(max_length=64, unique=True)
    secret_nonce = models.CharField(max_length=32, blank=True)
    legacy_token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=300, blank=True)
    draft = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="invitation_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.organisation}"


class SubmissionSource(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    IMPORT = "import", _("Import")


class Submission(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="submissions"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    uuid = models.UUIDField(_("UUID"), unique=True, default=uuid.uuid4)
    data = models.JSONField(_("answers"))
    # SHA-256 of the canonical JSON of ``data``: the same UUID sent twice with the same
    # content is accepted once; with another content it is refused (409)
    content_digest = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=SubmissionSource.choices)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="submission"
    )
    # the campaign the answer belongs to: its invitation's, the one chosen for an import, or
    # the only open campaign of the form for an answer sent through the API without one;
    # an answer counts publicly only once its campaign is published
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["questionnaire", "submitted_at"])]

    def __str__(self) -> str:
        return str(self.uuid)


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CooperationReview(models.Model):
    """An analyst's review of one described cooperation (one repeat entry of a submission);
    accepting it creates or updates a partnership and a project in the registry."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    repeat_name = models.CharField(max_length=100, default="cooperation")
    repeat_index = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    edited = models.JSONField(default=dict, blank=True)
    partnership = models.ForeignKey(
        "registry.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        "registry.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("cooperation review")
        verbose_name_plural = _("cooperation reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "repeat_name", "repeat_index"], name="review_unique_entry"
            )
        ]
