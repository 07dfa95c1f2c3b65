"""Admin of the knowledge base: sheets are read here (edited through the site's pages, which
keep versions and the index); the toolbox is managed here, files checked by content."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from reciprocite.interop import files

from . import services
from .models import Sheet, SheetVersion, Tool, ToolFile


class SheetVersionInline(admin.TabularInline):
    model = SheetVersion
    fields = ("number", "status", "author", "note", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Sheet)
class SheetAdmin(admin.ModelAdmin):
    list_display = ("ref", "title", "language", "status", "country", "stage", "is_highlight")
    list_filter = ("status", "language", "stage", "is_highlight")
    search_fields = ("ref", "title")
    readonly_fields = [f.name for f in Sheet._meta.fields]
    inlines = [SheetVersionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ToolFileForm(forms.ModelForm):
    class Meta:
        model = ToolFile
        fields = ("title", "file", "language")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload
            data = files.read_upload(upload)
            self.instance.file_type = files.check_file(upload.name, data)
            self.instance.size = len(data)
            upload.seek(0)
        return upload


class ToolFileInline(admin.TabularInline):
    model = ToolFile
    form = ToolFileForm
    extra = 0


class ToolForm(forms.ModelForm):
    class Meta:
        model = Tool
        fields = (
            "ref",
            "language",
            "title",
            "kind",
            "description",
            "stages",
            "difficulties",
            "themes",
            "status",
            "last_verified",
        )

    def clean(self):
        data = super().clean()
        for name, choices in (
            ("stages", services.Stage.choices),
            ("difficulties", services.Difficulty.choices),
        ):
            if name in data:
                data[name] = services.check_codes(name, data[name] or [], choices)
        return data


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    form = ToolForm
    list_display = ("ref", "title", "kind", "status", "last_verified")
    list_filter = ("kind", "status")
    search_fields = ("ref", "title")
    inlines = [ToolFileInline]
