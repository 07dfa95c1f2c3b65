"""Pages: collect — answering a questionnaire from a personal link, and the analyst preview.

``/surveys/r/<secret>/`` is the respondent's link (the secret of an invitation): one page per
group, the draft saved in the invitation at every step so the same link resumes where the
respondent left (``invitation_draft_save``), the answer stored once through
``submission_store`` with the UUID the page carries; the campaign's rule (answers only while
it is open) is the service's. ``/surveys/<form_id>/preview/`` lets analysts try a form: the
draft travels signed in the page and nothing is stored.
"""

from __future__ import annotations

import copy
import json
import uuid as uuidlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import webform
from ..models import InvitationStatus, Questionnaire, Submission
from ..permissions import can_run_surveys
from ..services.invitations import (
    invitation_draft_save,
    invitation_finish,
    invitation_for_token,
    invitation_mark,
)
from ..services.submissions import (
    CampaignClosed,
    SubmissionConflict,
    SubmissionInvalid,
    campaign_check_answerable,
    submission_store,
)
from ..structure import Structure

PREVIEW_SALT = "reciprocite.surveys.preview"
SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _site_language(language: str | None) -> str:
    if language and language in SITE_LANGUAGES:
        return language
    return settings.LANGUAGE_CODE


def _form_language(request, default: str | None) -> str:
    wanted = (request.GET.get("lang") or "").strip()
    if wanted and wanted in SITE_LANGUAGES:
        return wanted
    return default or settings.LANGUAGE_CODE


class Collection:
    """One questionnaire being answered: its pages, the draft, where the draft is kept."""

    def __init__(self, *, questionnaire, version, draft: dict, language: str, invitation=None):
        self.questionnaire = questionnaire
        self.version = version
        self.invitation = invitation
        self.language = language
        self.structure = Structure(version.structure, version.rows or {})
        self.pages = webform.build_pages(self.structure)
        self.draft = draft or {}
        self.draft.setdefault("data", {})
        self.draft.setdefault("page", 0)
        self.draft.setdefault("uuid", str(uuidlib.uuid4()))
        self.draft.setdefault("started", timezone.now().replace(microsecond=0).isoformat())

    @property
    def is_preview(self) -> bool:
        return self.invitation is None

    def save(self) -> None:
        if self.invitation is not None:
            invitation_draft_save(invitation=self.invitation, draft=self.draft)

    # pages ---------------------------------------------------------------------------------

    def visible(self, page: webform.Page, data: dict) -> bool:
        rules = webform.Rules(self.structure)
        if page.node is not None:
            return rules.relevant(page.node, data, ())
        return any(rules.relevant(node, data, ()) for node in page.nodes)

    def visible_pages(self, data: dict) -> list[webform.Page]:
        return [p for p in self.pages if self.visible(p, data)]

    def page_at(self, index: int, data: dict) -> webform.Page:
        """The page at ``index``, or the next visible one (the last one at worst)."""
        visible = self.visible_pages(data) or self.pages
        for page in visible:
            if page.index >= index:
                return page
        return visible[-1]

    def step(self, page: webform.Page, data: dict, offset: int) -> webform.Page:
        visible = self.visible_pages(data) or self.pages
        indexes = [p.index for p in visible]
        if page.index in indexes:
            position = indexes.index(page.index) + offset
        else:
            position = len([i for i in indexes if i < page.index]) + (0 if offset > 0 else -1)
        return visible[max(0, min(position, len(visible) - 1))]

    def is_last(self, page: webform.Page, data: dict) -> bool:
        visible = self.visible_pages(data) or self.pages
        return page.index >= visible[-1].index


def _collectable(version) -> bool:
    if version is None or not version.collectable_on_the_web:
        return False
    return bool(webform.build_pages(Structure(version.structure, version.rows or {})))


def _unavailable(request, questionnaire, version):
    rows = version.unsupported if version else []
    return render(
        request,
        "surveys/collect/unavailable.html",
        {"questionnaire": questionnaire, "version": version, "unsupported": rows},
        status=409,
    )


def _render_page(request, collection: Collection, page, state, *, status=200, notice=""):
    items = webform.render_page(state, page)
    visible = collection.visible_pages(state.data) or collection.pages
    numbers = [p.index for p in visible]
    position = numbers.index(page.index) + 1 if page.index in numbers else 1
    summary = _error_summary(items)
    context = {
        "collection": collection,
        "questionnaire": collection.questionnaire,
        "title": collection.structure.title
        if not collection.questionnaire.title
        else collection.questionnaire.title,
        "page": page,
        "page_title": webform.group_title(page.node, state.text) if page.node is not None else "",
        "items": items,
        "shown": webform.shown_names(items),
        "position": position,
        "page_count": len(visible),
        "is_first": position == 1,
        "is_last": collection.is_last(page, state.data),
        "uuid": collection.draft["uuid"],
        "error_summary": summary,
        "notice": notice,
        "language": collection.language,
        "state_token": signing.dumps(
            {**collection.draft, "data": state.data, "page": page.index}, salt=PREVIEW_SALT
        )
        if collection.is_preview
        else "",
    }
    return render(request, "surveys/collect/form.html", context, status=status)


