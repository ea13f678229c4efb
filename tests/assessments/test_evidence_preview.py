"""Evidence preview (/evidence/<id>/preview/): the download's access rule for every role and state, the headers
that keep an inline file harmless, the types shown inline, and the previews on the review page."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from assessments import services
from assessments.views import PREVIEW_POLICY
from enterprises.evidence import ALLOWED_TYPES, INLINE_TYPES
from enterprises.models import EvidenceFile
from tests.conftest import ROLE_NAMES, client_for
from tests.factories import EvidenceFileFactory, OfficerFactory
from tests.matrix import LOGIN, check, expect
from tests.workflow_helpers import YEAR, records_for

pytestmark = pytest.mark.django_db

XLSX_TYPE = ALLOWED_TYPES["xlsx"]


def _files(record, pdf_bytes, png_bytes, jpeg_bytes, xlsx_bytes) -> dict[str, EvidenceFile]:
    return {
        "pdf": EvidenceFileFactory.with_content(record, "Zollerklärung 2014.pdf", pdf_bytes, "application/pdf"),
        "png": EvidenceFileFactory.with_content(record, "certificate.png", png_bytes, "image/png"),
        "jpeg": EvidenceFileFactory.with_content(record, "invoice.jpg", jpeg_bytes, "image/jpeg"),
        "xlsx": EvidenceFileFactory.with_content(record, "ledger.xlsx", xlsx_bytes, XLSX_TYPE),
    }


@pytest.fixture
def world(firm_a, firm_b, member_a, member_b, role_users, pdf_bytes, png_bytes, jpeg_bytes, xlsx_bytes):
    """Firm A with a draft assessment and evidence of every accepted type on its export record; firm B likewise,
    with a submitted assessment."""
    records_a, records_b = records_for(firm_a), records_for(firm_b)
    files_a = _files(records_a["export"], pdf_bytes, png_bytes, jpeg_bytes, xlsx_bytes)
    files_b = _files(records_b["export"], pdf_bytes, png_bytes, jpeg_bytes, xlsx_bytes)
    draft_a = services.assessment_create(enterprise=firm_a, reference_year=YEAR, actor=member_a)
    draft_b = services.assessment_create(enterprise=firm_b, reference_year=YEAR, actor=member_b)
    submitted_b = services.assessment_submit(assessment_id=draft_b.pk, actor=member_b)
    return SimpleNamespace(
        firm_a=firm_a,
        member_a=member_a,
        draft_a=draft_a,
        files_a=files_a,
        files_b=files_b,
        submitted_b=submitted_b,
        users=role_users,
        pdf_bytes=pdf_bytes,
    )


def matrix_urls(w):
    for view in ("download", "preview"):
        yield reverse(f"evidence:{view}", args=[w.files_a["pdf"].pk])


def _submit_a(world) -> None:
    services.assessment_submit(assessment_id=world.draft_a.pk, actor=world.member_a)


# ----------------------------------------------------------------------------------------- access matrix

#: firm A's files before and after firm A submits; firm B's (submitted) files throughout
ACCESS = {
    ("a", "draft"): expect(LOGIN, 200, 404, 404, 404),
    ("a", "submitted"): expect(LOGIN, 200, 404, 200, 200),
    ("a", "returned"): expect(LOGIN, 200, 404, 200, 200),
    ("b", "draft"): expect(LOGIN, 404, 200, 200, 200),
}


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("firm", "state"), list(ACCESS))
def test_preview_access_is_the_downloads(world, officer, role, firm, state):
    if state in ("submitted", "returned"):
        _submit_a(world)
    if state == "returned":
        services.assessment_return(assessment_id=world.draft_a.pk, actor=officer, comment="Add the contract.")
    client = client_for(world.users[role])
    files = world.files_a if firm == "a" else world.files_b
    for kind, evidence in files.items():
        answers = {}
        for view in ("download", "preview"):
            url = reverse(f"evidence:{view}", args=[evidence.pk])
            response = client.get(url)
            check(response, ACCESS[firm, state][role], role, url)
            answers[view] = response.status_code
        assert answers["download"] == answers["preview"], (kind, answers)


def test_an_officer_member_of_the_firm_sees_only_as_member(world):
    """The rule is the download's: an officer who belongs to firm A sees its files as a member does."""
    insider = OfficerFactory(username="insider")
    world.firm_a.memberships.create(user=insider, role="editor")
    client = client_for(insider)
    for view in ("download", "preview"):
        assert client.get(reverse(f"evidence:{view}", args=[world.files_a["pdf"].pk])).status_code == 200


def test_missing_file_is_404_for_both(world, officer):
    client = client_for(officer)
    for view in ("download", "preview"):
        assert client.get(reverse(f"evidence:{view}", args=[999_999])).status_code == 404


