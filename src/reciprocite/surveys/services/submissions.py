"""Storing one submission of answers, idempotently by its client-generated UUID.

The same UUID sent twice stores one answer: with the same content the stored submission is
returned (created False); with another content :class:`SubmissionConflict` is raised and
nothing is overwritten. The content compared is the ``data`` the client sent (its
``content_digest``), before the server fills metadata and calculations, so a retry of the
same answer is recognised even though ``end`` or ``now()`` would differ.

An answer given to a campaign (through one of its invitations, or named) is accepted only
while the campaign is open (:func:`campaign_check_answerable`, :class:`CampaignClosed`): the
API, the web form and any other caller meet the same rule. An import of answers collected
elsewhere (services/imports.py) stores what was collected, into an open or closed campaign.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..digest import content_digest
from ..models import (
    Campaign,
    Invitation,
    InvitationStatus,
    Questionnaire,
    QuestionnaireVersion,
    Submission,
    SubmissionSource,
)
from ..structure import Structure
from ..validation import clean_submission, data_problem, error, fill_calculations, normalise
from .invitations import invitation_mark


class SubmissionConflict(Exception):
    """The UUID is already stored with another content (or the invitation already answered)."""

    def __init__(self, message: str, existing: Submission | None = None):
        self.message = message
        self.existing = existing
        super().__init__(message)


class CampaignClosed(Exception):
    """The campaign does not take answers: closed, past its closing date, or not open yet."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.message = _("The campaign “%(title)s” is closed: answers are no longer accepted.") % {
            "title": campaign.title
        }
        super().__init__(self.message)


def campaign_check_answerable(campaign: Campaign) -> None:
    """Raise :class:`CampaignClosed` unless ``campaign`` takes answers now (it is open and
    its closing date, if any, is still ahead)."""
    if not campaign.is_open:
        raise CampaignClosed(campaign)


class SubmissionInvalid(Exception):
    """The answers break the form's rules: ``errors`` [{"name", "path", "message"}]."""

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['path']}: {e['message']}" for e in errors[:5]))


def parse_uuid(value: object) -> uuid_module.UUID | None:
    """A UUID from its text (any of the usual spellings), or None."""
    if isinstance(value, uuid_module.UUID):
        return value
    if not isinstance(value, str) or len(value) > 45:
        return None
    text = value.strip()
    if text.lower().startswith("uuid:"):
        text = text[5:]
    try:
        return uuid_module.UUID(text)
    except ValueError:
        return None


def _stored(uuid: uuid_module.UUID) -> Submission | None:
    return Submission.objects.filter(uuid=uuid).first()


def _answered(invitation: Invitation, uuid: uuid_module.UUID) -> Submission | None:
    """The answer already stored for this invitation under another UUID."""
    return Submission.objects.filter(invitation=invitation).exclude(uuid=uuid).first()


def _same_or_conflict(
    existing: Submission, digest: str, questionnaire: Questionnaire
) -> tuple[Submission, bool]:
    if existing.questionnaire_id != questionnaire.pk:
        raise SubmissionConflict(
            _("The UUID %(uuid)s is already used by an answer to another questionnaire.")
            % {"uuid": existing.uuid},
            existing,
        )
    if existing.content_digest != digest:
        raise SubmissionConflict(
            _(
                "An answer with the UUID %(uuid)s is already stored with another content; "
                "it was not overwritten. Send a new answer with a new UUID."
            )
            % {"uuid": existing.uuid},
            existing,
        )
    return existing, False


