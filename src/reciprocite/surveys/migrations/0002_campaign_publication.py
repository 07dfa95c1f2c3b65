"""The publish step, stable personal links, and each answer's campaign.

Data: every campaign that exists is published (its figures were public already, nothing
public disappears); answers given through an invitation belong to its campaign; answers of
no invitation (imports, the API), public until now, are gathered per questionnaire in one
closed, published campaign "Answers recorded before the publish step". Every invitation gets
its stable link; a link already e-mailed keeps opening it (``legacy_token_digest``).
"""

import base64
import hashlib
import hmac
import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _secret(nonce: str) -> str:
    # as services.invitations._derive
    mac = hmac.new(
        settings.SECRET_KEY.encode(),
        b"reciprocite.surveys.invitation:" + nonce.encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def forwards(apps, schema_editor):
    Campaign = apps.get_model("surveys", "Campaign")
    CampaignPublication = apps.get_model("surveys", "CampaignPublication")
    Invitation = apps.get_model("surveys", "Invitation")
    Submission = apps.get_model("surveys", "Submission")
    now = timezone.now()
    for campaign in Campaign.objects.filter(published_at__isnull=True):
        campaign.published_at = now
        campaign.save(update_fields=["published_at"])
        CampaignPublication.objects.create(campaign=campaign, action="publish", at=now)
    for submission in Submission.objects.filter(invitation__isnull=False, campaign__isnull=True):
        submission.campaign_id = submission.invitation.campaign_id
        submission.save(update_fields=["campaign"])
    orphans = Submission.objects.filter(campaign__isnull=True)
    for questionnaire_id in sorted(set(orphans.values_list("questionnaire_id", flat=True))):
        earlier = Campaign.objects.create(
            questionnaire_id=questionnaire_id,
            title="Answers recorded before the publish step",
            status="closed",
            max_reminders=0,
            published_at=now,
            created_at=now,
        )
        CampaignPublication.objects.create(campaign=earlier, action="publish", at=now)
        orphans.filter(questionnaire_id=questionnaire_id).update(campaign=earlier)
    for invitation in Invitation.objects.filter(secret_nonce=""):
        nonce = secrets.token_hex(16)
        if invitation.sent_at is not None:
            invitation.legacy_token_digest = invitation.token_digest
        invitation.secret_nonce = nonce
        invitation.token_digest = hashlib.sha256(_secret(nonce).encode()).hexdigest()
        invitation.save(update_fields=["secret_nonce", "token_digest", "legacy_token_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published at"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="legacy_token_digest",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="secret_nonce",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="submission",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="submissions",
                to="surveys.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.CreateModel(
            name="CampaignPublication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[("publish", "Published"), ("unpublish", "Withdrawn")],
                        max_length=10,
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publications",
                        to="surveys.campaign",
                    ),
                ),
            ],
            options={
                "verbose_name": "campaign publication",
                "verbose_name_plural": "campaign publications",
                "ordering": ["campaign", "at", "pk"],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
