"""survey commands: forms."""

from .cli import survey_app  # noqa: F401
