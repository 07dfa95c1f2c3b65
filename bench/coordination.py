"""Coordination benchmark: the framework page, a person's calendar feed and the actions API
with 2,000 frameworks, 60,000 meetings, 200,000 actions and 20,000 people, beside a bare
Django view in the same run; then the weekly digest for all of them.

In a throwaway database (SQLite file by default; PostgreSQL when BENCH_DATABASE_URL names
one — it is dropped and re-created) bench/registry.py's generator writes the territories
and partnerships the frameworks belong to (as many partnerships as half the frameworks),
then this script writes, in bulk and seeded (dates relative to today): people, framework
members (chair, secretary, members), meetings over three years (two past, one to come) with
their minutes, registrations, decisions, actions with milestones, and a secret calendar
feed per person. Nothing goes through the services (no history rows, no e-mail).

(a) Pages: gunicorn (2 workers) on 127.0.0.1; REQUESTS GETs per endpoint rotating over its
    URLs (p50/p95), the first request of each URL (cold) apart: the framework page
    (/coordination/frameworks/<id>/), a person's feed (/coordination/calendar/<token>.ics)
    and ``GET /api/v1/actions`` over filter sets; beside /livez and the bare view (one page
    of 20 actions by due date and the total count, through the ORM, as JSON). The number of
    SQL queries of each URL (Django's test client, in another process) is printed too: it
    must not grow with the data (no N+1).
(b) Digest: ``mail.digests`` for this week, then ``mail.digest_send`` with ``dry_run`` (what
    ``reciprocite coordination digest --dry-run`` does) and for real through the locmem
    e-mail backend (the messages built, nothing sent on a network), with their query counts.

    .venv/bin/python bench/coordination.py [--requests 200] [--frameworks 2000]
        [--meetings 60000] [--actions 200000] [--people 20000] [--skip-digest]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54329/reciprocite_bench .venv/bin/python bench/coordination.py

Targets (issue #12): the three endpoints at p95 ≤ 50 ms and ≤ 3× the bare view; the weekly
digest for 20,000 people in ≤ 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import registry as registry_bench  # noqa: E402  (bench/registry.py: generator, server, timing)

VENV_BIN = Path(sys.executable).parent

BENCH_SETTINGS = """
from reciprocite.config.settings import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
"""

# The baseline: a bare Django view over the actions table — one page of 20 actions by due
# date and the total count, through the ORM, as JSON; no visibility, no owners, no template.
BENCH_URLS = """
from django.http import JsonResponse
from django.urls import path
from reciprocite.config.urls import urlpatterns as project_urlpatterns
from reciprocite.coordination.models import Action


def bare(request):
    page = int(request.GET.get("page", 1))
    qs = Action.objects.order_by("due_on", "id")
    rows = list(qs.values("id", "title", "status", "due_on")[(page - 1) * 20 : page * 20])
    return JsonResponse({"count": qs.count(), "results": rows})


urlpatterns = [path("bench/bare", bare)] + project_urlpatterns
"""

GENERATE = r"""
import hashlib, json, random, sys
from datetime import UTC, date, datetime, timedelta
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from reciprocite.registry.models import Partnership, Theme
from reciprocite.coordination.models import (
    Action, CalendarFeed, Decision, Framework, FrameworkMember, Meeting, Milestone, Minutes,
    Registration,
)

n_frameworks, n_meetings, n_actions, n_people = (int(a) for a in sys.argv[1:5])
rng = random.Random(20261208)
User = get_user_model()
today = date.today()
now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
zones = ["Africa/Dakar", "Africa/Casablanca", "Europe/Paris", "Europe/Moscow", "Africa/Bamako",
         "Europe/Bucharest", "America/Port-au-Prince", "Asia/Ho_Chi_Minh"]
themes = list(Theme.objects.values_list("code", flat=True))
partnerships = list(Partnership.objects.order_by("pk").values_list("pk", "is_published"))
words = ["santé", "action sociale", "jeunesse", "handicap", "petite enfance", "formation",
         "insertion", "accès aux droits", "logement", "femmes"]
