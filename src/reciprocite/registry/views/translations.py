"""Pages of the translations of a partnership's or a project's texts: add one, edit it,
mark it as checked. Who may edit the record may translate it and check a translation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocite.core.http import deny_unless
from reciprocite.territories.forms import add_service_errors

from .. import permissions, services
from ..forms import TranslationForm
from ..models import Partnership, Project

KINDS: dict[str, type[Partnership] | type[Project]] = {
    "partnership": Partnership,
    "project": Project,
}


def _original_or_404(request: HttpRequest, kind: str, pk: int) -> Partnership | Project:
    """The partnership or project the visitor may see and edit (404, then 403, otherwise)."""
    model = KINDS[kind]
    original: Partnership | Project | None = (
        model._default_manager.filter(pk=pk).prefetch_related("translations").first()
    )
    if isinstance(original, Project):
        visible = not original.partnership.is_deleted and permissions.can_view_project(
            request.user, original
        )
        may_edit = visible and permissions.can_edit_project(request.user, original)
    else:
        visible = original is not None and permissions.can_view_partnership(request.user, original)
        may_edit = visible and permissions.can_edit_partnership(request.user, original)
    if original is None or not visible or original.is_deleted:
        raise Http404(_("No such record."))
    deny_unless(may_edit)
    return original


def _back(kind: str, original: Partnership | Project) -> str:
    return reverse(f"registry:{kind}_detail", args=[original.pk]) + "#translations"


@login_required
def translation_edit(
    request: HttpRequest, kind: str, pk: int, language: str | None = None
) -> HttpResponse:
    """Add a translation (no ``language``) or change the one into ``language``."""
    original = _original_or_404(request, kind, pk)
    model = services.translation_model(original)
    existing = None
    if language is not None:
        existing = next((t for t in original.translations.all() if t.language == language), None)
        if existing is None:
            raise Http404(_("No such translation."))
    initial = {name: getattr(existing, name) for name in model.TEXT_FIELDS} if existing else {}
    form = TranslationForm(
        request.POST or None,
        initial=initial,
        original=original,
        text_fields=model.TEXT_FIELDS,
        language=language,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_save(
                actor=request.user,
                original=original,
                language=language or form.cleaned_data["language"],
                **form.texts(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect(_back(kind, original))
    return render(
        request,
        "registry/translation_form.html",
        {"form": form, "original": original, "kind": kind, "translation": existing},
    )


@login_required
@require_POST
def translation_check(request: HttpRequest, kind: str, pk: int, language: str) -> HttpResponse:
    original = _original_or_404(request, kind, pk)
    translation = next((t for t in original.translations.all() if t.language == language), None)
    if translation is None:
        raise Http404(_("No such translation."))
    services.translation_check(actor=request.user, translation=translation)
    messages.success(request, _("The translation is marked as checked."))
    return redirect(_back(kind, original))
