"""Background jobs: long work started from the web UI, run by the task worker, with progress.

An app declares a handler in its `tasks.py`:

    @job_handler("surveys.import")
    def import_answers(job: Job, progress: Progress) -> None:
        ...
        progress(done, total, message)
        job.result = {...}; job.result_url = "..."   # saved when the handler returns

`start_job(kind, owner=..., title=..., params=...)` stores a `Job` row and enqueues it through
Django's tasks API (the django-tasks backport; the database backend and its `db_worker` in
production, the immediate backend for tests and `RECIPROCITE_TASK_BACKEND=immediate`).
The page `/jobs/<id>/` polls the row. A handler raises `JobError` with a message for the
user; any other exception fails the job with a generic message (and is logged), never a page
error. The CLI calls the same service functions in the foreground with a progress bar.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from .models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], None]
_HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A failure to show to the user as it is (already translated, names what is wrong)."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not func:
            raise RuntimeError(f"two handlers for the job kind {kind!r}")
        _HANDLERS[kind] = func
        return func

    return register


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)


class Progress:
    """Callable given to handlers: `progress(done, total=None, message=None)`.

    Writes at most every `interval` seconds (and always the first and last step), so a
    handler may call it for every row without hammering the database.
    """

    def __init__(self, job: Job, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        job = self.job
        job.done = max(0, int(done))
        if total is not None:
            job.total = max(0, int(total))
        if message is not None:
            job.message = str(message)[:500]
        now = time.monotonic()
        last_step = job.total is not None and job.done >= job.total
        if now - self._last >= self.interval or last_step or self._last == 0.0:
            self._last = now
            Job.objects.filter(pk=job.pk).update(
                done=job.done, total=job.total, message=job.message
            )


def start_job(
    kind: str,
    *,
    owner: Any,
    title: str,
    params: dict[str, Any] | None = None,
    language: str | None = None,
) -> Job:
    """Store the job and hand it to the task backend (after the surrounding commit)."""
    if kind not in _HANDLERS:
        raise KeyError(f"no handler for the job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        owner=owner,
        title=title[:300],
        params=params or {},
        language=language or translation.get_language() or "fr",
    )
    if isinstance(run_job.get_backend(), ImmediateBackend):
        # Same connection, same transaction: the row is visible, run it now.
        run_job.enqueue(str(job.pk))
    else:
        transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def worker_identity(pid: int | None = None) -> str:
    """ "host:pid" of a worker process, as stored in ``Job.worker``."""
    return f"{socket.gethostname()}:{os.getpid() if pid is None else pid}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def jobs_interrupted_fail() -> int:
    """Fail the jobs left "running" by a worker of this host that no longer runs.

    A worker killed in the middle of a job (SIGKILL, out of memory, a reboot) cannot say so;
    the next worker started on the same host — by ``reciprocite serve``'s supervisor or by
    hand — calls this first. Jobs of other hosts are left to their own workers. The job is
    not run again on its own: the work may have been half-done outside the database (a file,
    e-mails sent), so its owner reads why it stopped and starts it again.
    """
    host = socket.gethostname()
    failed = 0
    running = Job.objects.filter(status=Job.Status.RUNNING, worker__startswith=f"{host}:")
    for job in running.only("pk", "worker", "language"):
        pid_text = job.worker.rpartition(":")[2]
        if not pid_text.isdigit() or _process_alive(int(pid_text)):
            continue
        with translation.override(job.language):
            error = _(
                "The work was interrupted: the background worker running it stopped "
                "before the end. The worker has been started again; start the work again."
            )
        failed += Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, worker=job.worker
        ).update(status=Job.Status.FAILED, error=error, finished_at=timezone.now())
    if failed:
        logger.warning("%d job(s) left running by a stopped worker marked as failed", failed)
    return failed


def execute(job: Job) -> Job:
    """Run a stored job in this process (what the worker's task does)."""
    handler = _HANDLERS.get(job.kind)
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.worker = worker_identity()
    Job.objects.filter(pk=job.pk).update(
        status=job.status, started_at=job.started_at, worker=job.worker
    )
    progress = Progress(job)
    with translation.override(job.language):
        try:
            if handler is None:
                raise JobError(_("This kind of job is unknown: %(kind)s.") % {"kind": job.kind})
            handler(job, progress)
        except JobError as exc:
            job.status = Job.Status.FAILED
            job.error = str(exc)
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job.status = Job.Status.FAILED
            job.error = _(
                "The work stopped on an unexpected error; nothing was half-written. "
                "The administrators can read the details in the server log."
            )
        else:
            job.status = Job.Status.DONE
            if job.total is not None:
                job.done = job.total
    job.finished_at = timezone.now()
    job.save()
    return job


@task()
def run_job(job_id: str) -> str:
    if not transaction.get_connection().in_atomic_block:
        # a worker between tasks; never inside a transaction (the immediate backend in a
        # request or a test), where closing the connection would lose the transaction
        close_old_connections()
    try:
        job = Job.objects.get(pk=job_id)
    except Job.DoesNotExist:
        logger.warning("job %s vanished before it ran", job_id)
        return "missing"
    if job.status != Job.Status.QUEUED:
        return job.status  # already taken (a retried task): never run twice
    return execute(job).status
