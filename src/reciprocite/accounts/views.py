"""Sign-in, sign-out and the "my account" page (memberships and API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .forms import SignInForm, TokenCreateForm
from .models import ApiToken


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


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
    if not permissions.can_manage_tokens(request.user, membership):
        raise PermissionDenied(_("You may not do this."))
    token, secret = services.api_token_create(membership=membership, name=form.cleaned_data["name"])
    # The secret is shown in this response only: it is never stored nor shown again.
    return _account_page(request, secret=secret, new_token=token)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("membership"), pk=pk)
    if not permissions.can_manage_tokens(request.user, token.membership):
        raise PermissionDenied(_("You may not do this."))
    if token.revoked_at is None:
        services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:account")
