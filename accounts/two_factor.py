"""Two-factor authentication for officers and administrators (django-otp: TOTP apps and static backup codes).

With REQUIRE_2FA on (the default when DEBUG is off) a signed-in officer or administrator reaches no page but
these until the session is verified by a second factor: first enrolment (scan the otpauth URI, confirm one
code, receive ten backup codes), later a code at every log-in. An administrator can reset a user's devices
(lost phone); every enrolment, verification, failure and reset goes to SecondFactorEvent.
"""

import base64
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.decorators import administrator_required
from accounts.models import SecondFactorAction, SecondFactorEvent, User

BACKUP_CODES = 10
#: what an officer or administrator without a verified second factor may still reach
OPEN_VIEWS = {
    "logout",
    "set_language",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:verify_pending",
    "accounts:verify_email",
}


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("code"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


def needs_second_factor(user) -> bool:
    return bool(settings.REQUIRE_2FA and user.is_authenticated and user.is_officer and not user.is_verified())


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: officers and administrators verify a second factor first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""
            if view_name and view_name not in OPEN_VIEWS:
                has_device = any(devices_for_user(request.user, confirmed=True))
                if not has_device:
                    return redirect("accounts:otp_setup")
                return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _log(*, user: User, action: str, actor: User | None, request=None) -> None:
    SecondFactorEvent.objects.create(
        user=user, actor=actor, action=action, address=request.META.get("REMOTE_ADDR") if request else None
    )


@transaction.atomic
def second_factor_enrol(*, user: User, device: TOTPDevice, token: str, request=None) -> list[str] | None:
    """Confirm the TOTP device with one code; returns new backup codes, or None for a wrong code."""
    if not device.verify_token(token):
        _log(user=user, action=SecondFactorAction.FAIL, actor=user, request=request)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    _log(user=user, action=SecondFactorAction.ENROL, actor=user, request=request)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, actor: User, request=None) -> int:
    """Remove every device of `user` (a lost phone): the next log-in enrols again."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    _log(user=user, action=SecondFactorAction.RESET, actor=actor, request=request)
    return removed


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else reverse("home")


@login_required
def otp_setup(request):
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="authenticator app", confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor_enrol(user=request.user, device=device, token=form.cleaned_data["token"], request=request)
        if codes is not None:
            otp_login(request, device)
            return render(request, "accounts/otp_backup_codes.html", {"codes": codes})
        form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp_setup.html", {"form": form, "uri": device.config_url, "secret": secret})


@login_required
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            _log(user=request.user, action=SecondFactorAction.VERIFY, actor=request.user, request=request)
            return redirect(_next(request))
        _log(user=request.user, action=SecondFactorAction.FAIL, actor=request.user, request=request)
        form.add_error("token", _("This code is not valid."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@administrator_required
@require_POST
def otp_reset(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    second_factor_reset(user=user, actor=request.user, request=request)
    messages.success(request, _("The second-factor devices of %(user)s are removed.") % {"user": user.username})
    return redirect("accounts:users")