BATCH = 5000
with transaction.atomic():
    User.objects.bulk_create(
        [
            User(username=f"person{i:05d}", email=f"person{i:05d}@example.org", password="!",
                 first_name="Personne", last_name=f"{i:05d}",
                 preferred_language=rng.choice(["", "", "fr", "en", "ar", "ru"]))
            for i in range(n_people)
        ],
        batch_size=BATCH,
    )
    people = list(User.objects.filter(username__startswith="person").order_by("username")
                  .values_list("pk", flat=True))
    Framework.objects.bulk_create(
        [
            Framework(
                partnership_id=partnerships[i % len(partnerships)][0],
                title=f"Cadre de concertation {i:04d} {rng.choice(words)}",
                theme_id=rng.choice(themes),
                time_zone=rng.choice(zones),
                language=rng.choice(["fr", "fr", "ar", "ru"]),
                minutes_visibility=rng.choice(["members", "public"]),
            )
            for i in range(n_frameworks)
        ],
        batch_size=BATCH,
    )
    frameworks = list(Framework.objects.order_by("pk").values_list("pk", "partnership_id"))
    # each person belongs to one framework, plus 5 extra members per framework
    members = []
    for i, pk in enumerate(people):
        fid = frameworks[i % len(frameworks)][0]
        members.append((fid, pk))
    for fid, _pid in frameworks:
        for pk in rng.sample(people, min(5, len(people))):
            members.append((fid, pk))
    members = sorted(set(members))
    rows = []
    for n, (fid, pk) in enumerate(members):
        # sorted by framework: its first member chairs it, the second is its secretary
        first = n == 0 or members[n - 1][0] != fid
        second = not first and (n == 1 or members[n - 2][0] != fid)
        position = "chair" if first else "secretary" if second else (
            "observer" if rng.random() < 0.1 else "member")
        left = today - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.05 else None
        rows.append(FrameworkMember(
            framework_id=fid, user_id=pk, side=rng.choice(["french", "partner"]),
            position=position, joined_on=today - timedelta(days=rng.randint(400, 1500)),
            left_on=left,
        ))
    FrameworkMember.objects.bulk_create(rows, batch_size=BATCH)
    member_ids = {}
    for mid, fid in FrameworkMember.objects.values_list("pk", "framework_id"):
        member_ids.setdefault(fid, []).append(mid)
    # meetings: spread evenly over the frameworks, from two years ago to one year ahead
    span = 3 * 365 * 24
    rows = []
    for i in range(n_meetings):
        fid = frameworks[i % len(frameworks)][0]
        start = now - timedelta(hours=2 * 365 * 24 - rng.randint(0, span))
        past = start < now
        status = (rng.choice(["held", "closed", "closed", "cancelled"]) if past
                  else rng.choice(["scheduled"] * 8 + ["moved", "cancelled"]))
        rows.append(Meeting(
            framework_id=fid, title=f"Réunion {i:05d}", starts_at=start,
            ends_at=start + timedelta(hours=rng.choice([1, 2, 3])),
            time_zone=rng.choice(zones), place=f"Salle {rng.randint(1, 40)}",
            capacity=rng.choice([None, 20, 40]), status=status, uid=f"bench-{i}@reciprocite",
            sequence=1 if status in ("moved", "cancelled") else 0,
        ))
    Meeting.objects.bulk_create(rows, batch_size=BATCH)
    meetings = list(Meeting.objects.order_by("pk").values_list("pk", "framework_id", "ends_at", "status"))
    minutes, registrations, past_by_framework = [], [], {}
    for pk, fid, ends, status in meetings:
        if ends < now and status != "cancelled":
            past_by_framework.setdefault(fid, []).append(pk)
            if rng.random() < 0.85:
                state = rng.choice(["draft", "approved", "published", "published", "published"])
                published = ends + timedelta(days=rng.randint(3, 14)) if state == "published" else None
                minutes.append(Minutes(meeting_id=pk, body=f"<p>Compte rendu {pk}</p>",
                                       status=state, published_at=published))
        elif ends >= now:
            for user in rng.sample(people, min(3, len(people))):
                registrations.append(Registration(meeting_id=pk, user_id=user,
                                                  status=rng.choice(["confirmed"] * 4 + ["waiting"])))
    Minutes.objects.bulk_create(minutes, batch_size=BATCH)
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    # decisions: ten per framework, of its past meetings
    rows = []
    for fid, _pid in frameworks:
        past = past_by_framework.get(fid, [])
        for n in range(1, 11):
            rows.append(Decision(framework_id=fid, number=n, title=f"Décision {n}",
                                 meeting_id=rng.choice(past) if past else None,
                                 decided_on=today - timedelta(days=rng.randint(10, 700))))
    Decision.objects.bulk_create(rows, batch_size=BATCH)
    decisions = {}
    for pk, fid in Decision.objects.values_list("pk", "framework_id"):
        decisions.setdefault(fid, []).append(pk)
    rows = []
    for i in range(n_actions):
        fid = frameworks[i % len(frameworks)][0]
        status = rng.choice(["planned", "in_progress", "in_progress", "done", "done", "done", "dropped"])
        owned_by_member = rng.random() < 0.5 and member_ids.get(fid)
        rows.append(Action(
            framework_id=fid, title=f"Action {i:06d} {rng.choice(words)}",
            decision_id=rng.choice(decisions[fid]) if rng.random() < 0.6 else None,
            owner_member_id=rng.choice(member_ids[fid]) if owned_by_member else None,
            owner_user_id=None if owned_by_member else rng.choice(people),
            due_on=today + timedelta(days=rng.randint(-730, 365)),
            status=status, progress=100 if status == "done" else rng.randint(0, 90),
            blocked=rng.random() < 0.05,
        ))
    Action.objects.bulk_create(rows, batch_size=BATCH)
    action_ids = list(Action.objects.order_by("pk").values_list("pk", flat=True))
    Milestone.objects.bulk_create(
        [Milestone(action_id=pk, title="Étape", due_on=today + timedelta(days=rng.randint(-700, 300)))
         for pk in action_ids[::5]],
        batch_size=BATCH,
    )
    CalendarFeed.objects.bulk_create(
        [CalendarFeed(user_id=pk, digest=hashlib.sha256(f"bench-token-{pk}".encode()).hexdigest())
         for pk in people],
        batch_size=BATCH,
    )

