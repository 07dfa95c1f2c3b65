"""``reciprocite report …``: publishable documents. ``report panorama`` writes the panorama
report (the PDF the panorama page's button makes in the background) to a file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

report_app = typer.Typer(help="Publishable reports (PDF).", no_args_is_help=True)


class ReportLanguage(StrEnum):
    fr = "fr"
    en = "en"


@report_app.command("panorama")
def panorama_report(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The PDF file to write.",
            show_default=False,
        ),
    ],
    campaign: Annotated[
        int | None,
        typer.Option(help="Id of a survey campaign: its questionnaire counts its answers only."),
    ] = None,
    lang: Annotated[
        ReportLanguage, typer.Option("--lang", help="Language of the report.")
    ] = ReportLanguage.fr,
) -> None:
    """Write the panorama report: cover, contents, key figures, maps, charts, both surveys,
    highlighted experiences, method and sources."""
    from reciprocite.core import cli as shared

    with shared.command():
        from .report.rendering import ReportError, find_campaign, render_report

        try:
            chosen = find_campaign(campaign)
        except ReportError as exc:
            raise shared.CliError(f"--campaign: {exc}") from None
        import os

        directory = output.resolve().parent
        if output.is_dir():
            raise shared.CliError(f"{output}: is a directory")
        if not directory.is_dir():
            raise shared.CliError(f"{output}: no such directory {directory}")
        if not os.access(directory, os.W_OK):
            raise shared.CliError(f"{output}: cannot write in {directory}")
        with shared.progress_bars() as bar:
            name = "Panorama report"

            def progress(done: int, total: int, message: str) -> None:
                bar(name, done, total)

            pdf = render_report(language=lang.value, campaign=chosen, progress=progress)
        try:
            shared.write_atomically(output, lambda fh: fh.write(pdf), binary=True)
        except OSError as exc:
            raise shared.CliError(f"{output}: cannot write ({exc.strerror or exc})") from None
        shared.info(f"Wrote {output} ({len(pdf) // 1024} KB, {lang.value}).")
