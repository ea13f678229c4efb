"""Sign-up does not reveal which e-mail addresses have accounts; addresses are verified by a signed link
(issue 12, point 7)."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts.models import User
from accounts.services import staff_user_create
from accounts.verification import SALT, verification_token
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
STRONG = "Tiger-lily-Harbour-42"


def signup(client, capture, **changes):
    data = {"username": "newfirm", "email": "founder@galaxy.example", "password1": STRONG, "password2": STRONG}
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), data | changes)


def test_known_and_unknown_addresses_get_the_same_answer(django_capture_on_commit_callbacks):
    UserFactory(username="someone", email="taken@galaxy.example")
    known = signup(client_for(None), django_capture_on_commit_callbacks, email="taken@galaxy.example")
    unknown = signup(client_for(None), django_capture_on_commit_callbacks, username="other")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url) == (302, "/accounts/signup/done/")
    pages = [client_for(None).get(url).content.decode() for url in (known.url, unknown.url)]
    assert len({re.sub(r"[A-Za-z0-9]{64}", "", page) for page in pages}) == 1  # all but the CSRF token
    assert [message.to for message in mail.outbox] == [["taken@galaxy.example"], ["founder@galaxy.example"]]
    assert not User.objects.filter(username="newfirm").exists()


def test_a_taken_user_name_is_still_reported(django_capture_on_commit_callbacks):
    UserFactory(username="newfirm")
    response = signup(client_for(None), django_capture_on_commit_callbacks)
    assert response.status_code == 200 and response.context["form"].errors["username"]
    assert mail.outbox == []


def test_an_unverified_user_sees_only_the_verify_page(django_capture_on_commit_callbacks, firm_a):
    signup(client_for(None), django_capture_on_commit_callbacks)
    user = User.objects.get(username="newfirm")
    client = client_for(user)
    for url in ("/", reverse("enterprises:register"), reverse("enterprises:list"), f"/firms/{firm_a.pk}/"):
        assert client.get(url).url == reverse("accounts:verify_pending"), url
    assert client.post(reverse("enterprises:register"), {}).url == reverse("accounts:verify_pending")
    page = client.get(reverse("accounts:verify_pending"))
    assert page.status_code == 200 and "founder@galaxy.example" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:verify_pending"))
    link = re.search(r"http://testserver(/accounts/verify/\S+)", mail.outbox[-1].body).group(1)
    assert client.get(link).url == "/"
    user.refresh_from_db()
    assert user.email_verified
    assert client.get(reverse("enterprises:register")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_a_link_is_refused_when_forged_expired_or_for_another_address(settings):
    user = UserFactory(email="a@example.org", email_verified=False)
    token = verification_token(user)
    forged = signing.TimestampSigner(salt="other").sign_object({"id": user.pk, "email": "a@example.org"})
    assert client_for(None).get(reverse("accounts:verify_email", args=[forged])).status_code == 400
    User.objects.filter(pk=user.pk).update(email="b@example.org")
    assert client_for(None).get(reverse("accounts:verify_email", args=[token])).status_code == 400
    settings.EMAIL_VERIFICATION_DAYS = -1
    fresh = signing.TimestampSigner(salt=SALT).sign_object({"id": user.pk, "email": "b@example.org"})
    assert client_for(None).get(reverse("accounts:verify_email", args=[fresh])).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_staff_created_and_existing_users_are_verified():
    officer = staff_user_create(username="o", email="o@example.org", password=STRONG, role="officer")
    assert officer.email_verified and User._meta.get_field("email_verified").default is True
