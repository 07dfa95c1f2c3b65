"""Reads of the knowledge base: what a viewer may see, the review queue, the toolbox, diffs."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reciprocite.accounts.permissions import principal_of
from reciprocite.core.filters import FilterError, reject_unknown

from . import permissions
from .models import Sheet, SheetVersion, Tool
from .sanitize import html_to_text
from .taxonomy import NARRATIVE_FIELDS, Difficulty, Stage, Status, ToolKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- sheets -----------------------------------------------------------------------------------


def _with_relations(qs: QuerySet) -> QuerySet:
    return qs.select_related("proposed_by", "partnership", "translation_of").prefetch_related(
        "themes"
    )


def sheets_visible(viewer) -> QuerySet:
    """Sheets the viewer may see: published ones, plus all for editors, plus their own."""
    qs = Sheet.objects.all()
    if permissions.is_editor(viewer):
        return qs
    p = principal_of(viewer)
    if p.user_id is not None:
        return qs.filter(Q(status=Status.PUBLISHED) | Q(proposed_by_id=p.user_id))
    return qs.filter(status=Status.PUBLISHED)


def sheet_for(viewer, ref: str) -> Sheet | None:
    """The sheet with this ref if the viewer may see it, else None."""
    sheet = (
        _with_relations(Sheet.objects.filter(ref=ref))
        .select_related("french_territory", "partner_territory", "organisation")
        .prefetch_related("projects", "attachments")
        .first()
    )
    if sheet is None or not permissions.can_view_sheet(viewer, sheet):
        return None
    return sheet


def translations_of(viewer, sheet: Sheet) -> list[Sheet]:
    """The other language versions of a sheet (its original and its sibling translations)."""
    original = sheet.translation_of or sheet
    family = Sheet.objects.filter(Q(pk=original.pk) | Q(translation_of=original)).exclude(
        pk=sheet.pk
    )
    return [s for s in family.order_by("language", "pk") if permissions.can_view_sheet(viewer, s)]


def review_queue() -> QuerySet:
    return _with_relations(Sheet.objects.filter(status=Status.REVIEW)).order_by("updated_at", "pk")


def sheets_by_status(status: str) -> QuerySet:
    return _with_relations(Sheet.objects.filter(status=status)).order_by("-updated_at", "pk")


def sheets_of(viewer) -> QuerySet:
    p = principal_of(viewer)
    if p.user_id is None:
        return Sheet.objects.none()
    return _with_relations(Sheet.objects.filter(proposed_by_id=p.user_id)).order_by(
        "-updated_at", "pk"
    )


def highlighted_sheets(limit: int = 6) -> list[Sheet]:
    return list(
        Sheet.objects.filter(status=Status.PUBLISHED, is_highlight=True)
        .prefetch_related("themes")
        .order_by("title", "pk")[:limit]
    )


def highlighted_sheets_in(language: str) -> list[tuple[Sheet, Sheet]]:
    """Every published highlight as (the sheet to show, its original): the published
    translation into ``language`` when there is one, else the original itself."""
    published = Sheet.objects.filter(status=Status.PUBLISHED)
    originals = list(
        published.filter(is_highlight=True, translation_of__isnull=True)
        .select_related("partner_territory", "french_territory")
        .prefetch_related("themes")
        .order_by("title", "pk")
    )
    translations = {
        s.translation_of_id: s
        for s in published.filter(translation_of__in=originals, language=language)
        .prefetch_related("themes")
        .order_by("pk")
    }
    return [
        (
            original if original.language == language else translations.get(original.pk, original),
            original,
        )
        for original in originals
    ]


def published_sheets() -> QuerySet:
    return Sheet.objects.filter(status=Status.PUBLISHED).order_by("ref")


def sheets_for_export(*, statuses=None) -> QuerySet:
    qs = Sheet.objects.all()
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.select_related("translation_of").prefetch_related("themes").order_by("ref")


# --- toolbox ----------------------------------------------------------------------------------

TOOL_FILTERS = ("stage", "difficulty", "kind", "page")


@dataclass(frozen=True)
class ToolFilters:
    stage: str = ""
    difficulty: str = ""
    kind: str = ""

    @classmethod
    def parse(cls, params, *, strict: bool = False) -> ToolFilters:
        if strict:
            reject_unknown(params, TOOL_FILTERS)
        values = {}
        for name, choices in (
            ("stage", Stage.values),
            ("difficulty", Difficulty.values),
            ("kind", ToolKind.values),
        ):
            value = (params.get(name) or "").strip()
            if value and value not in choices:
                raise FilterError(
                    name,
                    _("unknown value; allowed values are %(all)s") % {"all": ", ".join(choices)},
                )
            values[name] = value
        return cls(**values)

    @property
    def active(self) -> bool:
        return bool(self.stage or self.difficulty or self.kind)


def tools_visible(viewer) -> QuerySet:
    qs = Tool.objects.all()
    if not permissions.is_editor(viewer):
        qs = qs.filter(status=Status.PUBLISHED)
    return qs


def tool_list(viewer, filters: ToolFilters | None = None) -> list[Tool]:
    """Tools the viewer may see, filtered (stages and difficulties are JSON lists: filtered in
    Python, the toolbox being small)."""
    filters = filters or ToolFilters()
    qs = tools_visible(viewer).prefetch_related("files", "themes").order_by("title", "pk")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    tools = list(qs)
    if filters.stage:
        tools = [t for t in tools if filters.stage in (t.stages or [])]
    if filters.difficulty:
        tools = [t for t in tools if filters.difficulty in (t.difficulties or [])]
    return tools


def tool_facets(viewer) -> dict[str, list[dict]]:
    tools = list(tools_visible(viewer).only("kind", "stages", "difficulties"))
    counts: dict[str, dict[str, int]] = {"stage": {}, "difficulty": {}, "kind": {}}
    for tool in tools:
        counts["kind"][tool.kind] = counts["kind"].get(tool.kind, 0) + 1
        for code in tool.stages or []:
            counts["stage"][code] = counts["stage"].get(code, 0) + 1
        for code in tool.difficulties or []:
            counts["difficulty"][code] = counts["difficulty"].get(code, 0) + 1
    out = {}
    for name, choices in (
        ("stage", Stage.choices),
        ("difficulty", Difficulty.choices),
        ("kind", ToolKind.choices),
    ):
        out[name] = [
            {"value": code, "label": str(label), "count": counts[name].get(code, 0)}
            for code, label in choices
        ]
    return out


def tool_for(viewer, ref: str) -> Tool | None:
    tool = Tool.objects.filter(ref=ref).prefetch_related("files", "themes").first()
    if tool is None or not permissions.can_view_tool(viewer, tool):
        return None
    return tool


# --- versions and their diff -----------------------------------------------------------------

DIFF_FIELDS: list[tuple[str, StrOrPromise]] = [
    ("title", _("Title")),
    ("language", _("Language")),
    ("french_authority", _("French authority")),
    ("partner_authority", _("Partner authority")),
    ("country", _("Partner country")),
    ("themes", _("Themes")),
    ("stage", _("Stage")),
    ("year_start", _("Start year")),
    *NARRATIVE_FIELDS,
    ("contacts", _("Contacts")),
    ("last_verified", _("Last verified")),
]

_WORDS = re.compile(r"\s+|[^\s]+")


def versions_of(sheet: Sheet) -> QuerySet:
    return SheetVersion.objects.filter(sheet=sheet).select_related("author").order_by("-number")


def _as_text(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and name not in ("title", "language", "country", "stage"):
        return html_to_text(value)
    return str(value)


def _inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff of two texts as escaped HTML with <del> and <ins> (and words for screen
    readers, which do not all announce these elements)."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    deleted, inserted = _("deleted:"), _("inserted:")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(
                f'<del><span class="visually-hidden">[{html.escape(deleted)}] </span>'
                f"{html.escape(''.join(a[i1:i2]))}</del>"
            )
        if op in ("insert", "replace"):
            out.append(
                f'<ins><span class="visually-hidden">[{html.escape(inserted)}] </span>'
                f"{html.escape(''.join(b[j1:j2]))}</ins>"
            )
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece escaped


def version_diff(old: SheetVersion, new: SheetVersion) -> list[dict]:
    """Field by field, the fields that differ between two versions: label, old and new text,
    and the word-level diff as safe HTML."""
    rows: list[dict[str, Any]] = []
    for name, label in DIFF_FIELDS:
        before = _as_text(name, old.data.get(name))
        after = _as_text(name, new.data.get(name))
        if before == after:
            continue
        rows.append(
            {
                "field": name,
                "label": str(label),
                "old": before,
                "new": after,
                "diff": _inline_diff(before, after),
            }
        )
    if old.status != new.status:
        rows.append(
            {
                "field": "status",
                "label": _("Status"),
                "old": Status(old.status).label,
                "new": Status(new.status).label,
                "diff": _inline_diff(str(Status(old.status).label), str(Status(new.status).label)),
            }
        )
    return rows
