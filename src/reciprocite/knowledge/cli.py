"""`reciprocite knowledge …` commands: import and export experience sheets, rebuild the index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from reciprocite.accounts.models import User

knowledge_app = typer.Typer(
    help="The knowledge base: experience sheets and their search index.", no_args_is_help=True
)

MAX_FILE_BYTES = 200 * 1024 * 1024


def _actor(username: str | None) -> User | None:
    from reciprocite.core import cli as shared

    from .permissions import can_import

    actor: User | None = shared.user_named(username)
    if actor is not None and not can_import(actor):
        raise shared.CliError(f"{actor.username} may not import sheets (analysts and staff may)")
    return actor


@knowledge_app.command("import")
def knowledge_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A JSON Lines file, one sheet per line.", dir_okay=False, show_default=False
        ),
    ],
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Import as this user (an analyst or staff).", show_default=False),
    ] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Publish the sheets (else new ones are drafts).")
    ] = False,
) -> None:
    """Import experience sheets; a sheet whose ref exists is updated, never duplicated.

    Every line is checked first: one bad line (reported with its line number and field) and
    nothing is written.
    """
    from reciprocite.core import cli as shared
    from reciprocite.interop.errors import FileRefused

    from .imports import sheets_import

    with shared.command():
        actor = _actor(as_user)
        try:
            if not file.is_file():
                raise FileRefused(file.name, "no such file")
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                raise FileRefused(
                    file.name,
                    f"the file is {size / 1048576:.1f} MB; the limit is "
                    f"{MAX_FILE_BYTES / 1048576:.0f} MB",
                )
            data = file.read_bytes()
        except PermissionError:
            raise FileRefused(file.name, "permission denied") from None
        with shared.progress_bars() as progress:
            report = sheets_import(
                data, source=file.name, actor=actor, publish=publish, progress=progress
            )
        typer.echo(f"Imported {file.name}.")
        shared.print_figures(
            report.as_dict(),
            {
                "read": "Sheets read",
                "created": "Created",
                "updated": "Updated",
                "unchanged": "Unchanged",
            },
        )


@knowledge_app.command("export")
def knowledge_export(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: standard output).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    all_statuses: Annotated[
        bool,
        typer.Option("--all", help="Drafts, sheets in review and archived ones too."),
    ] = False,
) -> None:
    """Export the published sheets as JSON Lines, in the layout `knowledge import` reads."""
    from reciprocite.core import cli as shared

    from .imports import sheets_export
    from .selectors import sheets_for_export
    from .taxonomy import Status

    with shared.command():
        sheets = list(sheets_for_export(statuses=None if all_statuses else [Status.PUBLISHED]))
        content = sheets_export(sheets)
        if output is None:
            typer.echo(content.decode("utf-8"), nl=False)
        else:
            shared.write_atomically(output, lambda fh: fh.write(content), binary=True)
            shared.info(f"Exported {len(sheets)} sheets to {output}")


@knowledge_app.command("reindex")
def knowledge_reindex() -> None:
    """Rebuild the search index of every sheet (after a restore, or a change of analyser)."""
    from reciprocite.core import cli as shared

    from .search import rebuild

    with shared.command():
        with shared.progress_bars() as progress:
            count = rebuild(progress=progress)
        typer.echo(f"Indexed {count} sheets.")
