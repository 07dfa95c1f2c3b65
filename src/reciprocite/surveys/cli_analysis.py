"""survey commands: analysis."""

from .cli import survey_app  # noqa: F401
