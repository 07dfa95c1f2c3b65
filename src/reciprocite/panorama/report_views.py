"""Pages of the panorama report: the form that starts the PDF in the background.

Who: any signed-in user (the report only holds what the public panorama shows). Anonymous
visitors are sent to the sign-in page. The PDF is a background job (``panorama.report``):
the form redirects to the job's page, which polls its progress and offers the download to
the user who started it (and staff) only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reciprocite.core.filters import FilterError
from reciprocite.core.http import deny_unless
from reciprocite.core.jobs import start_job

from . import permissions, selectors
from .report.rendering import LANGUAGES


def report_languages() -> list[tuple[str, str]]:
    return [("fr", _("French")), ("en", _("English"))]


def _campaign_options(user) -> list:
    return [c for c in selectors.campaigns() if permissions.can_choose_campaign(user, c)]


def report_form_context(request, *, campaign=None, errors=None) -> dict:
    """What the form (page or panorama include) needs."""
    language = (get_language() or "fr")[:2]
    return {
        "report_languages": report_languages(),
        "selected_language": language if language in LANGUAGES else "fr",
        "campaigns": _campaign_options(request.user) if request.user.is_authenticated else [],
        "selected_campaign": campaign.pk if campaign is not None else None,
        "errors": errors or {},
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_start(request):
    deny_unless(permissions.can_generate_report(request.user))
    if request.method == "GET":
        try:
            campaign = selectors.campaign_by_id(request.GET.get("campaign"))
        except FilterError:
            campaign = None
        context = report_form_context(request, campaign=campaign)
        return render(request, "panorama/report/report_form.html", context)

    errors = {}
    language = request.POST.get("language", "")
    if language not in LANGUAGES:
        errors["language"] = _("Choose French or English.")
    campaign = None
    try:
        campaign = selectors.campaign_by_id(request.POST.get("campaign", "").strip())
    except FilterError as exc:
        errors["campaign"] = str(exc).split(": ", 1)[-1]
    if campaign is not None and not permissions.can_choose_campaign(request.user, campaign):
        errors["campaign"] = _("This campaign's figures are not published.")
    if errors:
        context = report_form_context(request, campaign=None, errors=errors)
        return render(request, "panorama/report/report_form.html", context, status=400)
    names = dict(report_languages())
    title = _("Panorama report (%(language)s)") % {"language": names[language]}
    if campaign is not None:
        title += f" — {campaign.title}"
    job = start_job(
        "panorama.report",
        owner=request.user,
        title=title,
        params={"language": language, "campaign": campaign.pk if campaign else None},
    )
    return redirect(reverse("core:job_detail", args=[job.pk]))
