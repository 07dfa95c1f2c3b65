"""Writes of the knowledge base: sheets, their versions and workflow, attachments, the toolbox.

Every rich-text value is sanitised (``sanitize.clean_html``), every save of a sheet records a
``SheetVersion`` when something changed and updates the search index (``search.index_sheet``)
inside the same transaction. Views, the API and the CLI check ``permissions.py`` first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

import pycountry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocite.interop import files
from reciprocite.registry.models import LANGUAGE_CHOICES, Project, Theme
from reciprocite.registry.taxonomy import THEMES

from .models import Attachment, Sheet, SheetVersion, Tool, ToolFile
from .sanitize import clean_html
from .taxonomy import NARRATIVE_FIELDS, Difficulty, Stage, Status, ToolKind

NARRATIVE = [name for name, _label in NARRATIVE_FIELDS]
RICH_FIELDS = (*NARRATIVE, "contacts")
PLAIN_FIELDS = ("title", "french_authority", "partner_authority")
SCALAR_FIELDS = (
    "title",
    "language",
    "french_authority",
    "partner_authority",
    "country",
    "stage",
    "year_start",
    *NARRATIVE,
    "contacts",
    "is_highlight",
    "is_fictitious",
)
FK_FIELDS = (
    "translation_of",
    "french_territory",
    "partner_territory",
    "partnership",
    "organisation",
)
LANGUAGES = {code for code, _label in LANGUAGE_CHOICES}
YEAR_RANGE = (1900, 2100)

# Allowed moves of the editorial workflow (the permission to make them is permissions.py's).
TRANSITIONS = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.ARCHIVED, Status.DRAFT},
    Status.ARCHIVED: {Status.PUBLISHED, Status.DRAFT},
}


def _index(sheet: Sheet) -> None:
    from .search import index_sheet

    index_sheet(sheet)


def _unindex(sheet_id: int) -> None:
    from .search import remove_sheet

    remove_sheet(sheet_id)


# --- validation -----------------------------------------------------------------------------


def normalise_country(value: str | None) -> str:
    value = (value or "").strip().upper()
    if value and pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            {"country": _("%(code)s is not an ISO 3166-1 alpha-2 country code.") % {"code": value}}
        )
    return value


def check_themes(codes: Iterable[str]) -> list[str]:
    codes = [str(c).strip() for c in codes if str(c).strip()]
    unknown = [c for c in codes if c not in THEMES]
    if unknown:
        raise ValidationError(
            {
                "themes": _("Unknown theme %(code)s; the themes are: %(all)s.")
                % {"code": unknown[0], "all": ", ".join(THEMES)}
            }
        )
    return sorted(set(codes))


def check_codes(field: str, values: Iterable[str], choices) -> list[str]:
    values = [str(v).strip() for v in values if str(v).strip()]
    allowed = [c for c, _label in choices]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            {
                field: _("Unknown code %(code)s; the codes are: %(all)s.")
                % {"code": unknown[0], "all": ", ".join(allowed)}
            }
        )
    return [c for c in allowed if c in values]


def _clean_fields(fields: dict) -> dict:
    fields = dict(fields)
    for name in RICH_FIELDS:
        if name in fields:
            fields[name] = clean_html(fields[name])
    for name in PLAIN_FIELDS:
        if name in fields:
            fields[name] = " ".join(str(fields[name] or "").replace("\x00", "").split())
    if "country" in fields:
        fields["country"] = normalise_country(fields["country"])
    if "year_start" in fields and fields["year_start"] not in (None, ""):
        try:
            year = int(fields["year_start"])
        except (TypeError, ValueError):
            raise ValidationError({"year_start": _("Enter a year such as 2010.")}) from None
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise ValidationError({"year_start": _("The year must be between 1900 and 2100.")})
        fields["year_start"] = year
    elif "year_start" in fields:
        fields["year_start"] = None
    if "stage" in fields:
        fields["stage"] = fields["stage"] or ""
    return fields


def _validate(sheet: Sheet) -> None:
    if sheet.translation_of_id:
        original = sheet.translation_of
        assert original is not None  # translation_of_id is set
        if sheet.pk and original.pk == sheet.pk:
            raise ValidationError({"translation_of": _("A sheet cannot translate itself.")})
        if original.translation_of_id:
            raise ValidationError(
                {"translation_of": _("Choose the original sheet, not another translation.")}
            )
        if original.language == sheet.language:
            raise ValidationError(
                {"translation_of": _("A translation is in another language than its original.")}
            )
    sheet.full_clean(exclude=["themes", "projects"])


# --- versions -------------------------------------------------------------------------------


def snapshot(sheet: Sheet) -> dict:
    """The content of a sheet as a version stores it (ids for related records)."""
    data = {name: getattr(sheet, name) for name in SCALAR_FIELDS}
    for name in FK_FIELDS:
        data[name] = getattr(sheet, f"{name}_id")
    data["themes"] = sorted(sheet.themes.values_list("code", flat=True))
    data["projects"] = sorted(sheet.projects.values_list("pk", flat=True))
    data["last_verified"] = sheet.last_verified.isoformat() if sheet.last_verified else None
    return data


def _record_version(sheet: Sheet, actor, note: str) -> SheetVersion | None:
    """A new version when the content or the status changed since the last one."""
    data = snapshot(sheet)
    last = sheet.versions.order_by("-number").first()
    if last is not None and last.data == data and last.status == sheet.status:
        return None
    number = (last.number if last else 0) + 1
    return SheetVersion.objects.create(
        sheet=sheet,
        number=number,
        data=data,
        status=sheet.status,
        author=actor if getattr(actor, "pk", None) else None,
        note=(note or "")[:300],
    )


def _set_relations(sheet: Sheet, themes, projects) -> None:
    if themes is not None:
        codes = check_themes(themes)
        sheet.themes.set(Theme.objects.filter(code__in=codes))
    if projects is not None:
        ids = [p.pk if isinstance(p, Project) else int(p) for p in projects]
        sheet.projects.set(Project.objects.filter(pk__in=ids))


# --- sheets ---------------------------------------------------------------------------------


def new_ref() -> str:
    return f"sheet-{uuid.uuid4().hex[:10]}"


@transaction.atomic
def sheet_create(
    *,
    actor=None,
    ref: str | None = None,
    themes: Iterable[str] = (),
    projects: Iterable = (),
    status: str = Status.DRAFT,
    note: str = "",
    **fields,
) -> Sheet:
    """A new sheet (a draft unless ``status`` says otherwise), its first version, indexed."""
    fields = _clean_fields(fields)
    sheet = Sheet(ref=(ref or new_ref()).strip(), status=status, **fields)
    if getattr(actor, "pk", None) and sheet.proposed_by_id is None:
        sheet.proposed_by = actor
    if status == Status.PUBLISHED:
        sheet.published_at = timezone.now()
    _validate(sheet)
    sheet.save()
    _set_relations(sheet, list(themes), list(projects))
    _record_version(sheet, actor, note or _("Created"))
    _index(sheet)
    return sheet


@transaction.atomic
def sheet_update(
    *,
    actor=None,
    sheet: Sheet,
    themes: Iterable[str] | None = None,
    projects: Iterable | None = None,
    note: str = "",
    **changes,
) -> Sheet:
    """Change a sheet; a version is recorded only when something changed."""
    changes = _clean_fields(changes)
    allowed = set(SCALAR_FIELDS) | set(FK_FIELDS) | {"last_verified", "ref"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not fields of a sheet: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(sheet, name, value)
    _validate(sheet)
    sheet.save()
    _set_relations(
        sheet,
        list(themes) if themes is not None else None,
        list(projects) if projects is not None else None,
    )
    _record_version(sheet, actor, note or _("Edited"))
    _index(sheet)
    return sheet


@transaction.atomic
def sheet_transition(
    *, actor=None, sheet: Sheet, to: str, note: str = "", last_verified: date | None = None
) -> Sheet:
    """Move a sheet in the workflow (draft → review → published → archived, and back)."""
    current = Status(sheet.status)
    target = Status(to)
    if target not in TRANSITIONS[current]:
        raise ValidationError(
            _("A sheet that is %(current)s cannot become %(target)s.")
            % {"current": current.label, "target": target.label}
        )
    sheet.status = target
    if target == Status.PUBLISHED and sheet.published_at is None:
        sheet.published_at = timezone.now()
    if last_verified is not None:
        sheet.last_verified = last_verified
    sheet.save()
    default_notes = {
        Status.DRAFT: _("Sent back to draft"),
        Status.REVIEW: _("Submitted for review"),
        Status.PUBLISHED: _("Published"),
        Status.ARCHIVED: _("Archived"),
    }
    _record_version(sheet, actor, note or default_notes[target])
    _index(sheet)
    return sheet


@transaction.atomic
def sheet_set_verified(*, actor=None, sheet: Sheet, on: date, note: str = "") -> Sheet:
    if on > timezone.localdate():
        raise ValidationError({"last_verified": _("The date cannot be in the future.")})
    sheet.last_verified = on
    sheet.save(update_fields=["last_verified", "updated_at"])
    _record_version(sheet, actor, note or _("Verified"))
    _index(sheet)
    return sheet


@transaction.atomic
def sheet_delete(*, sheet: Sheet) -> None:
    sheet_id = sheet.pk
    for attachment in sheet.attachments.all():
        attachment.file.delete(save=False)
    sheet.delete()
    _unindex(sheet_id)


# --- attachments ----------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, actor=None, sheet: Sheet, title: str, filename: str, data: bytes
) -> Attachment:
    """Attach a file (PDF, DOCX, XLSX or ODT, checked from its content and size)."""
    file_type = files.check_file(filename, data)
    title = " ".join((title or "").split()) or filename
    attachment = Attachment(sheet=sheet, title=title[:300], file_type=file_type, size=len(data))
    attachment.file.save(files.safe_filename(title, file_type), ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor=None, attachment: Attachment) -> None:
    attachment.file.delete(save=False)
    attachment.delete()


# --- toolbox --------------------------------------------------------------------------------

TOOL_FIELDS = ("title", "language", "kind", "description", "status", "last_verified")


def _clean_tool(fields: dict) -> dict:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = " ".join(str(fields["title"] or "").split())
    if "description" in fields:
        fields["description"] = clean_html(fields["description"])
    if "stages" in fields:
        fields["stages"] = check_codes("stages", fields["stages"], Stage.choices)
    if "difficulties" in fields:
        fields["difficulties"] = check_codes(
            "difficulties", fields["difficulties"], Difficulty.choices
        )
    if "kind" in fields:
        check_codes("kind", [fields["kind"]], ToolKind.choices)
    return fields


@transaction.atomic
def tool_create(*, actor=None, ref: str, themes: Iterable[str] = (), **fields) -> Tool:
    fields = _clean_tool(fields)
    tool = Tool(ref=ref.strip(), **fields)
    if getattr(actor, "pk", None):
        tool.proposed_by = actor
    tool.full_clean(exclude=["themes"])
    tool.save()
    tool.themes.set(Theme.objects.filter(code__in=check_themes(themes)))
    return tool


@transaction.atomic
def tool_update(*, actor=None, tool: Tool, themes: Iterable[str] | None = None, **changes) -> Tool:
    changes = _clean_tool(changes)
    for name, value in changes.items():
        setattr(tool, name, value)
    tool.full_clean(exclude=["themes"])
    tool.save()
    if themes is not None:
        tool.themes.set(Theme.objects.filter(code__in=check_themes(themes)))
    return tool


@transaction.atomic
def tool_file_add(
    *, actor=None, tool: Tool, title: str, filename: str, data: bytes, language: str = "fr"
) -> ToolFile:
    file_type = files.check_file(filename, data)
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Unknown language %(code)s.") % {"code": language}})
    title = " ".join((title or "").split()) or filename
    tool_file = ToolFile(
        tool=tool, title=title[:300], file_type=file_type, size=len(data), language=language
    )
    tool_file.file.save(files.safe_filename(title, file_type), ContentFile(data), save=False)
    tool_file.save()
    return tool_file


@transaction.atomic
def tool_file_delete(*, actor=None, tool_file: ToolFile) -> None:
    tool_file.file.delete(save=False)
    tool_file.delete()


@transaction.atomic
def tool_file_replace(*, actor=None, tool_file: ToolFile, data: bytes) -> ToolFile:
    """Put new content in a tool file (same title), checked like an upload."""
    file_type = files.check_file(tool_file.file.name or tool_file.title, data)
    old = tool_file.file.name
    tool_file.file.save(
        files.safe_filename(tool_file.title, file_type), ContentFile(data), save=False
    )
    tool_file.file_type = file_type
    tool_file.size = len(data)
    tool_file.save()
    if old and old != tool_file.file.name:
        tool_file.file.storage.delete(old)
    return tool_file
