"""Forms of the territory pages, and the helper every form uses to show service errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from . import geography
from .models import Territory


def add_service_errors(form: forms.BaseForm, exc: ValidationError, aliases=None) -> None:
    """Show a service's ValidationError on the form: on the field it names, else on top.

    ``aliases`` maps a service's field name to the form's (``territories`` → ``french_territories``).
    """
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = aliases.get(name, name)
            if target in form.fields:
                form.add_error(target, errors)
            else:
                label = "" if name == NON_FIELD_ERRORS else f"{name}: "
                form.add_error(None, [f"{label}{message}" for e in errors for message in e])
    else:
        form.add_error(None, exc.messages)


class TerritoryForm(forms.ModelForm):
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("ISO 639-1 codes separated by commas, e.g. fr, wo"),
    )

    class Meta:
        model = Territory
        fields = (
            "name",
            "kind",
            "country",
            "subdivision",
            "official_code",
            "latitude",
            "longitude",
            "population",
            "languages",
            "is_fictitious",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"),
            choices=[("", "—")] + geography.country_choices(),
            help_text=self.fields["country"].help_text,
        )
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages or [])

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        codes = [c.strip().lower() for c in raw.replace(";", ",").split(",") if c.strip()]
        bad = [c for c in codes if not geography.is_language(c)]
        if bad:
            raise ValidationError(
                _("Not ISO 639-1 language codes: %(codes)s"), params={"codes": ", ".join(bad)}
            )
        return codes

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class TerritoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or official code"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    kind = forms.ChoiceField(label=_("Kind of authority"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import TerritoryKind

        self.fields["q"].widget.input_type = "search"
        self.fields["country"].choices = [("", _("All countries"))] + geography.country_choices()
        self.fields["zone"].choices = [("", _("All zones"))] + [
            (z.key, z.label()) for z in geography.zones()
        ]
        self.fields["kind"].choices = [("", _("All kinds"))] + list(TerritoryKind.choices)
