"""Campaigns: recipients, personal invitations and capped reminders sent through SMTP.

An invitation's personal link is stable (services/invitations.py): the invitation e-mail,
every reminder, the campaign page and the CSV of personal links all give the same link, so an
analyst can send it another way when there is no mail server (``invitation_links``,
``mail_server_check``). The campaign's figures become public only when it is published
(``campaign_publish``; ``campaign_unpublish`` withdraws them), each step kept in
``CampaignPublication``.

Sending is done in bounded batches (``limit``): ``campaign_deliver_all`` sends batch after
batch with progress, run by the background jobs ``surveys.campaign_send`` and
``surveys.campaign_remind`` (tasks.py) that the campaign page starts; an interrupted run
resumes where it stopped (what was sent is recorded in ``sent_at`` / ``last_reminder_at``).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reciprocite.accounts.models import Organisation, OrganisationKind

from ..models import (
    Campaign,
    CampaignPublication,
    CampaignStatus,
    Invitation,
    InvitationStatus,
    PublicationAction,
)
from ..permissions import analyst_organisation_ids, can_publish_campaign
from .invitations import invitation_create, invitation_renew_secret, invitation_secret

logger = logging.getLogger(__name__)

# Languages the invitation e-mails are written in (templates/surveys/email/*.<lang>.*).
EMAIL_LANGUAGES = ("fr", "en", "ar", "ru")
DEFAULT_EMAIL_LANGUAGE = "fr"
SEND_BATCH = 25

_NOT_SUBMITTED = (InvitationStatus.INVITED, InvitationStatus.OPENED, InvitationStatus.IN_PROGRESS)


class MailServerUnavailable(Exception):
    """The SMTP server could not be reached or dropped the connection: nothing is marked."""


@dataclass
class SendReport:
    sent: int = 0
    bounced: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, reason)
    deferred: list[tuple[str, str]] = field(default_factory=list)  # temporary (4xx) refusals
    remaining: int = 0
    round_started: datetime | None = None


def recipient_candidates(*, search: str = ""):
    """Member organisations that can be invited: those with a contact e-mail."""
    qs = Organisation.objects.filter(kind=OrganisationKind.MEMBER).exclude(contact_email="")
    if search.strip():
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by("name", "pk")


def _check_recipient(organisation) -> None:
    if organisation.kind != OrganisationKind.MEMBER or not organisation.contact_email:
        raise ValidationError(
            {
                "recipients": _(
                    "%(name)s cannot be invited: only member organisations with a contact "
                    "e-mail can."
                )
                % {"name": organisation.name}
            }
        )


def _language(language: str | None) -> str:
    return language if language in EMAIL_LANGUAGES else DEFAULT_EMAIL_LANGUAGE


@transaction.atomic
def campaign_create(
    *,
    questionnaire,
    title: str,
    closes_at: datetime | None = None,
    max_reminders: int = 2,
    actor=None,
    recipients: Iterable[Organisation] = (),
    languages: dict[int, str] | None = None,
) -> Campaign:
    """A draft campaign and one invitation per recipient (nothing is sent yet), run by the
    organisation ``actor`` is an analyst of (the first by id when several; none without).

    ``languages`` maps an organisation's id to the language of its e-mails (fr by default).
    """
    run_by = sorted(analyst_organisation_ids(actor)) if getattr(actor, "pk", None) else []
    campaign = Campaign(
        questionnaire=questionnaire,
        title=title.strip(),
        closes_at=closes_at,
        max_reminders=max_reminders,
        created_by=actor if getattr(actor, "pk", None) else None,
        organisation_id=run_by[0] if run_by else None,
    )
    campaign.full_clean()
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing date must be in the future.")})
    campaign.save()
    campaign_add_recipients(campaign=campaign, recipients=recipients, languages=languages)
    return campaign


@transaction.atomic
def campaign_add_recipients(
    *, campaign: Campaign, recipients: Iterable[Organisation], languages: dict | None = None
) -> list[Invitation]:
    """Invite more member organisations (one invitation per organisation and campaign)."""
    languages = languages or {}
    already = set(campaign.invitations.values_list("organisation_id", flat=True))
    created = []
    for organisation in recipients:
        _check_recipient(organisation)
        if organisation.pk in already:
            continue
        invitation, _secret = invitation_create(
            campaign=campaign,
            organisation=organisation,
            email=organisation.contact_email,
            language=_language(languages.get(organisation.pk)),
        )
        already.add(organisation.pk)
        created.append(invitation)
    return created


def campaign_open(*, campaign: Campaign, actor=None) -> Campaign:
    if campaign.closes_at is not None and campaign.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing date has passed.")})
    campaign.status = CampaignStatus.OPEN
    campaign.save(update_fields=["status"])
    return campaign


def campaign_close(*, campaign: Campaign, actor=None) -> Campaign:
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    return campaign


# --- e-mails ----------------------------------------------------------------------------------


def invitation_link(secret: str) -> str:
    base = getattr(settings, "RECIPROCITE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/surveys/r/{secret}/"


def _template(kind: str, part: str, language: str) -> str:
    name = f"surveys/email/{kind}.{language}.{part}"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        name = f"surveys/email/{kind}.{DEFAULT_EMAIL_LANGUAGE}.{part}"
    return name


def build_message(invitation: Invitation, secret: str, *, kind: str = "invitation"):
    """The personal e-mail (plain text and HTML) in the invitation's language."""
    language = _language(invitation.language)
    campaign = invitation.campaign
    context = {
        "organisation": invitation.organisation.name,
        "campaign": campaign.title,
        "questionnaire": campaign.questionnaire.title,
        "link": invitation_link(secret),
        "closes_at": timezone.localtime(campaign.closes_at) if campaign.closes_at else None,
        "reminder_number": invitation.reminders_sent + 1,
    }
    with translation.override(language):
        subject = render_to_string(_template(kind, "subject.txt", language), context)
        text = render_to_string(_template(kind, "txt", language), context)
        html = render_to_string(_template(kind, "html", language), context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def _refusal_reason(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = []
        for address, (code, text) in exc.recipients.items():
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            parts.append(f"{address}: {code} {text}")
        return "; ".join(parts)[:300]
    text = exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{exc.smtp_code} {text}"[:300]


def _is_temporary(exc: smtplib.SMTPException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _text in exc.recipients.values())
    return 400 <= exc.smtp_code < 500


def _bounce(invitation: Invitation, reason: str, now) -> None:
    """A permanent refusal. A respondent who already opened the link keeps that status (the
    reason is still shown); one who never did is marked bounced."""
    invitation.bounce_reason = reason
    invitation.sent_at = invitation.sent_at or now
    fields = ["bounce_reason", "sent_at"]
    if invitation.status == InvitationStatus.INVITED:
        invitation.status = InvitationStatus.BOUNCED
        fields.append("status")
    invitation.save(update_fields=fields)


def _deliver(invitations: list[Invitation], kind: str, report: SendReport) -> None:
    if not invitations:
        return
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        raise MailServerUnavailable(str(exc)) from exc
    try:
        for invitation in invitations:
            secret = invitation_secret(invitation)
            if secret is None:  # made under a SECRET_KEY that is gone: a new link
                secret = invitation_renew_secret(invitation=invitation)
            message = build_message(invitation, secret, kind=kind)
            now = timezone.now()
            try:
                connection.send_messages([message])
            except smtplib.SMTPSenderRefused as exc:
                # the server refuses our sender address: a configuration problem, no bounce
                raise MailServerUnavailable(_refusal_reason(exc)) from exc
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                reason = _refusal_reason(exc)
                if _is_temporary(exc):
                    report.deferred.append((invitation.email, reason))
                    continue
                _bounce(invitation, reason, now)
                report.bounced.append((invitation.email, reason))
                logger.warning("invitation %s bounced: %s", invitation.pk, reason)
                continue
            except (OSError, smtplib.SMTPException) as exc:
                raise MailServerUnavailable(str(exc)) from exc
            if kind == "invitation":
                invitation.sent_at = now
                invitation.save(update_fields=["sent_at"])
            else:
                invitation.reminders_sent += 1
                invitation.last_reminder_at = now
                invitation.save(update_fields=["reminders_sent", "last_reminder_at"])
            report.sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not hide the cause
            logger.debug("closing the SMTP connection failed", exc_info=True)


def _unsent(campaign: Campaign):
    return campaign.invitations.filter(sent_at__isnull=True).exclude(
        status=InvitationStatus.BOUNCED
    )


def campaign_send(campaign: Campaign, *, limit: int | None = None, actor=None) -> SendReport:
    """Send the invitations not sent yet (at most ``limit`` now); opens a draft campaign."""
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("This campaign is closed."))
    if campaign.status == CampaignStatus.DRAFT:
        campaign_open(campaign=campaign, actor=actor)
    pending = list(
        _unsent(campaign)
        .select_related("organisation", "campaign__questionnaire")
        .order_by("pk")[: limit or None]
    )
    report = SendReport()
    _deliver(pending, "invitation", report)
    report.remaining = _unsent(campaign).count()
    return report


def _due_reminders(campaign: Campaign, round_started: datetime):
    qs = campaign.invitations.filter(
        sent_at__isnull=False,
        status__in=_NOT_SUBMITTED,
        reminders_sent__lt=campaign.max_reminders,
    )
    return qs.filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lt=round_started))


