from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reciprocite.core.audit import audit_record

from . import throttle
from .models import Membership


def locked_message(lock) -> str:
    """The one message of a lock, whatever the scope and whether the account exists."""
    return ngettext(
        "Too many attempts: try again in %(minutes)d minute.",
        "Too many attempts: try again in %(minutes)d minutes.",
        lock.minutes,
    ) % {"minutes": lock.minutes}


class ThrottledSignInMixin:
    """Sign-in throttled per account and per address (accounts.throttle).

    A locked account or address is refused before the password is even checked, so the
    right password does not get in during the lock; the message is the same for an account
    that does not exist. Unknown user and wrong password share Django's one message.
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        checks = [(throttle.SIGNIN_ACCOUNT, username), (throttle.SIGNIN_ADDRESS, address)]
        lock = throttle.first_lock(checks)
        if lock is not None:
            self.lock = lock
            # refused without a look at the password: a failure all the same, in the log
            audit_record(
                kind="sign_in_failed",
                request=self.request,
                username=username,
                detail={"locked": lock.scope},
            )
            raise ValidationError(locked_message(lock), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.get_user() is None and self.cleaned_data.get("password"):
                for scope, identifier in checks:
                    throttle.register_failure(
                        scope, identifier, request=self.request, username=username
                    )
            raise
        throttle.clear(throttle.SIGNIN_ACCOUNT, username)
        return cleaned


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    lock = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The administration's sign-in (staff only), throttled like the site's."""

    lock = None


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


def _plain_password_help(form, name: str) -> None:
    """The password rules as one sentence (Django's help is an HTML list)."""
    form.fields[name].help_text = " ".join(password_validation.password_validators_help_texts())


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for a reset link; throttled per client address and per e-mail address. The answer
    is the same whether an account has this address or not."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].widget.attrs.update(autocomplete="email")

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email") or ""
        address = throttle.client_address(self.request) if self.request else ""
        checks = [(throttle.RESET_ADDRESS, address), (throttle.RESET_EMAIL, email)]
        lock = throttle.first_lock(checks)
        if lock is not None:
            raise ValidationError(locked_message(lock), code="locked")
        if email:
            for scope, identifier in checks:  # every request counts, answered or not
                throttle.register_failure(scope, identifier, request=self.request)
        return cleaned

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # in the language the person chose, else the one of the page they asked from
        language = getattr(context.get("user"), "preferred_language", "") or None
        with translation.override(language or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_password_help(self, "new_password1")


class PasswordChangeWithOldForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_password_help(self, "new_password1")


class CodeForm(forms.Form):
    """A 6-digit code of the authenticator, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator application shows, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the application"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DisableSecondFactorForm(forms.Form):
    """Turning the second factor off asks for a current code or the password."""

    code_or_password = forms.CharField(
        label=_("A current code, or your password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
