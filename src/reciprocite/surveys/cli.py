"""`reciprocite survey …` commands; each area adds its commands in its own module."""

import typer

survey_app = typer.Typer(help="Questionnaires, answers and their analysis.", no_args_is_help=True)

from . import cli_analysis, cli_data, cli_forms  # noqa: E402, F401  (they register commands)
