"""Table 1 from the hand-made zone (tests/zone/conftest.py): conversion, growth, share, gaps, zero bases."""

from decimal import Decimal

import pytest

from enterprises.models import IndustryGroup
from reference.models import ExchangeRate, RegionalStatistic
from tests.zone.conftest import M, export
from zone import selectors
from zone.forms import StatisticsFilters
from zone.tables import Converter, StatisticsBuilder, growth, percent

pytestmark = pytest.mark.django_db


def table1(**filters):
    filters.setdefault("region", "Beijing")
    builder = StatisticsBuilder(StatisticsFilters(**filters), selectors.regional_statistics())
    return {row.year: row for row in builder.table1}, builder


def test_one_row_per_year_with_zone_data(zone):
    rows, _ = table1()
    assert list(rows) == [2011, 2013, 2014]  # 2012 has no data: no row


def test_usd_figures_convert_each_currency_with_its_years_rate(zone):
    rows, builder = table1()
    assert (rows[2011].imports, rows[2011].exports, rows[2011].trade) == (100 * M, 50 * M, 150 * M)
    assert (rows[2013].imports, rows[2013].exports, rows[2013].trade) == (Decimal("0.00"), 20 * M, 20 * M)
    # 2014 imports: 120 M CNY / 6 + 10 M USD + 1 M EUR * 7.5 / 6; exports: 60 M CNY / 6 + 5 + 4 + 0.8 * 7.5 / 6 + 6 / 6
    assert rows[2014].imports == Decimal("31250000.00")
    assert rows[2014].exports == Decimal("21000000.00")
    assert rows[2014].trade == Decimal("52250000.00")
    assert builder.warnings == []


def test_growth_on_the_previous_year(zone):
    rows, _ = table1()
    assert rows[2011].imports_growth_pct is None  # no 2010
    assert rows[2013].exports_growth_pct is None  # 2012 is a gap: no growth
    assert rows[2013].trade_growth_pct is None
    assert rows[2014].imports_growth_pct is None  # 2013 imports were 0: zero base
    assert rows[2014].exports_growth_pct == Decimal("5.0")  # 21 / 20
    assert rows[2014].trade_growth_pct == Decimal("161.3")  # 52.25 / 20 = +161.25 %, half-up


def test_share_of_the_region(zone):
    rows, _ = table1()
    assert rows[2011].region == "Beijing"
    region = (rows[2011].region_imports, rows[2011].region_exports, rows[2011].region_trade)
    assert region == (1000 * M, 500 * M, 1500 * M)
    assert (rows[2011].imports_share_pct, rows[2011].exports_share_pct, rows[2011].trade_share_pct) == (
        Decimal("10.0"),
        Decimal("10.0"),
        Decimal("10.0"),
    )
    # 2013: no Beijing row -> every region figure and share empty
    assert rows[2013].region_imports is None and rows[2013].trade_share_pct is None
    # 2014: Beijing exports are 0 -> that share is empty, the others are defined
    assert rows[2014].imports_share_pct == Decimal("12.5")
    assert rows[2014].exports_share_pct is None
    assert rows[2014].trade_share_pct == Decimal("20.9")


def test_region_in_another_currency_is_converted(zone):
    rows, _ = table1(region="Shanghai")
    assert (rows[2014].region_imports, rows[2014].region_exports) == (100 * M, 40 * M)
    assert rows[2014].imports_share_pct == Decimal("31.3")  # 31.25 %, half-up
    assert rows[2014].exports_share_pct == Decimal("52.5")
    assert rows[2014].trade_share_pct == Decimal("37.3")  # 52.25 / 140 = 37.32 %
    assert rows[2011].region_imports is None


def test_cny(zone):
    rows, _ = table1(currency="CNY")
    assert (rows[2011].imports, rows[2011].exports) == (640 * M, 320 * M)
    assert (rows[2013].exports, rows[2014].imports, rows[2014].exports) == (128 * M, Decimal("187500000.00"), 126 * M)
    assert rows[2014].exports_growth_pct == Decimal("-1.6")  # 126 / 128 = -1.5625 %
    assert rows[2014].trade_growth_pct == Decimal("144.9")
    assert rows[2014].region_imports == 1500 * M  # Beijing's 250 M USD at 6.0
    assert rows[2014].trade_share_pct == Decimal("20.9")


def test_year_range_keeps_the_growth_of_the_first_year(zone):
    rows, _ = table1(year_from=2014)
    assert list(rows) == [2014]
    assert rows[2014].exports_growth_pct == Decimal("5.0")
    rows, _ = table1(year_to=2013)
    assert list(rows) == [2011, 2013]


def test_filters_apply_to_the_enterprise(zone):
    rows, _ = table1(industry=IndustryGroup.ELECTRONIC_INFORMATION)
    assert (rows[2014].imports, rows[2014].exports) == (20 * M, 15 * M)
    rows, _ = table1(registration_type="foreign")
    assert list(rows) == [2013, 2014]
    assert (rows[2014].imports, rows[2014].exports) == (10 * M, 4 * M)
    rows, _ = table1(registration_type="domestic")
    assert (rows[2014].imports, rows[2014].exports) == (Decimal("21250000.00"), 17 * M)
    rows, _ = table1(registration_type="llc")
    assert rows[2014].trade == 35 * M


def test_missing_rate_leaves_the_figure_empty_and_warns(zone):
    export(zone.c, 2014, "KR", Decimal("1000"), "JPY")  # no JPY rate
    rows, builder = table1()
    assert rows[2014].imports == Decimal("31250000.00")
    assert rows[2014].exports is None and rows[2014].trade is None
    assert rows[2014].exports_growth_pct is None and rows[2014].trade_share_pct is None
    assert rows[2013].exports == 20 * M
    assert [str(w) for w in builder.warnings] == [
        "No exchange rate for JPY in 2014. The figures that need it are left empty."
    ]


def test_missing_usd_rate_empties_the_year_in_usd_only(zone):
    ExchangeRate.objects.filter(currency="USD", year=2011).delete()
    rows, builder = table1()
    assert rows[2011].imports is None and rows[2011].exports is None
    assert rows[2011].region_imports == 1000 * M  # the region is already in USD: no rate needed
    assert any("USD in 2011" in str(w) for w in builder.warnings)
    rows, builder = table1(currency="CNY")
    assert rows[2011].imports == 640 * M
    assert rows[2011].region_imports is None  # Beijing's USD needs the missing rate


def test_no_regional_statistics(zone):
    RegionalStatistic.objects.all().delete()
    rows, _ = table1(region="")
    assert rows[2014].region == "" and rows[2014].trade_share_pct is None


def test_growth_and_percent_helpers():
    assert growth(Decimal("110"), Decimal("100")) == Decimal("10.0")
    assert growth(Decimal("100"), Decimal("0")) is None
    assert growth(None, Decimal("1")) is None
    assert growth(Decimal("99.95"), Decimal("100")) == Decimal("-0.1")  # -0.05 half-up: away from zero
    assert percent(Decimal("1"), Decimal("8")) == Decimal("12.5")
    assert percent(Decimal("1"), Decimal("0")) is None


def test_converter_never_uses_float():
    rates = {("USD", 2014): Decimal("6.1428"), ("EUR", 2014): Decimal("8.1607")}
    converter = Converter(rates, "USD")
    total = converter.total({"CNY": Decimal("6142800000.00"), "EUR": Decimal("0.01"), "USD": Decimal("1.00")}, 2014)
    assert total == Decimal("1000000001.01")  # 1 B USD + 0.0133 USD (rounded) + 1 USD
    assert isinstance(total, Decimal)
