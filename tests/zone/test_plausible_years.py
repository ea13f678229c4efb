"""Statistics never show a future year (DESIGN section 8), even with rows stored before the plausibility rule.

Seen: with a 2031 export record and PCT application the page defaulted to "Breakdowns for 2031", showed a 2031
row in Table 1 and PCT years up to 2031 with -100 % growth. The figures of normal years do not change.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from tests.factories import PctApplicationFactory
from tests.zone.conftest import M, export, report
from tests.zone.test_breakdowns import builder

pytestmark = pytest.mark.django_db


def future() -> int:
    return timezone.localdate().year + 5


@pytest.fixture
def legacy(zone):
    """Rows for a future year saved before the rule (factories skip validation, as old code paths did)."""
    year = future()
    report(zone.a, year, imports=100 * M)
    export(zone.a, year, "US", 50 * M)
    PctApplicationFactory(enterprise=zone.a, filed=datetime.date(year, 1, 10))
    return zone


def test_legacy_future_rows_never_show(legacy):
    b = builder()
    assert b.year == 2014
    b.everything()
    assert [row.year for row in b.table1] == [2011, 2013, 2014]
    assert b.table1[-1].trade == Decimal("52250000.00")
    assert [row.year for row in b.pct] == [2012, 2013, 2014]
    assert b.year == 2014


def test_a_future_year_cannot_be_chosen(legacy):
    assert builder(year_to=future()).table1[-1].year == 2014
    assert [row.year for row in builder(year_from=2014).pct] == [2014]


def test_page_and_downloads_without_the_future_year(legacy, roles):
    officer = roles["officer"]
    html = officer.get(reverse("zone:statistics")).content.decode()
    assert "Breakdowns for 2014" in html and f"Breakdowns for {future()}" not in html
    asked = officer.get(reverse("zone:statistics"), {"year": future()})
    assert asked.status_code == 200 and "Breakdowns for 2014" in asked.content.decode()
    assert "Enter a year from 1980 to" in asked.content.decode()
    rows = officer.get(reverse("zone:trade_csv")).content.decode().splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["2011", "2013", "2014"]
    assert officer.get(reverse("zone:trade_csv"), {"year_to": future()}).status_code == 400
    pct = officer.get(reverse("zone:breakdown_csv", args=["pct"])).content.decode()
    assert str(future()) not in pct


def test_default_year_is_the_latest_with_verified_data(zone):
    report(zone.a, 2015, imports=Decimal("0"))  # 2015 has data, but nothing verified for it yet
    direct = builder()
    computed = builder()
    computed.everything()
    assert direct.year == computed.year == 2014
    Assessment.objects.filter(status=AssessmentStatus.VERIFIED).update(status=AssessmentStatus.SUBMITTED)
    direct = builder()
    computed = builder()
    computed.everything()
    assert direct.year == computed.year == 2015


def test_verified_year_follows_the_filters(zone):
    """C's only verified assessment is for 2013; A's 2014 one does not count for aerospace firms."""
    report(zone.c, 2013, imports=Decimal("0"))
    assert builder().year == 2014
    assert builder(industry="aerospace").year == 2013
    computed = builder(industry="aerospace")
    computed.everything()
    assert computed.year == 2013