def _error_summary(items: list[dict]) -> list[dict]:
    found = []
    for item in items:
        if item["kind"] == "question" and item.get("errors"):
            target = item["id"]
            if item.get("choices"):
                target = item["choices"][0]["id"] if item["widget"] != "select" else item["id"]
            elif item.get("parts"):
                target = item["parts"][0]["id"]
            for message in item["errors"]:
                found.append({"label": item["label"], "target": target, "message": message})
        elif item["kind"] == "repeat":
            for instance in item["instances"]:
                found += _error_summary(instance["items"])
        elif item["kind"] == "table":
            found += _error_summary(item["rows"])
        elif item["kind"] == "group":
            found += _error_summary(item["items"])
    return found


def _handle(request, collection: Collection, *, on_saved):
    """A posted page: read it, act on its button. ``on_saved(page)`` answers after a step
    that needs no re-rendering (a redirect for invitations, the page itself for previews)."""
    draft = collection.draft
    try:
        current = int(request.POST.get("__page", draft["page"]))
    except ValueError:
        current = draft["page"]
    page = collection.page_at(current, draft["data"])
    state = webform.FormState(
        collection.structure, copy.deepcopy(draft["data"]), language=collection.language
    )
    webform.read_page(state, page, request.POST)
    action = request.POST.get("action", "next")
    # the UUID is the draft's (shown in the page, so a retried post carries it); a posted
    # one is only compared, never taken: nobody can aim an answer at another one's UUID

    def keep(target_page):
        draft["data"] = state.data
        draft["page"] = target_page.index
        collection.save()
        if collection.invitation is not None:
            invitation_mark(collection.invitation, InvitationStatus.IN_PROGRESS)

    if action.startswith("add:") or action.startswith("remove:"):
        verb, _sep, where = action.partition(":")
        change = webform.repeat_add if verb == "add" else webform.repeat_remove
        change(collection.structure, state.data, where)
        state.errors.clear()
        state.raw.clear()
        keep(page)
        return on_saved(page, state)
    if action == "prev":
        state.errors.clear()
        state.raw.clear()
        target = collection.step(page, state.data, -1)
        keep(target)
        return on_saved(target, state)
    if action == "save":
        keep(page)
        if collection.is_preview:
            notice = _("Preview: nothing is stored; the answers travel with this page.")
            return _render_page(request, collection, page, state, notice=notice)
        messages.success(
            request,
            _("Your answers are saved. Open the same link again to continue where you left off."),
        )
        return on_saved(page, state)
    # next / submit: the page's own checks first
    if state.errors:
        keep(page)
        return _render_page(request, collection, page, state, status=200)
    appeared = set(webform.shown_names(webform.render_page(state, page))) - set(
        request.POST.getlist("__shown")
    )
    if appeared:
        keep(page)
        return _render_page(
            request,
            collection,
            page,
            state,
            notice=_("Your answers brought up more questions on this page; please look at them."),
        )
    all_errors = state.rules.validate(state.data, collection.language)
    state.errors = webform.errors_for(all_errors, webform.question_names(page.nodes))
    if state.errors:
        keep(page)
        return _render_page(request, collection, page, state)
    if action == "submit" and collection.is_last(page, state.data):
        return _submit(request, collection, page, state)
    target = collection.step(page, state.data, +1)
    keep(target)
    return on_saved(target, state)


def _final_data(collection: Collection, data: dict, username: str) -> dict:
    return webform.with_metadata(
        collection.structure, data, started=collection.draft["started"], username=username
    )


def _submit(request, collection: Collection, page, state):
    draft = collection.draft
    invitation = collection.invitation
    username = invitation.organisation.name if invitation else request.user.get_username()
    data = _final_data(collection, state.data, username)
    if collection.is_preview:
        cleaned, errors = state.rules.clean(data, collection.language)
        if not errors:
            return render(
                request,
                "surveys/collect/preview_done.html",
                {
                    "questionnaire": collection.questionnaire,
                    "data_json": json.dumps(cleaned, indent=2, ensure_ascii=False),
                },
            )
        return _show_errors(request, collection, state, errors)
    try:
        submission, _created = submission_store(
            questionnaire=collection.questionnaire,
            data=data,
            uuid=draft["uuid"],
            source="web",
            invitation=invitation,
            version=collection.version,
            language=collection.language,
        )
    except CampaignClosed as exc:  # closed since the page was opened
        return _closed(request, exc.campaign)
    except SubmissionInvalid as exc:
        draft["data"] = state.data
        collection.save()
        return _show_errors(request, collection, state, exc.errors)
    except SubmissionConflict:
        # the same UUID already holds another answer: a fresh one for this draft
        draft["uuid"] = str(uuidlib.uuid4())
        draft["data"] = state.data
        collection.save()
        return _render_page(
            request,
            collection,
            page,
            state,
            status=409,
            notice=_("This answer conflicts with one already received; please send it again."),
        )
    invitation_finish(invitation=invitation)
    return _thanks(request, collection.questionnaire, submission)


