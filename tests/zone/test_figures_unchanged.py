"""Every statistics table, for many filters, on generated data: exactly the figures the page and the downloads
gave when every aggregation still read every record (before the zone totals), kept in
statistics_before_totals.json. Regenerate that file only for an intended change of the figures:
WRITE_STATISTICS_GOLDEN=1 pytest tests/zone/test_figures_unchanged.py."""

import datetime
import json
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from assessments.models import AssessmentStatus
from enterprises.models import ExportChannel, IndustryGroup, RegistrationType
from reference.models import ExchangeRate, RegionalStatistic
from tests.factories import AnnualReportFactory, EnterpriseFactory, ExportRecordFactory, PctApplicationFactory
from tests.zone.conftest import assessment, reward_round
from zone import exports, selectors
from zone.forms import StatisticsFilters
from zone.tables import StatisticsBuilder

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).with_name("statistics_before_totals.json")
YEARS = range(2010, 2015)
CURRENCIES = ["CNY", "CNY", "USD", "EUR", "JPY"]  # JPY has no rate in 2012: unknown bands, missing-rate warnings
DESTINATIONS = ["US", "DE", "JP", "HK", "BR", "IN", "AU", "FR", "KR", "ZA", "RU", "SG"]
REVENUES = ["19999999.99", "20000000.00", "3333333.33", "3333333.34", "150000000", "999999999.99", "1000000000"]
FILTERS = [
    {},
    {"currency": "CNY"},
    {"year_from": 2012},
    {"year_to": 2013, "region": "Shanghai"},
    {"year": 2012},
    {"year": 2011, "currency": "CNY"},
    {"industry": IndustryGroup.ELECTRONIC_INFORMATION},
    {"registration_type": "domestic"},
    {"registration_type": "foreign", "currency": "CNY"},
    {"registration_type": RegistrationType.PRIVATE, "year": 2013},
]


def generate(rng: random.Random) -> None:
    """60 firms of every registration type and 4 industry groups with 2010-2014 reports (some missing), exports
    in 5 currencies (some without a rate) to 12 destinations, band-edge revenues, assessments in every counted
    state (several per firm and year), PCT filings, and regional statistics in two currencies."""
    ExchangeRate.objects.all().delete()
    RegionalStatistic.objects.all().delete()
    for year in YEARS:
        ExchangeRate.objects.create(currency="USD", year=year, cny_per_unit=Decimal("6.0") + Decimal(year % 5) / 10)
        ExchangeRate.objects.create(currency="EUR", year=year, cny_per_unit=Decimal("8.125"))
        if year != 2012:
            ExchangeRate.objects.create(currency="JPY", year=year, cny_per_unit=Decimal("0.0625"))
        RegionalStatistic.objects.create(
            region="Beijing", year=year, imports=Decimal(10**10 + year), exports=Decimal(5 * 10**9), currency="USD"
        )
        RegionalStatistic.objects.create(
            region="Shanghai", year=year, imports=Decimal(6 * 10**10), exports=Decimal(10**10 + year), currency="CNY"
        )
    rounds = {year: [reward_round(year), reward_round(year)] for year in (2013, 2014)}
    now = timezone.now()
    types, groups = list(RegistrationType), list(IndustryGroup)[:4]
    for n in range(60):
        firm = EnterpriseFactory(registration_type=types[n % len(types)], industry_group=groups[n % len(groups)])
        for year in YEARS:
            if rng.random() < 0.8:
                AnnualReportFactory(
                    enterprise=firm,
                    year=year,
                    currency=rng.choice(CURRENCIES),
                    revenue_total=Decimal(rng.choice(REVENUES)),
                    revenue_foreign=Decimal(0),
                    imports_total=Decimal(rng.randint(0, 10**9)) / 100,
                )
            for destination in rng.sample(DESTINATIONS, rng.randint(0, 3)):
                ExportRecordFactory(
                    enterprise=firm,
                    year=year,
                    destination=destination,
                    channel=rng.choice(list(ExportChannel)),
                    currency=rng.choice(CURRENCIES),
                    value=Decimal(rng.randint(0, 10**9)) / 100,
                )
        for year in (2013, 2014):
            choices = [AssessmentStatus.VERIFIED, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED]
            choices += [AssessmentStatus.DRAFT, AssessmentStatus.REJECTED, None]
            for round_ in (None, *rounds[year]):
                status = rng.choice(choices)
                if status is None:
                    continue
                stage = rng.choice([None, 0, 1, 2, 3, 4])
                submitted = None if rng.random() < 0.2 else now - datetime.timedelta(days=rng.randint(0, 3))
                assessment(
                    firm,
                    year,
                    status,
                    self_stage=stage,
                    verified_stage=rng.choice([None, 1, 3]) if status == AssessmentStatus.VERIFIED else None,
                    round=round_,
                    submitted_at=submitted,
                )
        for _ in range(rng.randint(0, 2)):
            PctApplicationFactory(enterprise=firm, filed=datetime.date(rng.choice(YEARS), rng.randint(1, 12), 1))


def figures() -> dict:
    regional = selectors.regional_statistics()
    result = {}
    for filters in FILTERS:
        builder = StatisticsBuilder(StatisticsFilters(**{"region": "Beijing", **filters}), regional)
        tables = {name: exports.to_csv(table(builder)).splitlines() for name, table in exports.ALL_TABLES.items()}
        tables["warnings"] = [str(warning) for warning in builder.warnings]
        result[json.dumps(filters, sort_keys=True)] = tables
    return result


def test_every_table_gives_the_figures_it_gave_before_the_totals(db):
    generate(random.Random(2014))
    found = figures()
    if os.environ.get("WRITE_STATISTICS_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert list(found) == list(expected)
    for filters, tables in expected.items():
        for name, lines in tables.items():
            assert found[filters][name] == lines, (filters, name)
