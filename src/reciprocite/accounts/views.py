"""Sign-in, sign-out and the "my account" page (memberships and API tokens)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from reciprocite.core.audit import audit_record
from reciprocite.core.http import deny_unless

from . import permissions, selectors, services, throttle
from .forms import (
    AdminSignInForm,
    CodeForm,
    DisableSecondFactorForm,
    EnrolForm,
    NewPasswordForm,
    PasswordChangeWithOldForm,
    PasswordResetRequestForm,
    SignInForm,
    TokenCreateForm,
    locked_message,
)
from .models import ApiToken, User

PENDING = "_reciprocite_second_step"  # session key: a password accepted, a code awaited
PENDING_SECONDS = 300


class SignInView(auth_views.LoginView):
    """Sign-in, throttled (forms.ThrottledSignInMixin); with a second factor, the password
    only leads to the code's page (``SecondStepView``), which signs the user in."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if selectors.has_second_factor(user=user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "until": time.time() + PENDING_SECONDS,
            }
            return redirect("accounts:login_code")
        return super().form_valid(form)


class AdminSignInView(SignInView):
    """The administration's sign-in page (``admin.site.login``): staff only, throttled and
    with the second step like the site's."""

    template_name = "admin/login.html"
    authentication_form = AdminSignInForm
    redirect_authenticated_user = False

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET" and admin.site.has_permission(request):
            return redirect("admin:index")
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("admin:index")

    def get_context_data(self, **kwargs):
        return {
            **admin.site.each_context(self.request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": self.request.get_full_path(),
            "username": self.request.user.get_username(),
            **super().get_context_data(**kwargs),
        }


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class SecondStepView(FormView):
    """The code of the authenticator (or a recovery code) after the password; codes are
    throttled like passwords, per account and per address."""

    template_name = "accounts/login_code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        pending = request.session.get(PENDING)
        if not pending or pending.get("until", 0) < time.time():
            request.session.pop(PENDING, None)
            messages.info(request, _("Your sign-in has expired: please sign in again."))
            return redirect("accounts:login")
        self.pending = pending
        self.user = get_object_or_404(User, pk=pending["user"], is_active=True)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request, user = self.request, self.user
        username = user.get_username()
        checks = [
            (throttle.SIGNIN_ACCOUNT, username),
            (throttle.SIGNIN_ADDRESS, throttle.client_address(request)),
        ]
        lock = throttle.first_lock(checks)
        if lock is not None:
            request.session.pop(PENDING, None)
            form.add_error(None, locked_message(lock))
            return self.form_invalid(form)
        used = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if used is None:
            for scope, identifier in checks:
                throttle.register_failure(scope, identifier, request=request, username=username)
            audit_record(
                kind="sign_in_failed",
                request=request,
                username=username,
                detail={"step": "second factor"},
            )
            form.add_error("code", _("This code is not valid."))
            return self.form_invalid(form)
        throttle.clear(throttle.SIGNIN_ACCOUNT, username)
        pending = request.session.pop(PENDING)
        auth_login(request, user, backend=pending["backend"])
        if used == "recovery":
            left = selectors.recovery_codes_left(user=user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code; it cannot be used again. "
                    "%(left)d recovery code is left.",
                    "You signed in with a recovery code; it cannot be used again. "
                    "%(left)d recovery codes are left.",
                    left,
                )
                % {"left": left},
            )
        target = pending.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return redirect(target)


class SignOutView(auth_views.LogoutView):
    pass


def _account_page(request, *, form=None, secret=None, new_token=None, status=200):
    response = render(
        request,
        "accounts/account.html",
        {
            "memberships": selectors.membership_list(user=request.user),
            "tokens": selectors.token_list(user=request.user),
            "form": form or TokenCreateForm(user=request.user),
            "secret": secret,
            "new_token": new_token,
            "second_factor_allowed": permissions.can_use_second_factor(request.user),
            "second_factor_on": selectors.has_second_factor(user=request.user),
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def account(request):
    return _account_page(request)


@never_cache
@login_required
@require_POST
def token_create(request):
    form = TokenCreateForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, form=form)
    membership = form.cleaned_data["membership"]
    deny_unless(permissions.can_manage_tokens(request.user, membership))
    token, secret = services.api_token_create(membership=membership, name=form.cleaned_data["name"])
    # The secret is shown in this response only: it is never stored nor shown again.
    return _account_page(request, secret=secret, new_token=token)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("membership"), pk=pk)
    deny_unless(permissions.can_manage_tokens(request.user, token.membership))
    if token.revoked_at is None:
        services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:account")


