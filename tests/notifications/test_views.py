"""The notification list and the profile (email settings) page: URL x role matrix, isolation, bad input."""

import pytest
from django.urls import reverse

from notifications.models import EmailOptOut, Notification, NotificationKind
from notifications.services import notifications_send
from tests.conftest import ROLE_NAMES
from tests.matrix import LOGIN, check, expect

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(member_a, member_b):
    def send(user, kind, subject, body):
        notifications_send(recipients=[user], kind=kind, message=lambda: (subject, body))
        return Notification.objects.filter(recipient=user).latest("pk")

    mine = send(member_a, NotificationKind.ASSESSMENT_VERIFIED, "Assessment verified: A", "ok")
    theirs = send(member_b, NotificationKind.ASSESSMENT_RETURNED, "Returned: B", "secret of B")
    return mine, theirs


PAGES = {
    "/notifications/": expect(LOGIN, 200, 200, 200, 200),
    "/accounts/profile/": expect(LOGIN, 200, 200, 200, 200),
    "/notifications/read/": expect(LOGIN, 405, 405, 405, 405),  # GET on an action
}


def matrix_urls(world):
    return list(PAGES)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("url", list(PAGES))
def test_pages_answer_each_role(roles, inbox, role, url):
    check(roles[role].get(url), PAGES[url][role], role, url)


def test_the_list_shows_only_ones_own_notifications_and_the_unread_count(roles, inbox):
    page = roles["member_a"].get("/notifications/").content.decode()
    assert "Assessment verified: A" in page and "secret of B" not in page
    assert 'id="unread-count">1<' in page
    assert 'id="unread-count"' not in roles["officer"].get("/").content.decode()


def test_marking_read(roles, inbox, member_a):
    mine, theirs = inbox
    client = roles["member_a"]
    assert client.post(reverse("notifications:mark_read"), {"notification": theirs.pk}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None  # another user's notification is untouched
    client.post(reverse("notifications:mark_read"), {"notification": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'id="unread-count"' not in client.get("/notifications/").content.decode()


@pytest.mark.parametrize("bad", ["abc", "-3", "0", "9" * 30])
def test_marking_read_refuses_bad_input(roles, inbox, bad):
    response = roles["member_a"].post(reverse("notifications:mark_read"), {"notification": bad}, follow=True)
    assert response.status_code == 200
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_mark_all_read(roles, inbox):
    roles["member_a"].post(reverse("notifications:mark_read"))
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("recipient__username", flat=True)) == [
        "member_b"
    ]


def test_profile_switches_email_kinds_and_language(roles, member_a):
    on = [k for k in NotificationKind.values if k != NotificationKind.ROUND_OPENED]
    response = roles["member_a"].post("/accounts/profile/", {"language": "zh-hans", "email_kinds": on})
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.language == "zh-hans"
    assert list(EmailOptOut.objects.filter(user=member_a).values_list("kind", flat=True)) == ["round_opened"]
    roles["member_a"].post("/accounts/profile/", {"language": "en", "email_kinds": NotificationKind.values})
    assert not EmailOptOut.objects.filter(user=member_a).exists()
    page = roles["member_a"].get("/accounts/profile/").content.decode()
    assert page.count("checked") == len(NotificationKind.values)


@pytest.mark.parametrize(
    "data",
    [
        {"language": "fr", "email_kinds": ["verified"]},
        {"language": "en", "email_kinds": ["no_such_kind"]},
        {"email_kinds": ["verified"]},
    ],
)
def test_profile_refuses_bad_input(roles, member_a, data):
    response = roles["member_a"].post("/accounts/profile/", data)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.language == "" and not EmailOptOut.objects.exists()


def test_sign_up_remembers_the_language(client):
    client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "password1": "a-long-enough-pass-123",
            "password2": "a-long-enough-pass-123",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    from accounts.models import User

    assert User.objects.get(username="newbie").language == "zh-hans"
