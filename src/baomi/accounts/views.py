"""Login, logout, own account. Thin: forms validate shape, services change state (STYLE 2.9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.accounts import services
from baomi.accounts.forms import LoginForm, PasswordChangeForm
from baomi.core.errors import BaomiError


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            # One message for every failure: no hint whether the name exists or is locked.
            form.add_error(None, _("Wrong username or password, or the account is locked."))
        else:
            services.register_login_success(user)
            login(request, user)
            return redirect(request.GET.get("next") or "dashboard:home")
    return render(request, "accounts/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.register_logout(request.user)
    logout(request)
    return redirect("accounts:login")


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user,  # type: ignore[arg-type]  # login_required: a User
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except BaomiError as exc:
            form.add_error(None, str(exc))
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
