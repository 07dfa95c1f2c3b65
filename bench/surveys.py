"""Surveys benchmark: import and analysis of 100k ``cooperations`` submissions, beside pandas;
submissions per second through the HTTP API with 20 concurrent clients.

In a throwaway database (SQLite file by default; PostgreSQL when BENCH_DATABASE_URL names one
— it is dropped and re-created), in one run:

(a) 100,000 synthetic submissions (about 150,000 ``cooperation`` entries, seeded) written as
    a Kobo CSV export (main file + repeat file) and imported through
    ``surveys.services.imports.submissions_import`` (what ``reciprocite survey import`` does);
(b) ``surveys.analysis.analyse()`` over them: uncached (best and median of RUNS) and cached;
(c) the same figures computed with pandas from the same rows (read from the database, JSON
    decoded with orjson, one DataFrame for the submissions and one for the entries), timed
    the same way — and checked equal to analyse()'s document;
(d) POST /api/v1/surveys/cooperations/submissions from 20 threads (http.client, one
    keep-alive connection each) against gunicorn on 127.0.0.1: HTTP_COUNT new submissions
    plus HTTP_RESENDS re-sends of already-sent ones (same UUID, same content), then the
    rows counted: none lost, none duplicated.

    .venv/bin/python bench/surveys.py [--submissions 100000] [--http-count 2000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54329/reciprocite_bench .venv/bin/python bench/surveys.py

pandas is only needed here: ``pip install -e '.[bench]'``.
Targets (issue #3): analysis ≤ 2 s and no slower than pandas; ≥ 100 submissions/s through
the API, none lost, none duplicated.
"""

from __future__ import annotations

import argparse
import csv
import gc
import http.client
import io
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SEED = 20261127
RUNS = 3

