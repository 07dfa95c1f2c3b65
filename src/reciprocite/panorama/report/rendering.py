"""What the CLI and the background job call: the language and the campaign checked
(``ReportError``), the HTML, the PDF laid out by WeasyPrint (no fetch but ``data:`` URLs) and
the file's name."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .document import STEPS, TEMPLATE, Progress, report_context

if TYPE_CHECKING:
    from reciprocite.surveys.models import Campaign

LANGUAGES = ("fr", "en")


class ReportError(Exception):
    """What stops a report, said in one line for the person who asked for it."""


def report_filename(language: str, day: dt.date | None = None) -> str:
    day = day or timezone.localdate()
    return f"panorama-{language}-{day.isoformat()}.pdf"


def find_campaign(campaign_id: object) -> Campaign | None:
    """The campaign named by ``--campaign`` or the form, or ReportError."""
    from reciprocite.surveys.models import Campaign

    if campaign_id in (None, ""):
        return None
    from reciprocite.core.filters import id_value

    pk = id_value(campaign_id)
    if pk is None:
        raise ReportError(
            _("%(value)s is not a campaign id (a whole number is expected).")
            % {"value": campaign_id}
        ) from None
    campaign = Campaign.objects.select_related("questionnaire").filter(pk=pk).first()
    if campaign is None:
        raise ReportError(_("There is no survey campaign with the id %(id)s.") % {"id": pk})
    if campaign.published_at is None:
        raise ReportError(
            _("The figures of the campaign %(id)s are not published: publish them first.")
            % {"id": pk}
        )
    return campaign


def _url_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    # Only data: URLs: no remote font, image or stylesheet, and no local file either.
    return URLFetcher(allowed_protocols={"data"})


def render_html(
    *,
    language: str = "fr",
    campaign: Campaign | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> str:
    if language not in LANGUAGES:
        raise ReportError(_("%(lang)s is not a report language (fr or en).") % {"lang": language})
    with translation.override(language):
        context = report_context(
            language=language, campaign=campaign, progress=progress, today=today
        )
        return render_to_string(TEMPLATE, context)


def render_report(
    *,
    language: str = "fr",
    campaign: Campaign | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The PDF of the panorama report (bytes)."""
    from weasyprint import HTML

    html = render_html(language=language, campaign=campaign, progress=progress, today=today)
    pdf: bytes = HTML(string=html, base_url="data:,", url_fetcher=_url_fetcher()).write_pdf(
        pdf_tags=True
    )
    if progress is not None:
        with translation.override(language):
            progress(len(STEPS), len(STEPS), _("Done"))
    return pdf