# what the measured URLs rotate over: frameworks of published partnerships, people's tokens
published = {pk for pk, is_published in partnerships if is_published}
visible = [fid for fid, pid in frameworks if pid in published]
counts = {
    "frameworks": Framework.objects.count(), "members": FrameworkMember.objects.count(),
    "meetings": Meeting.objects.count(), "minutes": Minutes.objects.count(),
    "registrations": Registration.objects.count(), "decisions": Decision.objects.count(),
    "actions": Action.objects.count(), "milestones": Milestone.objects.count(),
    "people": len(people),
}
print(json.dumps({
    "counts": counts,
    "frameworks": rng.sample(visible, min(12, len(visible))),
    "tokens": [f"bench-token-{pk}" for pk in rng.sample(people, min(12, len(people)))],
    "owners": [f"person{i:05d}" for i in rng.sample(range(n_people), min(2, n_people))],
}))
"""

# SQL queries per URL through Django's test client (no N+1: the count stays flat).
QUERIES = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
out = {}
for name, paths in json.loads(sys.argv[1]).items():
    counts = []
    for path in paths:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, (path, response.status_code)
        counts.append(len(ctx.captured_queries))
    out[name] = counts
print(json.dumps(out))
"""

DIGEST = r"""
import json, time
from datetime import timedelta
import django
django.setup()
from django.core import mail as outbox
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reciprocite.coordination import mail
today = timezone.localdate()
week = today - timedelta(days=today.weekday())
out = {}
for name, call in [
    ("digests (selection only)", lambda: mail.digests(week_start=week)),
    ("digest_send --dry-run", lambda: mail.digest_send(week_start=week, dry_run=True)),
    ("digest_send (locmem backend)", lambda: mail.digest_send(week_start=week)),
]:
    outbox.outbox = []
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - start
    people = len(result) if isinstance(result, dict) else result.people
    out[name] = {"seconds": seconds, "queries": len(ctx.captured_queries), "people": people,
                 "sent": len(getattr(outbox, "outbox", []))}
print(json.dumps({"week": week.isoformat(), "runs": out}))
"""


