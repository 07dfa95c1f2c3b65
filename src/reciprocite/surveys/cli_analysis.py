"""survey commands: analysis.

``reciprocite survey analysis FORM_ID [--campaign ID] --json`` prints the document of ``surveys.analysis``
(the one ``GET /api/v1/surveys/{form_id}/analysis`` answers); without ``--json``, readable
tables.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .cli import survey_app


@survey_app.command("analysis")
def analysis_command(
    form_id: Annotated[str, typer.Argument(help="The questionnaire's form id.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the analysis document as JSON.")
    ] = False,
    filter_: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="question:value; keeps the matching submissions or repeat entries (repeatable).",
        ),
    ] = None,
    crosstab: Annotated[
        str | None,
        typer.Option("--crosstab", help="row,column: two select questions to cross."),
    ] = None,
    campaign: Annotated[
        str | None,
        typer.Option("--campaign", help="Only the answers given through this campaign (its id)."),
    ] = None,
) -> None:
    """Counts per choice, number summaries, repeats and partner countries by zone."""
    from reciprocite.core import cli as shared

    with shared.command():
        import orjson

        from . import analysis
        from .models import Questionnaire
        from .selectors.campaigns import CampaignNotFound, campaign_of_questionnaire

        questionnaire = Questionnaire.objects.filter(form_id=form_id).first()
        if questionnaire is None:
            raise shared.CliError(f"no questionnaire with form id {form_id!r}")
        chosen = None
        if campaign is not None:
            try:
                chosen = campaign_of_questionnaire(questionnaire, campaign)
            except CampaignNotFound as exc:
                raise shared.CliError(f"--{exc.message}") from None
        try:
            filters = analysis.filters_from_params(filter_ or [])
            document = analysis.analyse(questionnaire, filters=filters, campaign=chosen)
            if crosstab is not None:
                row, sep, column = crosstab.partition(",")
                if not sep or not row.strip() or not column.strip():
                    raise analysis.AnalysisError(
                        "crosstab", "expected two question names: row,column."
                    )
                document["crosstab"] = analysis.crosstab(
                    questionnaire, row.strip(), column.strip(), filters=filters, campaign=chosen
                )
        except analysis.AnalysisError as exc:
            raise shared.CliError(f"--{exc.param}: {exc.message}") from None
        if as_json:
            typer.echo(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
        else:
            _print_tables(document)


def _print_tables(doc: dict) -> None:
    echo = typer.echo
    echo(f"Form: {doc['form']}")
    echo(f"Submissions: {doc['submissions']}")
    for name, n in doc["repeats"].items():
        echo(f"Repeat {name}: {n} entries")
    for name, figures in doc["questions"].items():
        echo("")
        if "counts" in figures:
            echo(f"{name} ({figures['type']}, {figures['answered']} answered)")
            _rows(figures["counts"])
        else:
            echo(f"{name} ({figures['type']})")
            _rows({k: figures[k] for k in ("n", "min", "median", "mean", "max", "sum")})
    for name, zones in doc["zones"].items():
        echo("")
        echo(f"{name} by zone")
        _rows(zones)
    for key in (
        "cooperations_by_respondent_type",
        "share_only_international_relations_service",
        "share_with_associations",
    ):
        if key in doc:
            echo("")
            if isinstance(doc[key], dict):
                echo(key)
                _rows(doc[key])
            else:
                echo(f"{key}: {doc[key]}")
    if "crosstab" in doc:
        table = doc["crosstab"]
        echo("")
        echo(f"{table['row']} × {table['column']} ({table['units']} {table['unit']} counted)")
        for row, counts in table["counts"].items():
            echo(f"  {row}")
            _rows(counts, indent=4)


def _rows(values: dict, indent: int = 2) -> None:
    if not values:
        typer.echo(" " * indent + "(none)")
        return
    width = max(len(str(k)) for k in values)
    for key, value in values.items():
        shown = "" if value is None else value
        typer.echo(f"{' ' * indent}{key:<{width}}  {shown}")