def campaign_remind(
    campaign: Campaign,
    *,
    limit: int | None = None,
    round_started: datetime | None = None,
    actor=None,
) -> SendReport:
    """Remind the recipients who have not submitted, each at most ``max_reminders`` times.

    A round of reminders sent in several batches passes the time it started as
    ``round_started`` so that nobody is reminded twice in one round.
    """
    if not campaign.is_open:
        raise ValidationError(_("Reminders are sent only while the campaign is open."))
    round_started = round_started or timezone.now()
    due = list(
        _due_reminders(campaign, round_started)
        .select_related("organisation", "campaign__questionnaire")
        .order_by("pk")[: limit or None]
    )
    report = SendReport(round_started=round_started)
    _deliver(due, "reminder", report)
    report.remaining = _due_reminders(campaign, round_started).count()
    return report


def campaign_check_sendable(campaign: Campaign, kind: str) -> None:
    """Raise the ValidationError ``campaign_send`` (kind "invitation") or ``campaign_remind``
    (kind "reminder") would raise, before a job is started."""
    if kind == "invitation" and campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("This campaign is closed."))
    if kind == "reminder" and not campaign.is_open:
        raise ValidationError(_("Reminders are sent only while the campaign is open."))


def campaign_deliver_all(
    campaign: Campaign,
    *,
    kind: str = "invitation",
    actor=None,
    progress=None,
    batch: int | None = None,
) -> SendReport:
    """Send every invitation not sent yet (``kind="invitation"``) or one round of reminders
    (``kind="reminder"``), ``batch`` e-mails at a time (``SEND_BATCH``), calling
    ``progress(done, total)`` after each batch. Stops when nothing is left or a batch makes
    no progress (every server asked to try later). The report adds the batches up; a
    recipient deferred in several batches is listed once. Raises what the batch services
    raise (ValidationError, MailServerUnavailable): the batches before stay sent."""
    if kind not in ("invitation", "reminder"):
        raise ValueError(f"unknown kind of e-mail {kind!r}")
    batch = batch or SEND_BATCH
    round_started = timezone.now()
    if kind == "invitation":
        total = _unsent(campaign).count()
    else:
        total = _due_reminders(campaign, round_started).count()
    whole = SendReport(round_started=round_started if kind == "reminder" else None)
    deferred: dict[str, str] = {}
    if progress:
        progress(0, total)
    while True:
        if kind == "invitation":
            report = campaign_send(campaign, limit=batch, actor=actor)
        else:
            report = campaign_remind(
                campaign, limit=batch, round_started=round_started, actor=actor
            )
        whole.sent += report.sent
        whole.bounced += report.bounced
        deferred.update(report.deferred)
        whole.remaining = report.remaining
        if progress:
            progress(min(total, whole.sent + len(whole.bounced) + len(deferred)), total)
        if not report.remaining or not (report.sent or report.bounced):
            break
    whole.deferred = sorted(deferred.items())
    return whole


