"""Accounts: sign-up, log-in and out, passwords, invitations to a firm, staff users, throttling, Django admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from enterprises.models import EvidenceFile, Invitation, MemberRole, Membership
from tests.conftest import client_for
from tests.factories import PASSWORD, EvidenceFileFactory, InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Tiger-lily-Harbour-42"
FIRM = {
    "name_zh": "北京星河科技有限公司",
    "name_en": "Beijing Galaxy Technology",
    "uscc": "91110108551385082Q",
    "registration_type": "private",
    "industry_group": "high_tech_services",
    "founded": "",
    "province": "北京",
    "city": "北京",
}


def signup_data(**changes):
    return {
        "username": "newfirm",
        "email": "founder@galaxy.example",
        "first_name": "Li",
        "last_name": "Wei",
        "password1": STRONG,
        "password2": STRONG,
        **changes,
    }


def sign_up(client, capture, url=None, **changes):
    """Sign up and return (response, the verification link path from the e-mail, or None)."""
    with capture(execute=True):
        response = client.post(url or reverse("accounts:signup"), signup_data(**changes))
    links = re.findall(r"http://testserver(/accounts/verify/\S+)", mail.outbox[-1].body) if mail.outbox else []
    return response, (links[0] if links else None)


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- Sign-up and firm registration --------------------------------------------------------------------------


def test_signup_then_register_firm_makes_owner(client, django_capture_on_commit_callbacks):
    response, link = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(username="newfirm")
    assert logged_in_user(client) is None and not user.email_verified
    assert client.get(link).url == reverse("login")
    client.post(reverse("login"), {"username": "newfirm", "password": STRONG})
    user.refresh_from_db()
    assert logged_in_user(client) == user and user.email_verified
    assert not user.is_staff and not user.is_officer and not user.is_administrator

    response = client.post(reverse("enterprises:register"), FIRM)
    membership = Membership.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == reverse("enterprises:overview", args=[membership.enterprise_id])
    assert membership.role == MemberRole.OWNER
    assert membership.enterprise.uscc == FIRM["uscc"]
    # The home page now leads to the firm.
    assert client.get(reverse("home")).url == reverse("enterprises:list")
    overview = reverse("enterprises:overview", args=[membership.enterprise_id])
    assert client.get(reverse("enterprises:list")).url == overview


def test_signup_requires_email(client):
    response = client.post(reverse("accounts:signup"), signup_data(email=""))
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.filter(username="newfirm").exists()


def test_signup_with_an_email_already_in_use_answers_the_same(client, django_capture_on_commit_callbacks):
    """No form error (it would reveal the address has an account): the address is told by e-mail."""
    UserFactory(email="founder@galaxy.example")
    response, link = sign_up(client, django_capture_on_commit_callbacks, email="Founder@Galaxy.example")
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")
    assert link is None and "already has an account" in mail.outbox[0].body.replace("\n", " ")
    assert not User.objects.filter(username="newfirm").exists()


def test_signup_refuses_a_taken_username(client):
    UserFactory(username="newfirm")
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1-short", "too short"),
        ("password1234", "too common"),
        ("38572910465", "entirely numeric"),
        ("newfirm-12", "too similar"),
    ],
)
def test_signup_refuses_weak_passwords(client, password, message):
    response = client.post(reverse("accounts:signup"), signup_data(password1=password, password2=password))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password2"])
    assert message in errors
    assert not User.objects.filter(username="newfirm").exists()


def test_signup_mismatched_passwords(client):
    response = client.post(reverse("accounts:signup"), signup_data(password2=STRONG + "x"))
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]


def test_signup_next_must_be_local(client, django_capture_on_commit_callbacks):
    url = reverse("accounts:signup") + "?next=https://evil.example/"
    response, link = sign_up(client, django_capture_on_commit_callbacks, url=url)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done") and "evil" not in link


def test_signup_prefills_email(client):
    response = client.get(reverse("accounts:signup") + "?email=invitee@example.org")
    assert response.context["form"]["email"].value() == "invitee@example.org"


# --- Log-in, log-out, passwords -----------------------------------------------------------------------------


def test_login_and_logout(client, member_a):
    response = client.post(reverse("login"), {"username": "member_a", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user(client) == member_a
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert logged_in_user(client) is None


def test_login_wrong_password(client, member_a):
    response = client.post(reverse("login"), {"username": "member_a", "password": "wrong-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert logged_in_user(client) is None


def test_login_inactive_user_refused(client, member_a):
    member_a.is_active = False
    member_a.save()
    client.post(reverse("login"), {"username": "member_a", "password": PASSWORD})
    assert logged_in_user(client) is None


def test_login_redirects_to_local_next_only(client, member_a):
    response = client.post(
        reverse("login"), {"username": "member_a", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example")


def test_password_change(client_a, member_a):
    response = client_a.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    member_a.refresh_from_db()
    assert member_a.check_password(STRONG)
    assert logged_in_user(client_a) == member_a  # the session survives the change


def test_password_change_refuses_weak_password_and_wrong_old_one(client_a, member_a):
    response = client_a.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    response = client_a.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": STRONG, "new_password2": STRONG}
    )
    assert response.context["form"].errors["old_password"]
    member_a.refresh_from_db()
    assert member_a.check_password(PASSWORD)


def test_password_reset_by_email(client, member_a):
    response = client.post(reverse("password_reset"), {"email": member_a.email.upper()})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member_a.email]
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)

    response = client.get(link)
    assert response.status_code == 302  # to the same page without the token in the URL
    set_password_url = response.url
    response = client.get(set_password_url)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    response = client.post(set_password_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    member_a.refresh_from_db()
    assert member_a.check_password(STRONG)
    # The link works once only.
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_unknown_email_sends_nothing_but_looks_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_refuses_weak_password(client, member_a):
    client.post(reverse("password_reset"), {"email": member_a.email})
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link).url
    response = client.post(set_password_url, {"new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    member_a.refresh_from_db()
    assert member_a.check_password(PASSWORD)


# --- Invitations --------------------------------------------------------------------------------------------


def invite(client, firm, email, role="editor", capture=None):
    with capture(execute=True):
        return client.post(reverse("enterprises:members", args=[firm.pk]), {"email": email, "role": role})


def test_owner_invites_and_invitee_signs_up_and_accepts(client_a, firm_a, django_capture_on_commit_callbacks):
    response = invite(client_a, firm_a, "Colleague@Example.org", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get(enterprise=firm_a)
    assert invitation.email == "colleague@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["colleague@example.org"]
    link = f"http://testserver{reverse('invitations:accept', args=[invitation.token])}"
    assert link in mail.outbox[0].body
    path = reverse("invitations:accept", args=[invitation.token])

    invitee = client_for(None)
    response = invitee.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    login_page = invitee.get(response.url)
    assert reverse("accounts:signup") + "?next=" in login_page.content.decode()

    response, link = sign_up(
        invitee,
        django_capture_on_commit_callbacks,
        url=reverse("accounts:signup") + f"?next={path}",
        username="colleague",
        email="colleague@example.org",
    )
    assert response.status_code == 302
    login_url = invitee.get(link).url
    assert login_url.startswith(reverse("login") + "?next=")
    response = invitee.post(login_url, {"username": "colleague", "password": STRONG})
    assert response.url == path
    page = invitee.get(path)
    assert page.status_code == 200
    assert firm_a.name_zh in page.content.decode()

    response = invitee.post(path)
    assert response.status_code == 302
    assert response.url == reverse("enterprises:overview", args=[firm_a.pk])
    membership = Membership.objects.get(user__username="colleague")
    assert (membership.enterprise, membership.role) == (firm_a, MemberRole.EDITOR)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by.username == "colleague"
    assert invitee.get(reverse("enterprises:overview", args=[firm_a.pk])).status_code == 200


def test_owner_can_invite_an_owner(client_a, firm_a, django_capture_on_commit_callbacks):
    invite(client_a, firm_a, "partner@example.org", role="owner", capture=django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    user = UserFactory(email="partner@example.org")
    client_for(user).post(reverse("invitations:accept", args=[invitation.token]))
    assert Membership.objects.get(user=user).role == MemberRole.OWNER


def accept(user, invitation):
    client = client_for(user)
    response = client.post(reverse("invitations:accept", args=[invitation.token]), follow=True)
    return response


def test_expired_invitation_refused(firm_a, member_a):
    invitation = InvitationFactory(
        enterprise=firm_a, email="late@example.org", expires_at=timezone.now() - timedelta(seconds=1)
    )
    user = UserFactory(email="late@example.org")
    response = accept(user, invitation)
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_invitation_used_twice_refused(firm_a):
    invitation = InvitationFactory(enterprise=firm_a, email="twice@example.org")
    first = UserFactory(email="twice@example.org")
    accept(first, invitation)
    assert Membership.objects.filter(user=first, enterprise=firm_a).exists()
    # Even a second account with the same address (made outside the sign-up form) cannot use it again.
    second = UserFactory(username="second", email="twice@example.org")
    response = accept(second, invitation)
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=second).exists()


def test_invitation_for_another_email_refused(firm_a):
    invitation = InvitationFactory(enterprise=firm_a, email="right@example.org")
    user = UserFactory(email="wrong@example.org")
    response = accept(user, invitation)
    assert "another email address" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_email_matches_case_insensitively(firm_a):
    invitation = InvitationFactory(enterprise=firm_a, email="mixed@example.org")
    user = UserFactory(email="Mixed@Example.ORG")
    accept(user, invitation)
    assert Membership.objects.filter(user=user, enterprise=firm_a, role=MemberRole.EDITOR).exists()


def test_unknown_invitation_token(client_a):
    response = client_a.post(reverse("invitations:accept", args=["6f1c2a52-4a39-4a53-9b8c-2a3f7f0a6c11"]), follow=True)
    assert "does not exist" in response.content.decode()


def test_editor_cannot_invite(firm_a, member_a, django_capture_on_commit_callbacks):
    editor = MembershipFactory(enterprise=firm_a, role=MemberRole.EDITOR).user
    client = client_for(editor)
    page = client.get(reverse("enterprises:members", args=[firm_a.pk]))
    assert page.context["may_invite"] is False
    response = invite(client, firm_a, "friend@example.org", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_cannot_invite_an_existing_member(client_a, firm_a, member_a, django_capture_on_commit_callbacks):
    response = invite(client_a, firm_a, member_a.email.upper(), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_form_refuses_bad_email(client_a, firm_a, django_capture_on_commit_callbacks):
    response = invite(client_a, firm_a, "not-an-email", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


# --- Staff users --------------------------------------------------------------------------------------------

STAFF = {
    "username": "officer2",
    "email": "officer2@zone.example",
    "first_name": "Wang",
    "last_name": "Fang",
    "role": "officer",
    "password": STRONG,
}


def test_administrator_creates_officer(roles):
    response = roles["administrator"].post(reverse("accounts:staff_create"), STAFF)
    assert response.status_code == 302
    assert response.url == reverse("accounts:users")
    user = User.objects.get(username="officer2")
    assert list(user.groups.values_list("name", flat=True)) == ["officer"]
    assert user.is_officer and not user.is_administrator
    assert not user.is_staff
    assert user.check_password(STRONG)
    listing = roles["administrator"].get(reverse("accounts:users") + "?q=officer2")
    assert "officer2" in listing.content.decode()


def test_administrator_creates_administrator(roles):
    roles["administrator"].post(reverse("accounts:staff_create"), {**STAFF, "role": "administrator"})
    user = User.objects.get(username="officer2")
    assert user.is_administrator and user.is_officer and user.is_staff
    assert user.groups.get() == Group.objects.get(name="administrator")


@pytest.mark.parametrize("password", ["short", "password1234", "officer2-1"])
def test_staff_create_refuses_weak_password(roles, password):
    response = roles["administrator"].post(reverse("accounts:staff_create"), {**STAFF, "password": password})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="officer2").exists()


def test_staff_create_refuses_unknown_role(roles):
    response = roles["administrator"].post(reverse("accounts:staff_create"), {**STAFF, "role": "superuser"})
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert not User.objects.filter(username="officer2").exists()


def test_staff_create_refuses_email_in_use(roles, member_a):
    response = roles["administrator"].post(reverse("accounts:staff_create"), {**STAFF, "email": member_a.email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


@pytest.mark.parametrize("role", ["member_a", "member_b", "officer"])
def test_non_administrators_cannot_create_staff(roles, role):
    response = roles[role].post(reverse("accounts:staff_create"), STAFF)
    assert response.status_code == 403
    assert not User.objects.filter(username="officer2").exists()


def test_user_list_search(roles, member_a, member_b):
    response = roles["administrator"].get(reverse("accounts:users") + "?q=member_a")
    users = list(response.context["page"])
    assert users == [member_a]


# --- Log-in throttling (django-axes) ------------------------------------------------------------------------


def test_five_failed_logins_lock_the_account(client, member_a, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "member_a", "password": "wrong-password"})
        assert logged_in_user(client) is None
    response = client.post(reverse("login"), {"username": "member_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert logged_in_user(client) is None
    # Another account from the same address is not locked.
    UserFactory(username="someone_else")
    client.post(reverse("login"), {"username": "someone_else", "password": PASSWORD})
    assert logged_in_user(client).username == "someone_else"


def test_four_failures_then_success_resets(client, member_a, settings):
    settings.AXES_ENABLED = True
    for _ in range(4):
        client.post(reverse("login"), {"username": "member_a", "password": "wrong-password"})
    client.post(reverse("login"), {"username": "member_a", "password": PASSWORD})
    assert logged_in_user(client) == member_a


# --- Django admin -------------------------------------------------------------------------------------------


def test_administrator_can_use_django_admin(roles, firm_a):
    client = roles["administrator"]
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/enterprises/enterprise/")
    assert response.status_code == 200
    assert firm_a.name_zh in response.content.decode()
    assert client.get(f"/admin/enterprises/enterprise/{firm_a.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_admin_evidence_page_shows_no_file_link(roles, firm_a):
    evidence = EvidenceFileFactory()
    response = roles["administrator"].get(f"/admin/enterprises/evidencefile/{evidence.pk}/change/")
    assert response.status_code == 200
    assert evidence.file.name in response.content.decode()
    assert f'href="/{evidence.file.name}"' not in response.content.decode()
    assert roles["administrator"].get("/admin/enterprises/evidencefile/add/").status_code == 403
    assert EvidenceFile.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "member_a"])
def test_others_cannot_use_django_admin(roles, role):
    for url in ("/admin/", "/admin/enterprises/enterprise/"):
        response = roles[role].get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_anonymous_is_sent_to_admin_login(client):
    response = client.get("/admin/enterprises/enterprise/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_the_accept_page_offers_the_button_only_for_a_usable_invitation(client, firm_a):
    invitee = UserFactory(email="page@example.org")
    client.force_login(invitee)
    usable = InvitationFactory(enterprise=firm_a, email="page@example.org")
    expired = InvitationFactory(enterprise=firm_a, expires_at=timezone.now() - timedelta(minutes=1))
    used = InvitationFactory(enterprise=firm_a, accepted_at=timezone.now())
    assert 'type="submit">Accept' in client.get(reverse("invitations:accept", args=[usable.token])).content.decode()
    page = client.get(reverse("invitations:accept", args=[expired.token])).content.decode()
    assert "has expired" in page and 'type="submit">Accept' not in page
    assert "already been used" in client.get(reverse("invitations:accept", args=[used.token])).content.decode()


def test_members_page_lists_owners_first_and_hides_expired_invitations(client_a, firm_a):
    MembershipFactory(enterprise=firm_a, role="editor", user=UserFactory(username="aaa-editor"))
    InvitationFactory(enterprise=firm_a, email="gone@example.org", expires_at=timezone.now() - timedelta(days=1))
    InvitationFactory(enterprise=firm_a, email="pending@example.org")
    response = client_a.get(reverse("enterprises:members", args=[firm_a.pk]))
    members = [m.role for m in response.context["members"]]
    assert members[0] == "owner" and "editor" in members
    page = response.content.decode()
    assert "pending@example.org" in page and "gone@example.org" not in page
