"""The statistics page and downloads run a constant number of queries whatever the number of firms."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus
from enterprises.models import IndustryGroup, RegistrationType
from tests.factories import AnnualReportFactory, EnterpriseFactory, ExportRecordFactory, PctApplicationFactory
from tests.zone.conftest import assessment
from zone import freshness

pytestmark = pytest.mark.django_db

# session, user, groups + regional statistics, 2 Table 1 sums, rates, 2 firm sums, destinations, stages, PCT
# + the statistics token before and after computing the figures (zone.freshness; once on PostgreSQL when the
# test's own transaction has written figures)
MAX_PAGE_QUERIES = 14
CURRENCIES = ["CNY", "USD", "EUR"]
REGISTRATIONS = list(RegistrationType)
INDUSTRIES = list(IndustryGroup)
COUNTRIES = ["US", "DE", "JP", "HK", "BR", "IN", "AU"]


def add_firms(count: int, offset: int) -> None:
    now = timezone.now()
    for n in range(offset, offset + count):
        firm = EnterpriseFactory(
            registration_type=REGISTRATIONS[n % len(REGISTRATIONS)], industry_group=INDUSTRIES[n % len(INDUSTRIES)]
        )
        for year in (2013, 2014):
            AnnualReportFactory(
                enterprise=firm,
                year=year,
                currency=CURRENCIES[n % 3],
                revenue_total=Decimal(10 ** (6 + n % 5)),
                revenue_foreign=Decimal(0),
                imports_total=Decimal(1000 + n),
            )
            ExportRecordFactory(
                enterprise=firm,
                year=year,
                destination=COUNTRIES[n % len(COUNTRIES)],
                currency=CURRENCIES[(n + 1) % 3],
                value=Decimal(500 + n),
            )
        PctApplicationFactory(enterprise=firm, filed=datetime.date(2012 + n % 3, 5, 1))
        if n % 2:
            assessment(firm, 2014, AssessmentStatus.SUBMITTED, self_stage=n % 5, submitted_at=now)


def count_queries(client, url, **query) -> int:
    """The queries of a view that computes everything (the statistics page's cache emptied first)."""
    caches[freshness.CACHE].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(context)


URLS = [
    ("zone:statistics", {}),
    ("zone:statistics", {"currency": "CNY", "industry": "aerospace", "registration_type": "domestic"}),
    ("zone:trade_csv", {}),
    ("zone:workbook_xlsx", {}),
    ("zone:breakdown_csv", {"args": ["stages"]}),
]


@pytest.mark.parametrize(("name", "options"), URLS)
def test_constant_query_count(zone, roles, django_assert_max_num_queries, name, options):
    officer = roles["officer"]
    url = reverse(name, args=options.get("args", []))
    query = {key: value for key, value in options.items() if key != "args"}
    add_firms(3, 0)
    small = count_queries(officer, url, **query)
    add_firms(40, 3)
    caches[freshness.CACHE].clear()
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        response = officer.get(url, query)
    assert response.status_code == 200
    assert count_queries(officer, url, **query) == small
