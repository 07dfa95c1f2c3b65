"""Reads for campaigns: lists, per-member status and the response rate."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count

from ..models import Campaign, Invitation, InvitationStatus
from ..services.invitations import invitation_secret


@dataclass
class CampaignProgress:
    total: int
    counts: dict[str, int]  # every status, zero included
    sent: int
    not_sent: int
    submitted: int
    reachable: int  # invited and not bounced
    rate: Fraction | None  # submitted / reachable; None while nobody is reachable
    remindable: int  # sent, not submitted, under the reminders cap

    @property
    def rate_percent(self) -> float | None:
        return None if self.rate is None else round(float(self.rate) * 100, 1)


def campaign_list():
    return (
        Campaign.objects.select_related("questionnaire")
        .annotate(invitation_count=Count("invitations"))
        .order_by("-created_at", "-pk")
    )


def campaign_get(pk: int) -> Campaign | None:
    return Campaign.objects.select_related("questionnaire").filter(pk=pk).first()


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    counts = {status: 0 for status in InvitationStatus.values}
    for row in campaign.invitations.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    total = sum(counts.values())
    sent = campaign.invitations.filter(sent_at__isnull=False).count()
    remindable = campaign.invitations.filter(
        sent_at__isnull=False,
        status__in=[
            InvitationStatus.INVITED,
            InvitationStatus.OPENED,
            InvitationStatus.IN_PROGRESS,
        ],
        reminders_sent__lt=campaign.max_reminders,
    ).count()
    reachable = total - counts[InvitationStatus.BOUNCED]
    submitted = counts[InvitationStatus.SUBMITTED]
    return CampaignProgress(
        total=total,
        counts=counts,
        sent=sent,
        not_sent=campaign.invitations.filter(sent_at__isnull=True)
        .exclude(status=InvitationStatus.BOUNCED)
        .count(),
        submitted=submitted,
        reachable=reachable,
        rate=Fraction(submitted, reachable) if reachable else None,
        remindable=remindable,
    )


def campaign_members(campaign: Campaign):
    """One row per invited member, by name: status, dates, reminders, bounce reason."""
    return campaign.invitations.select_related("organisation").order_by("organisation__name", "pk")


class CampaignNotFound(LookupError):
    """The campaign asked for is not one of the questionnaire's (or not a number)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status  # 400: not a number; 404: no such campaign of this form


def campaign_of_questionnaire(questionnaire, raw) -> Campaign:
    """The campaign numbered ``raw`` among ``questionnaire``'s (the analysis's ``campaign``
    parameter, in the API and the CLI)."""
    from django.utils.translation import gettext as _

    text = str(raw).strip()
    if not text.isdecimal() or len(text) > 18:
        raise CampaignNotFound(
            _("campaign: expected a campaign number, got “%(value)s”.") % {"value": text[:50]}, 400
        )
    campaign = questionnaire.campaigns.filter(pk=int(text)).first()
    if campaign is None:
        raise CampaignNotFound(
            _("campaign: the questionnaire %(form_id)s has no campaign %(pk)s.")
            % {"form_id": questionnaire.form_id, "pk": text},
            404,
        )
    return campaign


@dataclass
class PersonalLink:
    invitation: Invitation
    link: str | None


def _link(secret: str) -> str:
    from ..services.campaigns import invitation_link

    return invitation_link(secret)


def invitation_links(campaign: Campaign) -> list[PersonalLink]:
    """Every recipient's personal link, to send another way than by e-mail. Reading them
    changes nothing: the links already given keep working."""
    rows = campaign.invitations.select_related("organisation").order_by("organisation__name", "pk")
    out = []
    for invitation in rows:
        secret = invitation_secret(invitation)
        out.append(PersonalLink(invitation, _link(secret) if secret else None))
    return out
