"""Every URL of the foundation, for every role (DESIGN §6): access control lives in querysets, so another
firm's object answers 404, admin-only pages answer 403 to everybody else, and anonymous visitors are sent
to the log-in page."""

from operator import attrgetter
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
from tests.matrix import LOGIN, check, expect, get, post, to

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


def test_every_record_kind_has_a_factory():
    assert set(RECORD_FACTORIES) == set(RECORD_KINDS)


@pytest.fixture
def world(firm_a, firm_b, member_a, role_users):
    """Firm A with one record of every kind (and an evidence file on the export record), firm B likewise."""
    records_a = {slug: factory(enterprise=firm_a) for slug, factory in RECORD_FACTORIES.items()}
    records_b = {slug: factory(enterprise=firm_b) for slug, factory in RECORD_FACTORIES.items()}
    evidence_a = EvidenceFileFactory(record=records_a["exports"])
    invitation_a = InvitationFactory(enterprise=firm_a, email="someone@example.org", invited_by=member_a)
    return SimpleNamespace(
        firm_a=firm_a,
        firm_b=firm_b,
        records_a=records_a,
        records_b=records_b,
        evidence_a=evidence_a,
        invitation_a=invitation_a,
        users=role_users,
    )


HOME = "/"

FIRM_A = attrgetter("firm_a.pk")
EVIDENCE_A = attrgetter("evidence_a.pk")
INVITATION_A = attrgetter("invitation_a.token")
MISSING = 999_999
MEMBER_A = expect(LOGIN, 200, 404, 404, 404)
STAFF_CREATE = {
    "username": "newofficer",
    "email": "new@example.org",
    "role": "officer",
    "password": "a-Strong-pass-42",
    "first_name": "",
    "last_name": "",
}
FIRM_EDIT = {
    "name_zh": "改名",
    "name_en": "",
    "registration_type": "llc",
    "industry_group": "other",
    "founded": "",
    "province": "北京",
    "city": "北京",
}

PAGES = {
    "home": get(to("home"), expect(200, (302, "/firms/"), (302, "/firms/"), 200, 200)),
    "healthz": get(to("healthz"), expect(*[200] * 5)),
    "set_language": post(to("set_language"), expect(*[(302, HOME)] * 5), lambda w: {"language": "en", "next": HOME}),
    "signup": get(to("accounts:signup"), expect(200, *[(302, HOME)] * 4)),
    "users": get(to("accounts:users"), expect(LOGIN, 403, 403, 403, 200)),
    "staff_create": get(to("accounts:staff_create"), expect(LOGIN, 403, 403, 403, 200)),
    "staff_create_post": post(
        to("accounts:staff_create"), expect(LOGIN, 403, 403, 403, (302, "/accounts/users/")), lambda w: STAFF_CREATE
    ),
    "login": get(to("login"), expect(200, *[(302, HOME)] * 4)),
    "logout_get": get(to("logout"), expect(*[405] * 5)),
    "logout": post(to("logout"), expect(*[(302, HOME)] * 5)),
    "password_change": get(to("password_change"), expect(LOGIN, 200, 200, 200, 200)),
    "password_change_done": get(to("password_change_done"), expect(LOGIN, 200, 200, 200, 200)),
    "password_reset": get(to("password_reset"), expect(*[200] * 5)),
    "password_reset_done": get(to("password_reset_done"), expect(*[200] * 5)),
    "password_reset_confirm_bad_link": get(to("password_reset_confirm", "MQ", "bad-token"), expect(*[200] * 5)),
    "password_reset_complete": get(to("password_reset_complete"), expect(*[200] * 5)),
    "signup_done": get(to("accounts:signup_done"), expect(*[200] * 5)),
    "otp_setup": get(to("accounts:otp_setup"), expect(LOGIN, *[200] * 4)),
    "otp_verify": get(to("accounts:otp_verify"), expect(LOGIN, *[200] * 4)),
    "otp_reset": post(
        to("accounts:otp_reset", lambda w: w.users["officer"].pk),
        expect(LOGIN, 403, 403, 403, (302, "/accounts/users/")),
    ),
    "verify_pending": get(to("accounts:verify_pending"), expect(LOGIN, *[(302, HOME)] * 4)),
    "verify_email_bad_link": get(to("accounts:verify_email", "bad:token"), expect(*[400] * 5)),
    "firm_list": get(lambda w: reverse("enterprises:list") + "?all=1", expect(LOGIN, 200, 200, 200, 200)),
    "firm_list_single_firm": get(to("enterprises:list"), expect(LOGIN, (302, "/firms/"), (302, "/firms/"), 200, 200)),
    "firm_register": get(to("enterprises:register"), expect(LOGIN, 200, 200, 200, 200)),
    "overview": get(to("enterprises:overview", FIRM_A), MEMBER_A),
    "overview_missing_firm": get(to("enterprises:overview", MISSING), expect(LOGIN, 404, 404, 404, 404)),
    "firm_edit": get(to("enterprises:edit", FIRM_A), MEMBER_A),
    "firm_edit_post": post(
        to("enterprises:edit", FIRM_A),
        expect(LOGIN, (302, "/firms/"), 404, 404, 404),
        lambda w: FIRM_EDIT | {"uscc": w.firm_a.uscc},
    ),
    "members": get(to("enterprises:members", FIRM_A), MEMBER_A),
    "members_invite_post": post(
        to("enterprises:members", FIRM_A),
        expect(LOGIN, (302, "/firms/"), 404, 404, 404),
        lambda w: {"email": "colleague@example.org", "role": "editor"},
    ),
    "history": get(to("enterprises:history", FIRM_A), expect(LOGIN, 403, 403, 403, 200)),
    "history_missing_firm": get(to("enterprises:history", MISSING), expect(LOGIN, 403, 403, 403, 404)),
    "record_list_unknown_kind": get(
        to("enterprises:record_list", FIRM_A, "no-such-kind"), expect(LOGIN, 404, 404, 404, 404)
    ),
    "evidence_download": get(to("evidence:download", EVIDENCE_A), MEMBER_A),
    "evidence_download_missing": get(to("evidence:download", MISSING), expect(LOGIN, 404, 404, 404, 404)),
    "evidence_preview": get(to("evidence:preview", EVIDENCE_A), MEMBER_A),
    "evidence_preview_missing": get(to("evidence:preview", MISSING), expect(LOGIN, 404, 404, 404, 404)),
    "evidence_delete_get": get(to("evidence:delete", EVIDENCE_A), expect(LOGIN, 405, 405, 405, 405)),
    "evidence_delete": post(to("evidence:delete", EVIDENCE_A), expect(LOGIN, (302, "/firms/"), 404, 404, 404)),
    "invitation_accept_page": get(to("invitations:accept", INVITATION_A), expect(LOGIN, 200, 200, 200, 200)),
    "invitation_accept_unknown": get(
        to("invitations:accept", "6f1c2a52-4a39-4a53-9b8c-2a3f7f0a6c11"), expect(LOGIN, 404, 404, 404, 404)
    ),
    "invitation_accept_post_wrong_user": post(
        to("invitations:accept", INVITATION_A), expect(LOGIN, (302, HOME), (302, HOME), (302, HOME), (302, HOME))
    ),
}


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_access(world, roles, page, role):
    PAGES[page].check(roles[role], world, role, page)


