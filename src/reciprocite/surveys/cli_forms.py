"""survey commands: forms — load an XLSForm (or only check it), export one back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli import survey_app


def _print_report(report: dict) -> None:
    counts = report["counts"]
    typer.echo(f"form id:   {report['form_id']}")
    typer.echo(f"title:     {report['title']}")
    typer.echo(f"version:   {report['version']}")
    typer.echo(f"languages: {', '.join(report['languages']) or '-'}")
    typer.echo(f"questions: {counts['questions']}")
    typer.echo(f"repeats:   {counts['repeats']}")
    typer.echo(f"choices:   {counts['choices']} in {counts['choice_lists']} lists")
    for item in report["unsupported"]:
        row = f"row {item['row']}" if item.get("row") else "no row"
        typer.echo(f"not collectable on the web: {item['name']} ({item['type']}, {row})", err=True)


@survey_app.command("load-xlsform")
def load_xlsform(
    file: Annotated[
        Path, typer.Argument(help="The XLSForm workbook (.xlsx or .xls).", dir_okay=False)
    ],
    check: Annotated[
        bool, typer.Option("--check", help="Validate the form without storing it.")
    ] = False,
    form_id: Annotated[
        str | None,
        typer.Option(
            "--form-id", help="The form id (default: settings form_id, else the file name)."
        ),
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Load as this user (an analyst).", show_default=False),
    ] = None,
) -> None:
    """Load a questionnaire from an XLSForm as a new version (or check it with --check).

    Loading the same version with the same questions again changes nothing. Errors: one line
    per problem, naming the file, the sheet and the row.
    """
    from reciprocite.core import cli as shared
    from reciprocite.interop.xlsform import XLSFormError, check_size

    from .permissions import can_run_surveys
    from .services.questionnaires import questionnaire_check, questionnaire_load

    with shared.command():
        actor = shared.user_named(as_user)
        if actor is not None and not can_run_surveys(actor):
            raise shared.CliError(f"{actor.username} may not load questionnaires")
        try:
            size = file.stat().st_size
        except OSError as exc:
            raise shared.CliError(f"{file}: {exc.strerror or exc}") from None
        try:
            check_size(size, file.name)
            try:
                content = file.read_bytes()
            except OSError as exc:
                raise shared.CliError(f"{file}: {exc.strerror or exc}") from None
            report = questionnaire_check(content, file.name, form_id=form_id)
            if not check:
                version = questionnaire_load(
                    content=content, filename=file.name, actor=actor, form_id=form_id
                )
        except XLSFormError as exc:
            for line in exc.lines():
                typer.echo(line.replace(exc.filename, str(file), 1), err=True)
            raise typer.Exit(shared.EXIT_ERROR) from None
        _print_report(report)
        if check:
            typer.echo("checked: nothing stored")
        elif report["version_exists"]:
            typer.echo(f"version {version.version} was already loaded: nothing changed")
        else:
            typer.echo(f"loaded: {version.questionnaire.form_id} version {version.version}")


@survey_app.command("export-xlsform")
def export_xlsform(
    form_id: Annotated[str, typer.Argument(help="The questionnaire's form id.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default: stdout).", dir_okay=False
        ),
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="This version (default: the latest).")
    ] = None,
) -> None:
    """Export a questionnaire's XLSForm (the workbook of its latest version, or --version)."""
    import sys

    from reciprocite.core import cli as shared

    from .selectors.questionnaires import questionnaire_get, questionnaire_version_get
    from .services.questionnaires import questionnaire_export

    with shared.command():
        questionnaire = questionnaire_get(form_id)
        if questionnaire is None:
            raise shared.CliError(f"no questionnaire with the form id {form_id!r}")
        chosen = questionnaire_version_get(questionnaire, version)
        if chosen is None:
            raise shared.CliError(f"{form_id}: no version {version!r}")
        _name, content = questionnaire_export(chosen)
        if output is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise shared.CliError(f"{output}: {exc.strerror or exc}") from None
        typer.echo(f"{output}: {form_id} version {chosen.version}", err=True)
