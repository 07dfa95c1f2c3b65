"""Who may see the panorama: everyone, signed in or not.

The panorama only shows aggregates of what the public registry shows (published
partnerships) and of the survey's answers (withheld under a few respondents, see
``selectors.SURVEY_MIN_RESPONDENTS``); a campaign is chosen among those that are not drafts.
"""

from __future__ import annotations


def can_view_panorama(user) -> bool:
    return True


def can_choose_campaign(user, campaign) -> bool:
    """A campaign's figures are public once it has opened (a draft has no answers)."""
    return campaign.status != "draft"
