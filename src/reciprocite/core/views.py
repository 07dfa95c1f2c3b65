"""Pages of background jobs: their progress (polled by htmx) and their result file.

Who may see a job: the user who started it, and staff. Anyone else gets a 404, so job ids
reveal nothing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from . import selectors


def _visible_job(request, job_id):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
    return job


@login_required
def job_list(request):
    """The signed-in user's recent jobs (staff: everyone's)."""
    jobs = selectors.jobs_visible_to(request.user).select_related("owner")[:50]
    return render(request, "core/job_list.html", {"jobs": jobs})


@login_required
def job_detail(request, job_id):
    job = _visible_job(request, job_id)
    template = "core/_job_status.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, job_id):
    job = _visible_job(request, job_id)
    if not job.result_file:
        raise Http404
    name = job.result.get("filename") or job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)
