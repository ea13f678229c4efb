"""Officers' statistics through the API: exactly the CSV downloads' figures, for every table and filter."""

import csv
import io

import pytest
from django.urls import reverse

from tests.api.conftest import ApiClient, make_token
from tests.conftest import client_for
from zone.exports import ALL_TABLES

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"currency": "CNY"},
    {"year": "2013"},
    {"region": "Shanghai", "year_from": "2014"},
    {"registration_type": "foreign"},
    {"registration_type": "domestic", "currency": "CNY", "year_from": "2011", "year_to": "2013"},
    {"industry": "electronic_information"},
    {"year": "2012"},  # a year without data
]


def csv_rows(client, table: str, query: dict) -> list[list[str]]:
    name, args = ("zone:trade_csv", []) if table == "trade" else ("zone:breakdown_csv", [table])
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def as_csv_cell(value) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "defaults")
@pytest.mark.parametrize("table", list(ALL_TABLES))
def test_every_table_equals_its_csv(zone, officer, table, query):
    api = ApiClient(make_token(officer, scope="read"))
    response = api.get(f"/api/v1/statistics/{table}?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert response.status_code == 200, response.content
    data = response.json()
    rows = csv_rows(client_for(officer), table, query)
    assert data["columns"] == rows[0]
    assert [[as_csv_cell(row[column]) for column in data["columns"]] for row in data["rows"]] == rows[1:]
    assert data["currency"] == query.get("currency", "USD")


def test_the_zone_has_figures_in_every_table(zone, officer):
    """Guards the test above against comparing empty tables."""
    api = ApiClient(make_token(officer))
    for table in ALL_TABLES:
        assert api.get(f"/api/v1/statistics/{table}").json()["rows"], table


def test_amounts_are_strings_with_two_decimals(zone, officer):
    data = ApiClient(make_token(officer)).get("/api/v1/statistics/trade").json()
    row = data["rows"][-1]
    assert row["year"] == 2014 and row["imports"] == "31250000.00" and row["exports"] == "21000000.00"


def test_missing_rate_is_a_warning_and_empty_figures(zone, officer):
    from reference.models import ExchangeRate

    ExchangeRate.objects.filter(currency="EUR", year=2014).delete()
    data = ApiClient(make_token(officer)).get("/api/v1/statistics/trade").json()
    assert data["warnings"] and data["rows"][-1]["exports"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("currency=EUR", "currency"),
        ("year_from=x", "year_from"),
        ("year_from=2014&year_to=2011", "year_to"),
        ("region=Atlantis", "region"),
        ("industry=mining", "industry"),
        ("registration_type=pirate", "registration_type"),
        ("year=1900", "year"),
    ],
)
def test_bad_filters_are_400_naming_the_field(zone, officer, query, field):
    response = ApiClient(make_token(officer)).get(f"/api/v1/statistics/trade?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_unknown_table_is_404(zone, officer):
    response = ApiClient(make_token(officer)).get("/api/v1/statistics/salaries")
    assert response.status_code == 404
    assert response.json()["field"] == "table"
