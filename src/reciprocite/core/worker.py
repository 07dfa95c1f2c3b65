"""The background-job worker's supervision and heartbeat, and the health it gives /healthz.

- ``Supervisor`` (what ``reciprocite serve`` runs beside gunicorn): starts the worker process
  and starts it again, with a growing delay, whenever it exits — a crash, an out-of-memory
  kill, a SIGKILL — logging each restart. The delay goes back to its minimum once a worker
  has lived long enough.
- ``Heartbeat`` (what ``reciprocite worker`` runs in a thread): rewrites a small JSON file,
  settings.RECIPROCITE_WORKER_HEARTBEAT_FILE in the data directory, every
  RECIPROCITE_WORKER_HEARTBEAT_SECONDS. A file rather than a row: every gunicorn process
  reads it without a query, on SQLite as on PostgreSQL, and it needs no migration.
- ``health()``: the database, the worker (alive when its heartbeat is younger than
  RECIPROCITE_WORKER_STALE_SECONDS; "not needed" with the immediate backend) and the jobs
  waiting longer than RECIPROCITE_JOB_WAIT_WARNING_SECONDS.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

logger = logging.getLogger(__name__)


# --- heartbeat --------------------------------------------------------------------------------


def heartbeat_path() -> Path:
    from django.conf import settings

    return Path(settings.RECIPROCITE_WORKER_HEARTBEAT_FILE)


def write_heartbeat(path: Path | None = None, *, at: float | None = None) -> None:
    """Replace the heartbeat file at once (a reader never sees half of it)."""
    path = path or heartbeat_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"pid": os.getpid(), "at": time.time() if at is None else at}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, path)


def read_heartbeat(path: Path | None = None) -> float | None:
    """The time (epoch seconds) of the last heartbeat, or None (no worker ever, or unreadable)."""
    try:
        record = json.loads((path or heartbeat_path()).read_text(encoding="utf-8"))
        return float(record["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class Heartbeat:
    """A daemon thread writing the heartbeat file every ``interval`` seconds."""

    def __init__(self, path: Path | None = None, interval: float | None = None) -> None:
        from django.conf import settings

        self.path = path or heartbeat_path()
        self.interval = interval or settings.RECIPROCITE_WORKER_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        write_heartbeat(self.path)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                write_heartbeat(self.path)
            except OSError:
                logger.exception("cannot write the worker heartbeat %s", self.path)


# --- supervision ------------------------------------------------------------------------------


class Supervisor:
    """Keep one worker process running: start it, and start it again when it exits."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        min_delay: float = 1.0,
        max_delay: float = 60.0,
        stable_after: float = 60.0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.command = list(command)
        self.env = env
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.log = log or logger.warning
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._started = threading.Condition(self._lock)
        self._thread = threading.Thread(target=self._run, name="worker-supervisor", daemon=True)

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def wait_for_start(self, count: int, timeout: float) -> bool:
        """True once the worker has been started ``count`` times (tests, at most ``timeout`` s)."""
        with self._started:
            return self._started.wait_for(lambda: self.starts >= count, timeout=timeout)

    def _spawn(self) -> subprocess.Popen | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            self.process = subprocess.Popen(self.command, env=self.env)
            self.starts += 1
            self._started.notify_all()
            return self.process

    def _run(self) -> None:
        delay = self.min_delay
        while True:
            started = time.monotonic()
            process = self._spawn()
            if process is None:
                return
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= self.stable_after:
                delay = self.min_delay
            self.log(
                f"The background-job worker (pid {process.pid}) stopped (exit code {code}); "
                f"starting it again in {delay:g} s"
            )
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, self.max_delay)

    def stop(self, timeout: float = 15) -> None:
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)
        self._thread.join(timeout=timeout)


# --- health -----------------------------------------------------------------------------------


def waiting_jobs_over_threshold(queryset=None) -> int:
    """Jobs still queued longer than RECIPROCITE_JOB_WAIT_WARNING_SECONDS after they were
    started: with the database backend, a sign that no worker takes them."""
    from django.conf import settings
    from django.utils import timezone

    from .models import Job

    limit = timezone.now() - timedelta(seconds=settings.RECIPROCITE_JOB_WAIT_WARNING_SECONDS)
    queryset = Job.objects.all() if queryset is None else queryset
    return queryset.filter(status=Job.Status.QUEUED, created_at__lt=limit).count()


def worker_state(now: float | None = None) -> dict:
    from django.conf import settings

    if settings.TASK_BACKEND != "database":
        return {"needed": False, "alive": None, "last_seen": None}
    seen = read_heartbeat()
    now = time.time() if now is None else now
    alive = seen is not None and now - seen <= settings.RECIPROCITE_WORKER_STALE_SECONDS
    last_seen = datetime.fromtimestamp(seen, UTC).isoformat() if seen is not None else None
    return {"needed": True, "alive": alive, "last_seen": last_seen}


def health() -> dict:
    """What /healthz answers; ``status`` is "degraded" when the database does not answer,
    the worker is needed but silent, or jobs have waited too long."""
    from django.db import DatabaseError, connection

    database = "ok"
    waiting = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        waiting = waiting_jobs_over_threshold()
    except DatabaseError:
        database = "unavailable"
    worker = worker_state()
    degraded = database != "ok" or worker["alive"] is False or bool(waiting)
    return {
        "status": "degraded" if degraded else "ok",
        "database": database,
        "worker": worker,
        "waiting_jobs_over_threshold": waiting,
    }
