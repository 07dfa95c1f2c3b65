"""Background jobs of the surveys (see core.jobs): answers in and out in Kobo's layout.

- ``surveys.import``: params ``form_id``, ``files`` ([[stored path, original name], …], kept
  by ``services.imports.upload_store``), ``strict`` and ``campaign`` (an id or None); calls ``submissions_import``, reports
  its progress, ends with a summary and the problems list; the kept files are deleted
  whatever happens.
- ``surveys.export``: params ``form_id`` and ``format`` (xlsx | csv); the result file is the
  XLSX workbook or a zip of CSV files, named ``<form_id>-<date>.xlsx|zip``.
- ``surveys.campaign_send`` / ``surveys.campaign_remind``: param ``campaign`` (its id); send
  the invitations not sent yet / one round of reminders batch after batch
  (``services.campaigns.campaign_deliver_all``); the summary gives the counts, the problems
  the refused and deferred addresses; the result page is the campaign's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reciprocite.core.jobs import JobError, job_handler
from reciprocite.interop.errors import FileRefused, InvalidRows

from . import permissions
from .models import Campaign, Questionnaire


def _questionnaire(job) -> Questionnaire:
    if not permissions.can_run_surveys(job.owner):
        raise JobError(_("You may no longer import or export the answers of questionnaires."))
    questionnaire = Questionnaire.objects.filter(form_id=job.params.get("form_id")).first()
    if questionnaire is None:
        raise JobError(_("The questionnaire no longer exists."))
    return questionnaire


def _campaign(questionnaire, pk):
    if pk in (None, ""):
        return None
    campaign = Campaign.objects.filter(pk=pk, questionnaire=questionnaire).first()
    if campaign is None:
        raise JobError(_("Nothing was imported: the chosen campaign no longer exists."))
    return campaign


@job_handler("surveys.import")
def import_answers(job, progress) -> None:
    from .services.imports import submissions_import, upload_discard, upload_read

    stored = job.params.get("files") or []
    try:
        questionnaire = _questionnaire(job)
        report = submissions_import(
            questionnaire=questionnaire,
            files=upload_read(stored),
            actor=job.owner,
            strict=bool(job.params.get("strict")),
            campaign=_campaign(questionnaire, job.params.get("campaign")),
            progress=lambda label, done, total: progress(done, total, label),
        )
    except FileRefused as exc:
        raise JobError(_("Nothing was imported. %(error)s") % {"error": exc}) from None
    except InvalidRows as exc:
        raise JobError(
            ngettext(
                "Nothing was imported: %(n)d problem. %(lines)s",
                "Nothing was imported: %(n)d problems. %(lines)s",
                exc.total,
            )
            % {"n": exc.total, "lines": " · ".join(exc.lines())}
        ) from None
    finally:
        upload_discard(stored)
    job.result = {
        "summary": report.summary(),
        "problems": report.problems(),
        "report": report.as_dict(),
    }
    job.result_url = reverse("surveys:analysis", args=[questionnaire.form_id])


@job_handler("surveys.export")
def export_answers(job, progress) -> None:
    from .selectors.exports import FORMATS, submissions_export

    questionnaire = _questionnaire(job)
    format = job.params.get("format")
    if format not in FORMATS:
        raise JobError(_("Unknown export format: %(format)s.") % {"format": format})
    count = questionnaire.submissions.count()
    progress(0, 1, _("Writing the export"))
    content = submissions_export(questionnaire, format=format)
    filename = (
        f"{questionnaire.form_id}-{timezone.localdate().isoformat()}."
        f"{'xlsx' if format == 'xlsx' else 'zip'}"
    )
    job.result_file.save(filename, ContentFile(content), save=False)
    job.result = {
        "summary": ngettext("%(n)d submission exported.", "%(n)d submissions exported.", count)
        % {"n": count},
        "filename": filename,
    }
    job.result_url = reverse("surveys:questionnaire_detail", args=[questionnaire.form_id])
    progress(1, 1, _("Export written"))


def _deliver(job, progress, kind: str) -> None:
    from .services import campaigns as services

    if not permissions.can_run_surveys(job.owner):
        raise JobError(_("You may no longer run survey campaigns."))
    campaign = Campaign.objects.filter(pk=job.params.get("campaign")).first()
    if campaign is None or not permissions.can_view_campaign(job.owner, campaign):
        raise JobError(_("The campaign no longer exists."))
    step = _("Sending the invitations") if kind == "invitation" else _("Sending the reminders")
    sent_before = []

    def report_progress(done, total):
        sent_before[:] = [done]
        progress(done, total, step)

    try:
        report = services.campaign_deliver_all(
            campaign, kind=kind, actor=job.owner, progress=report_progress
        )
    except ValidationError as exc:
        raise JobError(" ".join(exc.messages)) from None
    except services.MailServerUnavailable:
        done = sent_before[0] if sent_before else 0
        raise JobError(
            _("The mail server cannot be reached; try later.")
            + " "
            + ngettext(
                "%(n)d e-mail was handled before; the others are sent by the next run.",
                "%(n)d e-mails were handled before; the others are sent by the next run.",
                done,
            )
            % {"n": done}
        ) from None
    if kind == "invitation":
        summary = ngettext(
            "%(sent)d invitation sent, %(bounced)d refused.",
            "%(sent)d invitations sent, %(bounced)d refused.",
            report.sent,
        )
    else:
        summary = ngettext(
            "%(sent)d reminder sent, %(bounced)d refused.",
            "%(sent)d reminders sent, %(bounced)d refused.",
            report.sent,
        )
    summary %= {"sent": report.sent, "bounced": len(report.bounced)}
    if report.deferred:
        summary += " " + ngettext(
            "%(n)d recipient's server asked to try later.",
            "%(n)d recipients' servers asked to try later.",
            len(report.deferred),
        ) % {"n": len(report.deferred)}
    problems = [
        _("%(email)s refused: %(reason)s") % {"email": email, "reason": reason}
        for email, reason in report.bounced
    ] + [
        _("%(email)s: try later (%(reason)s)") % {"email": email, "reason": reason}
        for email, reason in report.deferred
    ]
    job.result = {
        "summary": summary,
        "problems": problems,
        "sent": report.sent,
        "bounced": len(report.bounced),
        "deferred": len(report.deferred),
        "remaining": report.remaining,
    }
    job.result_url = reverse("surveys:campaign_detail", args=[campaign.pk])


@job_handler("surveys.campaign_send")
def send_invitations(job, progress) -> None:
    _deliver(job, progress, "invitation")


@job_handler("surveys.campaign_remind")
def send_reminders(job, progress) -> None:
    _deliver(job, progress, "reminder")
