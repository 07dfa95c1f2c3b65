"""API: submissions of answers (``POST /surveys/{form_id}/submissions``, and reading one back).

Who may post: a token of an analyst or administrator (``Authorization: Bearer …``: scripts,
imports, the analyst's own tests), or a respondent with their personal invitation secret in
``X-Invitation-Token`` (the offline client of the web form; the answer is then linked to the
invitation, which is marked submitted). Thin: the work is surveys.services.submissions.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NoReturn

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Status
from pydantic import ValidationError

from reciprocite.accounts.authentication import bearer
from reciprocite.accounts.models import Membership
from reciprocite.core.api import OPTIONAL_BEARER, ApiError, ErrorOut, check_body_text, forbidden

from . import permissions
from .api import router
from .models import (
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Submission,
    SubmissionSource,
)
from .schemas import SubmissionDetailOut, SubmissionIn, SubmissionOut
from .services.invitations import invitation_for_token
from .services.submissions import (
    CampaignClosed,
    SubmissionConflict,
    SubmissionInvalid,
    campaign_check_answerable,
    parse_uuid,
    submission_store,
)

INVITATION_HEADER = "X-Invitation-Token"
BODY_KEYS = sorted(SubmissionIn.model_fields)
# the optional fields, in the order their refusals are checked
TEXT_KEYS = ("submitted_at", "version", "language")

_INVITATION_PARAMETER = {
    "name": INVITATION_HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "A respondent's invitation secret, instead of a bearer token.",
}
_BODY_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": SubmissionIn.model_json_schema()}},
    },
    # a bearer token, or else the X-Invitation-Token header (a parameter below)
    "security": [{"BearerToken": []}],
    "parameters": [_INVITATION_PARAMETER],
}

_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    414: ErrorOut,
    429: ErrorOut,
}


def _questionnaire(form_id: str) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(form_id=form_id[:100]).first()
    if questionnaire is None:
        raise ApiError(
            404, _("No questionnaire with the form id %(form_id)s.") % {"form_id": form_id[:100]}
        )
    return questionnaire


def _caller(
    request: HttpRequest, questionnaire: Questionnaire
) -> tuple[Membership | None, Invitation | None]:
    """(membership, invitation): who posts, checked; ApiError 401/403 otherwise."""
    secret = request.headers.get(INVITATION_HEADER, "").strip()
    if secret:
        invitation = invitation_for_token(secret)
        if invitation is None:
            raise ApiError(401, _("This invitation link is unknown or no longer valid."))
        campaign = invitation.campaign
        if campaign.questionnaire_id != questionnaire.pk:
            raise ApiError(403, _("This invitation is for another questionnaire."))
        try:
            # the service checks it again; here, so that a closed campaign is told first
            campaign_check_answerable(campaign)
        except CampaignClosed as exc:
            raise ApiError(403, exc.message) from None
        return None, invitation
    if not request.headers.get("Authorization", "").strip():
        raise ApiError(
            401,
            _(
                "Authentication required: send 'Authorization: Bearer <token>' or your "
                "invitation secret in the header %(header)s."
            )
            % {"header": INVITATION_HEADER},
        )
    membership = bearer(request)
    if not permissions.can_run_surveys(membership):
        raise forbidden(
            _(
                "This token may not send answers to questionnaires "
                "(it acts with the role of its membership only)."
            )
        )
    return membership, None


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _body(request: HttpRequest) -> SubmissionIn:
    """The body as a SubmissionIn; read here rather than by ninja, so that its refusals come
    after the questionnaire's and the caller's, each a 400 naming its field."""
    try:
        body = json.loads(request.body or b"", parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise ApiError(400, _("The body is not valid JSON: %(error)s") % {"error": exc}) from None
    except RecursionError:
        raise ApiError(400, _("The body is not valid JSON: nested too deeply.")) from None
    if not isinstance(body, dict):
        raise ApiError(400, _("The body must be a JSON object with uuid and data."))
    check_body_text(body)  # a lone surrogate: 422 naming the field (config/api.py)
    try:
        return SubmissionIn.model_validate(body)
    except ValidationError as exc:
        _refuse(exc)


def _refuse(exc: ValidationError) -> NoReturn:
    """The first refusal of the body, as a 400 naming its field."""
    failed: dict[str, list[str]] = {}
    for item in exc.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        failed.setdefault(name, []).append(item["type"])
    unknown = sorted(name for name, kinds in failed.items() if "extra_forbidden" in kinds)
    if unknown:
        raise ApiError(
            400,
            _("Unknown fields in the body: %(names)s (allowed: %(allowed)s).")
            % {"names": ", ".join(unknown)[:200], "allowed": ", ".join(BODY_KEYS)},
            param=unknown[0][:100],
        )
    if "uuid" in failed:
        if "missing" in failed["uuid"]:
            raise ApiError(400, _("uuid: required (a UUID generated by the client)."), param="uuid")
        raise ApiError(400, _("uuid: not a valid UUID."), param="uuid")
    if "data" in failed:
        raise ApiError(
            400, _("data: required, an object of answers by question name."), param="data"
        )
    for key in TEXT_KEYS:
        if key in failed:
            raise ApiError(400, _("%(name)s: must be text.") % {"name": key}, param=key)
    raise ApiError(400, _("The body must be a JSON object with uuid and data."))


def _submitted_at(body: SubmissionIn) -> datetime | None:
    text = body.submitted_at
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(
            400,
            _("submitted_at: not an ISO 8601 date and time (e.g. 2026-05-04T10:30:00Z)."),
            param="submitted_at",
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _version(questionnaire: Questionnaire, body: SubmissionIn) -> QuestionnaireVersion | None:
    name = body.version
    if not name:
        return None
    version = questionnaire.versions.filter(version=name[:100]).first()
    if version is None:
        raise ApiError(
            400,
            _("version: the questionnaire has no version %(version)s.") % {"version": name[:100]},
            param="version",
        )
    return version


def _out(submission: Submission, *, created: bool, data: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uuid": str(submission.uuid),
        "form_id": submission.questionnaire.form_id,
        "version": submission.version.version,
        "created": created,
        "source": submission.source,
        "submitted_at": submission.submitted_at.isoformat(),
        "received_at": submission.received_at.isoformat(),
        "content_digest": submission.content_digest,
    }
    if data:
        out["data"] = submission.data
    return out


@router.post(
    "/{form_id}/submissions",
    response={200: SubmissionOut, 201: SubmissionOut, **_ERRORS, 413: ErrorOut, 422: ErrorOut},
    auth=None,
    url_name="submission_create",
    summary="Send one answer to a questionnaire",
    openapi_extra=_BODY_SCHEMA,
)
def submission_create(request: HttpRequest, form_id: str) -> Status[dict[str, Any]]:
    """Body ``{"uuid": "<client-generated UUID>", "data": {answers}, "submitted_at"?,
    "version"?, "language"?}``. 201 stored; 200 the same UUID with the same content was
    already stored (nothing changes); 409 the same UUID with another content (nothing
    overwritten); 422 the answers break the form's rules (``errors`` by path, e.g.
    ``cooperation[2]/annee_debut``)."""
    questionnaire = _questionnaire(form_id)
    membership, invitation = _caller(request, questionnaire)
    body = _body(request)
    version = _version(questionnaire, body)
    submitted_at = _submitted_at(body)
    language = body.language or (invitation.language if invitation else None)
    try:
        submission, created = submission_store(
            questionnaire=questionnaire,
            data=body.data,
            uuid=body.uuid,
            source=SubmissionSource.WEB if invitation else SubmissionSource.API,
            actor=membership.user if membership else None,
            invitation=invitation,
            version=version,
            submitted_at=submitted_at,
            language=language or get_language(),
        )
    except CampaignClosed as exc:  # closed since _caller looked
        raise ApiError(403, exc.message) from None
    except SubmissionConflict as exc:
        raise ApiError(409, exc.message) from None
    except SubmissionInvalid as exc:
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            errors.setdefault(item["path"] or "data", []).append(item["message"])
        raise ApiError(
            422, _("The answers break the rules of the questionnaire."), errors=errors
        ) from None
    return Status(201 if created else 200, _out(submission, created=created))


@router.get(
    "/{form_id}/submissions/{uuid}",
    response={
        200: SubmissionDetailOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        414: ErrorOut,
        429: ErrorOut,
    },
    auth=None,
    url_name="submission_detail",
    summary="One stored answer",
    openapi_extra={
        "security": OPTIONAL_BEARER["security"],
        "parameters": [_INVITATION_PARAMETER],
    },
)
def submission_detail(request: HttpRequest, form_id: str, uuid: str) -> dict[str, Any]:
    """The answer stored under a UUID, with its data: for analysts and administrators, and
    for the respondent whose invitation it answers (so an offline client can check what
    was stored)."""
    questionnaire = Questionnaire.objects.filter(form_id=form_id[:100]).first()
    secret = request.headers.get(INVITATION_HEADER, "").strip()
    invitation = None
    if secret:
        invitation = invitation_for_token(secret)
        if invitation is None:
            raise ApiError(401, _("This invitation link is unknown or no longer valid."))
    else:
        if not request.headers.get("Authorization", "").strip():
            raise ApiError(401, _("Authentication required: send 'Authorization: Bearer <token>'."))
        membership = bearer(request)
        if not permissions.can_run_surveys(membership):
            raise forbidden(
                _("This token may not read answers (it acts with the role of its membership only).")
            )
    if questionnaire is None:
        raise ApiError(
            404, _("No questionnaire with the form id %(form_id)s.") % {"form_id": form_id[:100]}
        )
    parsed = parse_uuid(uuid)
    submission = (
        Submission.objects.select_related("questionnaire", "version")
        .filter(questionnaire=questionnaire, uuid=parsed)
        .first()
        if parsed
        else None
    )
    if submission is None or (invitation is not None and submission.invitation_id != invitation.pk):
        raise ApiError(
            404, _("No answer with the UUID %(uuid)s to this questionnaire.") % {"uuid": uuid[:45]}
        )
    return _out(submission, created=False, data=True)
