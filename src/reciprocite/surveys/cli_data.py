"""survey commands: data."""

from .cli import survey_app  # noqa: F401
