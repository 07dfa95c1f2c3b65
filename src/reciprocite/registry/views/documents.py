"""A partnership's documents: upload, download (as an attachment, never as a page), removal."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocite.core.http import deny_unless
from reciprocite.interop import files
from reciprocite.territories.forms import add_service_errors

from .. import permissions, services
from ..forms import DocumentForm
from ..models import Document
from .lookups import partnership_or_404


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    deny_unless(permissions.can_edit_partnership(request.user, partnership))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user, partnership=partnership, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was added."))
            return redirect(reverse("registry:partnership_detail", args=[pk]) + "#documents")
    return render(
        request, "registry/document_form.html", {"form": form, "partnership": partnership}
    )


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = (
        Document.objects.filter(pk=pk)
        .select_related("partnership")
        .prefetch_related("partnership__parties")
        .first()
    )
    if (
        document is None
        or not document.file
        or not permissions.can_view_partnership(request.user, document.partnership)
    ):
        raise Http404(_("No such document."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    name = os.path.basename(document.file.name)
    # the type its content had on upload, which named the file (interop.files.stored_name);
    # a name from before that (``polyglot.html``) is served as bytes, never as a page
    file_type = files.type_of_name(name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=files.CONTENT_TYPES.get(file_type or "", "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("partnership").prefetch_related("partnership__parties"),
        pk=pk,
    )
    partnership = document.partnership
    if not permissions.can_view_partnership(request.user, partnership):
        raise Http404(_("No such document."))
    deny_unless(permissions.can_edit_partnership(request.user, partnership))
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("The document was removed."))
    return redirect(reverse("registry:partnership_detail", args=[partnership.pk]) + "#documents")
