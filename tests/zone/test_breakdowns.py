"""The breakdowns for 2014 on the hand-made zone (tests/zone/conftest.py), in USD unless stated."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import AssessmentStatus
from enterprises.models import IndustryGroup
from tests.factories import EnterpriseFactory
from tests.zone.conftest import M, assessment, report, reward_round
from zone import selectors
from zone.forms import StatisticsFilters
from zone.tables import StatisticsBuilder

pytestmark = pytest.mark.django_db
D = Decimal


def builder(**filters) -> StatisticsBuilder:
    filters.setdefault("region", "Beijing")
    return StatisticsBuilder(StatisticsFilters(**filters), selectors.regional_statistics())


def figures(row):
    return (
        row.firms,
        row.imports,
        row.exports,
        row.trade,
        row.imports_share_pct,
        row.exports_share_pct,
        row.trade_share_pct,
    )


def test_default_year_is_the_latest_with_data(zone):
    assert builder().year == 2014
    assert builder(year_to=2013).year == 2013
    assert builder(year=2011).year == 2011


def test_domestic_and_foreign_invested_with_the_llc_share(zone):
    ownership = builder().ownership
    rows = {row.key: row for row in ownership.rows}
    assert list(rows) == ["domestic", "foreign_invested", "total"]
    assert figures(rows["domestic"]) == (2, D("21250000.00"), 17 * M, D("38250000.00"), D("68.0"), D("81.0"), D("73.2"))
    assert figures(rows["foreign_invested"]) == (1, 10 * M, 4 * M, 14 * M, D("32.0"), D("19.0"), D("26.8"))
    assert figures(rows["total"]) == (3, D("31250000.00"), 21 * M, D("52250000.00"), D("100.0"), D("100.0"), D("100.0"))
    # LLC (firm A): shares of domestic, not of the zone
    assert figures(ownership.llc) == (1, 20 * M, 15 * M, 35 * M, D("94.1"), D("88.2"), D("91.5"))
    assert ownership.llc.basis == "domestic"
    assert ownership.llc_share_of_domestic_trade_pct == D("91.5")
    assert [row.key for row in ownership.display_rows] == ["domestic", "llc", "foreign_invested", "total"]


def test_size_bands_by_revenue_in_cny(zone):
    size = builder().size_bands
    rows = {row.key: row for row in size.rows}
    assert list(rows) == ["lt20m", "20m-200m", "200m-1b", "ge1b", "unknown", "total"]
    # C: 2 M EUR = 15 M CNY; B: 30 M USD = 180 M CNY
    assert figures(rows["lt20m"]) == (1, D("1250000.00"), 1 * M, D("2250000.00"), D("4.0"), D("4.8"), D("4.3"))
    assert figures(rows["20m-200m"]) == (1, 10 * M, 4 * M, 14 * M, D("32.0"), D("19.0"), D("26.8"))
    assert figures(rows["200m-1b"]) == (0, D("0.00"), D("0.00"), D("0.00"), D("0.0"), D("0.0"), D("0.0"))
    assert figures(rows["ge1b"]) == (1, 20 * M, 15 * M, 35 * M, D("64.0"), D("71.4"), D("67.0"))  # A: 1.5 B CNY
    # E exports without a 2014 annual report: its band is unknown
    assert figures(rows["unknown"]) == (0, D("0.00"), 1 * M, 1 * M, D("0.0"), D("4.8"), D("1.9"))
    assert (size.large_imports_share_pct, size.large_exports_share_pct) == (D("64.0"), D("71.4"))


def test_size_band_bounds(db):
    from tests.zone.conftest import add_rates

    add_rates()  # USD 2014: 6.0
    cases = {
        "lt20m": [("19999999.99", "CNY"), ("3333333.33", "USD")],  # 3,333,333.33 USD = 19,999,999.98 CNY
        "20m-200m": [("20000000.00", "CNY"), ("3333333.34", "USD"), ("199999999.99", "CNY")],
        "200m-1b": [("200000000.00", "CNY"), ("999999999.99", "CNY")],
        "ge1b": [("1000000000.00", "CNY"), ("166666666.67", "USD")],
        "unknown": [("5000000.00", "JPY")],  # no JPY rate
    }
    for revenues in cases.values():
        for revenue, currency in revenues:
            report(EnterpriseFactory(), 2014, imports=Decimal("0"), currency=currency, revenue=Decimal(revenue))
    firms = {row.key: row.firms for row in builder(year=2014).size_bands.rows}
    assert firms == {"lt20m": 2, "20m-200m": 3, "200m-1b": 2, "ge1b": 2, "unknown": 1, "total": 10}


def test_industry_groups(zone):
    rows = {row.key: row for row in builder().industries}
    assert list(rows) == ["electronic_information", "biopharmaceutical", "aerospace", "new_energy", "total"]
    assert (rows["electronic_information"].imports, rows["electronic_information"].exports) == (20 * M, 15 * M)
    assert rows["electronic_information"].trade_share_pct == D("67.0")
    assert (rows["aerospace"].imports, rows["aerospace"].exports) == (D("1250000.00"), 1 * M)
    assert (rows["new_energy"].firms, rows["new_energy"].imports, rows["new_energy"].exports) == (0, D("0.00"), 1 * M)


def test_destination_regions(zone):
    rows = [(row.key, row.exports, row.share_pct, row.markets) for row in builder().destinations]
    assert rows == [
        ("japan", 10 * M, D("47.6"), 1),
        ("north_america", 5 * M, D("23.8"), 1),
        ("hmt", 4 * M, D("19.0"), 1),
        ("europe", 1 * M, D("4.8"), 1),
        ("latin_america", 1 * M, D("4.8"), 1),
        ("total", 21 * M, D("100.0"), 5),
    ]


def test_destinations_in_cny(zone):
    rows = {row.key: row.exports for row in builder(currency="CNY").destinations}
    assert rows["japan"] == 60 * M and rows["north_america"] == 30 * M and rows["total"] == 126 * M


def test_uppsala_stage_distribution(zone):
    rows = [(row.key, row.firms, row.share_pct) for row in builder().stages]
    assert rows == [
        ("0", 0, D("0.0")),
        ("1", 1, D("25.0")),  # E: returned, self-reported 1
        ("2", 1, D("25.0")),  # B: submitted, self-reported 2
        ("3", 1, D("25.0")),  # A: verified 3 wins over its later self-assessment (4)
        ("4", 0, D("0.0")),
        ("none", 1, D("25.0")),  # C: only a draft for 2014
        ("total", 4, D("100.0")),
    ]


def test_stage_uses_the_latest_of_unverified_assessments(zone):
    firm = EnterpriseFactory()
    now = timezone.now()
    assessment(
        firm,
        2014,
        AssessmentStatus.RETURNED,
        self_stage=2,
        round=reward_round(2014),
        submitted_at=now - datetime.timedelta(days=3),
    )
    assessment(firm, 2014, AssessmentStatus.SUBMITTED, self_stage=4, submitted_at=now)
    rejected = EnterpriseFactory()
    assessment(rejected, 2014, AssessmentStatus.REJECTED, self_stage=4, submitted_at=now)
    counts = {row.key: row.firms for row in builder().stages}
    assert counts["4"] == 1 and counts["none"] == 2 and counts["total"] == 6


def test_stage_filters_apply_to_the_enterprise(zone):
    counts = {row.key: row.firms for row in builder(registration_type="domestic").stages}
    assert counts == {"0": 0, "1": 1, "2": 0, "3": 1, "4": 0, "none": 1, "total": 3}
    counts = {row.key: row.firms for row in builder(industry=IndustryGroup.BIOPHARMACEUTICAL).stages}
    assert counts["2"] == 1 and counts["total"] == 1


def test_pct_applications_per_year(zone):
    rows = [(row.year, row.applications, row.firms, row.growth_pct) for row in builder().pct]
    assert rows == [(2012, 2, 1, None), (2013, 0, 0, D("-100.0")), (2014, 2, 2, None)]
    assert [(row.year, row.applications) for row in builder(year_from=2014).pct] == [(2014, 2)]
    assert [(row.year, row.applications) for row in builder(registration_type="foreign").pct] == [(2014, 1)]


def test_breakdown_filters(zone):
    b = builder(industry=IndustryGroup.ELECTRONIC_INFORMATION)
    assert [row.key for row in b.ownership.rows] == ["domestic", "foreign_invested", "total"]
    assert b.ownership.rows[0].trade == 35 * M and b.ownership.rows[1].trade == D("0.00")
    assert [row.key for row in b.destinations] == ["japan", "north_america", "total"]


def test_empty_database(db):
    b = builder(region="")
    b.everything()
    assert b.table1 == [] and b.year is None
    assert b.destinations == [] and b.stages == [] and b.pct == []
    assert b.ownership.rows[-1].trade == D("0.00")
