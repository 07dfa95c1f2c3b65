"""Background jobs: the handler runs through Django's tasks API, its progress and result are
stored, failures are shown without a server error, and only the owner (or staff) sees them."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from reciprocite.core import jobs
from reciprocite.core.models import Job

RUNS: list[str] = []


@jobs.job_handler("tests.count")
def count_handler(job, progress):
    total = job.params["total"]
    for i in range(total):
        progress(i + 1, total, f"row {i + 1}")
    RUNS.append(str(job.pk))
    job.result = {"summary": f"{total} rows counted.", "filename": "count.txt"}
    job.result_file.save("count.txt", ContentFile(b"%d\n" % total), save=False)


@jobs.job_handler("tests.refuse")
def refuse_handler(job, progress):
    raise jobs.JobError("data.csv, row 3: the column “pays” is missing.")


@jobs.job_handler("tests.crash")
def crash_handler(job, progress):
    raise RuntimeError("secret internals")


@pytest.fixture
def users(django_user_model):
    owner = django_user_model.objects.create_user("owner", password="pw-owner-1")
    other = django_user_model.objects.create_user("other", password="pw-other-1")
    staff = django_user_model.objects.create_user("staff", password="pw-staff-1", is_staff=True)
    return owner, other, staff


@pytest.mark.django_db
def test_a_job_runs_its_handler_and_keeps_progress_and_result(users):
    owner, _, _ = users
    job = jobs.start_job("tests.count", owner=owner, title="Count", params={"total": 7})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total) == (7, 7)
    assert job.message == "row 7"
    assert job.result["summary"] == "7 rows counted."
    assert job.result_file.read() == b"7\n"
    assert job.started_at <= job.finished_at
    assert RUNS[-1] == str(job.pk)


@pytest.mark.django_db
def test_a_refusal_is_shown_as_written_and_a_crash_hides_its_internals(users):
    owner, _, _ = users
    refused = jobs.start_job("tests.refuse", owner=owner, title="Refuse")
    crashed = jobs.start_job("tests.crash", owner=owner, title="Crash")
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.status == crashed.status == Job.Status.FAILED
    assert refused.error == "data.csv, row 3: the column “pays” is missing."
    assert "secret internals" not in crashed.error
    assert crashed.error


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_before_anything_is_stored(users):
    with pytest.raises(KeyError):
        jobs.start_job("tests.nothing", owner=users[0], title="Nothing")
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_runs_queued_jobs(users, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    owner, _, _ = users
    job = jobs.start_job("tests.count", owner=owner, title="Count", params={"total": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED  # nothing ran inside the "request"
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.done == 3
    # The same task taken again does not run the work twice.
    before = RUNS.count(str(job.pk))
    jobs.run_job.call(str(job.pk))
    assert RUNS.count(str(job.pk)) == before


@pytest.mark.django_db
def test_the_job_page_is_for_its_owner_and_staff_only(client, users):
    owner, other, staff = users
    job = jobs.start_job("tests.count", owner=owner, title="Count rows", params={"total": 2})
    url = reverse("core:job_detail", args=[job.pk])
    download = reverse("core:job_download", args=[job.pk])

    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login" in response["Location"]

    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(download).status_code == 404
    assert "Count rows" not in client.get(reverse("core:job_list")).content.decode()

    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "Count rows" in page and "2 rows counted." in page
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"2\n"
    assert 'attachment; filename="count.txt"' in response["Content-Disposition"]
    assert "Count rows" in client.get(reverse("core:job_list")).content.decode()

    client.force_login(staff)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_running_job_polls_and_a_finished_one_stops(client, users):
    owner, _, _ = users
    job = Job.objects.create(kind="tests.count", owner=owner, title="Waiting", total=10, done=4)
    client.force_login(owner)
    url = reverse("core:job_detail", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert "<html" not in partial
    assert 'value="4"' in partial and "40 %" in partial
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=10)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