# ------------------------------------------------------------------------------------------------ headers


@pytest.mark.parametrize(
    ("kind", "content_type"), [("pdf", "application/pdf"), ("png", "image/png"), ("jpeg", "image/jpeg")]
)
def test_inline_types_are_shown_inline_in_a_sandbox(world, officer, kind, content_type):
    evidence = world.files_b[kind]
    response = client_for(officer).get(reverse("evidence:preview", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename" in response["Content-Disposition"]  # a saved copy keeps the uploaded name
    assert response["Content-Security-Policy"] == PREVIEW_POLICY
    directives = {d.split()[0]: d.split()[1:] for d in PREVIEW_POLICY.split("; ")}
    assert directives["default-src"] == ["'none'"] and directives["sandbox"] == []
    assert directives["frame-ancestors"] == ["'self'"]
    assert "script-src" not in directives  # no script at all: default-src 'none'
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert b"".join(response.streaming_content) == evidence.file.open("rb").read()


def test_the_preview_filename_is_encoded(world, officer):
    response = client_for(officer).get(reverse("evidence:preview", args=[world.files_b["pdf"].pk]))
    assert "filename*=utf-8''Zollerkl%C3%A4rung%202014.pdf" in response["Content-Disposition"]


def _is_a_download(response, evidence) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Frame-Options"] == "DENY"  # the site's own rule: never framed
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "sandbox" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == evidence.file.open("rb").read()


def test_other_accepted_types_answer_as_a_download(world, officer):
    evidence = world.files_b["xlsx"]
    response = client_for(officer).get(reverse("evidence:preview", args=[evidence.pk]))
    _is_a_download(response, evidence)
    assert response["Content-Type"] == XLSX_TYPE


@pytest.mark.parametrize("mime_type", ["text/html", "image/svg+xml", "application/xhtml+xml", "", "APPLICATION/PDF"])
def test_a_stored_type_outside_the_allow_list_answers_as_a_download(world, officer, mime_type):
    """Whatever a row says (a hand-edited database, an old upload rule), only the allow-list is shown inline."""
    evidence = world.files_b["pdf"]
    EvidenceFile.objects.filter(pk=evidence.pk).update(mime_type=mime_type)
    response = client_for(officer).get(reverse("evidence:preview", args=[evidence.pk]))
    _is_a_download(response, evidence)


def test_the_inline_types_are_accepted_uploads():
    assert {"application/pdf", "image/png", "image/jpeg"} == INLINE_TYPES
    assert set(ALLOWED_TYPES.values()) >= INLINE_TYPES


def test_the_download_stays_an_unframeable_attachment(world, officer):
    evidence = world.files_b["pdf"]
    _is_a_download(client_for(officer).get(reverse("evidence:download", args=[evidence.pk])), evidence)


# -------------------------------------------------------------------------------------------- review page


def test_the_review_page_previews_pdfs_and_images_next_to_their_item(world, officer):
    response = client_for(officer).get(f"/review/{world.submitted_b.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # the site's policy lets the page frame its own previews, and the page itself is never framed
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    files = world.files_b
    preview = {kind: reverse("evidence:preview", args=[f.pk]) for kind, f in files.items()}
    assert re.search(rf'<iframe src="{preview["pdf"]}" title="Zollerklärung 2014.pdf" loading="lazy">', html)
    for kind in ("png", "jpeg"):
        assert re.search(rf'<img class="[^"]*" src="{preview[kind]}" alt="{files[kind].original_name}"', html)
    assert preview["xlsx"] not in html  # not shown inline: only its download link
    for evidence in files.values():
        assert reverse("evidence:download", args=[evidence.pk]) in html
    # the previews sit in the export item's group, right after its row
    export_key = f"exports:{world.files_b['pdf'].object_id}"
    group = re.search(
        rf'<tbody data-review-item id="item-{export_key.replace(":", "")}"[^>]*>(.*?)</tbody>', html, re.S
    )
    assert group and preview["pdf"] in group.group(1) and preview["png"] in group.group(1)
    assert html.count('<details class="evidence-preview') == 3
    # the keyboard help line and its script (no inline script)
    assert 'id="review-shortcuts"' in html and "/static/js/review.js" in html
    assert "<kbd>v</kbd>" in html


def test_the_review_page_offers_no_preview_of_a_type_outside_the_allow_list(world, officer):
    EvidenceFile.objects.filter(pk=world.files_b["png"].pk).update(mime_type="image/svg+xml")
    html = client_for(officer).get(f"/review/{world.submitted_b.pk}/").content.decode()
    assert reverse("evidence:preview", args=[world.files_b["png"].pk]) not in html
    assert reverse("evidence:download", args=[world.files_b["png"].pk]) in html
