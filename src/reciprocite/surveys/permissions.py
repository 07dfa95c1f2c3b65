"""Who may run surveys, follow campaigns and review described cooperations.

Analysts of the network and platform administrators run the study: they load
questionnaires, run campaigns, see every answer and review cooperations into the registry.
A campaign run by an organisation (``Campaign.organisation``, the analyst's organisation when
it is created) is managed by that organisation's analysts only: they see its recipients and
their personal links, check the mail server, publish or withdraw its figures. A campaign run
by no organisation (made from the command line without ``--as``) is managed by every analyst.
Respondents never sign in: their personal link (an invitation secret) is their only key.
"""

from __future__ import annotations

from reciprocite.accounts.models import Membership, Role
from reciprocite.accounts.permissions import principal_of


def can_run_surveys(subject) -> bool:
    """Load questionnaires, run campaigns, import and export answers, see the analysis."""
    p = principal_of(subject)
    return p.is_admin or p.is_analyst


def analyst_organisation_ids(subject) -> set[int]:
    """The organisations the subject is an analyst of (a token: its own membership's)."""
    if isinstance(subject, Membership):
        return {subject.organisation_id} if subject.role == Role.ANALYST else set()
    p = principal_of(subject)
    if not p.is_analyst or p.user_id is None:
        return set()
    return set(
        Membership.objects.filter(user_id=p.user_id, role=Role.ANALYST).values_list(
            "organisation_id", flat=True
        )
    )


def can_manage_campaign(subject, campaign) -> bool:
    """The campaign's analysts (of the organisation running it) and administrators."""
    if campaign is None or not can_run_surveys(subject):
        return False
    if principal_of(subject).is_admin or campaign.organisation_id is None:
        return True
    return campaign.organisation_id in analyst_organisation_ids(subject)


def can_view_campaign(subject, campaign) -> bool:
    """A campaign's page names every recipient and their status: its analysts only."""
    return can_manage_campaign(subject, campaign)


def can_see_personal_links(subject, campaign) -> bool:
    """Copy or export the recipients' personal links: each one opens a member's answer."""
    return can_manage_campaign(subject, campaign)


def can_publish_campaign(subject, campaign) -> bool:
    """Publish or withdraw the campaign's figures on the public panorama."""
    return can_manage_campaign(subject, campaign)


def can_review(subject) -> bool:
    """Accept, edit or reject described cooperations into the registry."""
    return can_run_surveys(subject)
