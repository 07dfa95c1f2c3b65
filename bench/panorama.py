"""Panorama benchmark: the PDF report on the demo data plus the study's dev answers, and the
panorama page's server time with 100k projects, beside a bare Django view in the same run.

(a) Report: in a throwaway database (SQLite file by default; PostgreSQL when
    BENCH_DATABASE_URL names one — it is dropped and re-created) the demo is loaded and
    ../shared/data/study-dev/ imported (both questionnaires, through the same services as
    ``reciprocite survey import``); then ``panorama.report.rendering.render_report`` in French and in
    English, each RUNS times in a fresh process: the first run with empty caches (figures,
    analyses), the others warm. What ``reciprocite report panorama`` and the background job
    spend, minus the file write.
(b) Page: bench/registry.py's generator (10k territories, 100k projects, seeded) in a second
    throwaway database, plus the dev answers; gunicorn (2 workers) on 127.0.0.1; REQUESTS GETs
    of /panorama/ rotating over filter sets (p50/p95), the first request of each URL (cold:
    the figures computed, then cached) apart; the same for /livez and for bench/registry.py's
    bare list view, the baselines.

    .venv/bin/python bench/panorama.py [--requests 200] [--projects 100000] [--runs 3] [--skip-report]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54329/reciprocite_bench .venv/bin/python bench/panorama.py

Targets (issue #5): the full report ≤ 10 s; the panorama page ≤ 200 ms server time with
100k projects.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import registry as registry_bench  # noqa: E402  (bench/registry.py: generator, server, timing)

ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
STUDY = ROOT.parent / "shared" / "data" / "study-dev"

FILTER_SETS = [
    "",
    "zone=Western+Africa",
    "country=SN",
    "theme=handicap",
    "kind=departement",
    "year_from=2000&year_to=2009",
    "zone=Maghreb&theme=petite_enfance",
    "country=RU&kind=commune",
]

IMPORT_STUDY = r"""
import sys
from pathlib import Path
import django
django.setup()
from reciprocite.surveys.services.imports import submissions_import
from reciprocite.surveys.services.questionnaires import questionnaire_load
import reciprocite.surveys.xlsforms as forms

directory = Path(sys.argv[1])
shipped = Path(forms.__file__).parent
for form_id in ("perception", "cooperations"):
    path = shipped / f"{form_id}.xlsx"
    version = questionnaire_load(content=path.read_bytes(), filename=path.name)
    files = sorted(directory.glob(f"{form_id}*.csv"))
    report = submissions_import(
        questionnaire=version.questionnaire, files=[(f.name, f.read_bytes()) for f in files]
    )
    print(form_id, report.created)
"""

LOAD_DEMO = r"""
import django
django.setup()
from reciprocite.demo import load_demo
print(load_demo())
"""

RENDER = r"""
import json, sys, time
t0 = time.perf_counter()
import django
django.setup()
from reciprocite.panorama.report.rendering import render_report
setup = time.perf_counter() - t0
language, runs = sys.argv[1], int(sys.argv[2])
times, cpu, steps, size = [], [], [], 0
for i in range(runs):
    marks = []
    start, start_cpu = time.perf_counter(), time.process_time()
    pdf = render_report(
        language=language, progress=lambda d, t, m: marks.append(time.perf_counter() - start)
    )
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
    steps.append([round(b - a, 3) for a, b in zip(marks, marks[1:])])
    size = len(pdf)
import subprocess, tempfile
with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
    fh.write(pdf); fh.flush()
    try:
        info = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True).stdout
        pages = int([l for l in info.splitlines() if l.startswith("Pages:")][0].split()[1])
    except (OSError, IndexError):
        pages = None
print(json.dumps({"setup": setup, "times": times, "cpu": cpu, "steps": steps, "size": size, "pages": pages}))
"""


COMPUTE = r"""
import json, statistics, sys, time
from urllib.parse import parse_qsl
import django
django.setup()
from django.utils import translation
from reciprocite.panorama import services
from reciprocite.panorama.models import PartnershipFigure
from reciprocite.panorama.selectors import PanoramaFilters, compute_panorama
translation.activate("fr")
# the generator wrote its rows in bulk, past the services (nothing announced): the figures
# table is built once, as after any bulk load (manage.py derived_rebuild)
start = time.perf_counter()
services.figures_rebuild()
done = "rebuilt"
built = {"how": done, "seconds": time.perf_counter() - start,
         "rows": PartnershipFigure.objects.count()}
