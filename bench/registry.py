"""Registry benchmark: list+facets page and API list on 10k territories and 100k projects.

Generates the data in a throwaway database (SQLite file by default; PostgreSQL when
BENCH_DATABASE_URL names one — it is dropped and re-created), serves the project with
gunicorn on a loopback port, and times requests through the real HTTP stack: p50/p95 over
REQUESTS requests per endpoint, beside a bare Django view (/livez) measured in the same run.

    .venv/bin/python bench/registry.py [--requests 200] [--territories 10000] [--projects 100000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54329/reciprocite_bench .venv/bin/python bench/registry.py

Targets (issue #2): p95 ≤ 50 ms and ≤ 3× the bare view, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# Filters the pages and the API receive, rotated so that no single query plan is measured.
PARTNERSHIP_FILTER_SETS = [
    "",
    "zone=Western+Africa",
    "country=SN",
    "theme=handicap",
    "status=active",
    "budget_band=50k-200k",
    "authority_kind=departement",
    "year_from=2000&year_to=2009",
    "zone=Maghreb&theme=petite_enfance",
    "kind=twinning&status=ended",
    "page=7",
    "q=0042",
]
FILTER_SETS = [
    "",
    "zone=Western+Africa",
    "country=SN",
    "theme=handicap",
    "status=ongoing",
    "budget_band=10k-50k",
    "authority_kind=departement",
    "year_from=2000&year_to=2009",
    "zone=Maghreb&theme=petite_enfance",
    "kind=twinning&status=completed",
    "page=7",
    "q=centre",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(env: dict) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(VENV_BIN / "python"), "-m", "django", "migrate", "-v0"], env=env, check=True
    )


GENERATE = r"""
import random, sys
from datetime import date
from decimal import Decimal
import django
django.setup()
from django.db import transaction
from reciprocite.territories.models import Territory
from reciprocite.registry.models import Partnership, PartnershipParty, Project, Theme
from reciprocite.territories import geography

n_territories, n_projects = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(20261127)
partner_countries = ["SN", "ML", "BF", "BJ", "NE", "MA", "TN", "DZ", "MR", "RU", "UA", "RO",
                     "MD", "PL", "HT", "VN", "LB", "MG", "CM", "HU", "DE", "IT", "ES", "GB"]
