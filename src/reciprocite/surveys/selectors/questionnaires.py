"""Reads of questionnaires: the list, one questionnaire, its versions and what they hold."""

from __future__ import annotations

from django.db.models import Count

from ..models import Questionnaire, QuestionnaireVersion, Submission
from ..structure import Structure, label


def questionnaire_get(form_id: str) -> Questionnaire | None:
    return Questionnaire.objects.filter(form_id=form_id).first()


def questionnaire_version_get(
    questionnaire: Questionnaire, version: str | None = None
) -> QuestionnaireVersion | None:
    """A version by its name, or the latest when ``version`` is None."""
    if version is None:
        return questionnaire.current_version
    return questionnaire.versions.filter(version=version).first()


def questionnaire_list() -> list[Questionnaire]:
    """Every questionnaire with ``n_versions`` and ``n_submissions``, by form id."""
    questionnaires = list(
        Questionnaire.objects.annotate(n_versions=Count("versions", distinct=True)).order_by(
            "form_id"
        )
    )
    submissions = dict(
        Submission.objects.values_list("questionnaire").annotate(n=Count("pk")).order_by()
    )
    for q in questionnaires:
        q.n_submissions = submissions.get(q.pk, 0)
        q.latest = q.current_version
    return questionnaires


def questionnaire_detail(
    questionnaire: Questionnaire, version: str | None = None, *, language: str | None = None
) -> dict:
    """What the questionnaire page shows: versions (newest first) with their submission
    counts, and the chosen version's languages, questions (labels in ``language`` when the
    form has it, else its default language) and unsupported types."""
    versions = list(
        questionnaire.versions.annotate(n_submissions=Count("submissions")).order_by(
            "-created_at", "-pk"
        )
    )
    chosen = next((v for v in versions if v.version == version), None) if version else None
    if chosen is None and versions and version is None:
        chosen = versions[0]
    questions = []
    if chosen is not None:
        structure = Structure(chosen.structure, chosen.rows)
        default = chosen.structure.get("default_language")
        for q in structure.questions:
            if q.path and q.path[0] == "meta" and q.row is None:
                continue  # pyxform's own metadata (instanceID)
            questions.append(
                {
                    "row": q.row,
                    "name": q.name,
                    "type": q.type,
                    "list_name": q.list_name,
                    "path": "/".join(q.path),
                    "label": label(q.node, language, default) if q.node.get("label") else "",
                    "required": str(q.bind.get("required", "")).lower()
                    in ("yes", "true()", "true"),
                    "relevant": q.bind.get("relevant", ""),
                    "constraint": q.bind.get("constraint", ""),
                    "calculation": q.bind.get("calculate", ""),
                }
            )
    return {
        "questionnaire": questionnaire,
        "versions": versions,
        "version": chosen,
        "questions": questions,
        "n_submissions": sum(v.n_submissions for v in versions),
    }