COUNTRIES = (
    ["sn"] * 8
    + ["ma"] * 10
    + ["ml", "bf", "mr", "ci", "bj", "tn", "dz", "ne", "tg", "kh"] * 2
    + ["md", "ro", "pl", "hu", "ru", "ua", "lb", "ps", "vn", "ht", "mg", "cm", "gn"]
)
KINDS = ["commune"] * 6 + ["region"] * 2 + ["departement", "intercommunalite"]
THEMES = [
    "acces_droits", "politique_familiale", "protection_enfance", "petite_enfance", "handicap",
    "personnes_agees", "jeunesse", "droits_femmes", "insertion_emploi", "sante", "logement",
    "renforcement_capacites", "autre",
]  # fmt: skip
COFUNDING = [
    "etat_appel_projets",
    "union_europeenne",
    "fonds_propres",
    "autre_collectivite",
    "fondation",
    "autre",
]
SERVICES = [
    "relations_internationales",
    "action_sociale",
    "enfance_famille",
    "sante",
    "education",
    "insertion",
]
PARTNERS = [
    "associations",
    "ong",
    "etablissements_sante",
    "universites",
    "entreprises",
    "services_etat",
]
VALUES = [
    "besoins_essentiels", "partage_experiences", "enjeux_communs", "gouvernance_locale",
    "interculturel", "valoriser_expertise", "repenser_dispositifs",
]  # fmt: skip
DIFFICULTIES = [
    "changement_politique", "financement", "rotation_personnel", "langue",
    "coordination_acteurs", "suivi_distance", "autre",
]  # fmt: skip
REPEAT_FIELDS = [
    "pays_partenaire", "autorite_partenaire", "annee_debut", "themes", "budget_annuel_eur",
    "cofinancements", "services_internes", "partenaires_externes", "plus_values", "difficultes",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def some(rng: random.Random, choices: list[str], low: int, high: int) -> str:
    return " ".join(rng.sample(choices, rng.randint(low, high)))


def synthetic(rng: random.Random, i: int) -> dict:
    """One submission in the contract's data shape (numbers as numbers, multiples as one
    space-separated string, the repeat as a list of objects)."""
    entries = []
    for _ in range(rng.choices([1, 2, 3], weights=[60, 30, 10])[0]):
        entry = {
            "pays_partenaire": rng.choice(COUNTRIES),
            "autorite_partenaire": f"Ville {rng.randint(1, 5000)}",
            "annee_debut": rng.randint(1975, 2025),
            "themes": some(rng, THEMES, 1, 3),
            "cofinancements": some(rng, COFUNDING, 0, 2),
            "services_internes": rng.choice(
                ["relations_internationales"] * 5 + ["aucun", some(rng, SERVICES, 1, 3)] * 2
            ),
            "partenaires_externes": rng.choice(["aucun", some(rng, PARTNERS, 1, 3)] * 3),
            "plus_values": some(rng, VALUES, 1, 3),
            "difficultes": some(rng, DIFFICULTIES, 0, 2),
        }
        if rng.random() < 0.95:
            entry["budget_annuel_eur"] = float(rng.randrange(500, 150_000, 100))
        entries.append({k: v for k, v in entry.items() if v != ""})
    return {
        "collectivite_nom": f"Collectivité {i:06d}",
        "collectivite_type": rng.choice(KINDS),
        "collectivite_code": f"{rng.randint(1000, 95999):05d}",
        "cooperation": entries,
    }


def kobo_csv(docs: list[tuple[str, dict]]) -> list[tuple[str, bytes]]:
    """The submissions as a Kobo CSV export: cooperations.csv + cooperations-cooperation.csv."""
    main, rep = io.StringIO(), io.StringIO()
    mw = csv.writer(main)
    rw = csv.writer(rep)
    mw.writerow(["collectivite_nom", "collectivite_type", "collectivite_code", "_uuid", "_index"])
    rw.writerow(
        [f"cooperation/{f}" for f in REPEAT_FIELDS]
        + ["_index", "_parent_table_name", "_parent_index", "_submission__uuid"]
    )
    n = 0
    for index, (key, doc) in enumerate(docs, start=1):
        mw.writerow(
            [
                doc["collectivite_nom"],
                doc["collectivite_type"],
                doc["collectivite_code"],
                key,
                index,
            ]
        )
        for entry in doc["cooperation"]:
            n += 1
            values = []
            for f in REPEAT_FIELDS:
                v = entry.get(f, "")
                values.append(int(v) if isinstance(v, float) and v.is_integer() else v)
            rw.writerow(values + [n, "cooperations", index, key])
    return [
        ("cooperations.csv", main.getvalue().encode()),
        ("cooperations-cooperation.csv", rep.getvalue().encode()),
    ]


def timed(fn, runs: int = RUNS):
    """(result, best wall s, median wall s, best CPU s of this process). CPU time is printed
    beside wall time because on a shared machine the wall clock also counts the waits for a
    core."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return result, min(times), statistics.median(times), min(cpu)


# --- pandas: the same figures -------------------------------------------------------------------


def pandas_analysis(questionnaire) -> dict:
    """The analysis document for ``cooperations`` computed with pandas from the same rows."""
    import orjson
    import pandas as pd
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from reciprocite.surveys.models import Submission
    from reciprocite.territories.geography import zone_of

    raws = (
        Submission.objects.filter(questionnaire=questionnaire)
        .order_by()
        .annotate(raw=Cast("data", TextField()))
        .values_list("raw", flat=True)
    )
    # decoded as analyse() does: orjson, the cyclic garbage collector off meanwhile
    gc.disable()
    try:
        docs = [orjson.loads(r) for r in raws.iterator(chunk_size=2000)]
    finally:
        gc.enable()
    subs = pd.DataFrame.from_records(docs, columns=["collectivite_type", "cooperation"])
    subs["sub"] = range(len(subs))
    exploded = subs[["sub", "collectivite_type", "cooperation"]].explode("cooperation")
    exploded = exploded[exploded["cooperation"].notna()]
    entries = pd.DataFrame.from_records(list(exploded["cooperation"]), columns=REPEAT_FIELDS)
    entries["collectivite_type"] = exploded["collectivite_type"].to_numpy()

    def one(series) -> dict:
        s = series[series.notna() & (series != "")]
        counts = s.value_counts()
        return {"type": "select_one", "counts": _ordered(counts), "answered": int(len(s))}

    def multiple(series) -> dict:
        s = series[series.notna()].str.split()
        s = s[s.str.len() > 0]
        counts = s.explode().value_counts()
        return {"type": "select_multiple", "counts": _ordered(counts), "answered": int(len(s))}

    def numbers(series, kind) -> dict:
        s = pd.to_numeric(series, errors="coerce").dropna().astype(float)
        return {
            "type": kind,
            "n": int(s.size),
            "min": float(s.min()),
            "median": float(s.median()),
            "mean": round(float(s.sum()) / s.size, 2),
            "max": float(s.max()),
            "sum": float(s.sum()),
        }

    zone_keys = {}
    for code in entries["pays_partenaire"].dropna().unique():
        z = zone_of(code)
        zone_keys[code] = z.key if z else None
    zones = entries["pays_partenaire"].map(zone_keys).dropna().value_counts()
    services = entries["services_internes"].fillna("").str.split().map(set)
    only_international = services.map(
        lambda s: bool(s) and s <= {"relations_internationales", "aucun"}
    ).sum()
    with_associations = (
        entries["partenaires_externes"]
        .fillna("")
        .str.split()
        .map(lambda s: "associations" in s)
        .sum()
    )
    n_entries = len(entries)
    questions = {
        "collectivite_type": one(subs["collectivite_type"]),
        "pays_partenaire": one(entries["pays_partenaire"]),
        "annee_debut": numbers(entries["annee_debut"], "integer"),
        "themes": multiple(entries["themes"]),
        "budget_annuel_eur": numbers(entries["budget_annuel_eur"], "decimal"),
    }
    for name in (
        "cofinancements",
        "services_internes",
        "partenaires_externes",
        "plus_values",
        "difficultes",
    ):
        questions[name] = multiple(entries[name])
    return {
        "form": "cooperations",
        "submissions": len(subs),
        "repeats": {"cooperation": n_entries},
        "questions": questions,
        "zones": {"pays_partenaire": _ordered(zones)},
        "cooperations_by_respondent_type": _ordered(
            entries["collectivite_type"][entries["collectivite_type"].notna()].value_counts()
        ),
        "share_only_international_relations_service": round(int(only_international) / n_entries, 4),
        "share_with_associations": round(int(with_associations) / n_entries, 4),
    }


def _ordered(counts) -> dict:
    return {
        str(k): int(n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))) if n
    }


def same_figures(ours: dict, theirs: dict) -> list[str]:
    """Where the two documents differ (means compared to 2 decimals, the rest exactly)."""
    problems = []
    for key in theirs:
        if key == "questions":
            for name, figures in theirs["questions"].items():
                if ours["questions"].get(name) != figures:
                    problems.append(f"questions.{name}: {ours['questions'].get(name)} != {figures}")
        elif ours.get(key) != theirs[key]:
            problems.append(f"{key}: {ours.get(key)} != {theirs[key]}")
    return problems


# --- (d) HTTP -------------------------------------------------------------------------------------


def serve(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "reciprocite.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
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


def post_submissions(port: int, token: str, bodies: list[bytes], clients: int, limit_s: float):
    """Send ``bodies`` from ``clients`` threads; returns (elapsed, statuses, errors)."""
    lock = threading.Lock()
    queue = list(enumerate(bodies))
    statuses: dict[int, int] = {}
    errors: list[str] = []
    deadline = time.monotonic() + limit_s

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Accept-Language": "en",
        }
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                i, body = queue.pop()
            try:
                conn.request("POST", "/api/v1/surveys/cooperations/submissions", body, headers)
                response = conn.getresponse()
                text = response.read()
                with lock:
                    statuses[i] = response.status
                    if response.status not in (200, 201) and len(errors) < 5:
                        errors.append(f"{response.status} {text[:200]!r}")
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    statuses[i] = 0
                    if len(errors) < 5:
                        errors.append(repr(exc))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, statuses, errors


# --- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--http-count", type=int, default=2000)
    parser.add_argument("--http-resends", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--http-seconds", type=float, default=120.0, help="time limit of (d)")
    parser.add_argument("--no-http", action="store_true", help="skip (d)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="reciprocite-bench-surveys-"))
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="reciprocite.config.settings",
        RECIPROCITE_DATA_DIR=str(tmp),
        DATABASE_URL=url,
        DEBUG="0",
    )
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)

    from reciprocite.surveys.analysis import analyse
    from reciprocite.surveys.models import Submission
    from reciprocite.surveys.services.imports import submissions_import
    from reciprocite.surveys.services.questionnaires import questionnaire_load

    print(f"# Surveys benchmark — {engine}, {args.submissions} submissions of cooperations")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}"
    )
    form = ROOT / "src" / "reciprocite" / "surveys" / "xlsforms" / "cooperations.xlsx"
    questionnaire = questionnaire_load(content=form.read_bytes(), filename=form.name).questionnaire

    rng = random.Random(SEED)
    docs = [
        (str(uuid.UUID(int=rng.getrandbits(128), version=4)), synthetic(rng, i))
        for i in range(args.submissions)
    ]
    entries = sum(len(d["cooperation"]) for _k, d in docs)
    files = kobo_csv(docs)
    size_mb = sum(len(b) for _n, b in files) / 1e6
    print(
        f"generated: {len(docs)} submissions, {entries} cooperation entries, Kobo CSV {size_mb:.1f} MB"
    )

    # (a) import
    start = time.perf_counter()
    report = submissions_import(questionnaire=questionnaire, files=files)
    import_s = time.perf_counter() - start
    stored = Submission.objects.filter(questionnaire=questionnaire).count()
    print(
        f"(a) import through submissions_import: {import_s:.1f} s "
        f"({report.created} created, {stored} stored, {len(docs) / import_s:,.0f} submissions/s)"
    )
    if engine == "SQLite":
        connection.cursor().execute("ANALYZE")

    # (b) analysis, uncached and cached; (c) pandas, same rows, same figures
    load = os.getloadavg()[0]
    document, ours_best, ours_median, ours_cpu = timed(lambda: analyse(questionnaire, cached=False))
    analyse(questionnaire)  # fills the cache
    _cached, cached_best, cached_median, _cpu = timed(lambda: analyse(questionnaire))
    theirs, pandas_best, pandas_median, pandas_cpu = timed(lambda: pandas_analysis(questionnaire))
    problems = same_figures(document, theirs)
    print(f"    load average (1 min) before the timings: {load:.1f} on {os.cpu_count()} cores")
    print(
        f"(b) analyse(), uncached: best {ours_best:.2f} s, median {ours_median:.2f} s of {RUNS}; "
        f"CPU {ours_cpu:.2f} s"
    )
    print(
        f"    analyse(), cached:   best {cached_best * 1000:.1f} ms, median {cached_median * 1000:.1f} ms"
    )
    print(
        f"(c) pandas, same rows:   best {pandas_best:.2f} s, median {pandas_median:.2f} s of {RUNS}; "
        f"CPU {pandas_cpu:.2f} s → analyse/pandas = {ours_best / pandas_best:.2f}× (best), "
        f"{ours_cpu / pandas_cpu:.2f}× (CPU)"
    )
    print("    same figures: " + ("yes" if not problems else "NO: " + "; ".join(problems[:5])))
    print(
        f"    submissions {document['submissions']}, repeats {document['repeats']}, "
        f"zones {json.dumps(document['zones']['pays_partenaire'])[:120]}…"
    )

    # (d) HTTP API
    if args.no_http:
        print("(d) skipped (--no-http)")
        return
    from reciprocite.accounts.models import Role
    from reciprocite.accounts.services import (
        api_token_create,
        membership_add,
        organisation_create,
        user_create,
    )

    user = user_create(
        username="bench-analyst", email="bench@example.test", password="bench-pass-2026!"
    )
    org = organisation_create(name="Réseau (bench)", kind="network")
    membership = membership_add(user=user, organisation=org, role=Role.ANALYST)
    _token, secret = api_token_create(membership=membership, name="bench")
    connection.close()

    bodies, sent = [], []
    for i in range(args.http_count):
        key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        body = json.dumps({"uuid": key, "data": synthetic(rng, args.submissions + i)}).encode()
        bodies.append(body)
        sent.append(key)
    resends = [bodies[rng.randrange(len(bodies))] for _ in range(args.http_resends)]
    before = Submission.objects.count()
    connection.close()
    port = free_port()
    server = serve(dict(os.environ), port)
    try:
        elapsed, statuses, errors = post_submissions(
            port, secret, bodies + resends, args.clients, args.http_seconds
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    after = Submission.objects.count()
    stored_uuids = set(
        str(u) for u in Submission.objects.filter(uuid__in=sent).values_list("uuid", flat=True)
    )
    codes: dict[int, int] = {}
    for status in statuses.values():
        codes[status] = codes.get(status, 0) + 1
    accepted = sum(1 for i, s in statuses.items() if i < len(bodies) and s in (200, 201))
    lost = sum(
        1 for i, key in enumerate(sent) if statuses.get(i) in (200, 201) and key not in stored_uuids
    )
    duplicated = (after - before) - len(stored_uuids)
    print(
        f"(d) API: {len(statuses)} requests ({len(bodies)} new, {len(resends)} re-sent) from "
        f"{args.clients} clients in {elapsed:.1f} s → {len(statuses) / elapsed:,.0f} requests/s, "
        f"{accepted / elapsed:,.0f} new submissions/s; statuses {dict(sorted(codes.items()))}"
    )
    print(
        f"    rows added {after - before}, distinct new UUIDs stored {len(stored_uuids)}, "
        f"accepted {accepted}; lost {lost}, duplicated {duplicated}, unsent {len(bodies) + len(resends) - len(statuses)}"
    )
    for e in errors:
        print(f"    error: {e}")


if __name__ == "__main__":
    main()
