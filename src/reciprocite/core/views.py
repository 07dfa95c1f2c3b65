"""Pages of background jobs: their progress (polled by htmx) and their result file.

Who may see a job: the user who started it, and staff. Anyone else gets a 404, so job ids
reveal nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .http import is_partial
from .models import Job
from .worker import waiting_jobs_over_threshold


def _seconds() -> str:
    return f"{settings.RECIPROCITE_JOB_WAIT_WARNING_SECONDS:g}"


def _visible_job(request: HttpRequest, job_id: int) -> Job:
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
    return job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's recent jobs (staff: everyone's)."""
    visible = selectors.jobs_visible_to(request.user)
    jobs = visible.select_related("owner")[:50]
    warning = None
    if waiting_jobs_over_threshold(visible):
        warning = _(
            "Some jobs have been waiting for more than %(seconds)s seconds: the background "
            "worker may be down. Tell the administrators (its state is on /healthz)."
        ) % {"seconds": _seconds()}
    return render(request, "core/job_list.html", {"jobs": jobs, "worker_warning": warning})


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _visible_job(request, job_id)
    template = "core/_job_status.html" if is_partial(request) else "core/job_detail.html"
    warning = None
    limit = timezone.now() - timedelta(seconds=settings.RECIPROCITE_JOB_WAIT_WARNING_SECONDS)
    if job.status == Job.Status.QUEUED and job.created_at < limit:
        warning = _(
            "This job has been waiting for more than %(seconds)s seconds: the background "
            "worker may be down. Tell the administrators (its state is on /healthz)."
        ) % {"seconds": _seconds()}
    return render(request, template, {"job": job, "worker_warning": warning})


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _visible_job(request, job_id)
    if not job.result_file:
        raise Http404
    name = job.result.get("filename") or job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)
