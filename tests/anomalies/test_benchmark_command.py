import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from anomalies.models import Finding, ZoneCheck
from enterprises.models import ExportRecord
from tests.anomalies.helpers import exports, report, verified_assessment
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_benchmark_prints_times_and_queries_and_writes_nothing():
    for _ in range(3):
        firm = EnterpriseFactory()
        report(firm, 2014, revenue_total=Decimal("1000"), revenue_foreign=Decimal("1"))
        exports(firm, 2014, "10")
        verified_assessment(firm, self_stage=2, verified_stage=2)
    users, records = User.objects.count(), ExportRecord.objects.count()
    out = io.StringIO()
    call_command("benchmark_anomalies", "--repeat", "1", "--firms", "3", "--add", "2", stdout=out)
    text = out.getvalue()
    assert "Firms: 3 · annual reports: 3 · export records: 3" in text
    assert "Added: 2 exports above revenue, 2 stage gaps, 0 shared file(s)" in text
    assert "Check of every firm:" in text and "4 anomalies" in text
    assert text.count("server time: median") == 3 and "queries" in text
    assert "Re-check of one firm after a change" in text
    # everything is rolled back
    assert (User.objects.count(), ExportRecord.objects.count()) == (users, records)
    assert not Finding.objects.exists() and not ZoneCheck.objects.exists()


def test_benchmark_refuses_another_firm_count():
    with pytest.raises(CommandError, match=r"holds 0 firms, not 20,000\. Seed it first"):
        call_command("benchmark_anomalies", "--firms", "20000", stdout=io.StringIO())


def test_detect_anomalies_command(firm_a):
    verified_assessment(firm_a, self_stage=4, verified_stage=1)
    out = io.StringIO()
    call_command("detect_anomalies", stdout=out)
    assert out.getvalue().startswith("1 anomalies stored in")
    assert Finding.objects.count() == 1 and ZoneCheck.objects.get().findings == 1
