"""Pages: campaigns (analysts and admins only).

"Send the invitations" and "Remind" start background jobs (``surveys.campaign_send`` /
``surveys.campaign_remind``, see tasks.py) that send batch after batch of ``SEND_BATCH``
e-mails; the analyst lands on the job's page, which shows the progress and links back to the
campaign. See services/campaigns.py.

The campaign page checks the mail server before anything is sent (an htmx fragment,
``campaign_mail_check``, that opens an SMTP connection and closes it), shows every
recipient's personal link with a copy button (static/reciprocite/js/campaign.js; the link is
plain text without JavaScript) and exports them as CSV, so invitations can be sent another
way. Publishing or withdrawing the campaign's figures asks for a confirmation first.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reciprocite.core.http import deny_unless, is_partial
from reciprocite.core.jobs import start_job
from reciprocite.interop.tabular import write_csv

from .. import analysis, permissions
from ..models import Questionnaire
from ..selectors.campaigns import (
    campaign_get,
    campaign_list,
    campaign_progress,
    invitation_links,
)
from ..services import campaigns as services
from .analysis import figures_context

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English"), ("ar", "العربية"), ("ru", "Русский")]


def _campaign_or_404(request, pk: int):
    deny_unless(permissions.can_run_surveys(request.user))
    campaign = campaign_get(pk)
    if campaign is None:
        raise Http404(_("No such campaign."))
    deny_unless(permissions.can_view_campaign(request.user, campaign))
    return campaign


class CampaignForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=gettext_lazy("Questionnaire"), queryset=Questionnaire.objects.order_by("form_id")
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Respondents can answer until then. Leave empty for no date."),
    )
    max_reminders = forms.IntegerField(
        label=gettext_lazy("Reminders at most"),
        min_value=0,
        max_value=10,
        initial=2,
        help_text=gettext_lazy("Each recipient who has not answered gets at most this many."),
    )

    def clean_closes_at(self):
        value = self.cleaned_data["closes_at"]
        if value is not None and value <= timezone.now():
            raise ValidationError(_("The closing date must be in the future."))
        return value


@login_required
def campaign_list_view(request):
    deny_unless(permissions.can_run_surveys(request.user))
    campaigns = [
        (c, campaign_progress(c))
        for c in campaign_list()
        if permissions.can_view_campaign(request.user, c)
    ]
    return render(request, "surveys/campaigns/list.html", {"campaigns": campaigns})


@login_required
def campaign_create_view(request):
    deny_unless(permissions.can_run_surveys(request.user))
    search = request.GET.get("q", "")
    candidates = list(services.recipient_candidates(search=search))
    chosen: set[int] = set()
    languages: dict[int, str] = {}
    recipient_error = ""
    if request.method == "POST":
        form = CampaignForm(request.POST)
        all_candidates = {o.pk: o for o in services.recipient_candidates()}
        for raw in request.POST.getlist("recipients"):
            if raw.isdecimal() and int(raw) in all_candidates:
                chosen.add(int(raw))
            else:
                recipient_error = _("One of the chosen recipients cannot be invited.")
        for pk in chosen:
            language = request.POST.get(f"language_{pk}", "fr")
            languages[pk] = language if language in dict(LANGUAGE_CHOICES) else "fr"
        if not chosen and not recipient_error:
            recipient_error = _("Choose at least one recipient.")
        if form.is_valid() and not recipient_error:
            try:
                campaign = services.campaign_create(
                    questionnaire=form.cleaned_data["questionnaire"],
                    title=form.cleaned_data["title"],
                    closes_at=form.cleaned_data["closes_at"],
                    max_reminders=form.cleaned_data["max_reminders"],
                    actor=request.user,
                    recipients=[all_candidates[pk] for pk in sorted(chosen)],
                    languages=languages,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    if field in form.fields:
                        form.add_error(field, errors)
                    else:
                        recipient_error = " ".join(errors)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Campaign created with %(n)d recipient. Nothing has been sent yet.",
                        "Campaign created with %(n)d recipients. Nothing has been sent yet.",
                        len(chosen),
                    )
                    % {"n": len(chosen)},
                )
                return redirect("surveys:campaign_detail", pk=campaign.pk)
        if search:  # keep the chosen recipients visible even when filtered out
            shown = {o.pk for o in candidates}
            candidates += [o for pk, o in sorted(all_candidates.items()) if pk in chosen - shown]
    else:
        form = CampaignForm()
    rows = [(o, o.pk in chosen, languages.get(o.pk, "fr")) for o in candidates]
    return render(
        request,
        "surveys/campaigns/form.html",
        {
            "form": form,
            "rows": rows,
            "search": search,
            "recipient_error": recipient_error,
            "language_choices": LANGUAGE_CHOICES,
        },
    )


def _detail_context(campaign, **extra):
    return {
        "campaign": campaign,
        "progress": campaign_progress(campaign),
        "links": invitation_links(campaign),
        "publications": campaign.publications.select_related("by").order_by("-at", "-pk")[:10],
        **extra,
    }


def _figures(campaign) -> dict:
    """The analysis of the campaign's own answers, as the analysis page shows it."""
    questionnaire = campaign.questionnaire
    if questionnaire.current_version is None:
        return {}
    document = analysis.analyse(questionnaire, campaign=campaign)
    figures = figures_context(questionnaire, document, (get_language() or "fr")[:2])
    del figures["structure"], figures["title_of"]
    return {"document": document, "heading": 3, **figures}


