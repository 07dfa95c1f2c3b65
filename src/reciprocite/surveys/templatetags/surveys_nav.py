"""Template tags of the surveys app: whether to show the Surveys link in the navigation."""

from django import template

from ..permissions import can_run_surveys as _can_run_surveys

register = template.Library()


@register.simple_tag
def can_run_surveys(user) -> bool:
    """True for analysts and administrators (surveys.permissions.can_run_surveys)."""
    return bool(user and user.is_authenticated and _can_run_surveys(user))
