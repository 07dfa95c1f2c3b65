"""survey commands: data — answers in and out in KoboToolbox's export layout."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .cli import survey_app

MAX_LISTED = 10


class DataFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def _questionnaire(form_id: str):
    from reciprocite.core import cli as shared

    from .models import Questionnaire

    questionnaire = Questionnaire.objects.filter(form_id=form_id).first()
    if questionnaire is None:
        raise shared.CliError(
            f"no questionnaire with the form id {form_id!r} (load it with "
            "reciprocite survey load-xlsform FILE)"
        )
    return questionnaire


def _actor(username: str | None):
    from reciprocite.core import cli as shared

    from .permissions import can_run_surveys

    actor = shared.user_named(username)
    if actor is not None and not can_run_surveys(actor):
        raise shared.CliError(f"{actor.username} may not import or export answers")
    return actor


def _campaign(raw: str, questionnaire=None):
    from reciprocite.core import cli as shared
    from reciprocite.core.filters import id_value

    from .models import Campaign

    pk = id_value(raw)
    if pk is None:
        raise shared.CliError(f"{raw!r} is not a campaign id (a whole number is expected)")
    campaign = Campaign.objects.select_related("questionnaire").filter(pk=pk).first()
    if campaign is None:
        raise shared.CliError(f"there is no survey campaign with the id {pk}")
    if questionnaire is not None and campaign.questionnaire_id != questionnaire.pk:
        raise shared.CliError(
            f"campaign {pk} is a campaign of {campaign.questionnaire.form_id}, "
            f"not of {questionnaire.form_id}"
        )
    return campaign


def _publication(raw: str, as_user: str | None, publish: bool) -> None:
    from reciprocite.core import cli as shared

    from .permissions import can_publish_campaign
    from .services.campaigns import campaign_publish, campaign_unpublish

    with shared.command():
        campaign = _campaign(raw)
        actor = shared.user_named(as_user)
        if actor is not None and not can_publish_campaign(actor, campaign):
            raise shared.CliError(
                f"{actor.username} may not publish or withdraw the figures of campaign "
                f"{campaign.pk}"
            )
        was = campaign.is_published
        service = campaign_publish if publish else campaign_unpublish
        campaign = service(campaign=campaign, actor=actor)
        answers = campaign.submissions.count()
        if publish:
            verb = "was already published" if was else "is published"
            typer.echo(
                f"Campaign {campaign.pk} “{campaign.title}” {verb}: its {answers} answers count "
                "on the public panorama, its API, exports and report."
            )
        else:
            verb = "is withdrawn" if was else "was not published"
            typer.echo(
                f"Campaign {campaign.pk} “{campaign.title}” {verb}: its {answers} answers "
                "count on no public figure."
            )


_AS_PUBLISHER = typer.Option(
    "--as", help="Act as this user (one of the campaign's analysts).", show_default=False
)


@survey_app.command("publish")
def survey_publish(
    campaign: Annotated[str, typer.Argument(help="The campaign's id.")],
    as_user: Annotated[str | None, _AS_PUBLISHER] = None,
) -> None:
    """Publish a campaign's figures: its answers count on the public panorama, its API, its
    CSV/XLSX downloads and the PDF report."""
    _publication(campaign, as_user, publish=True)


@survey_app.command("unpublish")
def survey_unpublish(
    campaign: Annotated[str, typer.Argument(help="The campaign's id.")],
    as_user: Annotated[str | None, _AS_PUBLISHER] = None,
) -> None:
    """Withdraw a campaign's figures from every public figure (the analysis keeps them)."""
    _publication(campaign, as_user, publish=False)


@survey_app.command("import")
def survey_import(
    form_id: Annotated[str, typer.Argument(help="The questionnaire's form id.")],
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The Kobo export: an XLSX workbook, or the main CSV and one CSV per repeat "
            "(or a zip of them).",
            dir_okay=False,
            show_default=False,
        ),
    ],
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Refuse columns that are not questions of the form."),
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Import as this user (an analyst).", show_default=False),
    ] = None,
    campaign_id: Annotated[
        str | None,
        typer.Option(
            "--campaign",
            help="Attach the new answers to this campaign (its id): they count on the public "
            "panorama once it is published. Without it they never do.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import answers from a KoboToolbox export (idempotent by _uuid).

    An answer already stored with the same content is left alone; one stored with another
    content is reported as a conflict and not overwritten. Any error and nothing is written.
    """
    from reciprocite.core import cli as shared
    from reciprocite.interop.errors import FileRefused

    from .services.imports import submissions_import

    with shared.command():
        questionnaire = _questionnaire(form_id)
        actor = _actor(as_user)
        campaign = _campaign(campaign_id, questionnaire) if campaign_id is not None else None
        contents = []
        for path in files:
            try:
                if not path.is_file():
                    raise FileRefused(path.name, "no such file")
                size = path.stat().st_size
                from reciprocite.interop import kobo

                if size > kobo.MAX_FILE_BYTES:
                    raise FileRefused(
                        path.name,
                        f"the file is {size / 1048576:.1f} MB; the limit is "
                        f"{kobo.MAX_FILE_BYTES / 1048576:.1f} MB",
                    )
                contents.append((path.name, path.read_bytes()))
            except PermissionError:
                raise FileRefused(path.name, "permission denied") from None
        with shared.progress_bars() as progress:
            report = submissions_import(
                questionnaire=questionnaire,
                files=contents,
                actor=actor,
                progress=progress,
                strict=strict,
                campaign=campaign,
            )
        typer.echo(f"Imported {', '.join(p.name for p in files)} into {form_id}.")
        if campaign is not None:
            state = "published" if campaign.is_published else "not published yet"
            shared.info(f"The answers belong to campaign {campaign.pk} ({state}).")
        figures = report.as_dict()
        repeats = {}
        for repeat in report.repeats:
            figures[f"repeat:{repeat}"] = report.repeats[repeat]
            repeats[f"repeat:{repeat}"] = f"Repeat {repeat}"
        shared.print_import_figures(figures, read="Submissions read", extra=repeats)
        for source, columns in report.ignored_columns.items():
            shared.info(f"{source}: columns ignored (not in the form): {', '.join(columns)}")
        for source in report.ignored_sheets:
            shared.info(f"{source}: ignored (no column of the form)")
        if report.conflicts:
            listed = ", ".join(report.conflict_uuids[:MAX_LISTED])
            more = "" if report.conflicts <= MAX_LISTED else ", …"
            shared.info(
                f"{report.conflicts} answers already stored with other content were not "
                f"overwritten: {listed}{more}"
            )


@survey_app.command("export")
def survey_export(
    form_id: Annotated[str, typer.Argument(help="The questionnaire's form id.")],
    format: Annotated[
        DataFormat,
        typer.Option("--format", "-f", help="xlsx (one sheet per repeat) or csv (a zip)."),
    ] = DataFormat.xlsx,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: FORM_ID.xlsx or FORM_ID.zip here).",
            dir_okay=False,
        ),
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Export as this user (an analyst).", show_default=False),
    ] = None,
) -> None:
    """Export the answers in KoboToolbox's layout: XLSX, or a zip of CSV files."""
    from reciprocite.core import cli as shared

    from .selectors.exports import export_filename, submissions_export

    with shared.command():
        questionnaire = _questionnaire(form_id)
        _actor(as_user)
        content = submissions_export(questionnaire, format=format.value)
        path = output or Path(export_filename(questionnaire, format.value))
        shared.write_atomically(path, lambda fh: fh.write(content), binary=True)
        count = questionnaire.submissions.count()
        shared.info(f"Exported {count} submissions of {form_id} to {path}")