out = {}
for query in json.loads(sys.argv[1]):
    f = PanoramaFilters.parse(dict(parse_qsl(query)))
    table, sql = [], []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        compute_panorama(f)
        table.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        compute_panorama(f, figures=False)
        sql.append((time.perf_counter() - start) * 1000)
    out[query] = {"table": table, "sql": sql}
print(json.dumps({"built": built, "computed": out}))
"""

# After a change: a project's budget changed through the registry's services, then one GET
# of the page, timed; per URL of the rotation, with a new change before each. The writer's
# commit refreshes that partnership's figures (core.changes); the page then finds the table
# current but every cache stale.
CHANGE_THEN_GET = r"""
import http.client, json, random, sys, time
import django
django.setup()
from decimal import Decimal
from reciprocite.registry import services
from reciprocite.registry.models import Project

port, paths = int(sys.argv[1]), json.loads(sys.argv[2])
rng = random.Random(7)
ids = list(Project.objects.filter(deleted_at__isnull=True).values_list("pk", flat=True)[:5000])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
times, statuses = [], set()
for path in paths:
    project = Project.objects.get(pk=rng.choice(ids))
    amount = Decimal(rng.randrange(1_000, 2_000_000))
    services.project_update(project=project, budget_amount=amount, budget_currency="EUR")
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Language": "fr"})
    response = conn.getresponse()
    response.read()
    times.append((time.perf_counter() - start) * 1000)
    statuses.add(response.status)