@login_required
def campaign_detail_view(request, pk: int):
    campaign = _campaign_or_404(request, pk)
    return render(
        request, "surveys/campaigns/detail.html", _detail_context(campaign, **_figures(campaign))
    )


def _start_delivery(request, pk: int, kind: str):
    """Start the job that sends the invitations (or a round of reminders) batch after batch
    and go to its page; a campaign that cannot send stays on its page with the reason."""
    campaign = _campaign_or_404(request, pk)
    try:
        services.campaign_check_sendable(campaign, kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("surveys:campaign_detail", pk=campaign.pk)
    if kind == "invitation":
        job_kind = "surveys.campaign_send"
        title = _("Invitations of the campaign “%(title)s”") % {"title": campaign.title}
    else:
        job_kind = "surveys.campaign_remind"
        title = _("Reminders of the campaign “%(title)s”") % {"title": campaign.title}
    job = start_job(job_kind, owner=request.user, title=title, params={"campaign": campaign.pk})
    return redirect("core:job_detail", job.pk)


@login_required
@require_POST
def campaign_send_view(request, pk: int):
    return _start_delivery(request, pk, "invitation")


@login_required
@require_POST
def campaign_remind_view(request, pk: int):
    return _start_delivery(request, pk, "reminder")


@login_required
@require_POST
def campaign_close_view(request, pk: int):
    campaign = _campaign_or_404(request, pk)
    services.campaign_close(campaign=campaign, actor=request.user)
    messages.success(request, _("The campaign is closed: personal links no longer accept answers."))
    return redirect("surveys:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_open_view(request, pk: int):
    campaign = _campaign_or_404(request, pk)
    try:
        services.campaign_open(campaign=campaign, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The campaign is open."))
    return redirect("surveys:campaign_detail", pk=campaign.pk)


@login_required
@require_GET
def campaign_mail_check_view(request, pk: int):
    """Whether invitations can be sent now; the fragment alone for htmx, else a page."""
    campaign = _campaign_or_404(request, pk)
    deny_unless(permissions.can_see_personal_links(request.user, campaign))
    context = {"campaign": campaign, "check": services.mail_server_check()}
    if is_partial(request):
        return render(request, "surveys/campaigns/_mail_check.html", context)
    return render(request, "surveys/campaigns/mail_check.html", context)


LINK_COLUMNS = ["organisation", "contact", "language", "link", "state"]


@login_required
@require_GET
def campaign_links_csv_view(request, pk: int):
    """Every recipient's personal link as CSV (reading them changes none of them)."""
    campaign = _campaign_or_404(request, pk)
    deny_unless(permissions.can_see_personal_links(request.user, campaign))
    out = io.StringIO()
    write_csv(
        LINK_COLUMNS,
        (
            {
                "organisation": row.invitation.organisation.name,
                "contact": row.invitation.email,
                "language": row.invitation.language,
                "link": row.link or "",
                "state": row.invitation.status,
            }
            for row in invitation_links(campaign)
        ),
        out,
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-links.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def campaign_publication_view(request, pk: int, action: str):
    """GET: the confirmation; POST: publish or withdraw the campaign's figures."""
    campaign = _campaign_or_404(request, pk)
    deny_unless(permissions.can_publish_campaign(request.user, campaign))
    if request.method == "GET":
        answers = campaign.submissions.count()
        return render(
            request,
            "surveys/campaigns/publication_confirm.html",
            {"campaign": campaign, "action": action, "answers": answers},
        )
    if action == "publish":
        services.campaign_publish(campaign=campaign, actor=request.user)
        messages.success(
            request, _("The campaign's figures are published: the panorama counts its answers.")
        )
    else:
        services.campaign_unpublish(campaign=campaign, actor=request.user)
        messages.success(
            request,
            _("The campaign's figures are withdrawn: the panorama no longer counts its answers."),
        )
    return redirect("surveys:campaign_detail", pk=campaign.pk)


urlpatterns = [
    path("campaigns/", campaign_list_view, name="campaign_list"),
    path("campaigns/new/", campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail_view, name="campaign_detail"),
    path("campaigns/<int:pk>/send/", campaign_send_view, name="campaign_send"),
    path("campaigns/<int:pk>/remind/", campaign_remind_view, name="campaign_remind"),
    path("campaigns/<int:pk>/close/", campaign_close_view, name="campaign_close"),
    path("campaigns/<int:pk>/open/", campaign_open_view, name="campaign_open"),
    path("campaigns/<int:pk>/mail-check/", campaign_mail_check_view, name="campaign_mail_check"),
    path("campaigns/<int:pk>/links.csv", campaign_links_csv_view, name="campaign_links_csv"),
    path(
        "campaigns/<int:pk>/publish/",
        campaign_publication_view,
        {"action": "publish"},
        name="campaign_publish",
    ),
    path(
        "campaigns/<int:pk>/unpublish/",
        campaign_publication_view,
        {"action": "unpublish"},
        name="campaign_unpublish",
    ),
]
