"""Background jobs of the panorama: ``panorama.report`` renders the PDF report.

Started by the panorama page's button (``report_views.report_start``); params
``{"language": "fr" | "en", "campaign": id | None}``. The PDF is the job's result file,
downloadable by its owner (and staff) from the job page.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from reciprocite.core.jobs import JobError, job_handler

from .report.rendering import LANGUAGES, ReportError, find_campaign, render_report, report_filename


@job_handler("panorama.report")
def render_panorama_report(job, progress) -> None:
    language = job.params.get("language") or "fr"
    if language not in LANGUAGES:
        raise JobError(_("%(lang)s is not a report language (fr or en).") % {"lang": language})
    try:
        campaign = find_campaign(job.params.get("campaign"))
        pdf = render_report(language=language, campaign=campaign, progress=progress)
    except ReportError as exc:
        raise JobError(str(exc)) from None
    filename = report_filename(language)
    job.result_file.save(filename, ContentFile(pdf), save=False)
    job.result = {
        "summary": _("The panorama report is ready: %(name)s (%(size)s KB).")
        % {"name": filename, "size": max(1, len(pdf) // 1024)},
        "filename": filename,
        "problems": [],
    }
