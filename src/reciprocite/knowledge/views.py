"""Pages of the knowledge base: search, sheets (propose, edit, workflow, history), toolbox.

Thin: each view asks ``permissions.py``, reads through ``selectors``/``search`` and writes
through ``services``. A sheet or tool the visitor may not see is a 404; an action they may not
take on one they see is a 403; an anonymous visitor is sent to sign in.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reciprocite.core.filters import FilterError, bounded_int
from reciprocite.core.http import deny_unless, is_partial, vary_on_htmx

from . import permissions, selectors, services
from .forms import ImportForm, SheetForm, ToolFileForm, ToolForm, UploadForm, WorkflowForm
from .models import Attachment, Sheet, Tool, ToolFile
from .search.query import MAX_QUERY_CHARS
from .taxonomy import NARRATIVE_FIELDS, Status

SEARCH_PAGE_SIZE = 10
MAX_PAGE = (
    10_000  # a page number beyond it is read as the last one (an offset the database can take)
)
SIMILAR_COUNT = 5
FACET_LABELS = {
    "theme": gettext_lazy("Theme"),
    "country": gettext_lazy("Partner country"),
    "zone": gettext_lazy("Zone"),
    "stage": gettext_lazy("Stage"),
    "language": gettext_lazy("Language"),
}
TOOL_FACET_LABELS = {
    "stage": gettext_lazy("Stage"),
    "difficulty": gettext_lazy("Difficulty addressed"),
    "kind": gettext_lazy("Kind of tool"),
}


def _sheet_or_404(request, ref: str) -> Sheet:
    sheet = selectors.sheet_for(request.user, ref)
    if sheet is None:
        raise Http404(_("No such sheet."))
    return sheet


# --- search ---------------------------------------------------------------------------------


def _search_params(request) -> tuple[str, dict[str, list[str]], int]:
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_QUERY_CHARS]
    filters = {}
    for key in FACET_LABELS:
        values = [v for v in request.GET.getlist(key) if v.strip()]
        if values:
            filters[key] = values
    page = bounded_int(request.GET.get("page"), default=1, low=1, high=MAX_PAGE)
    return query, filters, page


class _Page:
    """Enough of a Paginator page for includes/pagination.html."""

    def __init__(self, number: int, total: int, per_page: int):
        self.paginator = Paginator(range(total), per_page)
        self.number = min(number, self.paginator.num_pages)
        self._page = self.paginator.page(self.number)

    def __getattr__(self, name):
        return getattr(self._page, name)


def search_page(request):
    from .search import search

    query, filters, page_number = _search_params(request)
    error = None
    try:
        results = search(
            query,
            filters=filters,
            limit=SEARCH_PAGE_SIZE,
            offset=(page_number - 1) * SEARCH_PAGE_SIZE,
        )
    except FilterError as exc:
        error = _("The filter “%(param)s” is not valid; all sheets are shown instead.") % {
            "param": exc.param
        }
        filters = {}
        results = search(query, filters=None, limit=SEARCH_PAGE_SIZE, offset=0)
        page_number = 1
    page_obj = _Page(page_number, results.total, SEARCH_PAGE_SIZE)
    page_range = list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
    facet_fields = []
    for key, label in FACET_LABELS.items():
        chosen = filters.get(key, [])
        options = [
            {"value": f.code, "label": f.label, "count": f.count, "selected": f.code in chosen}
            for f in results.facets.get(key, [])
        ]
        known = {o["value"] for o in options}
        for value in chosen:
            if value not in known:
                options.insert(0, {"value": value, "label": value, "count": 0, "selected": True})
        facet_fields.append({"name": key, "label": label, "options": options})
    context = {
        "query": query,
        "results": results,
        "page_obj": page_obj,
        "page_range": page_range,
        "facet_fields": facet_fields,
        "filters_active": bool(filters),
        "filter_error": error,
        "highlights": [] if (query or filters) else selectors.highlighted_sheets(),
        "can_propose": permissions.can_propose_sheet(request.user),
        "can_review": permissions.can_review(request.user),
    }
    template = "knowledge/_results.html" if is_partial(request) else "knowledge/search.html"
    response = render(request, template, context)
    return vary_on_htmx(response)


# --- sheets ---------------------------------------------------------------------------------


def sheet_detail(request, ref: str):
    from .search import similar

    sheet = _sheet_or_404(request, ref)
    sections = [
        (name, label, getattr(sheet, name))
        for name, label in NARRATIVE_FIELDS
        if getattr(sheet, name)
    ]
    translations = selectors.translations_of(request.user, sheet)
    similar_hits = similar(sheet, limit=SIMILAR_COUNT) if sheet.status == Status.PUBLISHED else []
    context = {
        "sheet": sheet,
        "sections": sections,
        "translations": translations,
        "similar": similar_hits,
        "attachments": list(sheet.attachments.all()),
        "projects": [p for p in sheet.projects.all() if p.deleted_at is None],
        "can_edit": permissions.can_edit_sheet(request.user, sheet),
        "can_submit": permissions.can_submit_sheet(request.user, sheet),
        "can_review": permissions.can_review(request.user),
        "can_view_history": permissions.can_view_history(request.user, sheet),
        "workflow_form": WorkflowForm(),
        "upload_form": UploadForm(),
    }
    return render(request, "knowledge/sheet_detail.html", context)


def sheet_compare(request, ref: str):
    """A sheet beside one of its translations (?with=REF), section by section."""
    sheet = _sheet_or_404(request, ref)
    other = selectors.sheet_for(request.user, request.GET.get("with", ""))
    translations = selectors.translations_of(request.user, sheet)
    if other is None or other.pk not in {t.pk for t in translations}:
        raise Http404(_("No such translation."))
    rows = [
        (label, getattr(sheet, name), getattr(other, name))
        for name, label in NARRATIVE_FIELDS
        if getattr(sheet, name) or getattr(other, name)
    ]
    return render(
        request,
        "knowledge/sheet_compare.html",
        {"sheet": sheet, "other": other, "rows": rows},
    )


@login_required
def sheet_create(request):
    deny_unless(permissions.can_propose_sheet(request.user))
    editor = permissions.is_editor(request.user)
    form = SheetForm(request.POST or None, editor=editor, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.sheet_create(
                actor=request.user, note=form.cleaned_data.get("note", ""), **form.service_fields()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your sheet was saved as a draft. Submit it for review when it is ready."),
            )
            return redirect("knowledge:sheet_detail", ref=sheet.ref)
    return render(request, "knowledge/sheet_form.html", {"form": form, "sheet": None})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def sheet_edit(request, ref: str):
    sheet = _sheet_or_404(request, ref)
    deny_unless(permissions.can_edit_sheet(request.user, sheet))
    editor = permissions.is_editor(request.user)
    if request.method == "POST":
        form = SheetForm(request.POST, sheet=sheet, editor=editor, viewer=request.user)
        if form.is_valid():
            try:
                services.sheet_update(
                    actor=request.user,
                    sheet=sheet,
                    note=form.cleaned_data.get("note", ""),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The sheet was saved."))
                return redirect("knowledge:sheet_detail", ref=sheet.ref)
    else:
        form = SheetForm(
            initial=SheetForm.initial_of(sheet), sheet=sheet, editor=editor, viewer=request.user
        )
    return render(request, "knowledge/sheet_form.html", {"form": form, "sheet": sheet})


WORKFLOW_TARGETS = {
    "submit": Status.REVIEW,
    "publish": Status.PUBLISHED,
    "archive": Status.ARCHIVED,
    "draft": Status.DRAFT,
}


@login_required
@require_POST
def sheet_workflow(request, ref: str):
    sheet = _sheet_or_404(request, ref)
    form = WorkflowForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("knowledge:sheet_detail", ref=sheet.ref)
    action = form.cleaned_data["action"]
    note = form.cleaned_data.get("note", "")
    verified = form.cleaned_data.get("last_verified")
    if action == "submit":
        deny_unless(permissions.can_submit_sheet(request.user, sheet))
    else:
        deny_unless(permissions.can_review(request.user))
    try:
        if action == "verify":
            services.sheet_set_verified(
                actor=request.user,
                sheet=sheet,
                on=verified or timezone.localdate(),
                note=note,
            )
            messages.success(request, _("The sheet was marked as verified."))
        else:
            services.sheet_transition(
                actor=request.user,
                sheet=sheet,
                to=WORKFLOW_TARGETS[action],
                note=note,
                last_verified=verified,
            )
            messages.success(
                request,
                _("The sheet is now %(status)s.") % {"status": Status(sheet.status).label},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("knowledge:sheet_detail", ref=sheet.ref)


@login_required
def sheet_history(request, ref: str):
    sheet = _sheet_or_404(request, ref)
    deny_unless(permissions.can_view_history(request.user, sheet))
    versions = list(selectors.versions_of(sheet))
    by_number = {v.number: v for v in versions}
    diff = None
    old = new = None
    if versions:
        try:
            a = int(request.GET.get("a") or (versions[1].number if len(versions) > 1 else 0))
            b = int(request.GET.get("b") or versions[0].number)
        except ValueError:
            a = b = 0
        old, new = by_number.get(a), by_number.get(b)
        if old is not None and new is not None:
            if old.number > new.number:
                old, new = new, old
            diff = selectors.version_diff(old, new)
    return render(
        request,
        "knowledge/sheet_history.html",
        {"sheet": sheet, "versions": versions, "diff": diff, "old": old, "new": new},
    )


# --- attachments ------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request, ref: str):
    sheet = _sheet_or_404(request, ref)
    deny_unless(permissions.can_edit_sheet(request.user, sheet))
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(
            actor=request.user,
            sheet=sheet,
            title=form.cleaned_data["title"],
            filename=form.cleaned_data["file"].name,
            data=form.data_bytes,
        )
        messages.success(request, _("The file was attached."))
        return redirect(reverse("knowledge:sheet_detail", args=[sheet.ref]) + "#attachments")
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    response = redirect(reverse("knowledge:sheet_detail", args=[sheet.ref]) + "#attachments")
    return response


def _download(file_field, name: str):
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404(_("The file is missing.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_download(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk).select_related("sheet").first()
    if attachment is None or not permissions.can_view_sheet(request.user, attachment.sheet):
        raise Http404(_("No such file."))
    return _download(attachment.file, os.path.basename(attachment.file.name))


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk).select_related("sheet").first()
    if attachment is None or not permissions.can_view_sheet(request.user, attachment.sheet):
        raise Http404(_("No such file."))
    deny_unless(permissions.can_edit_sheet(request.user, attachment.sheet))
    ref = attachment.sheet.ref
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("The file was removed."))
    return redirect(reverse("knowledge:sheet_detail", args=[ref]) + "#attachments")


# --- queues -----------------------------------------------------------------------------------


@login_required
def review_queue(request):
    deny_unless(permissions.can_review(request.user))
    return render(
        request,
        "knowledge/review_queue.html",
        {
            "in_review": list(selectors.review_queue()),
            "drafts": list(selectors.sheets_by_status(Status.DRAFT)),
            "archived": list(selectors.sheets_by_status(Status.ARCHIVED)),
        },
    )


@login_required
def sheet_import(request):
    """Upload a JSON Lines file; the import runs as a background job (core.jobs)."""
    from reciprocite.core.jobs import start_job

    from .tasks import upload_keep

    deny_unless(permissions.can_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_job(
            "knowledge.import",
            owner=request.user,
            title=_("Import of experience sheets (%(name)s)") % {"name": upload.name},
            params={
                "path": upload_keep(upload),
                "name": upload.name,
                "publish": form.cleaned_data["publish"],
            },
        )
        return redirect("core:job_detail", job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "knowledge/import.html", {"form": form}, status=status)


@login_required
def my_sheets(request):
    return render(
        request, "knowledge/my_sheets.html", {"sheets": list(selectors.sheets_of(request.user))}
    )


# --- toolbox ------------------------------------------------------------------------------------


def tool_list(request):
    error = None
    try:
        filters = selectors.ToolFilters.parse(request.GET)
    except FilterError as exc:
        filters = selectors.ToolFilters()
        error = _("The filter “%(param)s” is not valid; all tools are shown instead.") % {
            "param": exc.param
        }
    tools = selectors.tool_list(request.user, filters)
    facets = selectors.tool_facets(request.user)
    facet_fields = [
        {
            "name": name,
            "label": label,
            "options": [
                {**o, "selected": o["value"] == getattr(filters, name)} for o in facets[name]
            ],
        }
        for name, label in TOOL_FACET_LABELS.items()
    ]
    context = {
        "tools": tools,
        "can_manage": permissions.can_manage_tools(request.user),
        "filters": filters,
        "facet_fields": facet_fields,
        "filter_error": error,
    }
    template = "knowledge/_tool_listing.html" if is_partial(request) else "knowledge/tool_list.html"
    response = render(request, template, context)
    return vary_on_htmx(response)


def tool_detail(request, ref: str):
    tool = selectors.tool_for(request.user, ref)
    if tool is None:
        raise Http404(_("No such tool."))
    return render(
        request,
        "knowledge/tool_detail.html",
        {
            "tool": tool,
            "can_manage": permissions.can_manage_tools(request.user),
            "upload_form": ToolFileForm(),
        },
    )


@login_required
def tool_create(request):
    deny_unless(permissions.can_manage_tools(request.user))
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if Tool.objects.filter(ref=data["ref"]).exists():
            form.add_error("ref", _("A tool already has this reference."))
        else:
            try:
                tool = services.tool_create(actor=request.user, **data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The tool was saved. Add its files below."))
                return redirect("knowledge:tool_detail", ref=tool.ref)
    return render(request, "knowledge/tool_form.html", {"form": form, "tool": None})


@login_required
def tool_edit(request, ref: str):
    tool = selectors.tool_for(request.user, ref)
    if tool is None:
        raise Http404(_("No such tool."))
    deny_unless(permissions.can_manage_tools(request.user))
    if request.method == "POST":
        form = ToolForm(request.POST, tool=tool)
        if form.is_valid():
            try:
                services.tool_update(actor=request.user, tool=tool, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The tool was saved."))
                return redirect("knowledge:tool_detail", ref=tool.ref)
    else:
        form = ToolForm(initial=ToolForm.initial_of(tool), tool=tool)
    return render(request, "knowledge/tool_form.html", {"form": form, "tool": tool})


@login_required
@require_POST
def tool_file_add(request, ref: str):
    tool = selectors.tool_for(request.user, ref)
    if tool is None:
        raise Http404(_("No such tool."))
    deny_unless(permissions.can_manage_tools(request.user))
    form = ToolFileForm(request.POST, request.FILES)
    if form.is_valid():
        services.tool_file_add(
            actor=request.user,
            tool=tool,
            title=form.cleaned_data["title"],
            filename=form.cleaned_data["file"].name,
            data=form.data_bytes,
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("The file was added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(reverse("knowledge:tool_detail", args=[tool.ref]) + "#files")


@login_required
@require_POST
def tool_file_delete(request, pk: int):
    tool_file = ToolFile.objects.filter(pk=pk).select_related("tool").first()
    if tool_file is None or not permissions.can_view_tool(request.user, tool_file.tool):
        raise Http404(_("No such file."))
    deny_unless(permissions.can_manage_tools(request.user))
    ref = tool_file.tool.ref
    services.tool_file_delete(actor=request.user, tool_file=tool_file)
    messages.success(request, _("The file was removed."))
    return redirect(reverse("knowledge:tool_detail", args=[ref]) + "#files")


def tool_file_download(request, pk: int):
    tool_file = ToolFile.objects.filter(pk=pk).select_related("tool").first()
    if tool_file is None or not permissions.can_view_tool(request.user, tool_file.tool):
        raise Http404(_("No such file."))
    return _download(tool_file.file, os.path.basename(tool_file.file.name))