def run(env: dict, code: str, *args: str) -> str:
    out = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def throwaway_env(tmp: Path) -> dict:
    (tmp / "bench_settings.py").write_text(BENCH_SETTINGS)
    (tmp / "bench_urls.py").write_text(BENCH_URLS)
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(tmp), env.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="bench_settings",
        RECIPROCITE_DATA_DIR=str(tmp),
        RECIPROCITE_TASK_BACKEND="immediate",
        DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{tmp / 'coordination.sqlite3'}"
        ),
        DEBUG="0",
    )
    return env


def generate(env: dict, args: argparse.Namespace) -> dict:
    """The registry's territories and partnerships, then the coordination rows, ANALYZEd."""
    partnerships = max(1, args.frameworks // 2)
    registry = registry_bench.generate(env, max(10, args.frameworks), partnerships * 20)
    sizes = (args.frameworks, args.meetings, args.actions, args.people)
    data = json.loads(run(env, GENERATE, *(str(n) for n in sizes)))
    run(
        env,
        "import django;django.setup();from django.db import connection;"
        "connection.cursor().execute('ANALYZE');print('analyzed')",
    )
    data["registry"] = registry
    return data


def endpoints(data: dict) -> dict[str, list[str]]:
    framework = data["frameworks"][0]
    owner = data["owners"][0]
    return {
        "bare view /livez (no database)": ["/livez"],
        "bare list view (baseline)": [f"/bench/bare?page={p}" for p in (1, 2, 7, 50)],
        "framework page": [f"/coordination/frameworks/{pk}/" for pk in data["frameworks"]],
        "person's calendar feed": [f"/coordination/calendar/{t}.ics" for t in data["tokens"]],
        "API action list": [
            f"/api/v1/actions?{q}"
            for q in (
                "",
                f"framework={framework}",
                "status=in_progress",
                "overdue=1",
                "overdue=0&status=planned",
                f"owner={owner}",
                "page=7",
                "page_size=100",
                f"framework={data['frameworks'][1]}&overdue=1",
                "status=done&page=3",
            )
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--frameworks", type=int, default=2_000)
    parser.add_argument("--meetings", type=int, default=60_000)
    parser.add_argument("--actions", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--skip-digest", action="store_true", help="Only the pages.")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="reciprocite-bench-coordination-"))
    env = throwaway_env(tmp)
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(
        f"# Coordination benchmark — {engine}, {args.frameworks} frameworks, "
        f"{args.meetings} meetings, {args.actions} actions, {args.people} people"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    t0 = time.perf_counter()
    registry_bench.prepare_database(env)
    data = generate(env, args)
    print(
        f"generated: registry (territories, partnerships, projects, theme links) "
        f"{data['registry']}; {data['counts']} in {time.perf_counter() - t0:.1f} s"
    )

    urls = endpoints(data)
    port = registry_bench.free_port()
    server = registry_bench.serve(env, port)
    try:
        results = {
            name: registry_bench.measure(port, paths, args.requests) for name, paths in urls.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=20)
    # after the timed requests, so that their cold pass is the first request of each URL
    queries = json.loads(run(env, QUERIES, json.dumps(urls)))
    base = results["bare list view (baseline)"]
    print()
    print(
        "| endpoint | requests | p50 ms | p95 ms | p95 / bare list | cold median ms "
        "| cold max ms | SQL queries per request | statuses |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        ratio = r["p95"] / base["p95"] if base["p95"] else float("nan")
        counts = queries[name]
        spread = f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"
        print(
            f"| {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {ratio:.1f}× "
            f"| {r['cold_median']:.1f} | {r['cold_max']:.1f} | {spread} | {r['statuses']} |"
        )

    if not args.skip_digest:
        digest = json.loads(run(env, DIGEST))
        print()
        print(f"Weekly digest, week of {digest['week']} ({args.people} people in the database):")
        print()
        print("| run | seconds | SQL queries | people with a digest | e-mails built |")
        print("|---|---|---|---|---|")
        for name, r in digest["runs"].items():
            print(f"| {name} | {r['seconds']:.1f} | {r['queries']} | {r['people']} | {r['sent']} |")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
