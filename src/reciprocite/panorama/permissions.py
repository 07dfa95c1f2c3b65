"""Who may see the panorama: everyone, signed in or not.

The panorama only shows aggregates of what the public registry shows (published
partnerships) and of the survey's answers (withheld under a few respondents, see
``selectors.SURVEY_MIN_RESPONDENTS``) of published campaigns only; a campaign is chosen
among the published ones.
"""

from __future__ import annotations


def can_view_panorama(user) -> bool:
    return True


def can_choose_campaign(user, campaign) -> bool:
    """A campaign's figures are public once an analyst has published them."""
    return campaign.published_at is not None


# --- the report (PDF) ---------------------------------------------------------------------


def can_generate_report(user) -> bool:
    """Any signed-in, active user may have the report made: it holds what the public panorama
    shows. The PDF is a background job; only its owner (and staff) download it."""
    return bool(user.is_authenticated and user.is_active)
