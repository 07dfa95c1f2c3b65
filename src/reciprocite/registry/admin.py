from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Actor,
    BudgetLine,
    Document,
    Funder,
    Partnership,
    PartnershipParty,
    Programme,
    Project,
    ProjectActor,
    ProjectFunding,
    Replication,
    TargetPublic,
    Theme,
)


class AllRowsMixin:
    """Soft-deleted rows too (``all_objects``): the administrator sees and can restore them."""

    def get_queryset(self, request):
        qs = self.model.all_objects.all()
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs


class AnnouncesPartnerships:
    """The admin writes past the services: it announces the partnerships it touches
    (``services.partnerships_announce``, core.changes) as they do, before and after the
    write (a project moved to another partnership changes both). ``partnership_path``
    reaches the partnership's id from the model; ``announce_saves`` False: only a deletion
    changes the partnerships (a theme's label does not)."""

    partnership_path = "partnership_id"
    announce_saves = True

    def partnerships_of(self, pks) -> list[int]:
        return list(
            self.model._base_manager.filter(pk__in=list(pks))
            .exclude(**{f"{self.partnership_path}__isnull": True})
            .order_by()
            .values_list(self.partnership_path, flat=True)
            .distinct()
        )

    def save_model(self, request, obj, form, change):
        if not self.announce_saves:
            return super().save_model(request, obj, form, change)
        before = self.partnerships_of([obj.pk]) if change else []
        super().save_model(request, obj, form, change)
        services.partnerships_announce([*before, *self.partnerships_of([obj.pk])])
        return None

    def delete_model(self, request, obj):
        ids = self.partnerships_of([obj.pk])
        super().delete_model(request, obj)
        services.partnerships_announce(ids)

    def delete_queryset(self, request, queryset):
        ids = self.partnerships_of(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        services.partnerships_announce(ids)


@admin.register(Theme)
class ThemeAdmin(AnnouncesPartnerships, admin.ModelAdmin):
    partnership_path = "projects__partnership_id"
    announce_saves = False
    list_display = ("code", "label", "dac_code")


@admin.register(TargetPublic)
class TargetPublicAdmin(admin.ModelAdmin):
    list_display = ("code", "label")


class PartyInline(admin.TabularInline):
    model = PartnershipParty
    extra = 0
    autocomplete_fields = ("territory",)


@admin.register(Partnership)
class PartnershipAdmin(AnnouncesPartnerships, AllRowsMixin, SimpleHistoryAdmin):
    partnership_path = "pk"
    list_display = (
        "title",
        "kind",
        "status",
        "start_date",
        "is_published",
        "is_fictitious",
        "deleted_at",
    )
    list_filter = ("kind", "status", "is_published", "is_fictitious")
    search_fields = ("title",)
    inlines = (PartyInline,)


@admin.register(PartnershipParty)
class PartnershipPartyAdmin(AnnouncesPartnerships, SimpleHistoryAdmin):
    list_display = ("partnership", "territory", "side")
    list_filter = ("side",)
    autocomplete_fields = ("partnership", "territory")


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    autocomplete_fields = ("funder",)


@admin.register(Programme)
class ProgrammeAdmin(AllRowsMixin, SimpleHistoryAdmin):
    list_display = ("title", "partnership", "start_year", "end_year", "deleted_at")
    search_fields = ("title", "partnership__title")
    autocomplete_fields = ("partnership",)
    inlines = (BudgetLineInline,)


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ("programme", "year", "funder", "amount", "currency")
    list_filter = ("currency",)
    autocomplete_fields = ("programme", "funder")


class FundingInline(admin.TabularInline):
    model = ProjectFunding
    extra = 0
    autocomplete_fields = ("funder",)


class ProjectActorInline(admin.TabularInline):
    model = ProjectActor
    extra = 0
    autocomplete_fields = ("actor",)


@admin.register(Project)
class ProjectAdmin(AnnouncesPartnerships, AllRowsMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "partnership",
        "status",
        "start_date",
        "budget_amount",
        "budget_currency",
        "is_fictitious",
        "deleted_at",
    )
    list_filter = ("status", "themes", "is_fictitious")
    search_fields = ("title", "partnership__title")
    autocomplete_fields = ("partnership", "programme")
    filter_horizontal = ("themes", "publics")
    inlines = (FundingInline, ProjectActorInline)


@admin.register(ProjectFunding)
class ProjectFundingAdmin(AnnouncesPartnerships, SimpleHistoryAdmin):
    partnership_path = "project__partnership_id"
    list_display = ("project", "funder", "amount", "currency")
    autocomplete_fields = ("project", "funder")


@admin.register(Actor)
class ActorAdmin(AllRowsMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "territory", "is_fictitious", "deleted_at")
    list_filter = ("kind", "is_fictitious")
    search_fields = ("name",)
    autocomplete_fields = ("territory",)


@admin.register(ProjectActor)
class ProjectActorAdmin(SimpleHistoryAdmin):
    list_display = ("project", "actor", "role")
    list_filter = ("role",)
    autocomplete_fields = ("project", "actor")


@admin.register(Replication)
class ReplicationAdmin(SimpleHistoryAdmin):
    list_display = ("model", "replica", "note")
    autocomplete_fields = ("model", "replica")


@admin.register(Document)
class DocumentAdmin(AllRowsMixin, SimpleHistoryAdmin):
    list_display = ("title", "partnership", "kind", "signed_on", "language", "deleted_at")
    list_filter = ("kind", "language")
    search_fields = ("title",)
    autocomplete_fields = ("partnership",)