# -- password reset (by e-mail) and change -----------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for a reset link. The page that follows is the same whether an account has the
    address or not; requests are throttled per client address and per e-mail address."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        # the links point to the site's configured address, never to the request's Host
        self.extra_email_context = {"site_url": settings.RECIPROCITE_SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class _PasswordChangedMixin:
    """After a new password is saved: the services clear its throttling and audit it."""

    how = ""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, how=self.how, request=self.request)
        return response


class PasswordResetConfirmView(_PasswordChangedMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    how = "reset"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(_PasswordChangedMixin, auth_views.PasswordChangeView):
    """A signed-in user changes their password, giving the current one first."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeWithOldForm
    success_url = reverse_lazy("accounts:account")
    how = "change"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


# -- second factor ---------------------------------------------------------------------------

ENROL_SECRET = "_reciprocite_enrol_secret"  # noqa: S105 - a session key


def _second_factor_allowed(request) -> None:
    if not permissions.can_use_second_factor(request.user):
        raise PermissionDenied(_("A second factor is offered to analysts and administrators."))


def _second_factor_page(request, *, form=None, codes=None, status=200):
    on = selectors.has_second_factor(user=request.user)
    context = {"on": on, "codes": codes}
    if on:
        context["form"] = form or DisableSecondFactorForm()
        context["codes_left"] = selectors.recovery_codes_left(user=request.user)
    elif codes is None:
        secret = request.session.get(ENROL_SECRET)
        if not secret:
            secret = request.session[ENROL_SECRET] = services.second_factor_new_secret()
        uri = services.second_factor_uri(user=request.user, secret=secret)
        context.update(
            form=form or EnrolForm(),
            secret=secret,
            qr_data_uri=selectors.qr_code_data_uri(uri),
        )
    response = render(request, "accounts/second_factor.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@sensitive_post_parameters("code")
def second_factor(request):
    """Enrolment: scan the QR code, confirm with a code; the recovery codes are shown once."""
    _second_factor_allowed(request)
    if request.method != "POST" or selectors.has_second_factor(user=request.user):
        return _second_factor_page(request)
    form = EnrolForm(request.POST)
    secret = request.session.get(ENROL_SECRET)
    if form.is_valid() and secret:
        codes = services.second_factor_enable(
            user=request.user, secret=secret, code=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            request.session.pop(ENROL_SECRET, None)
            return _second_factor_page(request, codes=codes)
        form.add_error("code", _("This code is not valid: check the time of your device."))
    return _second_factor_page(request, form=form, status=200)


@never_cache
@login_required
@require_POST
@sensitive_post_parameters("code_or_password")
def second_factor_disable(request):
    _second_factor_allowed(request)
    form = DisableSecondFactorForm(request.POST)
    if form.is_valid():
        proof = form.cleaned_data["code_or_password"]
        username = request.user.get_username()
        lock = throttle.locked(throttle.SIGNIN_ACCOUNT, username)
        if lock is not None:
            form.add_error(None, locked_message(lock))
        elif request.user.check_password(proof) or services.second_factor_verify(
            user=request.user, code=proof
        ):
            services.second_factor_disable(user=request.user, request=request)
            messages.success(request, _("The second factor is off."))
            return redirect("accounts:account")
        else:
            throttle.register_failure(
                throttle.SIGNIN_ACCOUNT, username, request=request, username=username
            )
            form.add_error(
                "code_or_password", _("This is neither a current code nor your password.")
            )
    return _second_factor_page(request, form=form)
