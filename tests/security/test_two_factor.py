"""Two-factor authentication for officers and administrators (issue 12, point 10)."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/review/", "/statistics/", "/import/", "/rounds/manage/", "/accounts/users/", "/admin/"]


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True
    # django-otp delays the next try after a failure (1 s, doubling); tests fail on purpose and go on at once
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_failures_are_throttled_in_production():
    from django.conf import settings

    assert (
        getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1) > 0 and getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1) > 0
    )


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def enrol(client, user) -> list[str]:
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert response.status_code == 200
    return re.findall(r"<code>(\w+)</code>", response.content.decode())


@pytest.mark.parametrize("role", ["officer", "administrator"])
def test_staff_pages_need_enrolment_then_are_reachable(required, request, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    for url in STAFF_PAGES:
        assert client.get(url).url == reverse("accounts:otp_setup"), url
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "otpauth://totp/" in page and device.config_url.split("secret=")[1][:16] in page
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000" if code_for(device) != "000000" else "1"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    codes = enrol(client, user)
    assert len(codes) == 10 and StaticDevice.objects.get(user=user).token_set.count() == 10
    assert client.get("/review/").status_code == 200
    actions = list(SecondFactorEvent.objects.filter(user=user).order_by("pk").values_list("action", flat=True))
    assert actions == ["fail", "enrol"]


def test_every_log_in_asks_for_a_code(required, officer):
    client = client_for(officer)
    codes = enrol(client, officer)
    client = client_for(officer)  # a new session: password only
    response = client.get("/review/")
    assert response.url == reverse("accounts:otp_verify") + "?next=%2Freview%2F"
    failed = client.post(reverse("accounts:otp_verify"), {"token": "not-a-code", "next": "/review/"})
    assert failed.status_code == 200 and client.get("/review/").status_code == 302
    response = client.post(reverse("accounts:otp_verify"), {"token": codes[0], "next": "/review/"})
    assert response.url == "/review/" and client.get("/review/").status_code == 200
    assert not StaticDevice.objects.get(user=officer).token_set.filter(token=codes[0]).exists()  # used once
    actions = list(SecondFactorEvent.objects.filter(user=officer).order_by("pk").values_list("action", flat=True))
    assert actions == ["enrol", "fail", "verify"]


def test_firm_users_are_not_asked(required, client_a, firm_a):
    assert client_a.get(reverse("enterprises:overview", args=[firm_a.pk])).status_code == 200


def test_not_required_when_relaxed(officer):
    assert client_for(officer).get("/review/").status_code == 200


def test_an_administrator_resets_a_users_devices(required, officer, administrator):
    enrol(client_for(officer), officer)
    admin_client = client_for(administrator)
    enrol(admin_client, administrator)
    response = admin_client.post(reverse("accounts:otp_reset", args=[officer.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists() and not StaticDevice.objects.filter(user=officer)
    event = SecondFactorEvent.objects.get(user=officer, action="reset")
    assert event.actor == administrator
    assert client_for(officer).get("/review/").url == reverse("accounts:otp_setup")
    assert client_for(officer).post(reverse("accounts:otp_reset", args=[administrator.pk])).status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_the_audit_log_is_read_only_in_django_admin(administrator, officer):
    SecondFactorEvent.objects.create(user=officer, actor=officer, action="fail")
    client = client_for(administrator)
    assert client.get("/admin/accounts/secondfactorevent/").status_code == 200
    event = SecondFactorEvent.objects.get()
    assert client.post(f"/admin/accounts/secondfactorevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize(("required", "text"), [(False, "relaxed for the demo"), (True, "is required")])
def test_seed_demo_says_how_two_factor_is_set(settings, required, text):
    import io

    from demo.management.commands.seed_demo import Command

    settings.REQUIRE_2FA = required
    command = Command(stdout=io.StringIO())
    command.print_accounts([], {})
    assert text in command.stdout._out.getvalue()
