"""A firm member's maturity report in a real browser: the peer chart is drawn, the PDF downloads, and its
code checks out on the public verification page (no Content-Security-Policy violation on the way)."""

import pytest

from reports.models import IssuedReport
from tests.browser.conftest import log_in
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory
from tests.workflow_helpers import YEAR, records_for, verified_row

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "report-Password-2014"


def test_member_downloads_the_pdf_and_anyone_checks_its_code(page, tmp_path):
    firm = EnterpriseFactory(name_zh="丙科技有限公司", name_en="Gamma Technology")
    user = UserFactory(username="gamma")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(enterprise=firm, user=user)
    records_for(firm)
    for share in ("0.2000", "0.4000", "0.6000", "0.8000", "1.0000"):
        verified_row(None, total="60", subscores={"stage": share, "tni": share})

    log_in(page, "gamma", PASSWORD)
    page.goto(f"/firms/{firm.pk}/maturity/?year={YEAR}")
    page.wait_for_function("document.querySelector('canvas[data-zone-chart=\"peer-chart\"]').width > 0")
    assert (
        page.evaluate("window.Chart.getChart(document.querySelector('canvas[data-zone-chart]')).data.datasets.length")
        == 2
    )
    page.screenshot(path=str(tmp_path / "maturity.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("#report-pdf button[type=submit]")
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"
    issued = IssuedReport.objects.get()

    page.context.clear_cookies()
    page.goto("/")
    page.click("footer a:has-text('Check a report')")
    page.fill("input[name=code]", issued.display_code.lower())
    page.click("main form button[type=submit]")
    page.wait_for_selector("#verify-valid")
    assert "丙科技有限公司" in page.content()
    assert f"{issued.figures['scorecard']['total']} / 100" in page.inner_text("#report-total")

    page.goto("/methodology/#tni")
    assert page.inner_text("#weight-tni") == "20"
