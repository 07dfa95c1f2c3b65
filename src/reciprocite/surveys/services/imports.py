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
from django.utils.translation import ngettext

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

    def summary(self) -> str:
        """One sentence for people: what was read, created, left alone, refused."""
        parts = [
            ngettext("%(n)d submission created", "%(n)d submissions created", self.created)
            % {"n": self.created},
            ngettext("%(n)d already there", "%(n)d already there", self.unchanged)
            % {"n": self.unchanged},
            ngettext(
                "%(n)d conflict (stored with another content, not overwritten)",
                "%(n)d conflicts (stored with another content, not overwritten)",
                self.conflicts,
            )
            % {"n": self.conflicts},
        ]
        parts += [
            ngettext("%(n)d entry in “%(repeat)s”", "%(n)d entries in “%(repeat)s”", count)
            % {"n": count, "repeat": repeat}
            for repeat, count in self.repeats.items()
        ]
        read = ngettext("%(n)d submission read: ", "%(n)d submissions read: ", self.read) % {
            "n": self.read
        }
        return read + ", ".join(parts) + "."

    def problems(self) -> list[str]:
        """What the analyst should look at: ignored columns and sheets, the conflicts."""
        lines = [
            _("%(source)s: columns ignored (not questions of the form): %(columns)s")
            % {"source": source, "columns": ", ".join(columns)}
            for source, columns in self.ignored_columns.items()
        ]
        lines += [
            _("%(source)s: ignored (no column of the form)") % {"source": source}
            for source in self.ignored_sheets
        ]
        if self.conflicts:
            listed = ", ".join(self.conflict_uuids)
            more = "" if self.conflicts <= len(self.conflict_uuids) else ", …"
            lines.append(
                _("Stored with another content, not overwritten: %(uuids)s")
                % {"uuids": listed + more}
            )
        return lines

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
    campaign=None,
) -> ImportReport:
    """Import a Kobo export of ``questionnaire``; raise FileRefused or InvalidRows (nothing
    written) when a file cannot be read or does not match the form (a file none of whose
    columns is a question of the form). Other columns that are not questions of the form are
    reported as ignored, or refused with ``strict=True``. The new answers belong to
    ``campaign`` (one of the questionnaire's): they count publicly once it is published;
    without a campaign they never do."""
    if campaign is not None and campaign.questionnaire_id != questionnaire.pk:
        raise FileRefused(
            questionnaire.form_id,
            _("the campaign “%(title)s” is not a campaign of this questionnaire")
            % {"title": campaign.title},
        )
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
                    campaign=campaign,
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


# --- uploads kept for a background import ------------------------------------------------------

UPLOAD_ROOT = "surveys/imports"


def upload_store(files: list[tuple[str, object]]) -> list[list[str]]:
    """Keep uploaded files for the import job, in a folder of their own under MEDIA_ROOT.

    Returns ``[[stored path, original name], …]`` (the job's parameters); the original names
    are what the messages name (Kobo's file names also tell the main table from the repeats).
    """
    from uuid import uuid4

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils.text import get_valid_filename

    folder = f"{UPLOAD_ROOT}/{uuid4().hex}"
    stored = []
    for position, (name, content) in enumerate(files, start=1):
        safe = get_valid_filename(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]) or "file"
        # an uploaded file is copied by chunks (never read whole into memory); bytes as they are
        body = content if hasattr(content, "chunks") else ContentFile(content)
        path = default_storage.save(f"{folder}/{position}-{safe[:100]}", body)
        stored.append([path, name])
    return stored


def _stored_path(path: str) -> str:
    if not path.startswith(UPLOAD_ROOT + "/") or ".." in path.split("/"):
        raise FileRefused(path, _("not an uploaded file of an import"))
    return path


def upload_read(stored: list[list[str]]) -> list[tuple[str, bytes]]:
    """The files kept by ``upload_store``, under their original names."""
    from django.core.files.storage import default_storage

    files = []
    for path, name in stored:
        try:
            with default_storage.open(_stored_path(path), "rb") as fh:
                files.append((name, fh.read()))
        except FileNotFoundError:
            raise FileRefused(name, _("the uploaded file is gone; upload it again")) from None
    return files


def upload_discard(stored: list[list[str]]) -> None:
    """Delete the kept files (answers are personal data: not kept once imported)."""
    import os

    from django.core.files.storage import default_storage

    folders = set()
    for path, _name in stored:
        try:
            default_storage.delete(_stored_path(path))
        except (FileRefused, OSError):
            continue
        folders.add(path.rsplit("/", 1)[0])
    for folder in folders:
        try:
            os.rmdir(default_storage.path(folder))
        except (NotImplementedError, OSError):
            # Best effort: a storage without local paths, or a folder something else wrote
            # into, keeps its (empty or foreign) folder; the answers themselves are gone.
            continue
