from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Territory


@admin.register(Territory)
class TerritoryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country", "official_code", "is_fictitious", "deleted_at")
    list_filter = ("kind", "country", "is_fictitious")
    search_fields = ("name", "official_code")

    def get_queryset(self, request):
        # Soft-deleted territories too: the administrator may need to see or restore them.
        return Territory.all_objects.all()
