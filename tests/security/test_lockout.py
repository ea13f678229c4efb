"""Log-in lock-out per user name and client address behind the proxy (issue 12, point 5)."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_ip import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-long-passphrase-42"


def meta(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # the header is never trusted by default
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the proxy appended the real client; the rest is the client's
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.2", "1.2.3.4"),
        (2, "1.2.3.4", "1.2.3.4"),
        (1, None, "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_client_address(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(meta(forwarded=forwarded)) == expected


def attempt(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def lock(client, username, forwarded):
    for _ in range(5):
        attempt(client, username, "wrong-password", forwarded)


def test_lock_is_per_user_name_and_client_behind_the_proxy(client, settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="victim")
    lock(client, "victim", "1.2.3.4")
    locked = attempt(client, "victim", PASSWORD, "1.2.3.4")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "for this user name from your address" in page and "Resetting the password lifts the lock" in page
    # the same user name from another client behind the same proxy is not locked out
    assert attempt(client, "victim", PASSWORD, "5.6.7.8").status_code == 302


def test_a_forged_header_does_not_escape_the_lock_without_trusted_proxies(client, settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="victim")
    for i in range(5):
        attempt(client, "victim", "wrong-password", f"9.9.9.{i}")
    assert attempt(client, "victim", PASSWORD, "9.9.9.99").status_code == 429


def test_a_completed_password_reset_lifts_the_lock(client, settings):
    settings.AXES_ENABLED = True
    user = UserFactory(username="victim", email="victim@example.org")
    lock(client, "victim", "1.2.3.4")
    assert attempt(client, "victim", PASSWORD, "1.2.3.4").status_code == 429
    client.post(reverse("password_reset"), {"email": "victim@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert attempt(client, "victim", NEW_PASSWORD, "1.2.3.4").status_code == 302
