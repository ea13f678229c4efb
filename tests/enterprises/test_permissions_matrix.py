"""Every URL of the foundation, for every role (DESIGN §6): access control lives in querysets, so another
firm's object answers 404, admin-only pages answer 403 to everybody else, and anonymous visitors are sent
to the log-in page."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from accounts.urls import auth_patterns
from enterprises.models import EvidenceFile, MemberRole
from enterprises.records import RECORD_KINDS
from tests.conftest import ROLE_NAMES, client_for
from tests.factories import (
    PDF_BYTES,
    AnnualReportFactory,
    CertificationFactory,
    EstablishmentFactory,
    EvidenceFileFactory,
    ExpenseFactory,
    ExportRecordFactory,
    InvitationFactory,
    MembershipFactory,
    PctApplicationFactory,
    PublicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RECORD_FACTORIES = {
    "annual-reports": AnnualReportFactory,
    "exports": ExportRecordFactory,
    "establishments": EstablishmentFactory,
    "pct-applications": PctApplicationFactory,
    "certifications": CertificationFactory,
    "publications": PublicationFactory,
    "expenses": ExpenseFactory,
}

LOGIN = "login"  # expected: a redirect to the log-in page (anonymous visitors)


def test_every_record_kind_has_a_factory():
    assert set(RECORD_FACTORIES) == set(RECORD_KINDS)


@pytest.fixture
def world(firm_a, firm_b, member_a, member_b, officer, administrator):
    """Firm A with one record of every kind (and an evidence file on the export record), firm B likewise."""
    records_a = {slug: factory(enterprise=firm_a) for slug, factory in RECORD_FACTORIES.items()}
    records_b = {slug: factory(enterprise=firm_b) for slug, factory in RECORD_FACTORIES.items()}
    evidence_a = EvidenceFileFactory(record=records_a["exports"])
    invitation_a = InvitationFactory(enterprise=firm_a, email="someone@example.org", invited_by=member_a)
    users = {"member_a": member_a, "member_b": member_b, "officer": officer, "administrator": administrator}
    return SimpleNamespace(
        firm_a=firm_a,
        firm_b=firm_b,
        records_a=records_a,
        records_b=records_b,
        evidence_a=evidence_a,
        invitation_a=invitation_a,
        users=users,
    )


def check(response, expected, role: str, what: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {what}: {response.status_code}"
        assert response.url.startswith(reverse("login") + "?next="), f"{role} {what}: {response.url}"
    elif isinstance(expected, tuple):  # (302, "url name or path prefix")
        status, target = expected
        assert response.status_code == status, f"{role} {what}: {response.status_code}"
        assert response.url.startswith(target), f"{role} {what}: {response.url}"
    else:
        assert response.status_code == expected, f"{role} {what}: {response.status_code}"


def _expect(anonymous, member_a, member_b, officer, administrator) -> dict:
    return dict(zip(ROLE_NAMES, (anonymous, member_a, member_b, officer, administrator), strict=True))


HOME = "/"

# name → (method, url builder, data builder or None, expected per role)
PAGES = {
    "home": ("get", lambda w: reverse("home"), None, _expect(200, (302, "/firms/"), (302, "/firms/"), 200, 200)),
    "signup": ("get", lambda w: reverse("accounts:signup"), None, _expect(200, *[(302, HOME)] * 4)),
    "users": ("get", lambda w: reverse("accounts:users"), None, _expect(LOGIN, 403, 403, 403, 200)),
    "staff_create": ("get", lambda w: reverse("accounts:staff_create"), None, _expect(LOGIN, 403, 403, 403, 200)),
    "staff_create_post": (
        "post",
        lambda w: reverse("accounts:staff_create"),
        lambda w: {
            "username": "newofficer",
            "email": "new@example.org",
            "role": "officer",
            "password": "a-Strong-pass-42",
            "first_name": "",
            "last_name": "",
        },
        _expect(LOGIN, 403, 403, 403, (302, "/accounts/users/")),
    ),
    "login": ("get", lambda w: reverse("login"), None, _expect(200, *[(302, HOME)] * 4)),
    "logout_get": ("get", lambda w: reverse("logout"), None, _expect(*[405] * 5)),
    "logout": ("post", lambda w: reverse("logout"), lambda w: {}, _expect(*[(302, HOME)] * 5)),
    "password_change": ("get", lambda w: reverse("password_change"), None, _expect(LOGIN, 200, 200, 200, 200)),
    "password_change_done": (
        "get",
        lambda w: reverse("password_change_done"),
        None,
        _expect(LOGIN, 200, 200, 200, 200),
    ),
    "password_reset": ("get", lambda w: reverse("password_reset"), None, _expect(*[200] * 5)),
    "password_reset_done": ("get", lambda w: reverse("password_reset_done"), None, _expect(*[200] * 5)),
    "password_reset_confirm_bad_link": (
        "get",
        lambda w: reverse("password_reset_confirm", args=["MQ", "bad-token"]),
        None,
        _expect(*[200] * 5),
    ),
    "password_reset_complete": ("get", lambda w: reverse("password_reset_complete"), None, _expect(*[200] * 5)),
    "signup_done": ("get", lambda w: reverse("accounts:signup_done"), None, _expect(*[200] * 5)),
    "otp_setup": ("get", lambda w: reverse("accounts:otp_setup"), None, _expect(LOGIN, *[200] * 4)),
    "otp_verify": ("get", lambda w: reverse("accounts:otp_verify"), None, _expect(LOGIN, *[200] * 4)),
    "otp_reset": (
        "post",
        lambda w: reverse("accounts:otp_reset", args=[w.users["officer"].pk]),
        lambda w: {},
        _expect(LOGIN, 403, 403, 403, (302, "/accounts/users/")),
    ),
    "verify_pending": ("get", lambda w: reverse("accounts:verify_pending"), None, _expect(LOGIN, *[(302, HOME)] * 4)),
    "verify_email_bad_link": (
        "get",
        lambda w: reverse("accounts:verify_email", args=["bad:token"]),
        None,
        _expect(*[400] * 5),
    ),
    "firm_list": ("get", lambda w: reverse("enterprises:list") + "?all=1", None, _expect(LOGIN, 200, 200, 200, 200)),
    "firm_list_single_firm": (
        "get",
        lambda w: reverse("enterprises:list"),
        None,
        _expect(LOGIN, (302, "/firms/"), (302, "/firms/"), 200, 200),
    ),
    "firm_register": ("get", lambda w: reverse("enterprises:register"), None, _expect(LOGIN, 200, 200, 200, 200)),
    "overview": (
        "get",
        lambda w: reverse("enterprises:overview", args=[w.firm_a.pk]),
        None,
        _expect(LOGIN, 200, 404, 404, 404),
    ),
    "overview_missing_firm": (
        "get",
        lambda w: reverse("enterprises:overview", args=[999_999]),
        None,
        _expect(LOGIN, 404, 404, 404, 404),
    ),
    "firm_edit": (
        "get",
        lambda w: reverse("enterprises:edit", args=[w.firm_a.pk]),
        None,
        _expect(LOGIN, 200, 404, 404, 404),
    ),
    "firm_edit_post": (
        "post",
        lambda w: reverse("enterprises:edit", args=[w.firm_a.pk]),
        lambda w: {
            "name_zh": "改名",
            "name_en": "",
            "uscc": w.firm_a.uscc,
            "registration_type": "llc",
            "industry_group": "other",
            "founded": "",
            "province": "北京",
            "city": "北京",
        },
        _expect(LOGIN, (302, "/firms/"), 404, 404, 404),
    ),
    "members": (
        "get",
        lambda w: reverse("enterprises:members", args=[w.firm_a.pk]),
        None,
        _expect(LOGIN, 200, 404, 404, 404),
    ),
    "members_invite_post": (
        "post",
        lambda w: reverse("enterprises:members", args=[w.firm_a.pk]),
        lambda w: {"email": "colleague@example.org", "role": "editor"},
        _expect(LOGIN, (302, "/firms/"), 404, 404, 404),
    ),
    "history": (
        "get",
        lambda w: reverse("enterprises:history", args=[w.firm_a.pk]),
        None,
        _expect(LOGIN, 403, 403, 403, 200),
    ),
    "history_missing_firm": (
        "get",
        lambda w: reverse("enterprises:history", args=[999_999]),
        None,
        _expect(LOGIN, 403, 403, 403, 404),
    ),
    "record_list_unknown_kind": (
        "get",
        lambda w: reverse("enterprises:record_list", args=[w.firm_a.pk, "no-such-kind"]),
        None,
        _expect(LOGIN, 404, 404, 404, 404),
    ),
    "evidence_download": (
        "get",
        lambda w: reverse("evidence:download", args=[w.evidence_a.pk]),
        None,
        _expect(LOGIN, 200, 404, 404, 404),
    ),
    "evidence_download_missing": (
        "get",
        lambda w: reverse("evidence:download", args=[999_999]),
        None,
        _expect(LOGIN, 404, 404, 404, 404),
    ),
    "evidence_delete_get": (
        "get",
        lambda w: reverse("evidence:delete", args=[w.evidence_a.pk]),
        None,
        _expect(LOGIN, 405, 405, 405, 405),
    ),
    "evidence_delete": (
        "post",
        lambda w: reverse("evidence:delete", args=[w.evidence_a.pk]),
        lambda w: {},
        _expect(LOGIN, (302, "/firms/"), 404, 404, 404),
    ),
    "invitation_accept_page": (
        "get",
        lambda w: reverse("invitations:accept", args=[w.invitation_a.token]),
        None,
        _expect(LOGIN, 200, 200, 200, 200),
    ),
    "invitation_accept_unknown": (
        "get",
        lambda w: reverse("invitations:accept", args=["6f1c2a52-4a39-4a53-9b8c-2a3f7f0a6c11"]),
        None,
        _expect(LOGIN, 404, 404, 404, 404),
    ),
    "invitation_accept_post_wrong_user": (
        "post",
        lambda w: reverse("invitations:accept", args=[w.invitation_a.token]),
        lambda w: {},
        _expect(LOGIN, (302, HOME), (302, HOME), (302, HOME), (302, HOME)),
    ),
}


def _request(client, method, url, data):
    if method == "get":
        return client.get(url)
    return client.post(url, data or {})


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_access(world, roles, page, role):
    method, url, data, expected = PAGES[page]
    response = _request(roles[role], method, url(world), data(world) if data else None)
    check(response, expected[role], role, page)


# Firm-record URLs, for every record kind. Firm A's records through firm A's URLs.
RECORD_PAGES = {
    "record_list": ("get", lambda w, s: reverse("enterprises:record_list", args=[w.firm_a.pk, s])),
    "record_create": ("get", lambda w, s: reverse("enterprises:record_create", args=[w.firm_a.pk, s])),
    "record_detail": (
        "get",
        lambda w, s: reverse("enterprises:record_detail", args=[w.firm_a.pk, s, w.records_a[s].pk]),
    ),
    "record_edit": ("get", lambda w, s: reverse("enterprises:record_edit", args=[w.firm_a.pk, s, w.records_a[s].pk])),
    "record_delete": (
        "get",
        lambda w, s: reverse("enterprises:record_delete", args=[w.firm_a.pk, s, w.records_a[s].pk]),
    ),
}
MEMBER_ONLY = _expect(LOGIN, 200, 404, 404, 404)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
@pytest.mark.parametrize("page", list(RECORD_PAGES))
def test_record_page_access(world, roles, page, kind, role):
    method, url = RECORD_PAGES[page]
    response = _request(roles[role], method, url(world, kind), None)
    check(response, MEMBER_ONLY[role], role, f"{page} {kind}")


@pytest.mark.parametrize("role", ["member_a", "member_b"])
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_other_firms_record_through_own_firm_url_is_404(world, roles, kind, role):
    """Firm B's record id inside firm A's URL: not found, even for the member of firm B."""
    record_b = world.records_b[kind]
    for name in ("enterprises:record_detail", "enterprises:record_edit", "enterprises:record_delete"):
        assert roles[role].get(reverse(name, args=[world.firm_a.pk, kind, record_b.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_record_delete_post(world, roles, kind, role):
    record = world.records_a[kind]
    response = roles[role].post(reverse("enterprises:record_delete", args=[world.firm_a.pk, kind, record.pk]))
    expected = _expect(LOGIN, (302, f"/firms/{world.firm_a.pk}/{kind}/"), 404, 404, 404)[role]
    check(response, expected, role, f"delete {kind}")
    assert type(record).objects.filter(pk=record.pk).exists() is (role != "member_a")


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_record_edit_post(world, roles, kind, role):
    """A POST to another firm's record answers 404 before any form is read (the empty form would be invalid)."""
    record = world.records_a[kind]
    url = reverse("enterprises:record_edit", args=[world.firm_a.pk, kind, record.pk])
    response = roles[role].post(url, {})
    check(response, _expect(LOGIN, 200, 404, 404, 404)[role], role, f"edit {kind}")


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_evidence_upload_post(world, roles, kind, role):
    record = world.records_a[kind]
    before = EvidenceFile.objects.count()
    url = reverse("enterprises:evidence_upload", args=[world.firm_a.pk, kind, record.pk])
    upload = SimpleUploadedFile("invoice.pdf", PDF_BYTES, content_type="application/pdf")
    response = roles[role].post(url, {"file": upload})
    detail = reverse("enterprises:record_detail", args=[world.firm_a.pk, kind, record.pk])
    check(response, _expect(LOGIN, (302, detail), 404, 404, 404)[role], role, f"upload {kind}")
    assert EvidenceFile.objects.count() == before + (1 if role == "member_a" else 0)


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_evidence_upload_get_not_allowed(world, roles, kind):
    url = reverse("enterprises:evidence_upload", args=[world.firm_a.pk, kind, world.records_a[kind].pk])
    assert roles["member_a"].get(url).status_code == 405