print(json.dumps({"times": times, "statuses": sorted(statuses)}))
"""


def run(env: dict, code: str, *args: str) -> str:
    out = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def throwaway_env(tmp: Path, name: str) -> dict:
    env = dict(os.environ)
    (tmp / "bench_settings.py").write_text(registry_bench.BENCH_SETTINGS)
    (tmp / "bench_urls.py").write_text(registry_bench.BENCH_URLS)
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        url = url.rsplit("/", 1)[0] + f"/{url.rsplit('/', 1)[1]}_{name}"
    env.update(
        PYTHONPATH=os.pathsep.join([str(tmp), env.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="bench_settings",
        RECIPROCITE_DATA_DIR=str(tmp),
        RECIPROCITE_TASK_BACKEND="immediate",
        DATABASE_URL=url or f"sqlite:///{tmp / (name + '.sqlite3')}",
        DEBUG="0",
    )
    return env


def bench_report(runs: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="reciprocite-bench-report-"))
    env = throwaway_env(tmp, "report")
    t0 = time.perf_counter()
    registry_bench.prepare_database(env)
    run(env, LOAD_DEMO)
    imported = run(env, IMPORT_STUDY, str(STUDY))
    print(
        f"demo loaded, dev answers imported ({imported.replace(chr(10), ', ')}) "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    results = {}
    for language in ("fr", "en"):
        results[language] = json.loads(run(env, RENDER, language, str(runs)))
    return results


def bench_page(requests: int, territories: int, projects: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="reciprocite-bench-panorama-"))
    env = throwaway_env(tmp, "page")
    t0 = time.perf_counter()
    registry_bench.prepare_database(env)
    counts = registry_bench.generate(env, territories, projects)
    imported = run(env, IMPORT_STUDY, str(STUDY))
    print(
        f"generated (territories, partnerships, projects, theme links): {counts}, dev answers "
        f"({imported.replace(chr(10), ', ')}) in {time.perf_counter() - t0:.1f} s"
    )
    # the figures computed without any cache (what the first request after a change pays),
    # 3 times per filter set in one process: the survey's analysis is cached after the first
    computed = json.loads(run(env, COMPUTE, json.dumps(FILTER_SETS), "3"))
    print(
        f"figures table {computed['built']['how']}: {computed['built']['rows']} rows in "
        f"{computed['built']['seconds']:.1f} s"
    )
    port = registry_bench.free_port()
    server = registry_bench.serve(env, port)
    try:
        endpoints = {
            "bare view /livez (no database)": ["/livez"],
            "bare list view (baseline)": [f"/bench/bare?page={p}" for p in (1, 2, 7, 50)],
            "panorama page": [f"/panorama/?{q}" for q in FILTER_SETS],
            "panorama page, htmx partial": [f"/panorama/?{q}" for q in FILTER_SETS],
        }
        results = {}
        for name, paths in endpoints.items():
            if "htmx" in name:
                results[name] = measure_htmx(port, paths, requests)
            else:
                results[name] = registry_bench.measure(port, paths, requests)
        pages = [f"/panorama/?{q}" for q in FILTER_SETS]
        # three rounds over the eight filter sets, a change before each request
        results["after a change (services)"] = json.loads(
            run(env, CHANGE_THEN_GET, str(port), json.dumps(pages * 3))
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    results["computed"] = computed
    return results


def measure_htmx(port: int, paths: list[str], n: int) -> dict:
    """registry_bench.measure with the HX-Request header (the filters' partial update)."""
    import http.client
    import statistics

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(path: str) -> tuple[float, int]:
        start = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Language": "fr", "HX-Request": "true"})
        response = conn.getresponse()
        response.read()
        return (time.perf_counter() - start) * 1000, response.status

    statuses, cold, timings = set(), [], []
    for path in paths:
        elapsed, status = get(path)
        cold.append(elapsed)
        statuses.add(status)
    for i in range(n):
        elapsed, status = get(paths[i % len(paths)])
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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-page", action="store_true", help="Only the report.")
    parser.add_argument("--skip-report", action="store_true", help="Only the page.")
    args = parser.parse_args()
    if not STUDY.is_dir():
        raise SystemExit(
            f"{STUDY}: the study's dev answers are needed (../shared beside the checkout)"
        )

    engine = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    print(f"# Panorama benchmark — {engine}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.skip_report:
        print_report(args.runs)
    if args.skip_page:
        return
    print()
    print(f"## Panorama page: {args.territories} territories, {args.projects} projects")
    page = bench_page(args.requests, args.territories, args.projects)
    computed = page.pop("computed")["computed"]
    changed = {k: page.pop(k) for k in list(page) if k.startswith("after a change")}
    print()
    print(
        "compute_panorama without cache, ms (runs 1, 2, 3 — run 1 also analyses the survey): "
        "from the figures table, and from SQL aggregates over the projects (the baseline)"
    )
    print()
    print("| filters | figures table | SQL aggregates |")
    print("|---|---|---|")
    for query, times in computed.items():
        print(
            f"| {query or '(none)'} | "
            + ", ".join(f"{t:.0f}" for t in times["table"])
            + " | "
            + ", ".join(f"{t:.0f}" for t in times["sql"])
            + " |"
        )
    print()
    print("The page's first request after a change (one change before each request, ms):")
    print()
    print("| change | requests | median | p95 | max | statuses |")
    print("|---|---|---|---|---|---|")
    for name, r in changed.items():
        times = sorted(r["times"])
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"| {name} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} "
            f"| {max(times):.1f} | {r['statuses']} |"
        )
    base = page["bare list view (baseline)"]
    print()
    print(
        "| endpoint | requests | p50 ms | p95 ms | p95 / bare list | cold median ms | cold max ms | statuses |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, r in page.items():
        ratio = r["p95"] / base["p95"] if base["p95"] else float("nan")
        print(
            f"| {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {ratio:.1f}× "
            f"| {r['cold_median']:.1f} | {r['cold_max']:.1f} | {r['statuses']} |"
        )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def print_report(runs: int) -> None:
    print()
    print("## Report (PDF): demo data + study-dev answers")
    report = bench_report(runs)
    print()
    print(
        "| language | pages | size KB | first run s (empty caches) | warm runs s | CPU s per run | steps of the first run s (figures, maps, charts, surveys, sheets, PDF) |"
    )
    print("|---|---|---|---|---|---|---|")
    for language, r in report.items():
        warm = ", ".join(f"{t:.2f}" for t in r["times"][1:]) or "–"
        steps = ", ".join(f"{s:.2f}" for s in r["steps"][0])
        cpu = ", ".join(f"{t:.2f}" for t in r["cpu"])
        print(
            f"| {language} | {r['pages']} | {r['size'] // 1024} | {r['times'][0]:.2f} | {warm} "
            f"| {cpu} | {steps} |"
        )
    print(
        f"(Django set-up and imports in each process: {report['fr']['setup']:.2f} s, not counted)"
    )


if __name__ == "__main__":
    main()