french_kinds = ["commune"] * 6 + ["departement", "region", "intercommunalite"]
partner_kinds = ["commune", "municipality", "province", "prefecture", "oblast", "rural_commune"]
themes = list(Theme.objects.values_list("code", flat=True))
with transaction.atomic():
    n_french = n_territories // 5
    territories = []
    for i in range(n_territories):
        french = i < n_french
        territories.append(Territory(
            name=f"{'Commune' if french else 'Ville'} {i:05d}",
            kind=rng.choice(french_kinds if french else partner_kinds),
            country="FR" if french else rng.choice(partner_countries),
            latitude=Decimal(rng.randint(-40000, 60000)) / 1000,
            longitude=Decimal(rng.randint(-20000, 60000)) / 1000,
            population=rng.randint(500, 500000),
        ))
    Territory.objects.bulk_create(territories, batch_size=2000)
    ids = list(Territory.objects.order_by("pk").values_list("pk", flat=True))
    french_ids, partner_ids = ids[:n_french], ids[n_french:]
    n_partnerships = max(1, n_projects // 20)
    partnerships = [
        Partnership(
            title=f"Coopération {i:05d}",
            kind=rng.choice(["cooperation", "cooperation", "twinning", "one_off"]),
            status=rng.choice(["active", "active", "planned", "suspended", "ended"]),
            start_date=date(rng.randint(1975, 2024), rng.randint(1, 12), 1),
            is_published=rng.random() > 0.05,
        )
        for i in range(n_partnerships)
    ]
    Partnership.objects.bulk_create(partnerships, batch_size=2000)
    pids = list(Partnership.objects.order_by("pk").values_list("pk", flat=True))
    parties = []
    for pid in pids:
        parties.append(PartnershipParty(partnership_id=pid, territory_id=rng.choice(french_ids), side="french"))
        parties.append(PartnershipParty(partnership_id=pid, territory_id=rng.choice(partner_ids), side="partner"))
    PartnershipParty.objects.bulk_create(parties, batch_size=5000, ignore_conflicts=True)
    words = ["centre", "insertion", "petite enfance", "handicap", "femmes", "jeunesse", "santé",
             "accès aux droits", "formation", "logement", "plateforme", "binôme"]
    projects = []
    for i in range(n_projects):
        year = rng.randint(1980, 2025)
        projects.append(Project(
            partnership_id=pids[i % len(pids)],
            title=f"Projet {i:06d} {rng.choice(words)}",
            summary=f"Action {rng.choice(words)} et {rng.choice(words)}",
            status=rng.choice(["planned", "ongoing", "ongoing", "completed", "delayed", "cancelled"]),
            start_date=date(year, rng.randint(1, 12), 1),
            budget_amount=Decimal(rng.choice([2, 5, 8, 12, 20, 35, 60, 90, 150, 400, 1200])) * 1000,
            budget_currency=rng.choice(["EUR"] * 8 + ["XOF", "MAD"]),
        ))
    Project.objects.bulk_create(projects, batch_size=5000)
    project_ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    Through = Project.themes.through
    links = []
    for pk in project_ids:
        for code in rng.sample(themes, rng.randint(1, 3)):
            links.append(Through(project_id=pk, theme_id=code))
    Through.objects.bulk_create(links, batch_size=10000)
print(Territory.objects.count(), Partnership.objects.count(), Project.objects.count(), Through.objects.count())
"""


def generate(env: dict, territories: int, projects: int) -> str:
    out = subprocess.run(
        [str(VENV_BIN / "python"), "-c", GENERATE, str(territories), str(projects)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    if "sqlite" in env["DATABASE_URL"]:
        subprocess.run(
            [
                str(VENV_BIN / "python"),
                "-c",
                "import django;django.setup();from django.db import connection;connection.cursor().execute('ANALYZE')",
            ],
            env=env,
            check=True,
        )
    else:
        subprocess.run(
            [
                str(VENV_BIN / "python"),
                "-c",
                "import django;django.setup();from django.db import connection;connection.cursor().execute('ANALYZE')",
            ],
            env=env,
            check=True,
        )
    return out.stdout.strip()


BENCH_SETTINGS = """
from reciprocite.config.settings import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
"""

# The baseline: a bare Django view over the same table — one page of 20 projects and the
# total count, through the ORM, rendered as JSON; no filters, no facets, no template.
BENCH_URLS = """
from django.http import JsonResponse
from django.urls import path
from reciprocite.config.urls import urlpatterns as project_urlpatterns
from reciprocite.registry.models import Project


def bare(request):
    page = int(request.GET.get("page", 1))
    qs = Project.objects.order_by("title", "id")
    rows = list(qs.values("id", "title", "status")[(page - 1) * 20 : page * 20])
    return JsonResponse({"count": qs.count(), "results": rows})


urlpatterns = [path("bench/bare", bare)] + project_urlpatterns
"""


def serve(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "reciprocite.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/livez")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def _get(conn, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Language": "fr"})
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - start) * 1000, response.status


def measure(port: int, paths: list[str], n: int) -> dict:
    """One cold pass (the first request of each distinct URL after the data was written:
    facet and count caches empty), then ``n`` requests rotating over the same URLs."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    statuses = set()
    cold = []
    for path in paths:
        elapsed, status = _get(conn, path)
        cold.append(elapsed)
        statuses.add(status)
    timings = []
    for i in range(n):
        elapsed, status = _get(conn, paths[i % len(paths)])
        timings.append(elapsed)
        statuses.add(status)
    timings.sort()
    return {
        "n": len(timings),
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
        "cold_median": statistics.median(cold),
        "cold_max": max(cold),
        "statuses": sorted(statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--territories", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=100_000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="reciprocite-bench-"))
    (tmp / "bench_settings.py").write_text(BENCH_SETTINGS)
    (tmp / "bench_urls.py").write_text(BENCH_URLS)
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(tmp), env.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="bench_settings",
        RECIPROCITE_DATA_DIR=str(tmp),
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}"),
        DEBUG="0",
    )
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(
        f"# Registry benchmark — {engine}, {args.territories} territories, {args.projects} projects"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    t0 = time.perf_counter()
    prepare_database(env)
    counts = generate(env, args.territories, args.projects)
    print(
        f"generated (territories, partnerships, projects, theme links): {counts} in {time.perf_counter() - t0:.1f} s"
    )

    port = free_port()
    server = serve(env, port)
    try:
        endpoints = {
            "bare view /livez (no database)": ["/livez"],
            "bare list view (baseline)": [f"/bench/bare?page={p}" for p in (1, 2, 7, 50)],
            "project list + facets page": [f"/projects/?{q}" for q in FILTER_SETS],
            "partnership list + facets page": [
                f"/partnerships/?{q}" for q in PARTNERSHIP_FILTER_SETS
            ],
            "API project list": [f"/api/v1/projects?{q}" for q in FILTER_SETS],
            "API partnership list": [f"/api/v1/partnerships?{q}" for q in PARTNERSHIP_FILTER_SETS],
        }
        results = {name: measure(port, paths, args.requests) for name, paths in endpoints.items()}
    finally:
        server.terminate()
        server.wait(timeout=20)
    base = results["bare list view (baseline)"]
    print()
    print(
        "| endpoint | requests | p50 ms | p95 ms | p95 / bare list | cold median ms | cold max ms | statuses |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        ratio = r["p95"] / base["p95"] if base["p95"] else float("nan")
        print(
            f"| {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {ratio:.1f}× "
            f"| {r['cold_median']:.1f} | {r['cold_max']:.1f} | {r['statuses']} |"
        )


if __name__ == "__main__":
    main()
