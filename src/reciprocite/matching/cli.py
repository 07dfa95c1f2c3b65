"""`reciprocite matching …` commands: import the collection's records, evaluate the engine,
refresh the stored vectors."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

matching_app = typer.Typer(
    help="Needs and expertise: import records, evaluate the matching engine.",
    no_args_is_help=True,
)

MAX_FILE_BYTES = 100 * 1024 * 1024


class ImportKind(StrEnum):
    expertise = "expertise"
    needs = "needs"
    innovations = "innovations"
    interests = "interests"


def _read_lines(file: Path) -> list[str]:
    from reciprocite.core.cli import CliError

    if not file.is_file():
        raise CliError(f"{file}: no such file")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise CliError(f"{file.name}: larger than {MAX_FILE_BYTES // 1048576} MB")
    try:
        return file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise CliError(f"{file.name}: not UTF-8 text") from None
    except PermissionError:
        raise CliError(f"{file.name}: permission denied") from None


@matching_app.command("import")
def matching_import(
    file: Annotated[
        Path,
        typer.Argument(help="A JSON Lines file, one record per line.", show_default=False),
    ],
    kind: Annotated[
        ImportKind, typer.Option("--kind", help="What the file holds.", show_default=False)
    ],
    publish: Annotated[bool, typer.Option("--publish", help="Publish the records.")] = False,
) -> None:
    """Import domestic offers, needs, innovations or learning interests; a record whose ref
    exists is updated, never duplicated. Every line is checked first: one bad line (named
    with its field) and nothing is written."""
    from reciprocite.core import cli as shared

    from .imports import LineError, parse
    from .services import records_import

    with shared.command():
        lines = _read_lines(file)
        try:
            rows = parse(kind.value, lines)
            started = time.perf_counter()
            with shared.progress_bars() as progress:
                report = records_import(
                    kind=kind.value,
                    rows=rows,
                    publish=publish,
                    progress=lambda done, total: progress("Vectors", done, total),
                )
        except LineError as exc:
            raise shared.CliError(f"{file.name}: {exc}; nothing was written") from None
        seconds = time.perf_counter() - started
        typer.echo(f"Imported {file.name}.")
        shared.print_figures(
            {
                "read": len(rows),
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "vectors": report.vectors_built,
            },
            {
                "read": "Records read",
                "created": "Created",
                "updated": "Updated",
                "unchanged": "Unchanged",
                "vectors": "Vectors built",
            },
        )
        if report.vectors_built:
            shared.info(
                f"vectors: {seconds:.1f} s for {report.vectors_built} records "
                f"({1000 * seconds / report.vectors_built:.0f} ms a record)"
            )


@matching_app.command("refresh")
def matching_refresh(
    force: Annotated[bool, typer.Option("--force", help="Rebuild every record's vectors.")] = False,
) -> None:
    """Recompute the stored vectors and features of the records whose text changed."""
    from reciprocite.core import cli as shared

    from .services import records_refresh

    with shared.command():
        started = time.perf_counter()
        with shared.progress_bars() as progress:
            count = records_refresh(
                force=force, progress=lambda done, total: progress("Records", done, total)
            )
        typer.echo(f"Refreshed {count} records in {time.perf_counter() - started:.1f} s.")


@matching_app.command("evaluate")
def matching_evaluate(
    labels: Annotated[
        Path, typer.Argument(help="Labels, JSON Lines.", dir_okay=False, show_default=False)
    ],
) -> None:
    """nDCG@10, precision@5 and MRR per direction and language, beside the lexical-only and
    structure-only baselines. Records: the collection's files beside the labels if any,
    else the database."""
    from reciprocite.core import cli as shared

    from .evaluation import (
        LabelsError,
        evaluate,
        profiles_from_database,
        profiles_from_files,
        read_labels,
    )

    with shared.command():
        if not labels.is_file():
            raise shared.CliError(f"{labels}: no such file")
        try:
            rows = read_labels(labels)
            folder = labels.resolve().parent
            started = time.perf_counter()
            if any((folder / f"{k}.jsonl").exists() for k in ("expertise", "needs")):
                shared.info(f"records: the collection in {folder}")
                with shared.progress_bars() as progress:
                    profiles = profiles_from_files(
                        folder, progress=lambda d, t: progress("Vectors", d, t)
                    )
            else:
                shared.info("records: the database")
                profiles = profiles_from_database()
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            result = evaluate(rows, profiles)
            ranked = time.perf_counter() - started
        except LabelsError as exc:
            raise shared.CliError(f"{labels.name}: {exc}") from None
        _print_figures(result)
        queries = sum(f.n for (d, lang), f in result["figures"]["full"].items() if lang == "all")
        shared.info(
            f"records and vectors: {loaded:.1f} s; ranking: {ranked:.2f} s for {queries} "
            f"queries × 3 modes"
        )


def _print_figures(result: dict[str, Any]) -> None:
    figures = result["figures"]
    full = figures["full"]
    typer.echo(
        f"{'direction':<24} {'lang':<4} {'n':>3}   "
        f"{'nDCG@10':>7} {'P@5':>5} {'MRR':>5}   "
        f"{'lexical':>7} {'P@5':>5} {'MRR':>5}   "
        f"{'structure':>9} {'P@5':>5} {'MRR':>5}"
    )
    for key in sorted(full, key=lambda k: (k[0], k[1] != "all", k[1])):
        direction, lang = key
        f, lx, st = full[key], figures["lexical"][key], figures["structure"][key]
        typer.echo(
            f"{direction:<24} {lang:<4} {f.n:>3}   "
            f"{f.ndcg:>7.3f} {f.precision:>5.3f} {f.mrr:>5.3f}   "
            f"{lx.ndcg:>7.3f} {lx.precision:>5.3f} {lx.mrr:>5.3f}   "
            f"{st.ndcg:>9.3f} {st.precision:>5.3f} {st.mrr:>5.3f}"
        )
    if result["missing"]:
        typer.echo(f"queries not found (left out): {', '.join(result['missing'][:20])}")
