"""Pages: questionnaires (analysts and admins only) — the list, one questionnaire with its
versions and questions, loading an XLSForm, downloading the XLSForm of a version."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciprocite.core.http import deny_unless
from reciprocite.interop.xlsform import MAX_BYTES, XLSFormError

from .. import permissions
from ..selectors.questionnaires import questionnaire_detail, questionnaire_get, questionnaire_list
from ..services.questionnaires import questionnaire_check, questionnaire_export, questionnaire_load


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLSForm workbook"),
        help_text=gettext_lazy(
            "An .xlsx (or .xls) file with survey, choices and settings sheets, 10 MB at most."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.xlsm"}),
    )
    form_id = forms.SlugField(
        label=gettext_lazy("Form id"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Leave empty to use form_id from the settings sheet, else the file name."
        ),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Only check the form, store nothing"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; an XLSForm may be %(max)s MB at most.")
                % {"size": round(upload.size / (1024 * 1024), 1), "max": MAX_BYTES // (1024 * 1024)}
            )
        return upload


@login_required
def questionnaire_list_view(request):
    deny_unless(permissions.can_run_surveys(request.user))
    return render(
        request, "surveys/questionnaires/list.html", {"questionnaires": questionnaire_list()}
    )


@login_required
def questionnaire_detail_view(request, form_id: str):
    deny_unless(permissions.can_run_surveys(request.user))
    questionnaire = questionnaire_get(form_id)
    if questionnaire is None:
        raise Http404(_("No such questionnaire."))
    detail = questionnaire_detail(
        questionnaire, request.GET.get("version") or None, language=request.LANGUAGE_CODE
    )
    if detail["version"] is None and request.GET.get("version"):
        raise Http404(_("No such version."))
    from .data import ExportForm, ImportForm

    detail.update(import_form=ImportForm(), export_form=ExportForm())
    return render(request, "surveys/questionnaires/detail.html", detail)


@login_required
def questionnaire_load_view(request):
    deny_unless(permissions.can_run_surveys(request.user))
    errors: list[dict] = []
    report = None
    filename = ""
    status = 200
    if request.method == "POST":
        form = XLSFormUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name
            content = upload.read()
            form_id = form.cleaned_data["form_id"] or None
            try:
                if form.cleaned_data["check_only"]:
                    report = questionnaire_check(content, filename, form_id=form_id)
                else:
                    version = questionnaire_load(
                        content=content, filename=filename, actor=request.user, form_id=form_id
                    )
                    messages.success(
                        request,
                        _("%(form)s: version %(version)s is loaded.")
                        % {"form": version.questionnaire.form_id, "version": version.version},
                    )
                    return redirect("surveys:questionnaire_detail", version.questionnaire.form_id)
            except XLSFormError as exc:
                errors = exc.errors
                status = 400
        else:
            status = 400
    else:
        form = XLSFormUploadForm()
    return render(
        request,
        "surveys/questionnaires/load.html",
        {"form": form, "errors": errors, "report": report, "filename": filename},
        status=status,
    )


@login_required
def questionnaire_download_view(request, form_id: str, pk: int):
    deny_unless(permissions.can_run_surveys(request.user))
    questionnaire = questionnaire_get(form_id)
    version = questionnaire.versions.filter(pk=pk).first() if questionnaire else None
    if version is None:
        raise Http404(_("No such version."))
    name, content = questionnaire_export(version)
    content_type = (
        "application/vnd.ms-excel"
        if name.lower().endswith(".xls")
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(name)}"'
    return response


def _safe_name(name: str) -> str:
    return "".join(c for c in name if c.isalnum() or c in "._- ") or "xlsform.xlsx"


urlpatterns = [
    path("", questionnaire_list_view, name="questionnaire_list"),
    path("load-xlsform/", questionnaire_load_view, name="questionnaire_load"),
    path("questionnaires/<slug:form_id>/", questionnaire_detail_view, name="questionnaire_detail"),
    path(
        "questionnaires/<slug:form_id>/xlsform/<int:pk>/",
        questionnaire_download_view,
        name="questionnaire_download",
    ),
]