def submission_store(
    *,
    questionnaire: Questionnaire,
    data: Any,
    uuid: object,
    source: str,
    actor: Any = None,
    invitation: Invitation | None = None,
    version: QuestionnaireVersion | None = None,
    submitted_at: datetime | None = None,
    validate: bool = True,
    language: str | None = None,
    campaign: Campaign | None = None,
) -> tuple[Submission, bool]:
    """Store an answer; returns (submission, created).

    With ``validate`` (the default) numbers sent as text are made numbers, the metadata and
    calculations are filled (surveys.validation.fill_calculations), answers to questions
    that are not relevant are dropped, and any error raises :class:`SubmissionInvalid` with
    nothing stored. The submission is stamped with ``version`` or the questionnaire's
    current version. With an ``invitation`` the answer is linked to it and the invitation
    marked submitted; an invitation already answered under another UUID is a conflict.
    The answer belongs to the invitation's campaign, else to ``campaign``, else (an answer
    sent through the API) to the form's only open campaign, else to none: it counts on the
    public panorama once that campaign is published (an answer of no campaign never does).
    Safe under concurrency: two identical posts racing store one row.

    An answer to a campaign that is not open (the invitation's, or ``campaign``) raises
    :class:`CampaignClosed` before anything else, a retry of a stored answer included.
    """
    if invitation is not None:
        campaign_check_answerable(invitation.campaign)
    elif campaign is not None:
        campaign_check_answerable(campaign)
    parsed = parse_uuid(uuid)
    if parsed is None:
        raise SubmissionInvalid([error("uuid", "uuid", _("A valid UUID is required."))])
    if source not in SubmissionSource.values:
        raise ValueError(f"unknown source {source!r}")
    if not isinstance(data, dict):
        raise SubmissionInvalid(
            [error("", "", _("The answers must be an object of question names."))]
        )
    problem = data_problem(data)
    if problem:
        raise SubmissionInvalid([error("", "", problem)])
    digest = content_digest(data)

    existing = _stored(parsed)
    if existing is not None:
        return _same_or_conflict(existing, digest, questionnaire)

    version = version or questionnaire.current_version
    if version is None:
        raise SubmissionInvalid(
            [error("", "", _("This questionnaire has no version to answer yet."))]
        )
    if version.questionnaire_id != questionnaire.pk:
        raise ValueError("the version belongs to another questionnaire")

    submitted_at = submitted_at or timezone.now()
    stored = data
    if validate:
        structure = Structure(version.structure, version.rows or {})
        filled = fill_calculations(
            structure,
            normalise(structure, data),
            now=submitted_at,
            username=getattr(actor, "username", None) or None,
            instance_id=str(parsed),
        )
        stored, errors = clean_submission(structure, filled, language=language)
        if errors:
            raise SubmissionInvalid(errors)

    if invitation is not None:
        answered = _answered(invitation, parsed)
        if answered is not None:
            raise SubmissionConflict(
                _("This invitation has already been answered (answer %(uuid)s).")
                % {"uuid": answered.uuid},
                answered,
            )

    if invitation is not None:
        campaign = invitation.campaign
    elif campaign is None and source == SubmissionSource.API:
        from .campaigns import campaign_for_uninvited_answer

        campaign = campaign_for_uninvited_answer(questionnaire)
    if campaign is not None and campaign.questionnaire_id != questionnaire.pk:
        raise ValueError("the campaign belongs to another questionnaire")

    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                campaign=campaign,
                questionnaire=questionnaire,
                version=version,
                uuid=parsed,
                data=stored,
                content_digest=digest,
                source=source,
                invitation=invitation,
                submitted_at=submitted_at,
                submitted_by=actor if getattr(actor, "pk", None) else None,
            )
            if invitation is not None:
                _mark_submitted(invitation)
    except IntegrityError:
        # a concurrent request stored this UUID (or answered this invitation) first
        existing = Submission.objects.filter(uuid=parsed).first()
        if existing is not None:
            return _same_or_conflict(existing, digest, questionnaire)
        if invitation is not None:
            answered = Submission.objects.filter(invitation=invitation).first()
            if answered is not None:
                raise SubmissionConflict(
                    _("This invitation has already been answered (answer %(uuid)s).")
                    % {"uuid": answered.uuid},
                    answered,
                ) from None
        raise
    return submission, True


def _mark_submitted(invitation: Invitation) -> None:
    if invitation.status != InvitationStatus.SUBMITTED:
        invitation_mark(invitation, InvitationStatus.SUBMITTED)
