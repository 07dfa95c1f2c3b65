"""API: submissions of answers (``POST /surveys/{form_id}/submissions``, and reading one back).

Who may post: a token of an analyst or administrator (``Authorization: Bearer …``: scripts,
imports, the analyst's own tests), or a respondent with their personal invitation secret in
``X-Invitation-Token`` (the offline client of the web form; the answer is then linked to the
invitation, which is marked submitted). Thin: the work is surveys.services.submissions.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Status

from reciprocite.accounts.authentication import bearer
from reciprocite.core.api import OPTIONAL_BEARER, ApiError, ErrorOut, check_body_text, forbidden

from . import permissions
from .api import router
from .models import Questionnaire, QuestionnaireVersion, Submission, SubmissionSource
from .services.invitations import invitation_for_token
from .services.submissions import (
    SubmissionConflict,
    SubmissionInvalid,
    parse_uuid,
    submission_store,
)

INVITATION_HEADER = "X-Invitation-Token"
BODY_KEYS = {"uuid", "data", "submitted_at", "version", "language"}

_BODY_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["uuid", "data"],
                    "properties": {
                        "uuid": {"type": "string", "format": "uuid"},
                        "data": {"type": "object", "description": "Answers by question name."},
                        "submitted_at": {"type": "string", "format": "date-time"},
                        "version": {"type": "string", "description": "Version answered."},
                        "language": {"type": "string", "description": "Language of messages."},
                    },
                }
            }
        },
    },
    # a bearer token, or else the X-Invitation-Token header (a parameter below)
    "security": [{"BearerToken": []}],
    "parameters": [
        {
            "name": INVITATION_HEADER,
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "A respondent's invitation secret, instead of a bearer token.",
        }
    ],
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


def _caller(request: HttpRequest, questionnaire: Questionnaire):
    """(membership, invitation): who posts, checked; ApiError 401/403 otherwise."""
    secret = request.headers.get(INVITATION_HEADER, "").strip()
    if secret:
        invitation = invitation_for_token(secret)
        if invitation is None:
            raise ApiError(401, _("This invitation link is unknown or no longer valid."))
        campaign = invitation.campaign
        if campaign.questionnaire_id != questionnaire.pk:
            raise ApiError(403, _("This invitation is for another questionnaire."))
        if not campaign.is_open:
            raise ApiError(
                403,
                _("The campaign “%(title)s” is closed: answers are no longer accepted.")
                % {"title": campaign.title},
            )
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


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"", parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise ApiError(400, _("The body is not valid JSON: %(error)s") % {"error": exc}) from None
    except RecursionError:
        raise ApiError(400, _("The body is not valid JSON: nested too deeply.")) from None
    if not isinstance(body, dict):
        raise ApiError(400, _("The body must be a JSON object with uuid and data."))
    check_body_text(body)  # a lone surrogate: 422 naming the field (config/api.py)
    unknown = sorted(set(body) - BODY_KEYS)
    if unknown:
        raise ApiError(
            400,
            _("Unknown fields in the body: %(names)s (allowed: %(allowed)s).")
            % {"names": ", ".join(unknown)[:200], "allowed": ", ".join(sorted(BODY_KEYS))},
            param=unknown[0][:100],
        )
    if "uuid" not in body:
        raise ApiError(400, _("uuid: required (a UUID generated by the client)."), param="uuid")
    if parse_uuid(body["uuid"]) is None:
        raise ApiError(400, _("uuid: not a valid UUID."), param="uuid")
    if not isinstance(body.get("data"), dict):
        raise ApiError(
            400, _("data: required, an object of answers by question name."), param="data"
        )
    for key in ("submitted_at", "version", "language"):
        if key in body and not isinstance(body[key], str):
            raise ApiError(400, _("%(name)s: must be text.") % {"name": key}, param=key)
    return body


def _submitted_at(body: dict) -> datetime | None:
    text = body.get("submitted_at")
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


def _version(questionnaire: Questionnaire, body: dict) -> QuestionnaireVersion | None:
    name = body.get("version")
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


def _out(request: HttpRequest, submission: Submission, *, created: bool, data: bool = False):
    out = {
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
    response={200: dict, 201: dict, **_ERRORS, 413: ErrorOut, 422: ErrorOut},
    auth=None,
    url_name="submission_create",
    summary="Send one answer to a questionnaire",
    openapi_extra=_BODY_SCHEMA,
)
def submission_create(request, form_id: str):
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
    language = body.get("language") or (invitation.language if invitation else None)
    try:
        submission, created = submission_store(
            questionnaire=questionnaire,
            data=body["data"],
            uuid=body["uuid"],
            source=SubmissionSource.WEB if invitation else SubmissionSource.API,
            actor=membership.user if membership else None,
            invitation=invitation,
            version=version,
            submitted_at=submitted_at,
            language=language or get_language(),
        )
    except SubmissionConflict as exc:
        raise ApiError(409, exc.message) from None
    except SubmissionInvalid as exc:
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            errors.setdefault(item["path"] or "data", []).append(item["message"])
        raise ApiError(
            422, _("The answers break the rules of the questionnaire."), errors=errors
        ) from None
    return Status(201 if created else 200, _out(request, submission, created=created))


@router.get(
    "/{form_id}/submissions/{uuid}",
    response={200: dict, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 414: ErrorOut, 429: ErrorOut},
    auth=None,
    url_name="submission_detail",
    summary="One stored answer",
    openapi_extra={
        "security": OPTIONAL_BEARER["security"],
        "parameters": _BODY_SCHEMA["parameters"],
    },
)
def submission_detail(request, form_id: str, uuid: str):
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
    return _out(request, submission, created=False, data=True)