def _show_errors(request, collection, state, errors):
    index = webform.first_page_with_error(collection.pages, errors)
    page = collection.page_at(index if index is not None else 0, state.data)
    state.errors = webform.errors_for(errors, webform.question_names(page.nodes))
    collection.draft["page"] = page.index
    collection.save()
    return _render_page(request, collection, page, state)


def _closed(request, campaign):
    return render(request, "surveys/collect/closed.html", {"campaign": campaign}, status=410)


def _thanks(request, questionnaire, submission):
    return render(
        request,
        "surveys/collect/thanks.html",
        {"questionnaire": questionnaire, "submission": submission},
    )


def _summary(structure: Structure, data: dict, language: str) -> list[dict]:
    """A read-only list of the answers: question label, answer as shown."""
    state = webform.FormState(structure, data, language=language)
    rows: list[dict] = []

    def walk(nodes, container, depth):
        for node in nodes:
            if webform.is_hidden(node):
                continue
            kind = node.get("type")
            if kind == "group":
                walk(node.get("children", []), container, depth)
            elif kind == "repeat":
                for i, entry in enumerate(container.get(node["name"]) or []):
                    rows.append(
                        {"heading": f"{state.text(node)} {i + 1}", "depth": depth, "value": ""}
                    )
                    walk(node.get("children", []), entry, depth + 1)
            elif kind != "note" and node.get("name") in container:
                value = container[node["name"]]
                question = structure.by_name.get(node["name"])
                if question is not None and question.kind in ("select_one", "select_multiple"):
                    names = {c["name"]: state.text(c) for c in structure.choices(question)}
                    value = ", ".join(names.get(v, v) for v in str(value).split())
                rows.append({"label": state.text(node), "value": value, "depth": depth})

    walk(structure.survey.get("children", []), data, 0)
    return rows


@require_http_methods(["GET", "POST"])
def respond(request, secret: str):
    invitation = invitation_for_token(secret)
    if invitation is None:
        return render(request, "surveys/collect/unknown_link.html", status=404)
    language = _form_language(request, invitation.language)
    with translation.override(_site_language(language)):
        request.LANGUAGE_CODE = translation.get_language()
        return _respond(request, invitation, language)


def _respond(request, invitation, language: str):
    campaign = invitation.campaign
    questionnaire = campaign.questionnaire
    submission = Submission.objects.filter(invitation=invitation).first()
    if submission is not None:
        if (
            request.method == "POST"
            and request.POST.get("action") == "submit"
            and request.POST.get("__uuid") == str(submission.uuid)
        ):
            # a retried final submit (the connection dropped after the server stored it)
            return _thanks(request, questionnaire, submission)
        structure = Structure(submission.version.structure, submission.version.rows or {})
        return render(
            request,
            "surveys/collect/already_submitted.html",
            {
                "questionnaire": questionnaire,
                "submission": submission,
                "summary": _summary(structure, submission.data, language),
            },
        )
    try:
        campaign_check_answerable(campaign)
    except CampaignClosed:
        return _closed(request, campaign)
    version = questionnaire.current_version
    if not _collectable(version):
        return _unavailable(request, questionnaire, version)
    collection = Collection(
        questionnaire=questionnaire,
        version=version,
        draft=copy.deepcopy(invitation.draft or {}),
        language=language,
        invitation=invitation,
    )
    here = request.path + (f"?lang={language}" if request.GET.get("lang") else "")

    if request.method == "POST":
        return _handle(request, collection, on_saved=lambda page, state: redirect(here))
    invitation_mark(invitation, InvitationStatus.OPENED)
    if not invitation.draft:
        collection.save()  # the UUID and the start time, kept from the first visit
    data = collection.draft["data"]
    page = collection.page_at(collection.draft["page"], data)
    state = webform.FormState(collection.structure, copy.deepcopy(data), language=language)
    return _render_page(request, collection, page, state)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, form_id: str):
    if not can_run_surveys(request.user):
        raise PermissionDenied
    questionnaire = get_object_or_404(Questionnaire, form_id=form_id)
    version = questionnaire.current_version
    language = _form_language(request, translation.get_language())
    with translation.override(_site_language(language)):
        request.LANGUAGE_CODE = translation.get_language()
        if not _collectable(version):
            return _unavailable(request, questionnaire, version)
        draft = {}
        if request.method == "POST":
            try:
                draft = signing.loads(request.POST.get("__state", ""), salt=PREVIEW_SALT)
            except signing.BadSignature:
                draft = {}
        collection = Collection(
            questionnaire=questionnaire, version=version, draft=draft, language=language
        )
        if request.method == "POST":
            return _handle(
                request,
                collection,
                on_saved=lambda page, state: _render_page(request, collection, page, state),
            )
        page = collection.page_at(0, {})
        state = webform.FormState(collection.structure, {}, language=language)
        return _render_page(request, collection, page, state)


urlpatterns = [
    path("r/<str:secret>/", respond, name="collect_respond"),
    path("<slug:form_id>/preview/", preview, name="collect_preview"),
]