# Firm-record URLs, for every record kind. Firm A's records through firm A's URLs.
KIND_PAGES = ("record_list", "record_create")
RECORD_PAGES = (*KIND_PAGES, "record_detail", "record_edit", "record_delete")


def record_url(page: str, w, kind: str) -> str:
    """Firm A's `enterprises:<page>` URL for `kind`, with firm A's record of that kind unless the page lists or
    creates records."""
    record = [] if page in KIND_PAGES else [w.records_a[kind].pk]
    return reverse(f"enterprises:{page}", args=[w.firm_a.pk, kind, *record])


def matrix_urls(w):
    yield from (page.url(w) for page in PAGES.values())
    yield from (record_url(page, w, kind) for page in (*RECORD_PAGES, "evidence_upload") for kind in RECORD_KINDS)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
@pytest.mark.parametrize("page", RECORD_PAGES)
def test_record_page_access(world, roles, page, kind, role):
    check(roles[role].get(record_url(page, world, kind)), MEMBER_A[role], role, f"{page} {kind}")


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
    response = roles[role].post(record_url("record_delete", world, kind))
    expected = expect(LOGIN, (302, f"/firms/{world.firm_a.pk}/{kind}/"), 404, 404, 404)[role]
    check(response, expected, role, f"delete {kind}")
    assert type(record).objects.filter(pk=record.pk).exists() is (role != "member_a")


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_record_edit_post(world, roles, kind, role):
    """A POST to another firm's record answers 404 before any form is read (the empty form would be invalid)."""
    response = roles[role].post(record_url("record_edit", world, kind), {})
    check(response, expect(LOGIN, 200, 404, 404, 404)[role], role, f"edit {kind}")


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_evidence_upload_post(world, roles, kind, role):
    before = EvidenceFile.objects.count()
    upload = SimpleUploadedFile("invoice.pdf", PDF_BYTES, content_type="application/pdf")
    response = roles[role].post(record_url("evidence_upload", world, kind), {"file": upload})
    detail = record_url("record_detail", world, kind)
    check(response, expect(LOGIN, (302, detail), 404, 404, 404)[role], role, f"upload {kind}")
    assert EvidenceFile.objects.count() == before + (1 if role == "member_a" else 0)


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_evidence_upload_get_not_allowed(world, roles, kind):
    assert roles["member_a"].get(record_url("evidence_upload", world, kind)).status_code == 405


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
