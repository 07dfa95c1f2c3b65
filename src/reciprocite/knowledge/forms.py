"""Forms of the knowledge base pages: propose/edit a sheet, the workflow, attachments."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocite.interop import files
from reciprocite.registry.models import LANGUAGE_CHOICES, Partnership, Project
from reciprocite.registry.taxonomy import THEMES
from reciprocite.territories import geography

from .models import Sheet
from .taxonomy import NARRATIVE_FIELDS, Difficulty, Stage, Status, ToolKind

RICH_HELP = _(
    "Plain text: leave a blank line between paragraphs. Simple HTML is kept (paragraphs, lists, "
    "bold, italics, links); anything else is removed."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SheetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the content"), choices=LANGUAGE_CHOICES)
    translation_of = forms.ModelChoiceField(
        label=_("Translation of"),
        queryset=Sheet.objects.none(),
        required=False,
        help_text=_("If this sheet translates another one, choose the original."),
    )
    french_authority = forms.CharField(label=_("French authority"), max_length=300, required=False)
    partner_authority = forms.CharField(
        label=_("Partner authority"), max_length=300, required=False
    )
    country = forms.ChoiceField(label=_("Partner country"), required=False)
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    stage = forms.ChoiceField(
        label=_("Stage of the cooperation"),
        choices=[("", "—"), *Stage.choices],
        required=False,
    )
    year_start = forms.IntegerField(
        label=_("Start year"), min_value=1900, max_value=2100, required=False
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership in the registry"), queryset=Partnership.objects.none(), required=False
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects in the registry"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    contacts = forms.CharField(
        label=_("Contacts"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(
        label=_("What changed (for the history)"), max_length=300, required=False
    )

    def __init__(
        self, *args, sheet: Sheet | None = None, editor: bool = False, viewer=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        for name, label in NARRATIVE_FIELDS:
            self.fields[name] = forms.CharField(
                label=label,
                required=name == "summary",
                widget=forms.Textarea(attrs={"rows": 6 if name != "summary" else 4}),
                help_text=RICH_HELP,
            )
        # reading order: narrative fields after the facts, contacts and note last
        order = [
            "title",
            "language",
            "translation_of",
            "french_authority",
            "partner_authority",
            "country",
            "themes",
            "stage",
            "year_start",
            "partnership",
            "projects",
            *[name for name, _label in NARRATIVE_FIELDS],
            "contacts",
        ]
        if editor:
            self.fields["is_highlight"] = forms.BooleanField(
                label=_("Highlight"), required=False, help_text=_("Shown first.")
            )
            order.append("is_highlight")
        order.append("note")
        self.order_fields(order)
        self.fields["country"].choices = [("", "—"), *geography.country_choices()]
        self.fields["themes"].choices = [(code, label) for code, (label, _dac) in THEMES.items()]
        from .selectors import sheets_visible

        # only sheets the viewer may see: a choice list must not reveal others' drafts
        originals = (
            sheets_visible(viewer).filter(translation_of__isnull=True).order_by("title", "pk")
        )
        if sheet is not None and sheet.pk:
            originals = originals.exclude(pk=sheet.pk)
        self.fields["translation_of"].queryset = originals
        self.fields["partnership"].queryset = Partnership.objects.filter(
            is_published=True
        ).order_by("title")
        self.fields["projects"].queryset = (
            Project.objects.filter(partnership__is_published=True, partnership__deleted_at=None)
            .select_related("partnership")
            .order_by("partnership__title", "title")
        )
        self.fields["projects"].label_from_instance = lambda p: f"{p.partnership.title} — {p.title}"

    @classmethod
    def initial_of(cls, sheet: Sheet) -> dict:
        initial = {
            name: getattr(sheet, name)
            for name in (
                "title",
                "language",
                "french_authority",
                "partner_authority",
                "country",
                "stage",
                "year_start",
                "contacts",
                "is_highlight",
                *[n for n, _label in NARRATIVE_FIELDS],
            )
        }
        initial["translation_of"] = sheet.translation_of_id
        initial["partnership"] = sheet.partnership_id
        initial["themes"] = [t.code for t in sheet.themes.all()]
        initial["projects"] = [p.pk for p in sheet.projects.all()]
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("note", None)
        return data


class WorkflowForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("submit", _("Submit for review")),
            ("publish", _("Publish")),
            ("archive", _("Archive")),
            ("draft", _("Send back to draft")),
            ("verify", _("Mark as verified")),
        ]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    last_verified = forms.DateField(label=_("Last verified on"), required=False, widget=DateInput())

    def clean_last_verified(self):
        value = self.cleaned_data.get("last_verified")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, DOCX, XLSX or ODT; %(size)s at most.") % {
            "size": filesizeformat(files.max_bytes())
        }
        self.fields["file"].widget.attrs["accept"] = files.ACCEPT

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(_("Choose a file."))
        data = files.read_upload(upload)
        self.file_type = files.check_file(upload.name, data)
        self.data_bytes = data
        return upload


class ToolForm(forms.Form):
    ref = forms.SlugField(
        label=_("Reference"),
        max_length=64,
        help_text=_("A stable reference: letters, digits and dashes (e.g. outil-convention)."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the content"), choices=LANGUAGE_CHOICES)
    kind = forms.ChoiceField(label=_("Kind of tool"), choices=ToolKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=RICH_HELP,
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    difficulties = forms.MultipleChoiceField(
        label=_("Difficulties addressed"),
        choices=Difficulty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    last_verified = forms.DateField(label=_("Last verified on"), required=False, widget=DateInput())

    def __init__(self, *args, tool=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(code, label) for code, (label, _dac) in THEMES.items()]
        if tool is not None:
            del self.fields["ref"]  # the reference never changes

    @classmethod
    def initial_of(cls, tool) -> dict:
        return {
            "title": tool.title,
            "language": tool.language,
            "kind": tool.kind,
            "description": tool.description,
            "stages": tool.stages,
            "difficulties": tool.difficulties,
            "themes": [t.code for t in tool.themes.all()],
            "status": tool.status,
            "last_verified": tool.last_verified,
        }

    def clean_last_verified(self):
        value = self.cleaned_data.get("last_verified")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ToolFileForm(UploadForm):
    language = forms.ChoiceField(label=_("Language of the content"), choices=LANGUAGE_CHOICES)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("JSON Lines file"),
        help_text=_(
            "One sheet per line, in the layout of the export (see the documentation). "
            "A sheet whose reference exists is updated, never duplicated."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the sheets"),
        required=False,
        help_text=_("Otherwise new sheets are drafts and existing ones keep their status."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".jsonl,.json,application/jsonl,text/plain"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = files.max_bytes()
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload
