"""Who may run surveys, follow campaigns and review described cooperations.

Analysts of the network and platform administrators run the study: they load
questionnaires, run campaigns, see every answer and review cooperations into the registry.
Respondents never sign in: their personal link (an invitation secret) is their only key.
"""

from __future__ import annotations

from reciprocite.accounts.permissions import principal_of


def can_run_surveys(subject) -> bool:
    """Load questionnaires, run campaigns, import and export answers, see the analysis."""
    p = principal_of(subject)
    return p.is_admin or p.is_analyst


def can_view_campaign(subject, campaign) -> bool:
    """A campaign's page names every recipient and their status: analysts and admins only."""
    return campaign is not None and can_run_surveys(subject)


def can_review(subject) -> bool:
    """Accept, edit or reject described cooperations into the registry."""
    return can_run_surveys(subject)
