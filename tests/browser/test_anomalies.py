"""An officer finds an anomaly on the anomalies page and marks it explained, in a real browser."""

from decimal import Decimal

import pytest

from accounts.services import staff_user_create
from anomalies.models import Explanation, Finding
from enterprises.models import AnnualReport, Enterprise, ExportRecord
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "journey-Password-2014"


def test_officer_marks_an_anomaly_explained(page):
    firm = Enterprise.objects.create(
        name_zh="丙公司",
        name_en="Gamma Ltd",
        uscc="91330100716105852F",
        registration_type="llc",
        industry_group="electronic_information",
    )
    AnnualReport.objects.create(
        enterprise=firm,
        year=2014,
        revenue_total=Decimal("9000000"),
        revenue_foreign=Decimal("1000000"),
        assets_total=Decimal("20000000"),
        assets_foreign=Decimal("0"),
        employees_total=50,
        employees_foreign=0,
        imports_total=Decimal("0"),
    )
    # saved outside a transaction: the firm is re-checked at once
    ExportRecord.objects.create(enterprise=firm, year=2014, destination="US", channel="direct", value=12000000)
    assert Finding.objects.filter(enterprise=firm).count() == 1
    staff_user_create(username="officer9", email="officer9@example.org", password=PASSWORD, role="officer")

    log_in(page, "officer9", PASSWORD)
    page.click("nav a:has-text('Anomalies')")
    page.wait_for_url("**/anomalies/")
    row = page.locator("#anomalies tbody tr", has_text="丙公司")
    assert "exports 12,000,000.00 CNY above total revenue 9,000,000.00 CNY" in row.inner_text()
    row.locator("a:has-text('Explain')").click()
    page.wait_for_url("**/explain/")
    page.fill("textarea[name=comment]", "The firm re-exports a partner's goods; confirmed by phone.")
    page.click("main form button[type=submit]:has-text('Mark as explained')")
    page.wait_for_selector("text=Anomaly marked as explained.")
    assert "丙公司" not in page.inner_text("#anomalies")

    page.select_option("select[name=status]", "explained")
    page.click("main form button:has-text('Filter')")
    page.wait_for_selector("#anomalies .badge:has-text('Explained')")
    explanation = Explanation.objects.get()
    assert explanation.comment == "The firm re-exports a partner's goods; confirmed by phone."
    assert explanation.explained_by.username == "officer9" and explanation.history.count() == 1
