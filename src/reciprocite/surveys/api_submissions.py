"""API: submissions of answers."""

from .api import router  # noqa: F401
