"""API: analysis of a questionnaire's answers."""

from .api import router  # noqa: F401
