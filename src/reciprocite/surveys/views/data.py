"""Pages: answers in and out in KoboToolbox's layout, as background jobs (analysts and admins
only: ``permissions.can_run_surveys``, the rule of ``reciprocite survey import|export`` and of
the API).

The questionnaire page carries both forms. Importing keeps the uploaded files under
MEDIA_ROOT in a folder of their own (``services.imports.upload_store``), starts the job
``surveys.import`` and sends the analyst to the job's page; exporting starts
``surveys.export``, whose result file only its owner (and staff) may download. See tasks.py.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reciprocite.core.http import deny_unless
from reciprocite.core.jobs import start_job
from reciprocite.interop.kobo import MAX_FILE_BYTES

from .. import permissions
from ..models import Campaign
from ..selectors.exports import FORMATS
from ..selectors.questionnaires import questionnaire_get
from ..services.imports import upload_store

MAX_FILES = 20
EXTENSIONS = (".xlsx", ".csv", ".zip")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        items = [item for item in items if item]
        if not items:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Kobo export"),
        help_text=gettext_lazy(
            "One XLSX workbook (a sheet per repeat), or the main CSV file and one CSV file per "
            "repeat (or a zip of them), as KoboToolbox exports them with XML values and headers."
        ),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv,.zip"}),
    )
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=gettext_lazy("No campaign (the answers never count publicly)"),
        help_text=gettext_lazy(
            "The answers belong to this campaign: they count on the public panorama once "
            "its figures are published."
        ),
    )
    strict = forms.BooleanField(
        label=gettext_lazy("Refuse the columns that are not questions of the form"),
        required=False,
    )

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        if questionnaire is not None:
            self.fields["campaign"].queryset = Campaign.objects.filter(
                questionnaire=questionnaire
            ).order_by("-created_at", "-pk")

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(
                _("%(n)d files chosen; %(max)d at most.") % {"n": len(uploads), "max": MAX_FILES}
            )
        for upload in uploads:
            if not upload.name.lower().endswith(EXTENSIONS):
                raise forms.ValidationError(
                    _("%(name)s: expected an .xlsx, .csv or .zip file.") % {"name": upload.name}
                )
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("%(name)s: the file is %(size)s MB; %(max)s MB at most.")
                    % {
                        "name": upload.name,
                        "size": round(upload.size / 1048576, 1),
                        "max": MAX_FILE_BYTES // 1048576,
                    }
                )
        if len(uploads) > 1 and any(u.name.lower().endswith(".xlsx") for u in uploads):
            raise forms.ValidationError(
                _("An XLSX workbook holds the whole export: choose it alone, or CSV files.")
            )
        return uploads


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("xlsx", gettext_lazy("XLSX workbook (one sheet per repeat)")),
            ("csv", gettext_lazy("CSV files in a zip (one file per repeat)")),
        ],
        initial="xlsx",
        widget=forms.RadioSelect,
    )


def _questionnaire_or_404(request, form_id: str):
    deny_unless(permissions.can_run_surveys(request.user))
    questionnaire = questionnaire_get(form_id)
    if questionnaire is None:
        raise Http404(_("No such questionnaire."))
    return questionnaire


def _data_page(request, questionnaire, import_form=None, export_form=None, status=200):
    return render(
        request,
        "surveys/questionnaires/data.html",
        {
            "questionnaire": questionnaire,
            "import_form": import_form or ImportForm(questionnaire=questionnaire),
            "export_form": export_form or ExportForm(),
        },
        status=status,
    )


@login_required
def data_view(request, form_id: str):
    """The two forms alone (the questionnaire page carries them too)."""
    questionnaire = _questionnaire_or_404(request, form_id)
    return _data_page(request, questionnaire)


@login_required
@require_POST
def import_view(request, form_id: str):
    questionnaire = _questionnaire_or_404(request, form_id)
    form = ImportForm(request.POST, request.FILES, questionnaire=questionnaire)
    if not form.is_valid():
        return _data_page(request, questionnaire, import_form=form, status=400)
    uploads = form.cleaned_data["files"]
    stored = upload_store([(u.name, u) for u in uploads])
    job = start_job(
        "surveys.import",
        owner=request.user,
        title=_("Import of answers into %(form_id)s (%(files)s)")
        % {"form_id": questionnaire.form_id, "files": ", ".join(u.name for u in uploads)},
        params={
            "form_id": questionnaire.form_id,
            "files": stored,
            "strict": form.cleaned_data["strict"],
            "campaign": campaign.pk if (campaign := form.cleaned_data["campaign"]) else None,
        },
    )
    return redirect("core:job_detail", job.pk)


@login_required
@require_POST
def export_view(request, form_id: str):
    questionnaire = _questionnaire_or_404(request, form_id)
    form = ExportForm(request.POST)
    if not form.is_valid() or form.cleaned_data["format"] not in FORMATS:
        return _data_page(request, questionnaire, export_form=form, status=400)
    job = start_job(
        "surveys.export",
        owner=request.user,
        title=_("Export of the answers to %(form_id)s (%(format)s)")
        % {"form_id": questionnaire.form_id, "format": form.cleaned_data["format"]},
        params={"form_id": questionnaire.form_id, "format": form.cleaned_data["format"]},
    )
    return redirect("core:job_detail", job.pk)


urlpatterns = [
    path("questionnaires/<slug:form_id>/data/", data_view, name="questionnaire_data"),
    path("questionnaires/<slug:form_id>/import/", import_view, name="questionnaire_import"),
    path("questionnaires/<slug:form_id>/export/", export_view, name="questionnaire_export"),
]
