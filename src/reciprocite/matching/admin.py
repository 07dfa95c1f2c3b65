from django.contrib import admin

from .models import (
    ContactMessage,
    ContactRequest,
    Expertise,
    Innovation,
    LearningInterest,
    LedgerEntry,
    Need,
)

_RECORD_FIELDS = ("ref", "title", "lang", "authority", "published")
_READONLY = ("text_hash", "terms", "query_terms", "passages")

for model in (Expertise, LearningInterest, Need, Innovation):
    admin.site.register(
        model,
        list_display=_RECORD_FIELDS,
        list_filter=("published", "lang"),
        search_fields=("ref", "title"),
        readonly_fields=_READONLY,
        raw_id_fields=("authority", "organisation"),
    )

admin.site.register(ContactRequest, list_display=("from_ref", "to_ref", "status", "created_at"))
admin.site.register(ContactMessage, list_display=("request", "author", "created_at"))
admin.site.register(
    LedgerEntry,
    list_display=("authority", "side", "change_kind", "published"),
    raw_id_fields=("project", "sheet", "authority", "organisation"),
)
