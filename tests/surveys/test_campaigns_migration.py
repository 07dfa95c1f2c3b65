"""Migration surveys/0002: what was public stays public, answers find their campaign, links
already e-mailed keep working and every invitation gets its stable link."""

from __future__ import annotations

import hashlib
import importlib
import uuid

import pytest
from django.apps import apps

from reciprocite.surveys.models import Campaign, CampaignPublication, Invitation, Submission
from reciprocite.surveys.services.invitations import invitation_for_token, invitation_secret

pytestmark = pytest.mark.django_db

forwards = importlib.import_module(
    "reciprocite.surveys.migrations.0002_campaign_publication"
).forwards


def _submission(questionnaire, **fields):
    return Submission.objects.create(
        questionnaire=questionnaire,
        version=questionnaire.current_version,
        uuid=uuid.uuid4(),
        data={},
        content_digest="x",
        source=fields.pop("source", "import"),
        **fields,
    )


def test_existing_data_is_carried_over(cooperations_form, members):
    campaign = Campaign.objects.create(
        questionnaire=cooperations_form, title="2025", status="closed"
    )
    old_secret = "an-old-link-e-mailed-before"
    mailed = Invitation.objects.create(
        campaign=campaign,
        organisation=members["caen"],
        email="international@caen.test",
        token_digest=hashlib.sha256(old_secret.encode()).hexdigest(),
        sent_at="2025-05-01T10:00:00Z",
    )
    unsent = Invitation.objects.create(
        campaign=campaign,
        organisation=members["nantes"],
        email="cooperation@nantes.test",
        token_digest=hashlib.sha256(b"never-given").hexdigest(),
    )
    through = _submission(cooperations_form, invitation=mailed, source="web")
    imported = _submission(cooperations_form)

    forwards(apps, None)

    campaign.refresh_from_db()
    assert campaign.published_at is not None
    assert list(CampaignPublication.objects.filter(campaign=campaign).values_list("action")) == [
        ("publish",)
    ]
    through.refresh_from_db()
    assert through.campaign == campaign
    imported.refresh_from_db()
    earlier = imported.campaign
    assert earlier.title == "Answers recorded before the publish step"
    assert (earlier.status, earlier.is_published) == ("closed", True)

    mailed.refresh_from_db()
    unsent.refresh_from_db()
    assert invitation_for_token(old_secret) == mailed  # the e-mailed link still opens
    assert invitation_for_token(invitation_secret(mailed)) == mailed
    assert invitation_secret(unsent) is not None
    assert invitation_for_token("never-given") is None
