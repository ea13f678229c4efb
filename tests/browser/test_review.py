"""The officer's review in a real browser: the queue (search, sort, status counts), the evidence previews next
to the item being judged (Chromium's PDF viewer under the preview's sandboxing policy) and the keyboard
shortcuts that move between items and record verdicts."""

import re

import pytest

from accounts.services import staff_user_create
from assessments.models import ItemReview
from assessments.snapshots import item_keys
from tests.browser.conftest import log_in
from tests.factories import EnterpriseFactory, EvidenceFileFactory, MembershipFactory, UserFactory
from tests.workflow_helpers import records_for, submitted

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "journey-Password-2014"
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"  # Chromium's built-in PDF viewer


def _pdf(text: bytes) -> bytes:
    """A one-page PDF that shows `text` (a viewer has something to render)."""
    content = b"BT /F1 36 Tf 72 700 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


@pytest.fixture
def under_review(png_bytes):
    """A submitted assessment whose export record has a PDF and a PNG, and whose establishment has a PDF."""
    firm = EnterpriseFactory(name_zh="预览科技有限公司", name_en="Preview Technology")
    member = MembershipFactory(enterprise=firm, user=UserFactory()).user
    records = records_for(firm)
    evidence = EvidenceFileFactory.with_content
    contract = evidence(records["export"], "contract.pdf", _pdf(b"EXPORT CONTRACT"), "application/pdf")
    photo = evidence(records["export"], "customs.png", png_bytes, "image/png")
    lease = evidence(records["establishment"], "lease.pdf", _pdf(b"LEASE"), "application/pdf")
    assessment = submitted(firm, member)
    staff_user_create(username="officer7", email="officer7@example.org", password=PASSWORD, role="officer")
    return assessment, {"contract": contract, "photo": photo, "lease": lease}


def _requested(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_officer_previews_evidence_and_judges_with_the_keyboard(page, under_review):
    assessment, files = under_review
    keys = item_keys(assessment.current_snapshot.data)
    export_key = f"exports:{files['contract'].object_id}"
    establishment_key = f"establishments:{files['lease'].object_id}"
    requests = _requested(page)

    log_in(page, "officer7", PASSWORD)
    page.goto(f"/review/{assessment.pk}/")
    help_line = page.locator("#review-shortcuts")
    assert help_line.is_visible()
    assert "next / previous item" in help_line.inner_text()
    # closed previews load nothing (an officer may have dozens of files on one page)
    assert not [url for url in requests if "/preview/" in url]

    # j moves to the first item, then the next: the export record, whose first preview opens beside it
    page.keyboard.press("j")
    first = page.locator("[data-review-item]").nth(0)
    assert first.get_attribute("aria-current") == "true"
    for _ in range(keys.index(export_key)):
        page.keyboard.press("j")
    item = page.locator(f"#item-{export_key.replace(':', '')}")
    assert item.get_attribute("aria-current") == "true"
    assert "table-active" in item.get_attribute("class")
    assert first.get_attribute("aria-current") is None
    contract_preview = item.locator(f"details[data-evidence='{files['contract'].pk}']")
    assert contract_preview.get_attribute("open") is not None
    frame = item.locator("iframe")
    frame.wait_for()
    # Chromium renders the PDF in its viewer, inside the sandboxing policy of the preview answer
    for _ in range(60):
        if any(f.url.startswith(PDF_VIEWER) for f in page.frames):
            break
        page.wait_for_timeout(250)
    assert any(f.url.startswith(PDF_VIEWER) for f in page.frames), [f.url for f in page.frames]
    assert f"/evidence/{files['contract'].pk}/preview/" in " ".join(requests)
    assert not [url for url in requests if f"/evidence/{files['lease'].pk}/preview/" in url]

    # the image preview of the same item shows the image itself
    item.locator(f"details[data-evidence='{files['photo'].pk}'] summary").click()
    image = item.locator("img")
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

    # typing in the comment field records nothing: the letters go into the field
    comment = item.locator("input[name=comment]")
    comment.click()
    comment.press_sequentially("vn")
    assert comment.input_value() == "vn"
    assert not ItemReview.objects.exists()
    page.locator("h1").click()  # leave the field; the current item stays

    # v records "verified" for the current item
    item.focus()
    page.keyboard.press("v")
    item.locator(".badge.text-bg-success").wait_for()
    review = ItemReview.objects.get(item_key=export_key)
    assert review.verified and review.comment == "vn"

    # j moves on (the previous item's previews close), n records "not verified"
    page.keyboard.press("j")
    following = page.locator(f"#item-{keys[keys.index(export_key) + 1].replace(':', '')}")
    assert following.get_attribute("aria-current") == "true"
    assert contract_preview.get_attribute("open") is None
    page.keyboard.press("n")
    following.locator(".badge.text-bg-danger").wait_for()
    assert ItemReview.objects.get(item_key=keys[keys.index(export_key) + 1]).verified is False
    if keys[keys.index(export_key) + 1] == establishment_key:
        assert following.locator("details[open] iframe").count() == 1

    # k goes back; the shortcuts can be switched off
    page.keyboard.press("k")
    assert item.get_attribute("aria-current") == "true"
    switch = page.locator("#review-shortcuts-on")
    switch.scroll_into_view_if_needed()  # the opened preview may still be moving the page
    switch.uncheck()
    item.focus()
    page.keyboard.press("n")
    page.wait_for_timeout(300)
    assert ItemReview.objects.get(item_key=export_key).verified is True


def test_officer_finds_a_firm_in_the_queue(page, under_review):
    assessment, _files = under_review
    log_in(page, "officer7", PASSWORD)
    page.goto("/review/")
    needs_action = page.locator("#status-counts a[data-status=submitted]")
    assert "active" in needs_action.get_attribute("class")
    assert needs_action.locator("[data-count]").inner_text() == "1"
    page.fill("input[name=q]", "preview tech")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_url(re.compile(r"q=preview\+tech"))
    assert page.locator("tbody tr").count() == 1
    page.click("a[data-sort=firm]")
    page.wait_for_url(re.compile("sort=firm"))
    assert page.locator("th[aria-sort=ascending] a[data-sort=firm]").count() == 1
    assert "q=preview+tech" in page.url
    page.click("#status-counts a[data-status=all]")
    page.wait_for_url(re.compile("status=all"))
    assert "q=preview+tech" in page.url and "sort=firm" in page.url
    page.click(f"a[href='/review/{assessment.pk}/']")
    page.wait_for_url(f"**/review/{assessment.pk}/")


def test_a_preview_opened_in_its_own_tab_renders_without_policy_violations(page, under_review):
    """The page's fixture fails on any Content-Security-Policy message: the preview's own policy must leave
    Chromium's image and PDF viewers working."""
    _assessment, files = under_review
    log_in(page, "officer7", PASSWORD)
    response = page.goto(f"/evidence/{files['photo'].pk}/preview/")
    assert response.status == 200 and "sandbox" in response.headers["content-security-policy"]
    page.wait_for_function("() => document.images.length === 1 && document.images[0].naturalWidth > 0")
    response = page.goto(f"/evidence/{files['contract'].pk}/preview/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    for _ in range(60):
        if any(f.url.startswith(PDF_VIEWER) for f in page.frames):
            break
        page.wait_for_timeout(250)
    assert any(f.url.startswith(PDF_VIEWER) for f in page.frames), [f.url for f in page.frames]