def test_firm_b_member_cannot_write_into_firm_a(world, roles):
    """Creating a record or uploading under firm A's URL as firm B's member: 404 and nothing written."""
    url = reverse("enterprises:record_create", args=[world.firm_a.pk, "publications"])
    data = {"title": "Sneaky", "venue": "Nature", "country": "GB", "year": "2014"}
    assert roles["member_b"].post(url, data).status_code == 404
    assert not world.firm_a.publications.filter(title="Sneaky").exists()


def test_editor_member_has_the_same_record_access_as_the_owner(world):
    editor = MembershipFactory(enterprise=world.firm_a, user=UserFactory(), role=MemberRole.EDITOR).user
    client = client_for(editor)
    assert client.get(reverse("enterprises:overview", args=[world.firm_a.pk])).status_code == 200
    record = world.records_a["exports"]
    detail = reverse("enterprises:record_detail", args=[world.firm_a.pk, "exports", record.pk])
    assert client.get(detail).status_code == 200
    assert client.get(reverse("evidence:download", args=[world.evidence_a.pk])).status_code == 200
    assert client.get(reverse("enterprises:history", args=[world.firm_a.pk])).status_code == 403


# Coverage: every named URL of the foundation's URL modules appears in the matrix above.
FOUNDATION_URL_MODULES = (
    "accounts.urls",
    "enterprises.urls",
    "assessments.evidence_urls",
    "enterprises.invitation_urls",
    "django.contrib.auth.urls",  # included by accounts.urls.auth_patterns
)
COVERED = {
    "home",
    "accounts:signup",
    "accounts:signup_done",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:otp_reset",
    "accounts:verify_pending",
    "accounts:verify_email",
    "accounts:users",
    "accounts:staff_create",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "enterprises:list",
    "enterprises:register",
    "enterprises:overview",
    "enterprises:edit",
    "enterprises:members",
    "enterprises:history",
    "enterprises:record_list",
    "enterprises:record_create",
    "enterprises:record_detail",
    "enterprises:record_edit",
    "enterprises:record_delete",
    "enterprises:evidence_upload",
    "evidence:download",
    "evidence:delete",
    "invitations:accept",
    "healthz",  # tests/core/test_operations.py
    "profile",  # tests/notifications/test_views.py
}


def _named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_module, "__name__", "")
            if module in FOUNDATION_URL_MODULES or pattern.urlconf_name is auth_patterns:
                yield from _named_urls(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_matrix_covers_every_foundation_url():
    # Django's auth views come in through accounts.urls.auth_patterns, under their global names.
    names = set(_named_urls(get_resolver().url_patterns)) - {"set_language"}
    assert names - COVERED == set(), "URLs missing from the matrix"
    assert COVERED - names == set(), "the matrix names URLs that do not exist"