# --- the mail server check ----------------------------------


@dataclass
class MailCheck:
    ok: bool
    host: str
    port: int
    detail: str = ""


MAIL_CHECK_TIMEOUT = 3


def mail_server_check(*, timeout: float = MAIL_CHECK_TIMEOUT) -> MailCheck:
    """Whether invitations can be sent now: an SMTP connection to EMAIL_HOST:EMAIL_PORT
    (greeting, EHLO, STARTTLS and login when configured), closed at once. Nothing is sent.
    With a backend that is not SMTP (console, memory) e-mails go nowhere: not ok."""
    host, port = settings.EMAIL_HOST, int(settings.EMAIL_PORT)
    backend = settings.EMAIL_BACKEND
    if backend != "django.core.mail.backends.smtp.EmailBackend":
        return MailCheck(
            False,
            host,
            port,
            _("e-mails are not sent to a mail server (%(b)s)") % {"b": backend.rsplit(".", 2)[-2]},
        )
    use_ssl = bool(getattr(settings, "EMAIL_USE_SSL", False))
    smtp_class = smtplib.SMTP_SSL if use_ssl else smtplib.SMTP
    try:
        with smtp_class(host, port, timeout=timeout) as server:
            server.ehlo()
            if getattr(settings, "EMAIL_USE_TLS", False):
                server.starttls()
                server.ehlo()
            if settings.EMAIL_HOST_USER:
                server.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
            server.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return MailCheck(False, host, port, str(exc) or exc.__class__.__name__)
    return MailCheck(True, host, port)


