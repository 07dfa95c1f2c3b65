from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Membership


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class TokenCreateForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=_("Acts for"),
        queryset=Membership.objects.none(),
        help_text=_("The token acts with the rights of this membership only."),
    )
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What the token is for, e.g. “export script”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(user=user).select_related(
            "organisation"
        )
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.organisation.name} — {m.get_role_display()}"
        )
