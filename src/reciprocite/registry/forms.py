"""Forms of the registry pages. They validate input; the views call the services to write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pycountry
from babel.numbers import get_currency_name
from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from reciprocite.accounts.permissions import principal_of
from reciprocite.territories.models import Territory

from .models import (
    LANGUAGE_CHOICES,
    Actor,
    ActorKind,
    ActorRole,
    Document,
    Funder,
    FunderKind,
    Partnership,
    Programme,
    Project,
)
from .taxonomy import TARGET_PUBLICS, THEMES

COMMON_CURRENCIES = ("EUR", "XOF", "MAD", "TND", "DZD", "RUB", "USD", "MGA", "XAF", "GBP")


def currency_choices() -> list[tuple[str, str]]:
    """Common currencies of the network first, then every ISO 4217 code."""
    locale = to_locale(get_language() or "fr")

    def label(code: str) -> str:
        try:
            return f"{code} — {get_currency_name(code, locale=locale)}"
        except Exception:
            return code

    codes = sorted(c.alpha_3 for c in pycountry.currencies)
    rest = [c for c in codes if c not in COMMON_CURRENCIES]
    return [(c, label(c)) for c in COMMON_CURRENCIES] + [(c, label(c)) for c in rest]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TerritoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        return f"{obj.name} — {obj.get_kind_display()}, {obj.country}"


# --- partnerships -----------------------------------------------------------------------------


class PartnershipForm(forms.ModelForm):
    french_territories = TerritoryChoiceField(
        label=_("French side"),
        queryset=Territory.objects.none(),
        help_text=_("One or more French local authorities."),
    )
    partner_territories = TerritoryChoiceField(
        label=_("Partner side"),
        queryset=Territory.objects.none(),
        help_text=_("One or more partner authorities abroad."),
    )

    class Meta:
        model = Partnership
        fields = (
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "description",
            "language",
            "is_published",
            "is_fictitious",
        )
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(
        self, *args: Any, user: AbstractBaseUser | AnonymousUser | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        current = {"french": [], "partner": []}
        if self.instance.pk:
            for party in self.instance.parties.all():
                current[party.side].append(party.territory_id)
            if not self.is_bound:
                self.initial["french_territories"] = current["french"]
                self.initial["partner_territories"] = current["partner"]
        ids = current["french"] + current["partner"]
        self.fields["french_territories"].queryset = Territory.objects.filter(
            Q(country="FR") | Q(pk__in=ids)
        ).order_by("name", "id")
        self.fields["partner_territories"].queryset = Territory.objects.filter(
            ~Q(country="FR") | Q(pk__in=ids)
        ).order_by("name", "id")
        for name in ("french_territories", "partner_territories"):
            self.fields[name].widget.attrs["size"] = 8

    def clean(self):
        cleaned = super().clean()
        french = cleaned.get("french_territories") or []
        partners = cleaned.get("partner_territories") or []
        if {t.pk for t in french} & {t.pk for t in partners}:
            self.add_error("partner_territories", _("A territory cannot be on both sides."))
        p = principal_of(self.user)
        if french and partners and not (p.is_admin or p.is_analyst):
            chosen = {t.pk for t in french} | {t.pk for t in partners}
            if not chosen & p.member_territory_ids:
                own = ", ".join(
                    Territory.objects.filter(pk__in=p.member_territory_ids).values_list(
                        "name", flat=True
                    )
                )
                raise ValidationError(
                    _("A partnership you record must include your own territory (%(own)s)."),
                    params={"own": own or "—"},
                )
        return cleaned

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# --- projects ----------------------------------------------------------------------------------


class ProjectForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one theme of the study's taxonomy."),
    )
    publics = forms.MultipleChoiceField(
        label=_("Target publics"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    budget_currency = forms.ChoiceField(label=_("Currency of the budget"), choices=())

    class Meta:
        model = Project
        fields = (
            "title",
            "summary",
            "description",
            "results",
            "status",
            "start_date",
            "end_date",
            "programme",
            "budget_amount",
            "budget_currency",
            "language",
            "is_fictitious",
        )
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.instance.partnership = partnership
        self.fields["themes"].choices = [
            (code, str(label)) for code, (label, _dac) in THEMES.items()
        ]
        self.fields["publics"].choices = [
            (code, str(label)) for code, label in TARGET_PUBLICS.items()
        ]
        self.fields["budget_currency"].choices = currency_choices()
        self.fields["programme"].queryset = Programme.objects.filter(partnership=partnership)
        if self.instance.pk and not self.is_bound:
            self.initial["themes"] = [t.code for t in self.instance.themes.all()]
            self.initial["publics"] = [t.code for t in self.instance.publics.all()]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class FundingForm(forms.Form):
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "funder-names", "autocomplete": "off"}),
    )
    funder_kind = forms.ChoiceField(
        label=_("Kind of funder"),
        choices=FunderKind.choices,
        initial=FunderKind.OWN_FUNDS,
        help_text=_("Used when the funder is new."),
    )
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=(), initial="EUR")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()

    def clean(self):
        cleaned = super().clean()
        funder, amount = (cleaned.get("funder") or "").strip(), cleaned.get("amount")
        if funder and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount of this co-funding."))
        if amount is not None and not funder:
            self.add_error("funder", _("Name the funder of this amount."))
        cleaned["funder"] = funder
        return cleaned


class BaseFundingFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            name = (form.cleaned_data.get("funder") or "").casefold()
            if name and name in seen:
                raise ValidationError(_("Each funder may appear only once."))
            seen.add(name)

    def rows(self) -> list[tuple[str, str, Decimal, str]]:
        """(funder name, funder kind, amount, currency) of the filled rows not marked deleted."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or (self.can_delete and data.get("DELETE")) or not data.get("funder"):
                continue
            rows.append((data["funder"], data["funder_kind"], data["amount"], data["currency"]))
        return rows


