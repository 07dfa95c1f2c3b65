"""Background jobs of the knowledge base (see core.jobs).

- ``knowledge.import``: params ``path`` (the uploaded JSON Lines file, kept under
  MEDIA_ROOT/knowledge/imports/), ``name`` (its original name) and ``publish``; runs
  ``imports.sheets_import`` as the job's owner with its progress; a bad line fails the job
  with every problem named (line and field) and nothing written; the kept file is deleted
  whatever happens.

And one task that is not a user's job: ``promote_champion_lists`` gives the search's
champion lists to the terms that became frequent (``search.champions.promote``), asked for
every so many index writes (``champions.note_write``) and run by the worker, not by the
request that saved a sheet.
"""

from __future__ import annotations

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from reciprocite.core.jobs import JobError, Progress, job_handler
from reciprocite.core.models import Job
from reciprocite.interop.errors import InvalidRows

from . import permissions

UPLOAD_FOLDER = "knowledge/imports"


def upload_keep(upload: File[bytes]) -> str:
    """Keep an uploaded file for the job; returns its storage path."""
    from uuid import uuid4

    return default_storage.save(f"{UPLOAD_FOLDER}/{uuid4().hex}.jsonl", upload)


@job_handler("knowledge.import")
def import_sheets(job: Job, progress: Progress) -> None:
    from .imports import sheets_import

    path = str(job.params.get("path") or "")
    name = str(job.params.get("name") or "sheets.jsonl")
    try:
        if not permissions.can_import(job.owner):
            raise JobError(_("You may no longer import sheets."))
        if not path.startswith(f"{UPLOAD_FOLDER}/") or ".." in path:
            raise JobError(_("The uploaded file is not where it should be; upload it again."))
        try:
            with default_storage.open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise JobError(_("The uploaded file is gone; upload it again.")) from None
        try:
            report = sheets_import(
                data,
                source=name,
                actor=job.owner,
                publish=bool(job.params.get("publish")),
                progress=lambda label, done, total: progress(done, total, label),
            )
        except InvalidRows as exc:
            raise JobError(
                ngettext(
                    "Nothing was imported: %(n)d problem. %(lines)s",
                    "Nothing was imported: %(n)d problems. %(lines)s",
                    exc.total,
                )
                % {"n": exc.total, "lines": " · ".join(exc.lines())}
            ) from None
    finally:
        if path.startswith(f"{UPLOAD_FOLDER}/") and ".." not in path:
            default_storage.delete(path)
    job.result = {
        "summary": _(
            "%(read)d sheets read: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged."
        )
        % report.as_dict(),
        "problems": [],
        "report": report.as_dict(),
    }
    job.result_url = reverse("knowledge:review_queue")


@task()
def promote_champion_lists() -> int:
    """Lists for the terms that became frequent (and, on SQLite, refills of the lists whose
    average length drifted); the index version moves so that cached results follow."""
    from .search import backends, champions

    with transaction.atomic():
        count = champions.promote()
        backends.bump_version()
    return count


def schedule_promotion() -> None:
    """Run ``promote_champion_lists`` after the current transaction commits (at once with the
    immediate backend, as in the tests: the same connection sees the uncommitted writes)."""
    if isinstance(promote_champion_lists.get_backend(), ImmediateBackend):
        promote_champion_lists.enqueue()
    else:
        transaction.on_commit(promote_champion_lists.enqueue)
