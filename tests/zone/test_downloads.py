"""GET /statistics/trade.csv (DESIGN section 7), the breakdown CSVs and the XLSX workbook."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from reference.models import RegionalStatistic
from tests.factories import AnnualReportFactory, EnterpriseFactory, ExportRecordFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "year,imports,exports,trade,imports_growth_pct,exports_growth_pct,trade_growth_pct,region,region_imports,"
    "region_exports,region_trade,imports_share_pct,exports_share_pct,trade_share_pct"
)


@pytest.fixture
def officer_client(roles):
    return roles["officer"]


def lines(response) -> list[str]:
    assert response.status_code == 200, response.content
    return response.content.decode().splitlines()


def test_trade_csv_usd(zone, officer_client):
    response = officer_client.get(reverse("zone:trade_csv"), {"currency": "USD"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert lines(response) == [
        HEADER,
        "2011,100000000.00,50000000.00,150000000.00,,,,Beijing,1000000000.00,500000000.00,1500000000.00,10.0,10.0,10.0",
        "2013,0.00,20000000.00,20000000.00,,,,Beijing,,,,,,",
        "2014,31250000.00,21000000.00,52250000.00,,5.0,161.3,Beijing,250000000.00,0.00,250000000.00,12.5,,20.9",
    ]


def test_trade_csv_defaults_to_usd(zone, officer_client):
    assert lines(officer_client.get(reverse("zone:trade_csv"))) == lines(
        officer_client.get(reverse("zone:trade_csv"), {"currency": "USD"})
    )


def test_trade_csv_cny(zone, officer_client):
    assert lines(officer_client.get(reverse("zone:trade_csv"), {"currency": "CNY"})) == [
        HEADER,
        "2011,640000000.00,320000000.00,960000000.00,,,,Beijing,6400000000.00,3200000000.00,9600000000.00,10.0,10.0,10.0",
        "2013,0.00,128000000.00,128000000.00,,,,Beijing,,,,,,",
        "2014,187500000.00,126000000.00,313500000.00,,-1.6,144.9,Beijing,1500000000.00,0.00,1500000000.00,12.5,,20.9",
    ]


def test_trade_csv_other_region_and_filters(zone, officer_client):
    rows = lines(officer_client.get(reverse("zone:trade_csv"), {"region": "Shanghai", "year_from": "2014"}))
    assert rows[1:] == [
        "2014,31250000.00,21000000.00,52250000.00,,5.0,161.3,Shanghai,100000000.00,40000000.00,140000000.00,31.3,52.5,37.3"
    ]
    rows = lines(officer_client.get(reverse("zone:trade_csv"), {"registration_type": "foreign"}))
    assert [row.split(",")[:4] for row in rows[1:]] == [
        ["2013", "0.00", "7500000.00", "7500000.00"],
        ["2014", "10000000.00", "4000000.00", "14000000.00"],
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"currency": "EUR"},
        {"currency": "usd "},
        {"currency": "<script>"},
        {"year_from": "x"},
        {"year_from": "2014", "year_to": "2011"},
        {"region": "Atlantis"},
        {"industry": "mining"},
        {"registration_type": "pirate"},
    ],
)
def test_bad_parameters_answer_400_with_a_message(zone, officer_client, query):
    for name in ("zone:trade_csv", "zone:workbook_xlsx"):
        response = officer_client.get(reverse(name), query)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.strip()
    response = officer_client.get(reverse("zone:breakdown_csv", args=["ownership"]), query)
    assert response.status_code == 400


def test_bad_currency_message(zone, officer_client):
    response = officer_client.get(reverse("zone:trade_csv"), {"currency": "EUR"})
    assert "Unsupported currency “EUR”: use USD or CNY." in response.content.decode()


def test_trade_csv_without_regional_statistics(zone, officer_client):
    RegionalStatistic.objects.all().delete()
    rows = lines(officer_client.get(reverse("zone:trade_csv")))
    assert rows[3] == "2014,31250000.00,21000000.00,52250000.00,,5.0,161.3,,,,,,,"


def test_trade_csv_with_a_missing_rate_leaves_cells_empty(zone, officer_client):
    ExportRecordFactory(enterprise=zone.c, year=2014, destination="KR", value=Decimal("5"), currency="JPY")
    rows = lines(officer_client.get(reverse("zone:trade_csv")))
    assert rows[3] == "2014,31250000.00,,,,,,Beijing,250000000.00,0.00,250000000.00,12.5,,"


def test_paper_table1_reproduced_from_firm_level_rows(db, officer_client):
    """Firm-level USD rows summing to the paper's zone figures, against the migration's Beijing rows: the
    printed growth and share percentages of 2012-2014 come out (2010-2011 trade is misprinted in the paper)."""
    from reference.models import ExchangeRate

    ExchangeRate.objects.all().delete()
    RegionalStatistic.objects.all().delete()
    beijing = {
        2010: ("245.94", "55.47"),
        2011: ("330.47", "59.03"),
        2012: ("348.27", "59.65"),
        2013: ("365.90", "63.20"),
        2014: ("353.31", "62.35"),
    }
    zone_figures = {
        2009: ("24.00", "20.82"),
        2010: ("30.10", "22.74"),
        2011: ("36.69", "23.73"),
        2012: ("49.03", "26.17"),
        2013: ("55.35", "33.62"),
        2014: ("65.85", "33.73"),
    }
    billion = Decimal("1000000000")
    for year, (imports, exports) in beijing.items():
        RegionalStatistic.objects.create(
            region="Beijing",
            year=year,
            imports=Decimal(imports) * billion,
            exports=Decimal(exports) * billion,
            currency="USD",
        )
    firms = [EnterpriseFactory() for _ in range(2)]
    for year, (imports, exports) in zone_figures.items():
        for firm, part in zip(firms, (Decimal("0.4"), Decimal("0.6")), strict=True):
            AnnualReportFactory(
                enterprise=firm, year=year, currency="USD", imports_total=Decimal(imports) * billion * part
            )
            ExportRecordFactory(
                enterprise=firm, year=year, destination="US", currency="USD", value=Decimal(exports) * billion * part
            )
    rows = {row.split(",")[0]: row.split(",") for row in lines(officer_client.get(reverse("zone:trade_csv")))[1:]}
    printed = {  # year: growth imports, exports, trade; share imports, exports, trade (paper_table1.csv)
        "2012": ("33.6", "10.3", "24.5", "14.1", "43.9", "18.4"),
        "2013": ("12.9", "28.5", "18.3", "15.1", "53.2", "20.7"),
        "2014": ("19.0", "0.3", "11.9", "18.6", "54.1", "24.0"),
    }
    for year, expected in printed.items():
        assert tuple(rows[year][4:7] + rows[year][11:14]) == expected, year
    assert rows["2010"][4:6] == ["25.4", "9.2"]  # imports and exports growth as printed
    assert rows["2014"][1:4] == ["65850000000.00", "33730000000.00", "99580000000.00"]


def test_breakdown_csvs(zone, officer_client):
    def table(slug, **query):
        response = officer_client.get(reverse("zone:breakdown_csv", args=[slug]), query)
        assert response.status_code == 200
        return list(csv.reader(io.StringIO(response.content.decode())))

    ownership = table("ownership")
    assert ownership[0] == [
        "year",
        "currency",
        "group",
        "label",
        "basis",
        "firms",
        "imports",
        "exports",
        "trade",
        "imports_share_pct",
        "exports_share_pct",
        "trade_share_pct",
    ]
    assert ownership[1] == [
        "2014",
        "USD",
        "domestic",
        "Domestic",
        "zone",
        "2",
        "21250000.00",
        "17000000.00",
        "38250000.00",
        "68.0",
        "81.0",
        "73.2",
    ]
    assert ownership[-1][2:5] == ["llc", "of which limited liability companies", "domestic"]
    assert ownership[-1][-1] == "91.5"
    size = table("size_bands", currency="CNY")
    assert size[0][:4] == ["year", "currency", "band", "label"]
    assert [row[2] for row in size[1:]] == ["lt20m", "20m-200m", "200m-1b", "ge1b", "unknown", "total"]
    assert size[4][1:] == [
        "CNY",
        "ge1b",
        "≥ 1 B CNY",
        "1",
        "120000000.00",
        "90000000.00",
        "210000000.00",
        "64.0",
        "71.4",
        "67.0",
    ]
    industries = table("industries", year="2013")
    assert [row[2] for row in industries[1:]] == ["electronic_information", "biopharmaceutical", "total"]
    destinations = table("destinations")
    assert destinations[0] == ["year", "currency", "destination_region", "label", "markets", "exports", "share_pct"]
    assert destinations[1] == ["2014", "USD", "japan", "Japan", "1", "10000000.00", "47.6"]
    stages = table("stages")
    assert stages[0] == ["year", "stage", "label", "firms", "share_pct"]
    # the roles fixture adds firms A and B of the access tests, without assessments
    assert [row[1:2] + row[3:] for row in stages[1:]] == [
        ["0", "0", "0.0"],
        ["1", "1", "16.7"],
        ["2", "1", "16.7"],
        ["3", "1", "16.7"],
        ["4", "0", "0.0"],
        ["none", "3", "50.0"],
        ["total", "6", "100.0"],
    ]
    assert table("pct") == [
        ["year", "applications", "firms", "growth_pct"],
        ["2012", "2", "1", ""],
        ["2013", "0", "0", "-100.0"],
        ["2014", "2", "2", ""],
    ]


def test_unknown_breakdown_is_404(zone, officer_client):
    assert officer_client.get(reverse("zone:breakdown_csv", args=["salaries"])).status_code == 404


def test_xlsx_workbook_has_one_sheet_per_table(zone, officer_client):
    response = officer_client.get(reverse("zone:workbook_xlsx"), {"currency": "USD"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["trade", "ownership", "size_bands", "industries", "destinations", "stages", "pct"]
    trade = list(workbook["trade"].iter_rows(values_only=True))
    assert ",".join(trade[0]) == HEADER
    assert trade[3][:4] == (2014, 31250000, 21000000, 52250000)
    assert trade[3][4] is None and trade[3][5] == 5 and trade[3][6] == pytest.approx(161.3)
    assert trade[3][7] == "Beijing"
    ownership = list(workbook["ownership"].iter_rows(values_only=True))
    assert ownership[1][2] == "domestic" and ownership[1][6] == 21250000
    stages = list(workbook["stages"].iter_rows(values_only=True))
    assert stages[-1][1:4] == ("total", "All firms", 6)
    assert workbook["trade"]["B2"].number_format == "#,##0.00"


def test_empty_zone_downloads(db, officer_client):
    RegionalStatistic.objects.all().delete()
    assert lines(officer_client.get(reverse("zone:trade_csv"))) == [HEADER]
    assert officer_client.get(reverse("zone:workbook_xlsx")).status_code == 200
    for slug in ("ownership", "size_bands", "industries", "destinations", "stages", "pct"):
        assert officer_client.get(reverse("zone:breakdown_csv", args=[slug])).status_code == 200


def test_amounts_in_whole_units_with_two_decimals(zone, officer_client):
    ExportRecordFactory(enterprise=zone.c, year=2011, destination="FR", value=Decimal("0.01"), currency="USD")
    rows = lines(officer_client.get(reverse("zone:trade_csv")))
    assert rows[1].split(",")[2] == "50000000.01"
