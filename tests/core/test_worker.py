"""The background-job worker supervised by ``reciprocite serve`` (issue #10): started again
when it dies — a real worker process, SIGKILLed — and then running the job queued meanwhile;
its heartbeat read by /healthz (503 "degraded" when it is stale); the jobs pages warning when
jobs have been waiting longer than the threshold. Waits are bounded; nothing measures speed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from reciprocite.core.models import Job
from reciprocite.core.worker import Supervisor, read_heartbeat, write_heartbeat

WAIT = 90  # seconds at most for each step of a real process (a loaded machine is slow)


def wait_until(predicate, timeout: float = WAIT, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


# --- a real worker, supervised ----------------------------------------------------------------

DATABASE_SCRIPT = textwrap.dedent(
    """
    import sys
    from reciprocite.cli import migrate_quietly, setup_django
    setup_django()
    migrate_quietly()
    from reciprocite.accounts.models import User
    from reciprocite.core.jobs import run_job
    from reciprocite.core.models import Job
    if sys.argv[1] == "enqueue":
        owner, _ = User.objects.get_or_create(username="worker-test")
        job = Job.objects.create(kind="test.unknown", owner=owner, title="queued while down")
        run_job.enqueue(str(job.pk))
        print(job.pk)
    else:
        job = Job.objects.get(pk=sys.argv[2])
        print(job.status, bool(job.finished_at))
    """
)


@pytest.fixture
def worker_env(tmp_path) -> dict[str, str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST_")) and k != "DATABASE_URL"
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        RECIPROCITE_DATA_DIR=str(tmp_path / "var"),
        RECIPROCITE_TASK_BACKEND="database",
        RECIPROCITE_WORKER_HEARTBEAT_SECONDS="0.5",
        SECRET_KEY="test-only-secret-key-for-the-worker",  # noqa: S105
    )
    return environment


def database(env, tmp_path, *args: str) -> str:
    script = tmp_path / "database.py"
    script.write_text(DATABASE_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_killed_worker_is_started_again_and_runs_the_queued_job(worker_env, tmp_path):
    heartbeat = tmp_path / "var" / "worker-heartbeat.json"
    said: list[str] = []
    supervisor = Supervisor(
        [sys.executable, "-m", "reciprocite.cli", "worker"],
        env=worker_env,
        min_delay=0.2,
        max_delay=1,
        log=said.append,
    ).start()
    try:
        assert supervisor.wait_for_start(1, timeout=WAIT)
        first = supervisor.process
        assert wait_until(lambda: read_heartbeat(heartbeat) is not None), "no heartbeat"

        os.kill(first.pid, signal.SIGKILL)
        assert supervisor.wait_for_start(2, timeout=WAIT), "the worker was not started again"
        second = supervisor.process
        assert second.pid != first.pid
        assert first.poll() == -signal.SIGKILL
        assert len(said) == 1 and f"pid {first.pid}" in said[0], said

        job_id = database(worker_env, tmp_path, "enqueue")
        assert wait_until(
            lambda: database(worker_env, tmp_path, "status", job_id) != "queued False"
        ), "the job queued after the restart was never run"
        # the job's kind is unknown to the handlers: run, it fails with a message, finished
        assert database(worker_env, tmp_path, "status", job_id) == "failed True"
        assert second.poll() is None
        assert wait_until(lambda: json.loads(heartbeat.read_text())["pid"] == second.pid)
    finally:
        supervisor.stop()
    assert supervisor.process.poll() is not None
    assert supervisor.starts == 2  # stopping it does not start another


def test_a_worker_that_keeps_exiting_is_started_again_with_a_growing_delay(tmp_path):
    said: list[str] = []
    supervisor = Supervisor(
        [sys.executable, "-c", "raise SystemExit(3)"],
        min_delay=0.05,
        max_delay=0.2,
        log=said.append,
    ).start()
    try:
        assert supervisor.wait_for_start(4, timeout=WAIT)
    finally:
        supervisor.stop()
    assert all("exit code 3" in line for line in said), said
    delays = [line.rsplit("in ", 1)[1] for line in said[:3]]
    assert delays[:3] == ["0.05 s", "0.1 s", "0.2 s"], said


# --- /healthz ---------------------------------------------------------------------------------


@pytest.fixture
def database_backend(settings, tmp_path):
    settings.TASK_BACKEND = "database"
    settings.RECIPROCITE_WORKER_HEARTBEAT_FILE = tmp_path / "worker-heartbeat.json"
    settings.RECIPROCITE_WORKER_STALE_SECONDS = 30
    settings.RECIPROCITE_JOB_WAIT_WARNING_SECONDS = 120
    return settings


@pytest.mark.django_db
def test_healthz_with_the_immediate_backend_needs_no_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": {"needed": False, "alive": None, "last_seen": None},
        "waiting_jobs_over_threshold": 0,
    }


@pytest.mark.django_db
def test_healthz_ok_while_the_heartbeat_is_fresh(client, database_backend):
    write_heartbeat(database_backend.RECIPROCITE_WORKER_HEARTBEAT_FILE)
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["worker"]["alive"] is True and body["worker"]["last_seen"]


@pytest.mark.django_db
def test_healthz_degraded_when_the_heartbeat_is_stale_or_missing(client, database_backend):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"needed": True, "alive": False, "last_seen": None}
    write_heartbeat(database_backend.RECIPROCITE_WORKER_HEARTBEAT_FILE, at=time.time() - 31)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["alive"] is False and body["worker"]["last_seen"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_degraded_by_jobs_waiting_too_long(client, database_backend, world):
    write_heartbeat(database_backend.RECIPROCITE_WORKER_HEARTBEAT_FILE)
    old = timezone.now() - timedelta(seconds=121)
    Job.objects.create(kind="x", owner=world.analyst, title="old", created_at=old)
    Job.objects.create(kind="x", owner=world.analyst, title="new")
    Job.objects.create(
        kind="x", owner=world.analyst, title="done", created_at=old, status=Job.Status.DONE
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["waiting_jobs_over_threshold"] == 1


# --- the jobs pages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_jobs_pages_warn_when_jobs_wait_too_long(client, database_backend, world):
    client.force_login(world.analyst)
    job = Job.objects.create(kind="x", owner=world.analyst, title="recent export")
    for url in ("/jobs/", f"/jobs/{job.pk}/"):
        assert 'role="alert"' not in client.get(url).content.decode(), url
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=300))
    for url in ("/jobs/", f"/jobs/{job.pk}/"):
        html = client.get(url).content.decode()
        assert "/healthz" in html and 'role="alert"' in html, url
        assert "tâches de fond est peut-être arrêté" in html, url


@pytest.mark.django_db
def test_the_warning_counts_only_the_jobs_one_may_see(client, database_backend, world):
    old = timezone.now() - timedelta(seconds=300)
    Job.objects.create(kind="x", owner=world.herouville_editor, title="theirs", created_at=old)
    client.force_login(world.analyst)
    assert 'role="alert"' not in client.get("/jobs/").content.decode()


# --- a job left "running" by a worker that died -------------------------------------------------


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


@pytest.mark.django_db
def test_jobs_left_running_by_a_dead_worker_of_this_host_are_failed(world):
    from reciprocite.core.jobs import jobs_interrupted_fail, worker_identity

    owner = world.analyst

    def job(title: str, worker: str, status=Job.Status.RUNNING, language="fr") -> Job:
        return Job.objects.create(
            kind="test.unknown",
            owner=owner,
            title=title,
            status=status,
            worker=worker,
            started_at=timezone.now(),
            language=language,
        )

    dead = job("dead worker", worker_identity(_dead_pid()))
    dead_en = job("dead worker, English", worker_identity(_dead_pid()), language="en")
    alive = job("live worker", worker_identity())  # this process: alive
    elsewhere = job("another host", f"some-other-host-{os.getpid()}:1")
    finished = job("already done", worker_identity(_dead_pid()), status=Job.Status.DONE)

    assert jobs_interrupted_fail() == 2
    for row in (dead, dead_en, alive, elsewhere, finished):
        row.refresh_from_db()
    assert dead.status == dead_en.status == Job.Status.FAILED
    assert dead.finished_at is not None
    assert "interrompu" in dead.error  # in the language the job was started in
    assert "interrupted" in dead_en.error
    assert alive.status == elsewhere.status == Job.Status.RUNNING
    assert finished.status == Job.Status.DONE and not finished.error
    assert jobs_interrupted_fail() == 0  # nothing twice


def test_a_worker_started_after_a_crash_fails_the_job_it_left_running(worker_env, tmp_path):
    """A real worker process runs a job and is SIGKILLed in the middle; the worker started
    next (``reciprocite worker --batch``) marks the job failed instead of "running" forever."""
    script = tmp_path / "slow.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            from reciprocite.cli import migrate_quietly, setup_django
            setup_django()
            migrate_quietly()
            from reciprocite.accounts.models import User
            from reciprocite.core import jobs
            from reciprocite.core.models import Job

            @jobs.job_handler("test.slow")
            def slow(job, progress):
                print("started", flush=True)
                time.sleep(600)

            owner, _ = User.objects.get_or_create(username="worker-test")
            job = Job.objects.create(kind="test.slow", owner=owner, title="slow")
            print(job.pk, flush=True)
            jobs.execute(job)
            """
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, str(script)], env=worker_env, stdout=subprocess.PIPE, text=True
    )
    try:
        job_id = process.stdout.readline().strip()
        assert process.stdout.readline().strip() == "started"
        assert database(worker_env, tmp_path, "status", job_id) == "running False"
    finally:
        process.kill()
        process.wait(timeout=WAIT)

    done = subprocess.run(
        [sys.executable, "-m", "reciprocite.cli", "worker", "--batch"],
        env=worker_env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 job(s) left running by a stopped worker" in done.stderr + done.stdout
    assert database(worker_env, tmp_path, "status", job_id) == "failed True"


@pytest.mark.django_db
def test_livez_reads_nothing_even_when_the_worker_is_down(
    client, database_backend, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert client.get("/healthz").status_code == 503  # while the readiness probe says degraded
