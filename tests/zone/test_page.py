"""The statistics page: Table 1 in billions, breakdown tables, charts from json_script, warnings, filters."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from tests.factories import ExportRecordFactory
from tests.zone.conftest import M, export

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(zone, roles):
    def get(**query):
        response = roles["officer"].get(reverse("zone:statistics"), query)
        assert response.status_code == 200
        return response

    return get


def chart(response, name: str) -> dict:
    pattern = rf'<script id="chart-{name}" type="application/json">(.*?)</script>'
    match = re.search(pattern, response.content.decode(), re.S)
    assert match, name
    return json.loads(match.group(1))


def test_table1_in_billions_with_two_decimals(page):
    response = page()
    html = response.content.decode()
    table = html[html.index('id="table1-table"') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="col" class="num">') == 12
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", table)
    row_2014 = cells[cells.index("2014") :][:13]
    assert row_2014 == [
        "2014",
        "0.03",
        "0.02",
        "0.05",
        "—",
        "5.0",
        "161.3",
        "0.25",
        "0.00",
        "0.25",
        "12.5",
        "—",
        "20.9",
    ]
    assert response.context["stats"].table1[-1].trade == Decimal("52250000.00")


def test_breakdowns_shown_for_the_latest_year(page):
    response = page()
    html = response.content.decode()
    assert "Breakdowns for 2014" in html
    assert 'id="llc-share">91.5 %' in html
    assert 'id="large-imports-share">64.0 %' in html and 'id="large-exports-share">71.4 %' in html
    for table in ("ownership", "size_bands", "industries", "destinations", "stages", "pct"):
        assert f'id="{table}-table"' in html, table
        assert f'href="/statistics/{table}.csv?' in html


def test_charts_are_json_script_data_for_the_chart_script(page):
    response = page()
    html = response.content.decode()
    trade = chart(response, "trade")
    assert trade["labels"] == ["2011", "2013", "2014"]
    assert [d["label"] for d in trade["datasets"]] == ["Imports", "Exports", "Trade"]
    assert trade["datasets"][0]["data"] == ["0.10", "0.00", "0.03"]  # billion USD
    assert chart(response, "destinations")["labels"][0] == "Japan"
    assert chart(response, "stages")["datasets"][0]["data"][1:4] == ["1", "1", "1"]
    assert chart(response, "pct")["labels"] == ["2012", "2013", "2014"]
    for name in ("share", "ownership", "size_bands", "industries"):
        assert chart(response, name)["datasets"]
    # Chart.js from the vendored node_modules copy and the page's own script; no other inline script
    assert '/static/vendor/chart.js/chart.umd.min.js"' in html and '/static/js/zone-charts.js"' in html
    assert finders.find("vendor/chart.js/chart.umd.min.js") and finders.find("js/zone-charts.js")
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all('type="application/json"' in attributes for attributes in inline)
    assert "cdn" not in html.lower()


def test_cny_and_filters(page):
    html = page(currency="CNY", registration_type="foreign", year="2013").content.decode()
    assert "Billion CNY" in html and "Breakdowns for 2013" in html
    assert '<option value="foreign" selected>' in html


def test_missing_rate_warning_names_currency_and_year(page, zone):
    ExportRecordFactory(enterprise=zone.c, year=2014, destination="KR", value=Decimal("5"), currency="JPY")
    html = page().content.decode()
    assert "No exchange rate for JPY in 2014." in html
    assert 'class="alert alert-warning"' in html


def test_invalid_filters_are_reported_and_ignored(page):
    response = page(currency="EUR", year_from="2014", year_to="2011")
    html = response.content.decode()
    assert "Unsupported currency" in html and "The last year cannot be before the first year." in html
    assert response.context["filters"].currency == "USD"
    # downloads carry the effective (valid) filters, not the rejected ones
    assert "/statistics/trade.csv?currency=USD" in html and ".csv?currency=EUR" not in html


def test_download_links_carry_the_filters(page):
    html = page(currency="CNY", region="Shanghai", industry="aerospace").content.decode()
    assert "/statistics/trade.csv?currency=CNY&amp;region=Shanghai&amp;industry=aerospace" in html


def test_page_in_chinese(zone, roles):
    """Seen: Table 1 read 导入记录 (bulk-import batches) for "Imports", and the totals row read 总分 (a score)."""
    with translation.override("zh-hans"):
        response = roles["officer"].get(reverse("zone:statistics"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert "进口" in html and "导入记录" not in html
    assert "合计" in html and "总分" not in html
    visible = re.sub(r"<script.*?</script>|<[^>]*>", " ", html, flags=re.S)
    assert "北京" in visible and "Beijing" not in visible


def test_the_bulk_import_page_names_its_batches_in_chinese(roles):
    with translation.override("zh-hans"):  # restores the language afterwards: the next test starts in English
        response = roles["administrator"].get(reverse("bulkimport:upload"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "导入记录" in response.content.decode()


def test_empty_page(db, roles):
    response = roles["officer"].get(reverse("zone:statistics"))
    assert response.status_code == 200
    assert "No firm data for these filters." in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_amounts_are_grouped_and_years_are_not_in_both_languages(zone, roles, language):
    """Seen: the Chinese pages showed amounts without thousand separators."""
    export(zone.a, 2014, "US", 2000 * M)  # 2014 exports: 60 + 30 + 2,000 + 24 + 6 + 6 = 2,126 million CNY
    query = {"currency": "CNY"}
    response = roles["officer"].get(reverse("zone:statistics"), query, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    destinations = html[html.index('id="destinations-table"') :]
    destinations = destinations[: destinations.index("</table>")]
    assert ">2,126.00</td>" in destinations  # the total row, in million CNY
    table1 = html[html.index('id="table1-table"') :]
    table1 = table1[: table1.index("</table>")]
    assert '<th scope="row">2014</th>' in table1 and "2,014" not in table1
    assert ">2.13</td>" in table1  # 2014 exports in billion CNY
    # the CSV of the same figures stays plain (DESIGN section 7)
    csv_url = reverse("zone:breakdown_csv", args=["destinations"])
    csv = roles["officer"].get(csv_url, query, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "2126000000.00" in csv and "2,126" not in csv
