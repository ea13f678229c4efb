"""The main journeys in a real browser: recording data, the review workflow, running a round."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services import staff_user_create
from assessments import services as assessment_services
from assessments.models import Assessment, AssessmentStatus
from assessments.snapshots import item_keys
from enterprises.models import AnnualReport, Enterprise, Establishment, ExportRecord, Membership
from reference.models import ExchangeRate
from rewards.models import RewardRound, RoundStatus
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "journey-Password-2014"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _firm(username: str, uscc: str, name: str) -> tuple[User, Enterprise]:
    user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD)
    firm = Enterprise.objects.create(
        name_zh=name, name_en=f"{name} Ltd", uscc=uscc, registration_type="llc", industry_group="electronic_information"
    )
    Membership.objects.create(user=user, enterprise=firm, role="owner")
    return user, firm


def _report(firm: Enterprise, year: int = 2014) -> None:
    AnnualReport.objects.create(
        enterprise=firm,
        year=year,
        revenue_total=Decimal("50000000"),
        revenue_foreign=Decimal("10000000"),
        assets_total=Decimal("20000000"),
        assets_foreign=Decimal("1000000"),
        employees_total=120,
        employees_foreign=6,
        imports_total=Decimal("0"),
    )


def test_firm_records_an_export_and_an_establishment_with_evidence(page, tmp_path):
    _user, firm = _firm("journey1", "91330100716105852F", "甲公司")
    _report(firm)
    evidence = tmp_path / "contract.pdf"
    evidence.write_bytes(PDF)

    log_in(page, "journey1", PASSWORD)
    page.goto(f"/firms/{firm.pk}/exports/new/?")
    page.fill("input[name=year]", "2014")
    page.select_option("select[name=destination]", "US")
    page.select_option("select[name=channel]", "agent")
    page.select_option("select[name=currency]", "USD")
    page.fill("input[name=value]", "250000")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/exports/*/")
    page.set_input_files("input[name=file]", str(evidence))
    page.click("#evidence button[type=submit]")
    page.wait_for_selector("#evidence a:has-text('contract.pdf')")

    page.goto(f"/firms/{firm.pk}/establishments/new/")
    page.select_option("select[name=country]", "DE")
    page.fill("input[name=city]", "Munich")
    page.select_option("select[name=kind]", "sales")
    page.fill("input[name=ownership_pct]", "100")
    page.fill("input[name=opened]", "2013-03-01")
    page.fill("input[name=employees]", "4")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/establishments/*/")
    page.set_input_files("input[name=file]", str(evidence))
    page.click("#evidence button[type=submit]")
    page.wait_for_selector("#evidence a:has-text('contract.pdf')")

    page.goto(f"/firms/{firm.pk}/?year=2014")
    assert "United States" in page.inner_text("#overview-exports")
    assert "Munich" in page.inner_text("#overview-establishments")
    assert ExportRecord.objects.get(enterprise=firm).evidence.count() == 1
    assert Establishment.objects.get(enterprise=firm).evidence.count() == 1


def confirm(page, dialog: str, *, tick: bool = False) -> None:
    """Open an action's confirmation dialog, tick its box if asked, and confirm."""
    page.click(f"#{dialog}-open")
    page.wait_for_selector(f"#{dialog}-confirm", state="visible")
    if tick:
        page.check(f"#{dialog}-check")
    page.click(f"#{dialog}-confirm")


def _verify_all(page, assessment: Assessment) -> None:
    for key in item_keys(assessment.current_snapshot.data):
        page.click(f"button[data-item='{key}'][data-verdict='1']")
        page.wait_for_selector(f"#verdict-{key.replace(':', '')} .badge")


def test_review_journey_return_correct_resubmit_verify(page, browser, live_server):
    ExchangeRate.objects.create(currency="USD", year=2014, cny_per_unit=Decimal("6.1428"))
    _user, firm = _firm("journey2", "914403001922038216", "乙公司")
    _report(firm)
    ExportRecord.objects.create(
        enterprise=firm, year=2014, destination="JP", channel="agent", currency="USD", value=1000
    )
    staff_user_create(username="officer1", email="officer1@example.org", password=PASSWORD, role="officer")

    log_in(page, "journey2", PASSWORD)
    page.goto(f"/firms/{firm.pk}/assessments/")
    page.fill("input[name=reference_year]", "2014")
    page.click("main form button[type=submit]:has-text('Create draft')")
    confirm(page, "submit-assessment")
    page.wait_for_selector("text=Submitted")
    assessment = Assessment.objects.get(enterprise=firm)
    assert assessment.status == AssessmentStatus.SUBMITTED

    officer = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    log_in(officer, "officer1", PASSWORD)
    officer.goto(f"/review/{assessment.pk}/")
    officer.fill("#id_comment", "Please add the Munich sales office.")
    officer.click("button[name=action][value=return]")
    officer.wait_for_selector("text=Returned to the firm for correction.")

    Establishment.objects.create(
        enterprise=firm, country="DE", city="Munich", kind="sales", ownership_pct=100, opened=date(2013, 3, 1)
    )
    page.goto(f"/firms/{firm.pk}/assessments/{assessment.pk}/")
    assert "Please add the Munich sales office." in page.content()
    confirm(page, "submit-assessment")
    page.wait_for_selector("text=Submitted")
    assessment.refresh_from_db()
    assert assessment.snapshots.count() == 2

    officer.goto(f"/review/{assessment.pk}/")
    _verify_all(officer, assessment)
    officer.click("button[name=action][value=verify]")
    officer.wait_for_selector("text=Verified.")

    page.goto(f"/firms/{firm.pk}/assessments/{assessment.pk}/")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.VERIFIED
    assert assessment.verified_stage == 3
    assert f"Verified score: {assessment.verified_total}" in page.inner_text("main")