# formset_factory is typed as returning a plain BaseFormSet; this one has rows()
FundingFormSet = cast(
    type[BaseFundingFormSet],
    forms.formset_factory(
        FundingForm, formset=BaseFundingFormSet, extra=1, can_delete=True, max_num=50
    ),
)


def funding_initial(project: Project | None) -> list[dict]:
    if project is None or not project.pk:
        return []
    return [
        {
            "funder": f.funder.name,
            "funder_kind": f.funder.kind,
            "amount": f.amount,
            "currency": f.currency,
        }
        for f in project.fundings.select_related("funder").order_by("funder__name")
    ]


class ActorRoleForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Existing actor"),
        queryset=Actor.objects.order_by("name"),
        required=False,
        empty_label=_("— choose, or name a new actor below —"),
    )
    new_actor_name = forms.CharField(label=_("New actor's name"), max_length=200, required=False)
    new_actor_kind = forms.ChoiceField(
        label=_("Kind of the new actor"), choices=ActorKind.choices, required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=ActorRole.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        actor, name = cleaned.get("actor"), (cleaned.get("new_actor_name") or "").strip()
        if not actor and not name:
            self.add_error("actor", _("Choose an actor or give the name of a new one."))
        if actor and name:
            self.add_error("new_actor_name", _("Choose an existing actor or a new one, not both."))
        if name and not cleaned.get("new_actor_kind"):
            self.add_error("new_actor_kind", _("Say what kind of actor this is."))
        cleaned["new_actor_name"] = name
        return cleaned


class ReplicationForm(forms.Form):
    DIRECTION_CHOICES = (
        ("replica", _("This project was replicated as the project chosen below")),
        ("model", _("This project replicates the model of the project chosen below")),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=DIRECTION_CHOICES, widget=forms.RadioSelect, initial="replica"
    )
    other = forms.ModelChoiceField(label=_("Other project"), queryset=Project.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, project: Project, visible_projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = visible_projects.exclude(pk=project.pk)
        self.fields["other"].label_from_instance = lambda p: f"{p.title} — {p.partnership.title}"


# --- programmes and budgets -------------------------------------------------------------------


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ("title", "start_year", "end_year", "description")

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "funder-names", "autocomplete": "off"}),
    )
    funder_kind = forms.ChoiceField(
        label=_("Kind of funder"),
        choices=FunderKind.choices,
        initial=FunderKind.OWN_FUNDS,
        help_text=_("Used when the funder is new."),
    )
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0")
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=(), initial="EUR")

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["currency"].choices = currency_choices()
        self.fields["year"].min_value = programme.start_year
        self.fields["year"].widget.attrs.update(min=programme.start_year, max=programme.end_year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not self.programme.start_year <= year <= self.programme.end_year:
            raise ValidationError(
                _("%(year)s is outside the programme's years (%(a)s–%(b)s)."),
                params={
                    "year": year,
                    "a": self.programme.start_year,
                    "b": self.programme.end_year,
                },
            )
        return year


def funder_names() -> list[str]:
    return list(Funder.objects.order_by("name").values_list("name", flat=True))


# --- documents ---------------------------------------------------------------------------------


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ("title", "kind", "file", "signed_on", "language")
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["file"].help_text = _("PDF, ODT or DOCX; %(size)s at most.") % {
            "size": filesizeformat(settings.RECIPROCITE_MAX_UPLOAD_BYTES)
        }
        self.fields["file"].widget = forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.odt,.docx,application/pdf,"
                "application/vnd.oasis.opendocument.text,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        )

    def clean_file(self):
        from .services import document_file_checked

        upload = self.cleaned_data.get("file")
        if not upload:
            raise ValidationError(_("Choose a file."))
        return document_file_checked(upload)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# --- translations ------------------------------------------------------------------------------


class TranslationForm(forms.Form):
    """A translation of a partnership's or a project's texts: its language (when it is new)
    and the same texts as the original."""

    language = forms.ChoiceField(label=_("Language of the translation"))
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    results = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(
        self,
        *args: object,
        original: Partnership | Project,
        text_fields: tuple[str, ...],
        language: str | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.text_fields = tuple(text_fields)
        for name in ("title", "summary", "description", "results"):
            if name not in self.text_fields:
                del self.fields[name]
        taken = {t.language for t in original.translations.all()}
        self.fields["language"].choices = [
            (code, name)
            for code, name in LANGUAGE_CHOICES
            if code != original.language and (code == language or code not in taken)
        ]
        if language:  # an existing translation keeps its language
            self.fields["language"].initial = language
            self.fields["language"].disabled = True
        for name in self.text_fields:  # the translator types in the translation's language
            self.fields[name].widget.attrs["dir"] = "auto"

    def texts(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.text_fields}
