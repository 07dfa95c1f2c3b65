"""Questionnaires: load an XLSForm as a new version, check one without storing it.

A questionnaire's id is the ``form_id`` of the settings sheet, else the file name without its
extension (pyxform's rule), unless the caller names it. A version is the settings ``version``,
else a digest of the structure. Loading the same version with the same structure again is a
no-op that returns the stored version; the same version with another structure is refused
(raise ``version`` in the settings sheet). Every submission keeps the version it answered;
analyses work by question name, so answers to unchanged names stay comparable across versions.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reciprocite.interop.xlsform import ParsedForm, XLSFormError, xlsform_read

from ..digest import content_digest
from ..models import Questionnaire, QuestionnaireVersion
from ..structure import Structure

FORM_ID_MAX = 100
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _form_id(parsed: ParsedForm, filename: str, form_id: str | None) -> str:
    """The form id as a slug: pyxform's id when it is one, else its slug (“Spec test” →
    “spec-test”)."""
    candidate = (form_id or parsed.form_id or "").strip()
    if not SLUG.match(candidate):
        candidate = slugify(candidate)
    candidate = candidate[:FORM_ID_MAX]
    if not candidate:
        raise XLSFormError(
            filename,
            [
                {
                    "sheet": "settings",
                    "row": None,
                    "column": "form_id",
                    "message": _("the form has no usable id: set form_id in the settings sheet"),
                }
            ],
        )
    return candidate


def structure_digest(structure: dict) -> str:
    return content_digest(structure)[:16]


def _version(structure: dict) -> str:
    return str(structure.get("version") or "").strip() or structure_digest(structure)


def _counts(structure: dict, rows: dict) -> dict:
    parsed = Structure(structure, rows)
    questions = [
        q for q in parsed.questions if not (q.path and q.path[0] == "meta" and q.row is None)
    ]
    choices = sum(len(items) for items in (structure.get("choices") or {}).values())
    return {
        "questions": len(questions),
        "repeats": len(parsed.repeat_nodes),
        "choice_lists": len(structure.get("choices") or {}),
        "choices": choices,
    }


def _prepare(content: bytes, filename: str, form_id: str | None):
    parsed = xlsform_read(content, filename)
    structure = parsed.structure
    the_id = _form_id(parsed, filename, form_id)
    structure["id_string"] = the_id
    return parsed, structure, the_id, _version(structure)


def questionnaire_check(content: bytes, filename: str, *, form_id: str | None = None) -> dict:
    """Validate an XLSForm without storing it: raises XLSFormError, else returns a report
    {"form_id", "title", "version", "default_language", "languages", "counts",
    "unsupported", "warnings", "exists", "version_exists"}."""
    parsed, structure, the_id, version = _prepare(content, filename, form_id)
    questionnaire = Questionnaire.objects.filter(form_id=the_id).first()
    return {
        "form_id": the_id,
        "title": parsed.title,
        "version": version,
        "default_language": parsed.default_language,
        "languages": parsed.languages,
        "counts": _counts(structure, parsed.rows),
        "unsupported": parsed.unsupported,
        "warnings": parsed.warnings,
        "exists": questionnaire is not None,
        "version_exists": bool(
            questionnaire and questionnaire.versions.filter(version=version).exists()
        ),
    }


def questionnaire_load(
    *, content: bytes, filename: str, actor=None, form_id: str | None = None
) -> QuestionnaireVersion:
    """Load an XLSForm: a new QuestionnaireVersion (and the Questionnaire the first time), or
    the stored version when the same version with the same structure is loaded again."""
    parsed, structure, the_id, version = _prepare(content, filename, form_id)
    title = (parsed.title or the_id)[:300]
    default_language = parsed.default_language[:50]
    with transaction.atomic():
        questionnaire, created = Questionnaire.objects.select_for_update().get_or_create(
            form_id=the_id, defaults={"title": title, "default_language": default_language}
        )
        existing = questionnaire.versions.filter(version=version).first()
        if existing is not None:
            if existing.structure == structure:
                return existing
            raise XLSFormError(
                filename,
                [
                    {
                        "sheet": "settings",
                        "row": None,
                        "column": "version",
                        "message": _(
                            "version %(version)s of %(form)s is already loaded with other "
                            "questions: give this file a new version in the settings sheet"
                        )
                        % {"version": version, "form": the_id},
                    }
                ],
            )
        if not created and (
            questionnaire.title != title or questionnaire.default_language != default_language
        ):
            questionnaire.title = title
            questionnaire.default_language = default_language
            questionnaire.save(update_fields=["title", "default_language"])
        return QuestionnaireVersion.objects.create(
            questionnaire=questionnaire,
            version=version[:100],
            structure=structure,
            rows=parsed.rows,
            unsupported=parsed.unsupported,
            languages=parsed.languages,
            xlsform=content,
            xlsform_name=filename[:255],
            created_by=actor if getattr(actor, "pk", None) else None,
        )


def questionnaire_export(version: QuestionnaireVersion) -> tuple[str, bytes]:
    """(file name, bytes) of a version's XLSForm: the file as loaded when it is stored, else
    the structure written back as an .xlsx."""
    from reciprocite.interop.xlsform import xlsform_write

    content = bytes(version.xlsform or b"")
    name = version.xlsform_name
    if content and name:
        return name, content
    return f"{version.questionnaire.form_id}.xlsx", xlsform_write(version.structure)


SHIPPED_FORMS = ("perception", "cooperations")


def questionnaires_load_shipped(*, actor=None) -> dict[str, int]:
    """Load the study's two questionnaires shipped in the package (surveys/xlsforms/); a
    second run creates nothing. Returns {"questionnaires": 2, "created": new versions}."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "xlsforms"
    created = 0
    for form_id in SHIPPED_FORMS:
        path = folder / f"{form_id}.xlsx"
        before = QuestionnaireVersion.objects.filter(questionnaire__form_id=form_id).count()
        questionnaire_load(
            content=path.read_bytes(), filename=path.name, actor=actor, form_id=form_id
        )
        created += (
            QuestionnaireVersion.objects.filter(questionnaire__form_id=form_id).count() - before
        )
    return {"questionnaires": len(SHIPPED_FORMS), "created": created}
