"""Registry commands (docs/cli.md): ``reciprocite import registry|twinnings`` and
``reciprocite export registry``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reciprocite.core import cli as shared

import_app = typer.Typer(help="Import files into the registry.", no_args_is_help=True)
export_app = typer.Typer(help="Export the registry.", no_args_is_help=True)


@import_app.command("registry")
def import_registry(
    file: shared.FileArgument,
    as_user: shared.AsOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file only; write nothing.")
    ] = False,
    new_territories: Annotated[
        bool,
        typer.Option(
            "--new-territories",
            help="Create the territories whose name only resembles an existing one (by "
            "default such rows are reported, with the candidates).",
        ),
    ] = False,
) -> None:
    """Import partnerships and projects (CSV, XLSX or JSON in the registry layout).

    Every row is checked before anything is written; one bad row and nothing is written.
    """
    from reciprocite.interop.tabular import read_table
    from reciprocite.registry.imports import import_registry as run_import
    from reciprocite.registry.imports import plan_registry_import

    with shared.command():
        actor = shared.user_named(as_user)
        table = read_table(file)
        if dry_run:
            with shared.progress_bars() as progress:
                plans, territories = plan_registry_import(
                    table, actor=actor, progress=progress, new_territories=new_territories
                )
            typer.echo(
                f"{table.source}: {len(table.rows)} rows are valid "
                f"({len(plans)} partnerships, {len(territories.pending)} new territories); "
                "nothing was written (--dry-run)"
            )
            return
        with shared.progress_bars() as progress:
            report = run_import(
                table, actor=actor, progress=progress, new_territories=new_territories
            )
        typer.echo(f"Imported {table.source} ({report.rows} rows).")
        shared.print_figures(
            report.as_dict(),
            {
                "partnerships_created": "Partnerships created",
                "partnerships_updated": "Partnerships updated",
                "partnerships_unchanged": "Partnerships unchanged",
                "projects_created": "Projects created",
                "projects_updated": "Projects updated",
                "projects_unchanged": "Projects unchanged",
                "territories_created": "Territories created",
                "funders_created": "Funders created",
            },
        )


@import_app.command("twinnings")
def import_twinnings(
    file: shared.FileArgument,
    as_user: shared.AsOption = None,
    show_rows: Annotated[
        int, typer.Option(min=0, help="Row numbers listed per unresolved value.")
    ] = 10,
) -> None:
    """Import twin-town pairs (city1,country1,lat1,lng1,city2,country2,lat2,lng2).

    One published, active twinning per pair; running it again creates nothing new. Rows that
    cannot be resolved are reported at the end.
    """
    from reciprocite.interop.tabular import read_table
    from reciprocite.registry.imports import import_twinnings as run_import

    with shared.command():
        actor = shared.user_named(as_user)
        table = read_table(file)
        with shared.progress_bars() as progress:
            report = run_import(table, actor=actor, progress=progress)
        typer.echo(f"Imported {table.source}.")
        shared.print_figures(
            report.as_dict(),
            {
                "pairs_read": "Pairs read",
                "duplicates": "Pairs listed twice",
                "pairs_resolved": "Pairs resolved",
                "partnerships_created": "Partnerships created",
                "partnerships_present": "Partnerships already present",
                "territories_created": "Territories created",
                "territories_reused": "Territories reused",
                "rows_unresolved": "Rows not imported",
            },
        )
        if report.unresolved:
            from rich.console import Console
            from rich.table import Table

            table_out = Table(title="Not imported", title_justify="left")
            table_out.add_column("Reason")
            table_out.add_column("Value")
            table_out.add_column("Rows", justify="right")
            table_out.add_column("Row numbers")
            for item in report.unresolved:
                numbers = ", ".join(str(n) for n in item.rows[:show_rows])
                if item.count > show_rows:
                    numbers += ", …"
                table_out.add_row(item.reason_label, item.value, str(item.count), numbers)
            Console(soft_wrap=False, width=max(Console().width, 120)).print(table_out)


def _filters(**options):
    from reciprocite.registry.selectors import RegistryFilters

    params = {k: str(v) for k, v in options.items() if v not in (None, "")}
    return RegistryFilters.parse(params, for_projects=True, strict=True)


@export_app.command("registry")
def export_registry(
    format: Annotated[
        shared.ExportFormat, typer.Option("--format", "-f", help="File format.")
    ] = shared.ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: stdout, for csv and json).",
            dir_okay=False,
        ),
    ] = None,
    q: Annotated[str | None, typer.Option(help="Words in the project title or summary.")] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO 3166-1 code of a partner territory.")
    ] = None,
    zone: Annotated[
        str | None, typer.Option(help="Zone of a partner territory (e.g. Maghreb).")
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Theme code (e.g. jeunesse).")] = None,
    authority_kind: Annotated[
        str | None, typer.Option(help="Kind of a territory (commune…).")
    ] = None,
    year_from: Annotated[
        int | None, typer.Option(help="Projects starting that year or later.")
    ] = None,
    year_to: Annotated[
        int | None, typer.Option(help="Projects starting that year or earlier.")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Project status (planned, ongoing…).")] = None,
    budget_band: Annotated[str | None, typer.Option(help="Budget band (lt10k, 10k-50k…).")] = None,
    kind: Annotated[str | None, typer.Option(help="Kind of partnership (cooperation…).")] = None,
    partnership: Annotated[int | None, typer.Option(help="Id of one partnership.")] = None,
    include_unpublished: Annotated[
        bool, typer.Option("--include-unpublished", help="Unpublished partnerships too.")
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Export what this user may see.", show_default=False),
    ] = None,
    delimiter: Annotated[str, typer.Option(help="CSV delimiter: ',' or ';'.")] = ",",
    bom: Annotated[
        bool, typer.Option("--bom", help="Start a CSV with a byte-order mark (Excel).")
    ] = False,
) -> None:
    """Export partnerships and projects, one row per project, in the registry layout."""
    from reciprocite.accounts.permissions import Principal
    from reciprocite.interop import cells, tabular
    from reciprocite.registry import layout
    from reciprocite.registry.exports import registry_export_rows

    with shared.command():
        if delimiter not in (",", ";", "\t", "tab"):
            raise shared.CliError("--delimiter: use ',' or ';' (or 'tab')")
        delimiter = "\t" if delimiter == "tab" else delimiter
        if format is shared.ExportFormat.xlsx and output is None:
            raise shared.CliError("--format xlsx needs --output FILE")
        filters = _filters(
            q=q,
            country=country,
            zone=zone,
            theme=theme,
            authority_kind=authority_kind,
            year_from=year_from,
            year_to=year_to,
            status=status,
            budget_band=budget_band,
            kind=kind,
            partnership=partnership,
        )
        viewer = shared.user_named(as_user)
        if include_unpublished:
            if viewer is not None:
                raise shared.CliError("--include-unpublished and --as cannot go together")
            viewer = Principal(is_authenticated=True, is_admin=True)
        rows = [
            layout.export_cells(values)
            for values in registry_export_rows(filters=filters, viewer=viewer)
        ]
        columns = list(layout.COLUMNS)

        def write_csv(fh):
            tabular.write_csv(
                columns,
                ({c: cells.cell_text(v) for c, v in row.items()} for row in rows),
                fh,
                delimiter=delimiter,
                bom=bom,
            )

        def write_json(fh):
            tabular.write_json(
                {
                    "layout": layout.LAYOUT_NAME,
                    "version": layout.LAYOUT_VERSION,
                    "columns": columns,
                    "rows": [{c: (None if v == "" else v) for c, v in row.items()} for row in rows],
                },
                fh,
            )

        def write_xlsx(fh):
            tabular.write_xlsx(
                columns, ({c: cells.xlsx_value(v) for c, v in row.items()} for row in rows), fh
            )

        writer = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx}[format.value]
        if output is None:
            writer(sys.stdout)
            sys.stdout.flush()
        else:
            shared.write_atomically(output, writer, binary=format is shared.ExportFormat.xlsx)
            shared.info(f"Exported {len(rows)} rows to {output}")