def test_administrator_runs_a_round(page):
    ExchangeRate.objects.create(currency="USD", year=2014, cny_per_unit=Decimal("6.1428"))
    staff_user_create(username="admin1", email="admin1@example.org", password=PASSWORD, role="administrator")
    reviewer = staff_user_create(username="officer2", email="officer2@example.org", password=PASSWORD, role="officer")
    firms = [
        _firm(f"f{i}", uscc, f"公司{i}")
        for i, uscc in enumerate(["91110000802100433B", "91440300708461136T", "91520000214434146R"])
    ]

    scheme = assessment_services.default_scheme()
    log_in(page, "admin1", PASSWORD)
    page.goto("/rounds/manage/new/")
    now = timezone.localtime()
    page.fill("input[name=name]", "Zone reward 2014")
    page.fill("input[name=reference_year]", "2014")
    page.fill("input[name=submission_opens]", (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=submission_closes]", (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=review_deadline]", (now + timedelta(days=60)).date().isoformat())
    page.fill("input[name=budget]", "10000")
    page.select_option("select[name=scheme]", str(scheme.pk))
    page.check("input[name=eligible_expense_categories][value=exhibition]")
    page.fill("input[name='tiers-0-name']", "A")
    page.select_option("select[name='tiers-0-bound']", "share")
    page.fill("input[name='tiers-0-value']", "100")
    page.fill("input[name='tiers-0-rate']", "50")
    page.click("main form button[type=submit]:has-text('Save')")
    page.wait_for_selector("#round-status")
    reward_round = RewardRound.objects.get(name="Zone reward 2014")
    page.click("#action-open")
    page.wait_for_selector("text=Round opened")

    for index, (user, firm) in enumerate(firms):
        _report(firm)
        ExportRecord.objects.create(
            enterprise=firm, year=2014, destination="US", channel="agent", currency="CNY", value=1000 * (index + 1)
        )
        firm.expenses.create(category="exhibition", amount=Decimal("10000"), currency="CNY", date=date(2014, 6, 1))
        assessment = assessment_services.assessment_create(
            enterprise=firm, reference_year=2014, actor=user, reward_round=reward_round
        )
        assessment_services.assessment_submit(assessment_id=assessment.pk, actor=user)
        for key in item_keys(assessment.current_snapshot.data):
            assessment_services.item_review_set(
                assessment_id=assessment.pk, item_key=key, verified=True, comment="", actor=reviewer
            )
        assessment_services.assessment_verify(assessment_id=assessment.pk, actor=reviewer)

    page.reload()
    confirm(page, "action-close", tick=True)  # the window still runs: closing early is confirmed explicitly
    page.wait_for_selector("text=Round closed")
    confirm(page, "action-rank")
    page.wait_for_selector("text=Ranking and awards computed")
    assert "10,000.00\u00a0CNY" in page.inner_text("#awarded")

    page.click("text=What if")
    page.fill("input[name=budget]", "20000")
    page.click("#simulate")
    page.wait_for_selector("#simulated-awarded")
    assert "15,000.00\u00a0CNY" in page.inner_text("#simulated-awarded")
    reward_round.refresh_from_db()
    assert reward_round.budget == Decimal("10000.00")

    page.goto(f"/rounds/manage/{reward_round.pk}/")
    confirm(page, "action-publish")
    page.wait_for_selector("text=Results published")
    reward_round.refresh_from_db()
    assert reward_round.status == RoundStatus.PUBLISHED

    page.goto(f"/rounds/{reward_round.pk}/")
    with page.expect_download() as download_info:
        page.click("a:has-text('CSV')")
    with open(download_info.value.path(), encoding="utf-8") as downloaded:
        rows = list(csv.reader(io.StringIO(downloaded.read())))
    assert rows[0] == ["rank", "enterprise", "uscc", "total", "tier", "award"]
    assert len(rows) == 4
    assert sum(Decimal(row[5]) for row in rows[1:]) == Decimal("10000.00")
