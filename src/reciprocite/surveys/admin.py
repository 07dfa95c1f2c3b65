"""Administration of the surveys app: read-mostly views for the platform administrator.

Questionnaire versions are loaded from XLSForm files (the questionnaire pages or
``reciprocite survey load-xlsform``), never edited here: their structure and file are read
only. Invitations never show their token digest.
"""

from django.contrib import admin

from .models import (
    Campaign,
    CooperationReview,
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Submission,
)


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ("version", "xlsform_name", "languages", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("form_id", "title", "default_language", "organisation", "created_at")
    search_fields = ("form_id", "title")
    readonly_fields = ("form_id", "default_language", "created_at")
    inlines = [VersionInline]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ("questionnaire", "version", "xlsform_name", "created_at", "created_by")
    list_filter = ("questionnaire",)
    readonly_fields = (
        "questionnaire",
        "version",
        "structure",
        "rows",
        "unsupported",
        "languages",
        "xlsform_name",
        "created_at",
        "created_by",
    )
    exclude = ("xlsform",)

    def has_add_permission(self, request):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "questionnaire", "status", "closes_at", "published_at", "created_at")
    list_filter = ("status", "questionnaire")
    search_fields = ("title",)
    # published through campaign_publish / campaign_unpublish only, which keep the history
    readonly_fields = ("published_at", "published_by")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("campaign", "organisation", "email", "status", "sent_at", "submitted_at")
    list_filter = ("status", "campaign")
    search_fields = ("email", "organisation__name")
    exclude = ("token_digest", "secret_nonce", "legacy_token_digest")
    readonly_fields = ("campaign", "organisation", "draft")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("uuid", "questionnaire", "version", "source", "submitted_at")
    list_filter = ("questionnaire", "source")
    search_fields = ("uuid",)
    readonly_fields = (
        "questionnaire",
        "version",
        "uuid",
        "data",
        "content_digest",
        "source",
        "invitation",
        "submitted_at",
        "received_at",
        "submitted_by",
    )

    def has_add_permission(self, request):
        return False


@admin.register(CooperationReview)
class CooperationReviewAdmin(admin.ModelAdmin):
    list_display = ("submission", "repeat_name", "repeat_index", "status", "reviewed_at")
    list_filter = ("status",)
    readonly_fields = ("submission", "repeat_name", "repeat_index", "partnership", "project")
