"""Import answers from KoboToolbox exports (XLSX, CSV files, or a zip of CSV files).

Everything is read and checked first; then the new submissions are written in one
transaction, in batches. Idempotent by ``_uuid``: a submission already stored with the same
content is left as it is (``unchanged``); one stored with another content is a *conflict*,
reported and never overwritten. Answers are stamped with the questionnaire's current
version and the source "import"; no constraint is evaluated (an export holds what was
collected).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocite.interop import kobo
from reciprocite.interop.errors import FileRefused

from ..digest import content_digest
from ..models import Submission, SubmissionSource
from ..structure import Structure

BATCH_SIZE = 1000
LOOKUP_BATCH = 500
MAX_LISTED_CONFLICTS = 50


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    unchanged: int = 0
    conflicts: int = 0
    # UUIDs of the conflicting submissions (the first MAX_LISTED_CONFLICTS)
    conflict_uuids: list[str] = field(default_factory=list)
    repeats: dict[str, int] = field(default_factory=dict)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    ignored_sheets: list[str] = field(default_factory=list)
    sheets: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "read": self.read,
            "created": self.created,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "conflict_uuids": list(self.conflict_uuids),
            "repeats": dict(self.repeats),
            "ignored_columns": {k: list(v) for k, v in self.ignored_columns.items()},
            "ignored_sheets": list(self.ignored_sheets),
            "sheets": dict(self.sheets),
        }


def submissions_import(
    *,
    questionnaire,
    files: list[tuple[str, bytes]],
    actor=None,
    progress: Callable[[str, int, int], None] | None = None,
    strict: bool = False,
) -> ImportReport:
    """Import a Kobo export of ``questionnaire``; raise FileRefused or InvalidRows (nothing
    written) when a file cannot be read or does not match the form (a file none of whose
    columns is a question of the form). Other columns that are not questions of the form are
    reported as ignored, or refused with ``strict=True``."""
    version = questionnaire.current_version
    if version is None:
        raise FileRefused(
            questionnaire.form_id, _("the questionnaire has no version: load its XLSForm first")
        )
    if not files:
        raise FileRefused(questionnaire.form_id, _("no file to import"))
    structure = Structure(version.structure, version.rows)
    data = kobo.read_export(
        structure, files, strict=strict, form_id=questionnaire.form_id, progress=progress
    )
    report = ImportReport(
        read=len(data.submissions),
        repeats=data.repeats,
        ignored_columns=data.ignored_columns,
        ignored_sheets=data.ignored_sheets,
        sheets=data.sheets,
    )

    digests = [content_digest(s.data) for s in data.submissions]
    existing: dict[str, tuple[str, int]] = {}
    uuids = [s.uuid for s in data.submissions]
    label = _("Checking stored answers")
    for start in range(0, len(uuids), LOOKUP_BATCH):
        chunk = uuids[start : start + LOOKUP_BATCH]
        for uuid, digest, questionnaire_id in Submission.objects.filter(uuid__in=chunk).values_list(
            "uuid", "content_digest", "questionnaire_id"
        ):
            existing[str(uuid)] = (digest, questionnaire_id)
        if progress:
            progress(label, min(start + LOOKUP_BATCH, len(uuids)), len(uuids))

    now = timezone.now()
    new: list[Submission] = []
    for submission, digest in zip(data.submissions, digests, strict=True):
        stored = existing.get(str(submission.uuid))
        if stored is None:
            new.append(
                Submission(
                    questionnaire=questionnaire,
                    version=version,
                    uuid=submission.uuid,
                    data=submission.data,
                    content_digest=digest,
                    source=SubmissionSource.IMPORT,
                    submitted_at=submission.submitted_at or now,
                    received_at=now,
                    submitted_by=actor if getattr(actor, "pk", None) else None,
                )
            )
        elif stored == (digest, questionnaire.pk):
            report.unchanged += 1
        else:
            report.conflicts += 1
            if len(report.conflict_uuids) < MAX_LISTED_CONFLICTS:
                report.conflict_uuids.append(str(submission.uuid))

    label = _("Writing answers")
    with transaction.atomic():
        for start in range(0, len(new), BATCH_SIZE):
            Submission.objects.bulk_create(new[start : start + BATCH_SIZE])
            if progress:
                progress(label, min(start + BATCH_SIZE, len(new)), len(new))
    report.created = len(new)
    return report