# --- publication --------------------------------------------------------------------------------


def _check_publisher(actor, campaign: Campaign) -> None:
    """``actor`` None is the operator at the command line (``reciprocite survey publish``
    without ``--as``), who holds the database anyway; anyone else must be the campaign's
    analyst (permissions.can_publish_campaign)."""
    if actor is not None and not can_publish_campaign(actor, campaign):
        raise PermissionError(_("You may not publish or withdraw this campaign's figures."))


def campaign_publish(*, campaign: Campaign, actor=None) -> Campaign:
    """Make the campaign's answers count on the public panorama, its API, exports and
    report. Publishing a published campaign changes nothing."""
    return _publication_change(campaign, actor, publish=True)


def campaign_unpublish(*, campaign: Campaign, actor=None) -> Campaign:
    """Withdraw the campaign's answers from every public figure (the analysis page still
    shows them). Withdrawing an unpublished campaign changes nothing."""
    return _publication_change(campaign, actor, publish=False)


@transaction.atomic
def _publication_change(campaign: Campaign, actor, *, publish: bool) -> Campaign:
    """Publish or withdraw under a row lock, and keep the step in the history."""
    _check_publisher(actor, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if (campaign.published_at is not None) == publish:
        return campaign
    now = timezone.now()
    by = actor if getattr(actor, "pk", None) else None
    campaign.published_at, campaign.published_by = (now, by) if publish else (None, None)
    campaign.save(update_fields=["published_at", "published_by"])
    CampaignPublication.objects.create(
        campaign=campaign,
        action=PublicationAction.PUBLISH if publish else PublicationAction.UNPUBLISH,
        at=now,
        by=by,
    )
    return campaign


def campaign_for_uninvited_answer(questionnaire) -> Campaign | None:
    """The campaign an answer sent without an invitation belongs to: the form's open
    campaign when there is exactly one, else none (it then counts nowhere publicly)."""
    now = timezone.now()
    open_ = list(
        Campaign.objects.filter(questionnaire=questionnaire, status=CampaignStatus.OPEN)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("pk")[:2]
    )
    return open_[0] if len(open_) == 1 else None
