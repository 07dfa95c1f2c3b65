"""`reciprocite coordination …` commands: the weekly digest and the daily reminders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import typer

coordination_app = typer.Typer(
    help="Coordination: the weekly digest and the reminders of meetings.", no_args_is_help=True
)


def _monday(value: str | None) -> date:
    from reciprocite.core.cli import CliError

    if value is None:
        today = date.today()  # noqa: DTZ011 - the local calendar week
        return today - timedelta(days=today.weekday())
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"--week: {value!r} is not a date (YYYY-MM-DD)") from None


@coordination_app.command("digest")
def digest(
    week: Annotated[
        str | None,
        typer.Option(help="First day of the week (YYYY-MM-DD); this week's Monday by default."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count the people who would get one; send nothing.")
    ] = False,
) -> None:
    """Send each person one digest for the week: meetings coming, their actions due or late,
    minutes published."""
    from reciprocite.core import cli as shared

    from . import mail

    with shared.command():
        report = mail.digest_send(week_start=_monday(week), dry_run=dry_run)
        shared.print_figures(
            {"people": report.people, "sent": report.sent},
            {"people": "people with a digest", "sent": "e-mails sent"},
        )


@coordination_app.command("reminders")
def reminders() -> None:
    """Send the day-before reminders of meetings and, 3 and 7 days after a meeting without
    minutes, a reminder to its secretaries (run daily)."""
    from reciprocite.core import cli as shared

    from . import mail

    with shared.command():
        report = mail.reminders_send()
        shared.print_figures(
            {"day_before": report.day_before, "minutes_missing": report.minutes_missing},
            {"day_before": "meetings reminded", "minutes_missing": "minutes reminders sent"},
        )
