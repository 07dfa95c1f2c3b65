"""Background jobs of the surveys (see core.jobs): answers in and out in Kobo's layout.

- ``surveys.import``: params ``form_id``, ``files`` ([[stored path, original name], …], kept
  by ``services.imports.upload_store``) and ``strict``; calls ``submissions_import``, reports
  its progress, ends with a summary and the problems list; the kept files are deleted
  whatever happens.
- ``surveys.export``: params ``form_id`` and ``format`` (xlsx | csv); the result file is the
  XLSX workbook or a zip of CSV files, named ``<form_id>-<date>.xlsx|zip``.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reciprocite.core.jobs import JobError, job_handler
from reciprocite.interop.errors import FileRefused, InvalidRows

from . import permissions
from .models import Questionnaire


def _questionnaire(job) -> Questionnaire:
    if not permissions.can_run_surveys(job.owner):
        raise JobError(_("You may no longer import or export the answers of questionnaires."))
    questionnaire = Questionnaire.objects.filter(form_id=job.params.get("form_id")).first()
    if questionnaire is None:
        raise JobError(_("The questionnaire no longer exists."))
    return questionnaire


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
